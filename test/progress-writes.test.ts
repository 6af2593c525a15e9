/**
 * The projection writes that every case change makes (recordProgress) and the repeat lookup of every intake
 * (recordCase), against the real MongoDB-compatible server: retried attempts write once, an older projection never
 * overwrites a newer one, and the cases of one matter find each other.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities, type CaseActivities } from '../activities';
import type { ProgressInput } from '../activities/types';
import type { TimelineEvent } from '../domain/events';
import { newCaseId } from '../domain/ids';
import type { IntakeRecord } from '../store/intake-record';
import type { Store } from '../store/models';
import { Sealer } from '../store/sealed';
import { appendToList, entryId, loadLists, PAGE_SIZE, readList } from '../similarity/buckets';
import { monthOf, regionListKey } from '../similarity/matter-index';
import { connectTestStore, testSecret } from '../harness/shared-servers';

const sealer = new Sealer(testSecret);
let store: Store;
let activities: CaseActivities;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ store, close } = await connectTestStore());
  activities = createActivities({ store, sealer });
});
afterAll(() => close());

function record(overrides: Partial<IntakeRecord> = {}): IntakeRecord {
  return {
    caseNumber: 'XF-320102-0',
    trackingCode: 'T-0',
    pinHash: 'h',
    channel: 'letter',
    kind: 'complaint',
    category: 'environment',
    regionCode: '320102',
    profileId: 'national',
    subject: 'Noise',
    content: 'Night-time construction.',
    petitioner: { name: '王五', phone: '13800000000' },
    representatives: [],
    anonymous: false,
    confidential: false,
    accused: { units: [], persons: [] },
    receivedAt: '2026-11-02T01:00:00.000Z',
    registeredAt: '2026-11-02T02:00:00.000Z',
    ...overrides,
  };
}

let sequence = 0;
async function registered(overrides: Partial<IntakeRecord> = {}) {
  sequence += 1;
  const caseId = newCaseId(Date.UTC(2026, 10, 2) + sequence, Buffer.alloc(10, sequence));
  // Case number and tracking code are unique per case.
  const own = { caseNumber: `XF-320102-${caseId}`, trackingCode: `T-${caseId}` };
  const result = await activities.recordCase({ caseId, sealedRecord: sealer.seal(record({ ...own, ...overrides })) });
  return { caseId, result };
}

/** Two timeline entries per change, named after real steps, so each change's entries can be told apart. */
const ENTRIES: Record<number, [TimelineEvent, TimelineEvent]> = {
  1: ['acknowledged', 'accepted'],
  2: ['extension_requested', 'extension_approved'],
};

function progress(caseId: string, version: 1 | 2, stage: ProgressInput['projection']['stage']): ProgressInput {
  return {
    caseId,
    version,
    at: `2026-11-0${version + 2}T02:00:00.000Z`,
    projection: { stage, units: ['320100-HB'], escalationLevel: 0, overdue: false, deadlines: [] },
    timeline: [
      { key: `${version}.0`, at: '2026-11-03T02:00:00.000Z', type: ENTRIES[version]![0] },
      { key: `${version}.1`, at: '2026-11-03T02:00:00.000Z', type: ENTRIES[version]![1] },
    ],
    notifications: [
      { key: `${version}.0:transfer:320100-HB`, kind: 'transferred', recipient: '320100-HB' },
      { key: `${version}.1:new_case:office`, kind: 'new_case', recipient: 'office' },
    ],
  };
}

