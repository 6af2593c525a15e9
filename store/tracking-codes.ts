/**
 * Tracking code → case ID (`tracking_codes`, keyed by the code), so a petitioner's lookup is one read by `_id` on
 * every server — the same work whether the code exists or not. FerretDB reads the whole `cases` collection for a
 * filter on `trackingCode`, stopping at the first match, so that lookup took longer for a code that does not exist.
 * The API notes the code at intake (`PendingNotes`), the first activity again with the record, and records written
 * before this index existed are added once by `indexTrackingCodes`. Public Open311 IDs are noted the same way.
 */
import { insertNew, isConnected, type Store } from './models';

/** Set once every record written before the index has its entry; until then a lookup that misses reads `cases`. */
const BACKFILLED = 'tracking-codes-indexed';
const BATCH = 500;

export async function noteTrackingCode(store: Store, trackingCode: string, caseId: string): Promise<void> {
  await insertNew(store.trackingCodes, [{ _id: trackingCode, caseId }]);
}

type NoteKind = 'trackingCodes' | 'publicIds';

/** How long the first retry of an unwritten note waits, how long retries may come apart, and how many are kept. */
const PENDING_NOTES = { firstRetryMs: 500, maxRetryMs: 30_000, max: 100_000 };

/**
 * The codes one API replica gave petitioners and has not written yet: the tracking code and the public Open311 ID
 * of each case it registered, until MongoDB has them. Intake notes them here first, so this replica tracks the case
 * from its first answer whatever MongoDB is doing; an unwritten note is retried in the background, in batches,
 * until written. A note this replica drops (a restart, more than `max` waiting) is covered by the case's first
 * activity, which writes the record and notes the tracking code again.
 */
export class PendingNotes {
  private readonly waiting = { trackingCodes: new Map<string, string>(), publicIds: new Map<string, string>() };
  private retryMs = PENDING_NOTES.firstRetryMs;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly store: Store) {}

  /** Notes a registered case's codes; settles when they are written or the write failed (then it is retried). */
  async note(trackingCode: string, caseId: string, publicId?: string): Promise<void> {
    this.hold('trackingCodes', trackingCode, caseId);
    if (publicId) this.hold('publicIds', publicId, caseId);
    try {
      await Promise.all([
        this.write('trackingCodes', [trackingCode]),
        publicId ? this.write('publicIds', [publicId]) : undefined,
      ]);
    } catch {
      this.scheduleRetry();
    }
  }

  /** The case a code names while its note is unwritten. */
  caseIdForTrackingCode(trackingCode: string): string | undefined {
    return this.waiting.trackingCodes.get(trackingCode);
  }

  caseIdForPublicId(publicId: string): string | undefined {
    return this.waiting.publicIds.get(publicId);
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

/** Adds the entries of records written before the index existed; once per database, then a single read. */
export async function indexTrackingCodes(store: Store): Promise<number> {
  if (await store.revisions.findById(BACKFILLED).lean()) return 0;
  let added = 0;
  let batch: { _id: string; caseId: string }[] = [];
  const flush = async () => {
    added += await insertNew(store.trackingCodes, batch);
    batch = [];
  };
  for await (const record of store.cases.find({}, { trackingCode: 1 }).lean().cursor()) {
    if (record.trackingCode) batch.push({ _id: record.trackingCode, caseId: record._id });
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  await store.revisions.updateOne({ _id: BACKFILLED }, { $set: { at: new Date() } }, { upsert: true });
  return added;
}

/**
 * The case a tracking code names. One read by `_id` once the backfill is done; before that, a miss also looks in
 * `cases` (whose read time depends on where the record lies), and `backfilled` remembers the marker once seen.
 */
export async function caseIdForTrackingCode(
  store: Store,
  trackingCode: string,
  backfilled: { seen: boolean },
): Promise<string | undefined> {
  const indexed = await store.trackingCodes.findById(trackingCode).lean();
  if (indexed) return indexed.caseId;
  if (backfilled.seen) return undefined;
  const [marker, record] = await Promise.all([
    store.revisions.findById(BACKFILLED).lean(),
    store.cases.findOne({ trackingCode }, { _id: 1 }).lean(),
  ]);
  backfilled.seen = !!marker;
  return record?._id;
}
