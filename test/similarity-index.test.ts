/**
 * The similarity index on the test server (FerretDB unless MONGO_URL says otherwise): lists that racing writers
 * append to, cases indexed once whatever the retries, repeat candidates with where they stand, and hotspots.
 */
import { performance } from 'node:perf_hooks';
import { createStore, type CaseDoc, type Store } from '../store/models';
import { Sealer } from '../store/sealed';
import { appendToList, FULL_PAGE_MEMORY_MS, loadLists, readList } from '../similarity/buckets';
import { encodeMatter, matterOf, type MatterSource } from '../similarity/features';
import { checkHotspot, findHotspots } from '../similarity/hotspots';
import { indexCase, monthOf, personListKey, regionListKey, subregionsOf } from '../similarity/matter-index';
import { findRepeatCandidates, rankRepeats, recordSource } from '../similarity/repeats';
import { connectTestStore, testSecret } from '../harness/shared-servers';
import { generatePetitions } from './fixtures/petition-generator';
import { otherLetters, siteLetters } from './fixtures/hotspot-letters';

const sealer = new Sealer(testSecret);
/** The store of the running test: each describe block has a database of its own. */
let store: Store;

function ownStore(): void {
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ store, close } = await connectTestStore());
  });
  afterAll(async () => {
    await close?.();
  });
}

const DAY_MS = 86_400_000;
let serial = 0;
/** A case ID in the shape of the real ones (26 Crockford characters), unique within the run. */
function newId(): string {
  serial += 1;
  return `01KB${String(serial).padStart(22, '0')}`;
}

type LetterFields = Omit<Partial<MatterSource>, 'petitioner'> &
  Pick<MatterSource, 'content'> & { petitioner?: { name: string; phone?: string; idNumber?: string } };

/** A case record as recordCase writes it, and its index entries. */
async function recordCase(
  fields: LetterFields,
  progress: Partial<Pick<CaseDoc, 'stage' | 'overdue'>> = {},
): Promise<string> {
  const caseId = fields.caseId ?? newId();
  const record = {
    regionCode: '330106',
    category: 'environment',
    kind: 'complaint',
    subject: '投诉',
    registeredAt: new Date('2026-11-20T02:00:00.000Z'),
    petitioner: { name: '王五', phone: `137${String(serial).padStart(8, '0')}` },
    ...fields,
  };
  await store.cases.create({
    ...record,
    _id: caseId,
    caseNumber: `XF-${record.regionCode}-${caseId.slice(-6)}`,
    trackingCode: caseId,
    pinHash: 'x',
    profileId: 'zhejiang',
    ...progress,
  });
  await indexCase({ store, sealer }, { ...record, caseId });
  return caseId;
}

