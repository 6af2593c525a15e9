/**
 * Tracking code → case ID (`tracking_codes`) and public Open311 ID → case ID (`public_ids`), each keyed by the code,
 * so a lookup is one read by `_id` on every server — the same work whether the code exists or not. FerretDB reads
 * the whole `cases` collection for a filter on `trackingCode` or `publicId`, stopping at the first match, so such a
 * lookup took longer for a code that does not exist, and every public request read by its ID read every record.
 * The API notes the codes at intake (`PendingNotes`), the first activity again with the record, and records written
 * before an index existed are added once by `indexCaseCodes`. Only a request the public may see has its public ID
 * noted.
 */
import { mayBePublished, type Publication } from '../domain/types';
import { insertNew, isConnected, type Store } from './models';

const BATCH = 500;

export type NoteKind = 'trackingCodes' | 'publicIds';

/** A record's fields that name its codes. */
interface CodedRecord extends Publication {
  _id: string;
  trackingCode?: string | null;
  publicId?: string | null;
}

/** Each index: its entry for a record, if any, and the mark set once every record written before it has its entry. */
const INDEXES: Record<
  NoteKind,
  { backfilled: string; field: 'trackingCode' | 'publicId'; code(record: CodedRecord): string | null | undefined }
> = {
  trackingCodes: { backfilled: 'tracking-codes-indexed', field: 'trackingCode', code: (record) => record.trackingCode },
  publicIds: {
    backfilled: 'public-ids-indexed',
    field: 'publicId',
    code: (record) => (mayBePublished(record) ? record.publicId : undefined),
  },
};

/** A case's codes to note, by index: its tracking code, and its public ID when the public may see it. */
function codesOf(caseId: string, record: Omit<CodedRecord, '_id'>): [NoteKind, string][] {
  return (Object.keys(INDEXES) as NoteKind[]).flatMap((kind) => {
    const code = INDEXES[kind].code({ ...record, _id: caseId });
    return code ? [[kind, code] as [NoteKind, string]] : [];
  });
}

/** Notes a written record's codes. */
export async function noteCaseCodes(store: Store, caseId: string, record: Omit<CodedRecord, '_id'>): Promise<void> {
  for (const [kind, code] of codesOf(caseId, record)) await insertNew(store[kind], [{ _id: code, caseId }]);
}

/** How long the first retry of an unwritten note waits, how long retries may come apart, and how many are kept. */
const PENDING_NOTES = { firstRetryMs: 500, maxRetryMs: 30_000, max: 100_000 };

/**
 * The codes one API replica gave petitioners and has not written yet: the tracking code and the public Open311 ID
 * of each case it registered, until MongoDB has them. Intake notes them here first, so this replica tracks the case
 * from its first answer whatever MongoDB is doing; an unwritten note is retried in the background, in batches,
 * until written. A note this replica drops (a restart, more than `max` waiting) is covered by the case's first
 * activity, which writes the record and notes its codes again.
 */