describe('recordProgress', () => {
  test('a retried attempt writes each timeline entry and notification once', async () => {
    const { caseId } = await registered();
    await activities.recordProgress(progress(caseId, 1, 'transferred'));
    await activities.recordProgress(progress(caseId, 1, 'transferred'));

    const types = (await store.timeline.find({ caseId }).lean()).map((e) => e.type).sort();
    expect(types).toEqual(['accepted', 'acknowledged', 'registered']);
    expect(await store.outbox.countDocuments({ caseId })).toBe(2);
    expect((await store.cases.findById(caseId).lean())?.stage).toBe('transferred');
  });

  test('a late attempt of an older change leaves the newer projection, and still adds its own entries', async () => {
    const { caseId } = await registered();
    await activities.recordProgress(progress(caseId, 2, 'handling'));
    await activities.recordProgress(progress(caseId, 1, 'transferred'));

    const stored = await store.cases.findById(caseId).lean();
    expect(stored).toMatchObject({ stage: 'handling', progressVersion: 2 });
    expect(await store.timeline.countDocuments({ caseId })).toBe(5);
    expect(await store.outbox.countDocuments({ caseId })).toBe(4);
  });

  test('a change with one entry and no notification', async () => {
    const { caseId } = await registered();
    await activities.recordProgress({
      ...progress(caseId, 1, 'accepted'),
      timeline: [progress(caseId, 1, 'accepted').timeline[0]!],
      notifications: [],
    });
    expect((await store.timeline.find({ caseId }).lean()).map((e) => e.type).sort()).toEqual([
      'acknowledged',
      'registered',
    ]);
    expect(await store.outbox.countDocuments({ caseId })).toBe(0);
  });
});

describe('recordCase: cases of the same matter', () => {
  test('a later case finds the earlier open one; the earlier one finds nothing; a retry changes nothing', async () => {
    const repeatKey = `matter-${Date.now()}`;
    const first = await registered({ repeatKey, registeredAt: '2026-11-02T02:00:00.000Z' });
    const second = await registered({ repeatKey, registeredAt: '2026-11-03T02:00:00.000Z' });
    expect(first.result).toEqual({});
    expect(second.result.repeatOf).toEqual({
      caseId: first.caseId,
      stage: 'registered',
      open: true,
      overdue: false,
    });

    const again = await activities.recordCase({
      caseId: second.caseId,
      sealedRecord: sealer.seal(
        record({
          caseNumber: `XF-320102-${second.caseId}`,
          trackingCode: `T-${second.caseId}`,
          repeatKey,
          registeredAt: '2026-11-03T02:00:00.000Z',
        }),
      ),
    });
    expect(again.repeatOf?.caseId).toBe(first.caseId);
    const members = await store.repeatMembers.find({ repeatKey }).lean();
    expect(members.map((m) => [m._id, m.caseId])).toEqual([
      [`${repeatKey}:0`, first.caseId],
      [`${repeatKey}:1`, second.caseId],
    ]);
  });

  test('simultaneous first cases of a matter join one group and never absorb each other', async () => {
    const repeatKey = `matter-burst-${Date.now()}`;
    const at = '2026-11-04T02:00:00.000Z';
    const results = await Promise.all(Array.from({ length: 6 }, () => registered({ repeatKey, registeredAt: at })));
    const members = await store.repeatMembers.find({ repeatKey }).lean();
    expect(new Set(members.map((m) => m.caseId))).toEqual(new Set(results.map((r) => r.caseId)));
    expect(members).toHaveLength(6);
    // Same millisecond: cases are ordered by case ID. A case only ever points at one before it in that order, so
    // none points at itself and no two point at each other.
    for (const { caseId, result } of results) {
      if (result.repeatOf) expect(result.repeatOf.caseId < caseId).toBe(true);
    }
    const smallest = results.map((r) => r.caseId).sort()[0];
    expect(results.find((r) => r.caseId === smallest)?.result).toEqual({});
    // The last slot's case read every slot before its own, so it found the earliest case.
    const last = members.find((m) => m._id === `${repeatKey}:5`)!;
    if (last.caseId !== smallest) {
      expect(results.find((r) => r.caseId === last.caseId)?.result.repeatOf?.caseId).toBe(smallest);
    }
  });
});

