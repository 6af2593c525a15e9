/**
 * A case's own timeline and notices, read by `_id`. FerretDB (the embedded default) answers any filter but a lone
 * `_id` by reading the whole collection: a `{ caseId }` filter on the timeline costs a read of every case's entries
 * (1.5 s at 22 000 entries here), and the tracking page and the case detail ask it at every view. The record lists
 * its timeline keys (`setCaseProgress`); the notices are those the timeline records as issued. A record written
 * before it listed them is read by `caseId` as before.
 */
import type { CaseDoc, NoticeDoc, Store, TimelineDoc } from './models';

type Listing = Pick<CaseDoc, 'listsEntries' | 'timelineKeys'> & { _id: string };

/** Orders by a date, then by `_id`, as a `find` sorted on `{ <date>: 1, _id: 1 }` does. */
const byDateThenId =
  <T extends { _id: string }>(date: (doc: T) => Date) =>
  (a: T, b: T) =>
    date(a).getTime() - date(b).getTime() || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);

async function byIds<T>(ids: string[], read: (id: string) => Promise<T | null>): Promise<T[]> {
  const found = await Promise.all([...new Set(ids)].map(read));
  return found.filter((doc): doc is Awaited<T> & {} => doc !== null);
}

/** The case's timeline, oldest first (ties by `_id`), as `find({ caseId }).sort({ at: 1, _id: 1 })` gives it. */
export async function caseTimeline(store: Store, record: Listing): Promise<TimelineDoc[]> {
  const caseId = record._id;
  if (!record.listsEntries) return store.timeline.find({ caseId }).sort({ at: 1, _id: 1 }).lean<TimelineDoc[]>();
  const ids = ['registered', ...(record.timelineKeys ?? [])].map((key) => `${caseId}:${key}`);
  const entries = await byIds(ids, (id) => store.timeline.findById(id).lean<TimelineDoc>());
  return entries.sort(byDateThenId((entry) => entry.at));
}

/** The case's notices in the order they were issued: those its timeline records as issued. */
export async function caseNotices(store: Store, record: Listing, timeline: TimelineDoc[]): Promise<NoticeDoc[]> {
  if (!record.listsEntries) {
    return store.notices.find({ caseId: record._id }).sort({ createdAt: 1, _id: 1 }).lean<NoticeDoc[]>();
  }
  const ids = timeline
    .filter((entry) => entry.type === 'notice_issued')
    .map((entry) => (entry.detail as { noticeId?: unknown } | undefined)?.noticeId)
    .filter((id): id is string => typeof id === 'string');
  const notices = await byIds(ids, (id) => store.notices.findById(id).lean<NoticeDoc>());
  return notices.sort(byDateThenId((notice) => notice.createdAt));
}
