/**
 * Tracking code → case ID (`tracking_codes`, keyed by the code), so a petitioner's lookup is one read by `_id` on
 * every server — the same work whether the code exists or not. FerretDB reads the whole `cases` collection for a
 * filter on `trackingCode`, stopping at the first match, so that lookup took longer for a code that does not exist.
 * The API notes the code at intake, the first activity again with the record, and records written before this index
 * existed are added once by `indexTrackingCodes`.
 */
import { isDuplicateKey, type Store } from './models';

/** Set once every record written before the index has its entry; until then a lookup that misses reads `cases`. */
const BACKFILLED = 'tracking-codes-indexed';
const BATCH = 500;

export async function noteTrackingCode(store: Store, trackingCode: string, caseId: string): Promise<void> {
  await store.trackingCodes.create({ _id: trackingCode, caseId }).catch((error: unknown) => {
    if (!isDuplicateKey(error)) throw error;
  });
}

/** Public Open311 ID → case ID, for a publishable request whose record the workflow has not written yet. */
export async function notePublicId(store: Store, publicId: string, caseId: string): Promise<void> {
  await store.publicIds.create({ _id: publicId, caseId }).catch((error: unknown) => {
    if (!isDuplicateKey(error)) throw error;
  });
}

/** Adds the entries of records written before the index existed; once per database, then a single read. */
export async function indexTrackingCodes(store: Store): Promise<number> {
  if (await store.revisions.findById(BACKFILLED).lean()) return 0;
  let added = 0;
  let batch: { _id: string; caseId: string }[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    try {
      const inserted = await store.trackingCodes.insertMany(batch, { ordered: false });
      added += inserted.length;
    } catch (error) {
      const writeErrors = (error as { writeErrors?: unknown[] }).writeErrors;
      if (!Array.isArray(writeErrors) || !writeErrors.every((e) => isDuplicateKey((e as { err?: unknown }).err ?? e)))
        throw error;
      added += batch.length - writeErrors.length;
    }
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