describe('an index list', () => {
  ownStore();
  it('takes every entry of racing writers once, and pages them', async () => {
    const key = `test:${newId()}`;
    const lines = Array.from({ length: 18 }, (_, i) => `E${String(i).padStart(2, '0')}\tpayload ${i}`);
    // Every entry twice at once: a retried activity racing its first attempt, among other writers.
    const added = await Promise.all(
      [...lines, ...lines].map((line) => appendToList(store.similarityIndex, key, line, 4)),
    );
    expect(added.filter(Boolean)).toHaveLength(18);
    const read = await readList(store.similarityIndex, key, 4);
    expect([...read].sort()).toEqual(lines);
    expect(await appendToList(store.similarityIndex, key, lines[3]!, 4)).toBe(false);
    expect(await appendToList(store.similarityIndex, key, lines[17]!, 4)).toBe(false);
    expect(await readList(store.similarityIndex, key, 4)).toEqual(read);
    // Full pages were written: reading them takes one find per page, not per entry.
    const pages = await Promise.all([0, 1, 2, 3].map((p) => store.similarityIndex.findById(`${key}@${p}`).lean()));
    expect(pages.map((p) => p?.count)).toEqual([4, 4, 4, 4]);
    for (const [p, page] of pages.entries()) expect(page!.entries!.split('\n')).toEqual(read.slice(p * 4, p * 4 + 4));
  });

  it("a process's own appends to one list wait for each other instead of racing for its slots", async () => {
    const key = `test:${newId()}`;
    const lines = Array.from({ length: 12 }, (_, i) => `S${String(i).padStart(2, '0')}\t.`);
    const inserts = jest.spyOn(store.similarityIndex, 'create');
    try {
      await Promise.all(lines.map((line) => appendToList(store.similarityIndex, key, line, 4, { fresh: true })));
      // Each took the first slot it tried: no insert refused as a duplicate.
      expect(inserts).toHaveBeenCalledTimes(lines.length);
    } finally {
      inserts.mockRestore();
    }
    expect(await readList(store.similarityIndex, key, 4)).toEqual(lines);
  });

  it('brings its page up to date every eighth entry and when it fills, and reads it once an append', async () => {
    const key = `test:${newId()}`;
    const lines = Array.from({ length: 20 }, (_, i) => `W${String(i).padStart(2, '0')}\t.`);
    const pageWrites = jest.spyOn(store.similarityIndex, 'replaceOne');
    const reads = jest.spyOn(store.similarityIndex, 'findById');
    try {
      for (const line of lines) await appendToList(store.similarityIndex, key, line, 12, { fresh: true });
      // Pages of 12: page 0 at its 8th entry and when full, page 1 at its 8th (the 20th line).
      expect(pageWrites.mock.calls.map(([filter]) => (filter as { _id: string })._id)).toEqual([
        `${key}@0`,
        `${key}@0`,
        `${key}@1`,
      ]);
      // One page read per append, and one more for the first append past the full page 0.
      const pageReads = reads.mock.calls.map(([id]) => String(id)).filter((id) => id.includes('@'));
      expect(pageReads).toHaveLength(lines.length + 1);
    } finally {
      pageWrites.mockRestore();
      reads.mockRestore();
    }
    expect(await readList(store.similarityIndex, key, 12)).toEqual(lines);
    expect((await store.similarityIndex.findById(`${key}@1`).lean())?.count).toBe(8);
  });

  it('takes every entry once when two processes race for its slots', async () => {
    const key = `test:${newId()}`;
    // Another process's models: the same collection, none of this process's memory of lists and appends.
    const other = createStore(store.connection.useDb(store.connection.name, { useCache: false }));
    const lines = Array.from({ length: 16 }, (_, i) => `P${String(i).padStart(2, '0')}\t.`);
    const added = await Promise.all(
      [...lines, ...lines].map((line, i) =>
        appendToList((i % 2 ? other : store).similarityIndex, key, line, 4, { fresh: i < lines.length }),
      ),
    );
    expect(added.filter(Boolean)).toHaveLength(16);
    const read = await readList(other.similarityIndex, key, 4);
    expect([...read].sort()).toEqual(lines);
    expect(await readList(store.similarityIndex, key, 4)).toEqual(read);
  });

  it('is read past a page that lags behind its slots, and mended by the next writer', async () => {
    const key = `test:${newId()}`;
    for (const id of ['A', 'B', 'C']) await appendToList(store.similarityIndex, key, `${id}\t.`, 4);
    // A writer that took slot 3 and died before writing its page.
    await store.similarityIndex.create({ _id: `${key}#3`, entry: 'D\t.' });
    expect(await readList(store.similarityIndex, key, 4)).toEqual(['A\t.', 'B\t.', 'C\t.', 'D\t.']);
    await appendToList(store.similarityIndex, key, 'E\t.', 4);
    expect(await readList(store.similarityIndex, key, 4)).toEqual(['A\t.', 'B\t.', 'C\t.', 'D\t.', 'E\t.']);
    expect((await store.similarityIndex.findById(`${key}@0`).lean())?.count).toBe(4);
  });

  /** A list of ten lines in pages of four (0 and 1 full, 2 holding two), and a spy on the pages read from then on. */
  async function tenLinesInPagesOfFour(prefix: string) {
    const key = `test:${newId()}`;
    const lines = Array.from({ length: 10 }, (_, i) => `${prefix}${String(i).padStart(2, '0')}\t.`);
    for (const line of lines) await appendToList(store.similarityIndex, key, line, 4);
    const reads = jest.spyOn(store.similarityIndex, 'findById');
    const pagesRead = () => reads.mock.calls.map(([id]) => String(id)).filter((id) => id.includes('@'));
    return { key, lines, reads, pagesRead };
  }

  it('a fresh append starts at the page last found open; a retried one still finds its entry on the first page', async () => {
    const { key, lines, reads, pagesRead } = await tenLinesInPagesOfFour('F');
    try {
      expect(await appendToList(store.similarityIndex, key, 'F10\t.', 4, { fresh: true })).toBe(true);
      expect(pagesRead()).toEqual([`${key}@2`]);
      reads.mockClear();
      expect(await appendToList(store.similarityIndex, key, lines[1]!, 4)).toBe(false);
      expect(pagesRead()).toEqual([`${key}@0`]);
    } finally {
      reads.mockRestore();
    }
    expect(await readList(store.similarityIndex, key, 4)).toEqual([...lines, 'F10\t.']);
  });

  it('a reader reads a full page once, for ten minutes at most, and the page still open every time', async () => {
    const { key, lines, reads, pagesRead } = await tenLinesInPagesOfFour('R');
    const clock = jest.spyOn(Date, 'now');
    try {
      expect(await readList(store.similarityIndex, key, 4)).toEqual(lines);
      expect(pagesRead()).toEqual([`${key}@0`, `${key}@1`, `${key}@2`]);
      reads.mockClear();
      await appendToList(store.similarityIndex, key, 'R10\t.', 4);
      reads.mockClear();
      expect(await readList(store.similarityIndex, key, 4)).toEqual([...lines, 'R10\t.']);
      expect(pagesRead()).toEqual([`${key}@2`]);
      reads.mockClear();
      const now = Date.now();
      clock.mockImplementation(() => now + FULL_PAGE_MEMORY_MS + 1);
      expect(await readList(store.similarityIndex, key, 4)).toEqual([...lines, 'R10\t.']);
      expect(pagesRead()).toEqual([`${key}@0`, `${key}@1`, `${key}@2`]);
    } finally {
      reads.mockRestore();
      clock.mockRestore();
    }
  });

  it('continues after lists loaded whole', async () => {
    const key = `test:${newId()}`;
    await loadLists(store.similarityIndex, new Map([[key, ['A\t.', 'B\t.']]]));
    await appendToList(store.similarityIndex, key, 'C\t.');
    expect(await readList(store.similarityIndex, key)).toEqual(['A\t.', 'B\t.', 'C\t.']);
  });
});