describe('recordCase: the order of its writes', () => {
  afterEach(() => jest.restoreAllMocks());

  test('a case joins its matter only once its record is written, so a later case can read it', async () => {
    const repeatKey = `matter-order-${Date.now()}`;
    const create = store.repeatMembers.create.bind(store.repeatMembers);
    const recordedFirst: boolean[] = [];
    jest.spyOn(store.repeatMembers, 'create').mockImplementation((async (doc: { caseId: string }) => {
      recordedFirst.push((await store.cases.exists({ _id: doc.caseId })) !== null);
      return create(doc as never);
    }) as never);
    await registered({ repeatKey, registeredAt: '2026-11-05T02:00:00.000Z' });
    await registered({ repeatKey, registeredAt: '2026-11-06T02:00:00.000Z' });
    expect(recordedFirst).toEqual([true, true]);
  });
});

describe('recordCase as a local activity (the registration in the first workflow task)', () => {
  test('run again at attempt 1 when its workflow task is retried, it writes the index entry once', async () => {
    // A local activity's attempts count afresh in each workflow task that runs it, so its first attempt may follow
    // one that appended. The region's month list is past its first page, where a fresh append would not look.
    const registeredAt = '2026-08-10T02:00:00.000Z';
    const key = regionListKey('320102', monthOf(new Date(registeredAt)));
    await loadLists(
      store.similarityIndex,
      new Map([[key, Array.from({ length: 2 * PAGE_SIZE - 1 }, (_, i) => `earlier-${i}\t.`)]]),
    );
    sequence += 1;
    const caseId = newCaseId(Date.UTC(2026, 7, 10) + sequence, Buffer.alloc(10, sequence));
    const input = {
      caseId,
      sealedRecord: sealer.seal(record({ caseNumber: `XF-${caseId}`, trackingCode: `T-${caseId}`, registeredAt })),
    };
    const env = new MockActivityEnvironment({
      isLocal: true,
      attempt: 1,
      workflowExecution: { workflowId: caseId, runId: 'r' },
    });
    const run = () => env.run((record: typeof input) => activities.recordCase(record), input);
    await run();
    // Another registration appends after it, on the next page: the list's open page moves on.
    await appendToList(store.similarityIndex, key, `later\t.`, PAGE_SIZE, { fresh: true });
    await run();
    const lines = await readList(store.similarityIndex, key);
    expect(lines.filter((line) => entryId(line) === caseId)).toHaveLength(1);
    expect(lines).toHaveLength(2 * PAGE_SIZE + 1);
  });
});

describe('recordService: the first service stands', () => {
  async function waitingNotice(): Promise<string> {
    const noticeId = `${newCaseId(Date.now(), Buffer.alloc(10, 7))}:acceptance:0`;
    await store.notices.create({
      _id: noticeId,
      caseId: noticeId.split(':')[0],
      kind: 'acceptance',
      channel: 'online',
      createdAt: new Date('2026-12-01T02:00:00.000Z'),
    });
    return noticeId;
  }

  it('keeps the first service when a late write of another service or of "undeliverable" arrives', async () => {
    const noticeId = await waitingNotice();
    await activities.recordService({ noticeId, servedAt: '2026-12-02T02:00:00.000Z', method: 'post' });
    await activities.recordService({ noticeId, servedAt: '2026-12-03T02:00:00.000Z', method: 'online' });
    await activities.recordService({ noticeId, undeliverable: true, at: '2026-12-04T02:00:00.000Z' });
    const notice = await store.notices.findById(noticeId).lean();
    expect(notice).toMatchObject({ servedAt: new Date('2026-12-02T02:00:00.000Z'), serviceMethod: 'post' });
    expect(notice?.undeliverable).not.toBe(true);
  });

  it('serves a notice marked undeliverable once it is served after all, and clears the mark', async () => {
    const noticeId = await waitingNotice();
    await activities.recordService({ noticeId, undeliverable: true, at: '2026-12-02T02:00:00.000Z' });
    expect(await store.notices.findById(noticeId).lean()).toMatchObject({ undeliverable: true });
    await activities.recordService({ noticeId, servedAt: '2026-12-05T02:00:00.000Z', method: 'in_person' });
    expect(await store.notices.findById(noticeId).lean()).toMatchObject({
      servedAt: new Date('2026-12-05T02:00:00.000Z'),
      serviceMethod: 'in_person',
      undeliverable: false,
    });
  });
});