export class PendingNotes {
  private readonly waiting = { trackingCodes: new Map<string, string>(), publicIds: new Map<string, string>() };
  /** Whether each index's backfill was seen done: then a miss is a miss. */
  private readonly backfilled = { trackingCodes: { seen: false }, publicIds: { seen: false } };
  private retryMs = PENDING_NOTES.firstRetryMs;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly store: Store) {}

  /** Notes a registered case's codes; settles when they are written or the write failed (then it is retried). */
  async note(caseId: string, record: Omit<CodedRecord, '_id'>): Promise<void> {
    const codes = codesOf(caseId, record);
    for (const [kind, code] of codes) this.hold(kind, code, caseId);
    try {
      await Promise.all(codes.map(([kind, code]) => this.write(kind, [code])));
    } catch {
      this.scheduleRetry();
    }
  }

  /**
   * The case a code names: its index entry, read by `_id` (before the index's backfill, the records), or else this
   * replica's unwritten note.
   */
  async caseIdFor(kind: NoteKind, code: string): Promise<string | undefined> {
    return (await caseIdForCode(this.store, kind, code, this.backfilled[kind])) ?? this.waiting[kind].get(code);
  }

  /** Whether MongoDB is connected now: intake waits for a note only then. */
  get connected(): boolean {
    return isConnected(this.store);
  }

  get size(): number {
    return this.waiting.trackingCodes.size + this.waiting.publicIds.size;
  }

  private hold(kind: NoteKind, code: string, caseId: string): void {
    const waiting = this.waiting[kind];
    waiting.set(code, caseId);
    // The oldest goes first: its case's first activity has most likely written it with the record by now.
    if (waiting.size > PENDING_NOTES.max) waiting.delete(waiting.keys().next().value!);
  }

  private async write(kind: NoteKind, codes: string[]): Promise<void> {
    const waiting = this.waiting[kind];
    const entries = codes.flatMap((code) => {
      const caseId = waiting.get(code);
      return caseId ? [{ _id: code, caseId }] : [];
    });
    await insertNew(this.store[kind], entries);
    for (const { _id, caseId } of entries) if (waiting.get(_id) === caseId) waiting.delete(_id);
  }

  private scheduleRetry(): void {
    if (this.retry) return;
    this.retry = setTimeout(() => void this.retryAll(), this.retryMs).unref();
  }

  private async retryAll(): Promise<void> {
    try {
      for (const kind of ['trackingCodes', 'publicIds'] as const) {
        const codes = [...this.waiting[kind].keys()];
        for (let i = 0; i < codes.length; i += BATCH) await this.write(kind, codes.slice(i, i + BATCH));
      }
      this.retryMs = PENDING_NOTES.firstRetryMs;
    } catch {
      this.retryMs = Math.min(this.retryMs * 2, PENDING_NOTES.maxRetryMs);
    } finally {
      this.retry = undefined;
      if (this.size > 0) this.scheduleRetry();
    }
  }
}

/** Adds the entries of records written before each index existed; once per database and index, then a read each. */
export async function indexCaseCodes(store: Store): Promise<number> {
  const marks = await Promise.all(
    (Object.keys(INDEXES) as NoteKind[]).map(async (kind) =>
      (await store.revisions.findById(INDEXES[kind].backfilled).lean()) ? [] : [kind],
    ),
  );
  const kinds = marks.flat();
  if (kinds.length === 0) return 0;
  let added = 0;
  const batches = new Map(kinds.map((kind) => [kind, [] as { _id: string; caseId: string }[]]));
  const flush = async (kind: NoteKind) => {
    added += await insertNew(store[kind], batches.get(kind)!);
    batches.set(kind, []);
  };
  const fields = { trackingCode: 1, publicId: 1, kind: 1, confidential: 1, publicationConsent: 1 };
  for await (const record of store.cases.find({}, fields).lean<CodedRecord>().cursor()) {
    for (const kind of kinds) {
      const code = INDEXES[kind].code(record);
      if (code) batches.get(kind)!.push({ _id: code, caseId: record._id });
      if (batches.get(kind)!.length >= BATCH) await flush(kind);
    }
  }
  for (const kind of kinds) {
    await flush(kind);
    await store.revisions.updateOne({ _id: INDEXES[kind].backfilled }, { $set: { at: new Date() } }, { upsert: true });
  }
  return added;
}

/**
 * The case a code names. One read by `_id`; a miss also reads the index's mark until `backfilled` has seen it set,
 * and while it is not set (older records not all noted yet) looks in `cases`, whose read time depends on where the
 * record lies.
 */
async function caseIdForCode(
  store: Store,
  kind: NoteKind,
  code: string,
  backfilled: { seen: boolean },
): Promise<string | undefined> {
  const indexed = await store[kind].findById(code).lean();
  if (indexed) return indexed.caseId;
  if (backfilled.seen) return undefined;
  backfilled.seen = !!(await store.revisions.findById(INDEXES[kind].backfilled).lean());
  if (backfilled.seen) return undefined;
  const record = await store.cases.findOne({ [INDEXES[kind].field]: code }, { _id: 1 }).lean();
  return record?._id;
}