describe('indexing a case', () => {
  ownStore();
  it('writes its entry to its region and month and to each petitioner digest, once whatever the retries', async () => {
    const source: MatterSource = {
      caseId: newId(),
      registeredAt: '2026-10-31T17:30:00.000Z',
      regionCode: '330108',
      category: 'housing',
      kind: 'complaint',
      subject: '电梯故障',
      content: '金色家园3幢电梯本月坏了四次，老人被困四十分钟，物业不修。',
      petitioner: { idNumber: '330106198001011234', phone: '13812345678' },
    };
    await Promise.all([indexCase({ store, sealer }, source), indexCase({ store, sealer }, source)]);
    await indexCase({ store, sealer }, source);
    const matter = matterOf(sealer, source);
    // 01:30 on 1 November in Asia/Shanghai: the November list.
    expect(monthOf(matter.registeredAt)).toBe('2026-11');
    expect(await readList(store.similarityIndex, regionListKey('330108', '2026-11'))).toEqual([encodeMatter(matter)]);
    for (const person of matter.persons)
      expect(await readList(store.similarityIndex, personListKey(person))).toEqual([encodeMatter(matter)]);
    expect(await subregionsOf(store, '330100')).toContain('330108');
    expect(await subregionsOf(store, '330000')).toContain('330100');
    const stored = await store.similarityIndex.find().lean();
    expect(JSON.stringify(stored)).not.toMatch(/\p{Script=Han}|13812345678|330106198001011234/u);
  });
});

describe('repeat candidates', () => {
  ownStore();
  const wensan =
    '文三路与学院路交叉口的万科工地每天晚上施工到凌晨一两点，打桩机和渣土车的噪音非常大，周边居民无法入睡。';
  const retold = '学院路口万科那个楼盘天天半夜还在打桩，声音震得窗户都响，家里小孩第二天要上学根本睡不着觉。';
  const otherSite =
    '留下街道西溪华府二期工地最近每天晚上十点以后还在施工，切割钢筋的声音特别刺耳，周边小区居民无法入睡。';

  it('ranks earlier cases of the same matter first, says where each stands, and leaves later ones out', async () => {
    const at = (day: number) => new Date(Date.parse('2026-11-01T02:00:00.000Z') + day * DAY_MS);
    const phone = '13911112222';
    const terminated = await recordCase(
      { content: wensan, subject: '万科工地夜间施工', registeredAt: at(0), petitioner: { name: '李四', phone } },
      { stage: 'terminated' },
    );
    const overdue = await recordCase(
      { content: retold, subject: '半夜打桩', registeredAt: at(3), regionCode: '330100' },
      { stage: 'accepted', overdue: true },
    );
    const elsewhere = await recordCase({ content: otherSite, subject: '夜间施工噪音扰民', registeredAt: at(4) });
    const asking = await recordCase({
      content: wensan,
      subject: '万科工地夜间施工',
      registeredAt: at(10),
      petitioner: { name: '李四', phone },
    });
    const later = await recordCase({ content: retold, subject: '半夜打桩', registeredAt: at(11) });

    const found = (await findRepeatCandidates({ store, sealer }, asking))!;
    const ids = found.candidates.map((c) => c.caseId);
    expect(ids.slice(0, 2)).toEqual([terminated, overdue]);
    expect(ids).not.toContain(later);
    expect(ids).not.toContain(asking);
    const [first, second] = found.candidates;
    expect(first).toEqual(
      expect.objectContaining({ exactRepeat: true, likelyRepeat: true, stage: 'terminated', ended: true, open: false }),
    );
    expect(first!.reasons).toEqual(expect.objectContaining({ samePetitioner: true, sameWords: true, daysApart: 10 }));
    expect(second).toEqual(
      expect.objectContaining({
        likelyRepeat: true,
        exactRepeat: false,
        open: true,
        overdue: true,
        regionCode: '330100',
      }),
    );
    expect(second!.reasons.region).toBe('parent');
    expect(found.candidates.find((c) => c.caseId === elsewhere)?.likelyRepeat ?? false).toBe(false);
    expect(found.searched.regionCodes).toEqual(['330106', '330100', '330000']);
    expect(JSON.stringify(found)).not.toMatch(/李四|13911112222/);
    expect(await findRepeatCandidates({ store, sealer }, newId())).toBeUndefined();
  });
});

describe('repeat candidates among thousands of cases', () => {
  ownStore();
  // A matter none of the generated cases is about.
  const transferStation =
    '城西垃圾中转站每天清晨四点开始压缩作业，臭味飘进紫金花园小区，夏天苍蝇成群，请求搬迁中转站或加装除臭设备。';
  const retold = '紫金花园北门那个垃圾中转站天天清晨就开始压缩作业，臭味熏得居民开不了窗，苍蝇成群，希望把中转站搬走。';

  it('finds the planted repeat, faster than scoring every record', async () => {
    const regionCodes = ['330102', '330105', '330106', '330108', '330109', '330110', '330100', '330000'];
    const from = new Date('2025-12-01T00:00:00.000Z');
    const to = new Date('2026-11-30T00:00:00.000Z');
    const petitions = generatePetitions(3000, { regionCodes, from, to }, 7, `01KC`);
    const lists = new Map<string, string[]>();
    for (const petition of petitions) {
      const key = regionListKey(petition.regionCode, monthOf(petition.registeredAt));
      (lists.get(key) ?? lists.set(key, []).get(key)!).push(encodeMatter(matterOf(sealer, petition)));
    }
    for (let i = 0; i < petitions.length; i += 500)
      await store.cases.insertMany(
        petitions.slice(i, i + 500).map((p) => ({
          ...p,
          _id: p.caseId,
          caseNumber: p.caseId,
          trackingCode: p.caseId,
          pinHash: 'x',
        })),
      );
    await loadLists(store.similarityIndex, lists);
    const original = await recordCase({
      content: transferStation,
      subject: '垃圾中转站臭味扰民',
      registeredAt: new Date('2026-06-01'),
    });
    const asking = await recordCase({ content: retold, subject: '垃圾站太臭', registeredAt: new Date('2026-11-29') });

    const started = performance.now();
    const found = (await findRepeatCandidates({ store, sealer }, asking))!;
    const indexed = performance.now() - started;
    expect(found.candidates[0]).toEqual(expect.objectContaining({ caseId: original, likelyRepeat: true }));
    expect(found.searched.cases).toBeGreaterThan(1000);

    // The baseline: every record read and scored, no index.
    const baselineStarted = performance.now();
    const records = await store.cases.find().lean<CaseDoc[]>();
    const askingMatter = matterOf(sealer, recordSource(records.find((r) => r._id === asking)!));
    const matters = records.map((r) => matterOf(sealer, recordSource(r)));
    const baselineTop = rankRepeats(askingMatter, matters, 1)[0];
    const baseline = performance.now() - baselineStarted;
    expect(baselineTop?.caseId).toBe(original);
    console.info(
      `ranking among ${records.length} stored cases: index ${indexed.toFixed(0)} ms (${found.searched.cases} read), ` +
        `full scan ${baseline.toFixed(0)} ms: ${(baseline / indexed).toFixed(1)}× faster`,
    );
  });
});

describe('hotspots', () => {
  ownStore();
  it('finds exactly the burst of letters about one site among the week’s other letters', async () => {
    const now = new Date('2026-11-27T04:00:00.000Z');
    const hour = (h: number) => new Date(now.getTime() - h * 3_600_000);
    const site = siteLetters(40);
    const expected: string[] = [];
    // Interleaved through the week, as they arrive: 31 open letters about the site in 330106 …
    for (let i = 0; i < 31; i++) {
      expected.push(await recordCase({ ...site[i]!, regionCode: '330106', registeredAt: hour(160 - i * 5) }));
      if (i < otherLetters.length)
        await recordCase({ ...otherLetters[i]!, regionCode: '330106', registeredAt: hour(158 - i * 5) });
    }
    // … and about the same site: two already merged, two from before the window, two in another district.
    await recordCase({ ...site[31]!, regionCode: '330106', registeredAt: hour(100) }, { stage: 'merged' });
    await recordCase({ ...site[32]!, regionCode: '330106', registeredAt: hour(90) }, { stage: 'withdrawn' });
    await recordCase({ ...site[33]!, regionCode: '330106', registeredAt: hour(24 * 25) });
    await recordCase({ ...site[34]!, regionCode: '330106', registeredAt: hour(24 * 20) });
    await recordCase({ ...site[35]!, regionCode: '330105', registeredAt: hour(20) });
    await recordCase({ ...site[36]!, regionCode: '330105', registeredAt: hour(30) });

    const hotspots = await findHotspots({ store, sealer }, { regionPrefix: '330106', windowDays: 7, minCases: 5, now });
    expect(hotspots).toHaveLength(1);
    expect([...hotspots[0]!.caseIds].sort()).toEqual([...expected].sort());
    expect(hotspots[0]).toEqual(
      expect.objectContaining({ count: 31, regionCode: '330106', regionCodes: ['330106'], category: 'environment' }),
    );
    expect(hotspots[0]!.subject).toMatch(/万科|文三路|学院路|工地/);
    // Through the city's prefix the other district's two letters join the group.
    const city = await findHotspots({ store, sealer }, { regionPrefix: '3301', windowDays: 7, minCases: 5, now });
    expect(city.map((h) => h.count)).toEqual([33]);

    // After registration: the group crossed the profile's threshold (5) with its fifth open letter in the window.
    const checks = await Promise.all(expected.slice(0, 7).map((caseId) => checkHotspot({ store, sealer }, caseId)));
    expect(checks.map((c) => c?.crossed)).toEqual([false, false, false, false, true, false, false]);
    expect(checks.map((c) => c?.reached)).toEqual([false, false, false, false, true, true, true]);
    expect(new Set(checks.map((c) => c?.alertKey)).size).toBe(1);
    expect(checks[4]!.threshold).toEqual(expect.objectContaining({ minCases: 5, windowDays: 7 }));
    // The group that crossed is reported whole; past the threshold, open cases are counted only until it is certain.
    expect(checks[4]!.group).toEqual(expect.objectContaining({ count: 5, caseIds: expected.slice(0, 5) }));
    expect(checks[6]!.group).toBeUndefined();
  });

  it('counts from the start of the hour the window began in, the same for every check within the hour', async () => {
    // The fifth letter about the site at 04:30; the first at 04:10 seven days before, 7 days 20 minutes earlier.
    const fifthAt = Date.parse('2026-11-27T04:30:00.000Z');
    const site = siteLetters(5);
    const at = [
      fifthAt - 7 * DAY_MS - 20 * 60_000,
      fifthAt - 3 * DAY_MS,
      fifthAt - 2 * DAY_MS,
      fifthAt - DAY_MS,
      fifthAt,
    ];
    const ids: string[] = [];
    for (const [i, letter] of site.entries())
      ids.push(await recordCase({ ...letter, regionCode: '330107', registeredAt: new Date(at[i]!) }));
    const check = await checkHotspot({ store, sealer }, ids[4]!);
    expect(check).toEqual(expect.objectContaining({ reached: true, crossed: true }));
    expect(check!.group!.caseIds).toEqual(ids);
  });
});
