import { decodeMatter, encodeMatter, matterOf, type Matter, type MatterSource } from '../similarity/features';
import { groupMatters, groupOfCase, groupsOfWindow, SAME_MATTER, type MatterGroup } from '../similarity/hotspots';
import { registrationRank } from '../similarity/matter-index';
import { compareMatters, LIKELY_REPEAT, regionRelation } from '../similarity/score';
import { cosine, lengthOf, similarity, termCounts, termVector, unitLength, type TermVector } from '../similarity/text';
import { Sealer } from '../store/sealed';
import { testSecret } from '../harness/shared-servers';
import { otherLetters, siteLetters } from './fixtures/hotspot-letters';
import { generatePetitions, random } from './fixtures/petition-generator';

const sealer = new Sealer(testSecret);

function letter(overrides: Partial<MatterSource> & Pick<MatterSource, 'caseId' | 'content'>): MatterSource {
  return {
    registeredAt: '2026-11-20T02:00:00.000Z',
    regionCode: '330106',
    category: 'environment',
    kind: 'complaint',
    subject: '投诉',
    petitioner: { phone: '13700000000' },
    ...overrides,
  };
}

describe('terms of a petition', () => {
  const text =
    '我叫张建国，身份证号330106198001011234，电话13812345678。文三路与学院路交叉口的万科工地每天晚上施工，' +
    '噪音很大，我家孩子三个月来睡不着，请求有关部门依法查处。';

  it('are segmented words, without names, numbers or boilerplate', () => {
    const { counts, anchors } = termCounts(text);
    const terms = [...counts.keys()];
    expect(terms).toEqual(expect.arrayContaining(['文三路', '学院路', '万科', '工地', '施工', '噪音', '夜间']));
    for (const absent of ['张建国', '建国', '身份证号', '要求', '请求', '有关部门', '依法', '三个月'])
      expect(terms).not.toContain(absent);
    expect(terms.filter((term) => /\d/.test(term))).toEqual([]);
    expect([...anchors]).toEqual(expect.arrayContaining(['文三路', '万科']));
  });

  it('keep words jieba tags as names that are places or institutions', () => {
    const terms = [...termCounts('我妈住在康乐养老院，玉泉花园的暖气不热。').counts.keys()];
    expect(terms).toEqual(expect.arrayContaining(['养老院', '玉泉', '暖气']));
  });

  it('spell variants one way, so a retelling meets the first telling', () => {
    const a = termVector({ request: '拆迁补偿', content: '拆迁款太少，过渡费也停了，回迁房没建好。' }).vector;
    const b = termVector({ request: '征收补偿', content: '征收补偿款偏低，临时安置费停发，安置房没有交付。' }).vector;
    expect([...a.keys()]).toEqual(expect.arrayContaining(['征收', '补偿', '过渡费', '安置房']));
    for (const term of ['征收', '补偿', '过渡费', '安置房']) expect(b.has(term)).toBe(true);
  });

  it('leave no name, phone or ID number, and no word of the letter, in what the index stores', () => {
    const matter = matterOf(
      sealer,
      letter({
        caseId: 'C1',
        subject: '张建国投诉工地噪音',
        content: text,
        petitioner: { idNumber: '330106198001011234', phone: '138-1234-5678' },
        representatives: [{ phone: '13900000000' }],
      }),
    );
    const line = encodeMatter(matter);
    expect(line).not.toMatch(/\p{Script=Han}/u);
    for (const secret of ['330106198001011234', '13812345678', '1234', '5678', '13900000000'])
      expect(line).not.toContain(secret);
    expect(matter.persons).toHaveLength(3);
    expect(decodeMatter(line)).toEqual({
      caseId: 'C1',
      registeredAt: matter.registeredAt,
      regionCode: '330106',
      category: 'environment',
      kind: 'complaint',
      persons: matter.persons,
      words: matter.words,
      terms: expect.any(Map),
      anchors: matter.anchors,
    });
    expect(matter.anchors.size).toBeGreaterThan(0);
  });
});

describe('comparing two cases', () => {
  const site = '文三路学院路口的万科工地每天晚上施工到凌晨，打桩机噪音很大，周边居民无法入睡。';
  const siteRetold = '学院路口万科那个楼盘天天半夜还在打桩，声音震得窗户都响，孩子睡不着觉。';
  const otherSite = '留下街道西溪华府二期工地每天晚上十点以后还在施工，切割钢筋的声音刺耳，周边居民无法入睡。';

  const first = matterOf(sealer, letter({ caseId: 'A', content: site, subject: '夜间施工噪音扰民' }));

  it('finds the same matter told in other words, and names the shared terms', () => {
    const retold = matterOf(
      sealer,
      letter({
        caseId: 'B',
        content: siteRetold,
        subject: '半夜打桩',
        registeredAt: '2026-11-26T02:00:00.000Z',
        petitioner: { phone: '13600000000' },
      }),
    );
    const comparison = compareMatters(retold, first);
    expect(comparison.likelyRepeat).toBe(true);
    expect(comparison.exactRepeat).toBe(false);
    expect(comparison.reasons).toEqual(
      expect.objectContaining({ samePetitioner: false, region: 'same', sameCategory: true, daysApart: 6 }),
    );
    expect(comparison.reasons.sharedTerms).toEqual(expect.arrayContaining(['万科', '学院路', '打桩']));
  });

  it('tells a matter with the same subject line at another site apart', () => {
    const other = matterOf(
      sealer,
      letter({ caseId: 'B', content: otherSite, subject: '夜间施工噪音扰民', petitioner: { phone: '13600000000' } }),
    );
    const comparison = compareMatters(other, first);
    expect(comparison.likelyRepeat).toBe(false);
    expect(comparison.score).toBeLessThan(LIKELY_REPEAT);
  });

  it('marks the same petitioner with the same words as an exact repeat, whatever the spacing', () => {
    const again = matterOf(
      sealer,
      letter({ caseId: 'B', content: ` ${site.replace(/，/g, ', ')} `, subject: '夜间施工噪音扰民' }),
    );
    expect(compareMatters(again, first)).toEqual(
      expect.objectContaining({ exactRepeat: true, likelyRepeat: true, score: 1 }),
    );
  });

  it('lets the same petitioner raise the score only of a letter about the same things', () => {
    const samePerson = (content: string) =>
      compareMatters(matterOf(sealer, letter({ caseId: 'B', content, subject: '反映' })), first);
    const stranger = (content: string) =>
      compareMatters(
        matterOf(sealer, letter({ caseId: 'B', content, subject: '反映', petitioner: { phone: '13500000000' } })),
        first,
      );
    const unrelated = '我在味香园餐厅做服务员，辞职后老板扣了我最后一个月工资三千八百元。';
    expect(samePerson(unrelated).reasons.samePetitioner).toBe(true);
    expect(samePerson(unrelated).likelyRepeat).toBe(false);
    expect(samePerson(siteRetold).score).toBeGreaterThan(stranger(siteRetold).score);
  });

  it('never matches petitioners of an anonymous petition', () => {
    const anonymous = matterOf(sealer, letter({ caseId: 'B', content: siteRetold, anonymous: true }));
    expect(anonymous.persons).toEqual([]);
    expect(compareMatters(anonymous, first).reasons.samePetitioner).toBe(false);
  });

  it('relates regions through their levels', () => {
    expect(regionRelation('330106', '330106')).toBe('same');
    expect(regionRelation('330106', '330100')).toBe('parent');
    expect(regionRelation('330106', '330000')).toBe('parent');
    expect(regionRelation('330100', '330106')).toBe('child');
    expect(regionRelation('330106', '330105')).toBe('same_city');
    expect(regionRelation('330106', '331002')).toBe('same_province');
    expect(regionRelation('330106', '320106')).toBe('other');
  });
});

describe('grouping by matter', () => {
  const from = new Date('2026-11-20T00:00:00.000Z');
  const to = new Date('2026-11-27T00:00:00.000Z');
  /** Letters about one site, other letters and generated ones, interleaved through a week, as decoded from the index. */
  function week(): Matter[] {
    const next = random(7);
    const at = () => new Date(from.getTime() + Math.floor(next() * (to.getTime() - from.getTime())));
    const letters = [
      ...siteLetters(120).map((l, i) => ({
        ...l,
        caseId: `S${i}`,
        kind: 'complaint',
        regionCode: '330106',
        registeredAt: at(),
      })),
      ...otherLetters.map((l, i) => ({
        ...l,
        caseId: `O${i}`,
        kind: 'complaint',
        regionCode: '330106',
        registeredAt: at(),
      })),
      ...generatePetitions(400, { regionCodes: ['330106'], from, to }, 3),
    ];
    return letters.map((l) => decodeMatter(encodeMatter(matterOf(sealer, l))));
  }

  /** The grouping as first written: every group's centroid rebuilt as a unit vector, every group compared. */
  function groupedDirectly(matters: Matter[]) {
    type Group = { members: Matter[]; centroid: TermVector };
    const centroidOf = (members: Matter[]) => {
      const sum = new Map<string, number>();
      for (const m of members) for (const [term, w] of m.terms) sum.set(term, (sum.get(term) ?? 0) + w);
      return unitLength(sum);
    };
    const pass = (items: { members: Matter[]; vector: TermVector }[]): Group[] => {
      const groups: Group[] = [];
      for (const item of items) {
        let best: Group | undefined;
        let bestSimilarity = SAME_MATTER;
        for (const group of groups) {
          const s = cosine(item.vector, group.centroid).similarity;
          if (s > bestSimilarity || (!best && s === bestSimilarity)) [best, bestSimilarity] = [group, s];
        }
        if (!best) groups.push((best = { members: [], centroid: new Map() }));
        best.members.push(...item.members);
        best.centroid = centroidOf(best.members);
      }
      return groups;
    };
    const byRank = (a: Matter, b: Matter) => (registrationRank(a) < registrationRank(b) ? -1 : 1);
    const first = pass([...matters].sort(byRank).map((m) => ({ members: [m], vector: m.terms })));
    return pass(first.map((g) => ({ members: g.members, vector: g.centroid }))).map((g) => {
      const members = [...g.members].sort(byRank);
      const like = (m: Matter) => cosine(m.terms, g.centroid).similarity;
      const representative = members.reduce((best, m) => (like(m) > like(best) ? m : best));
      return {
        leader: members[0]!.caseId,
        members: members.map((m) => m.caseId),
        representative: representative.caseId,
      };
    });
  }

  it('compares a letter with a running sum of terms exactly as with the sum scaled to unit length', () => {
    const matters = week();
    const next = random(11);
    for (let i = 0; i < 500; i++) {
      const sum = new Map<string, number>();
      for (let k = 1 + Math.floor(next() * 40); k > 0; k--)
        for (const [term, w] of matters[Math.floor(next() * matters.length)]!.terms)
          sum.set(term, (sum.get(term) ?? 0) + w);
      const letter = matters[Math.floor(next() * matters.length)]!.terms;
      expect(similarity(letter, sum, lengthOf(sum))).toBe(cosine(letter, unitLength(sum)).similarity);
    }
    expect(similarity(matters[0]!.terms, new Map(), 0)).toBe(0);
  });

  it('forms the same groups, leaders and representatives as the direct grouping', () => {
    const matters = week();
    const direct = groupedDirectly(matters);
    const grouped = groupMatters(matters).map((g) => ({ ...g, members: g.members.map((m) => m.caseId) }));
    expect(grouped).toEqual(direct);
    // The mix makes a real grouping: the site's letters one group, and groups of several generated letters too.
    expect(direct.find((g) => g.members.includes('S0'))?.members.filter((id) => id.startsWith('S'))).toHaveLength(120);
    expect(direct.filter((g) => g.members.length > 1).length).toBeGreaterThan(3);
    expect(direct.length).toBeGreaterThan(10);
  });

  it('gives each case the group it has when grouped afresh, from a first pass kept between checks in any order', () => {
    const matters = week().sort((a, b) => (registrationRank(a) < registrationRank(b) ? -1 : 1));
    const lines = matters.map(encodeMatter);
    const decoded = new Map(lines.map((line, i) => [line, matters[i]!]));
    const decode = (line: string) => decoded.get(line)!;
    const answer = (g: { leader: string; representative: string; members: Matter[] } | undefined) =>
      g && { leader: g.leader, representative: g.representative, members: g.members.map((m) => m.caseId) };
    // Each check groups the window's cases up to its own: cases checked a little out of order (the kept pass takes
    // the later ones back), one far behind the last (more than it can take back), and a window that lost its first
    // case (formed again).
    const checks: [first: number, last: number][] = [];
    for (let last = 200; last < 330; last += 8) checks.push([0, last + 2], [0, last], [0, last + 3], [0, last + 1]);
    for (let last = 340; last < 480; last += 35) checks.push([0, last + 30], [0, last]);
    checks.push([0, 40], [0, 480], [1, 481], [1, 500], [0, 501]);
    const seen = new Set<string>();
    for (const [first, last] of checks) {
      const window = lines.slice(first, last + 1);
      const caseId = matters[last]!.caseId;
      const kept = groupOfCase('330106:week', window, decode, caseId);
      const afresh = groupMatters(matters.slice(first, last + 1)).find((g) =>
        g.members.some((m) => m.caseId === caseId),
      );
      expect(answer(kept)).toEqual(answer(afresh));
      seen.add(kept!.members.length > 1 ? 'joined' : 'alone');
    }
    expect([...seen].sort()).toEqual(['alone', 'joined']);
  });

  /** `count` letters of a few words each, from `words`: many likenesses fall near SAME_MATTER. */
  function fewWords(count: number, words: number, seed: number): Matter[] {
    const next = random(seed);
    return Array.from({ length: count }, (_, i) => {
      const raw = new Map<string, number>();
      for (let k = 2 + Math.floor(next() * 4); k > 0; k--) raw.set(`t${Math.floor(next() * words)}`, 0.2 + next());
      return {
        caseId: `M${String(i).padStart(4, '0')}`,
        registeredAt: new Date(from.getTime() + i * 60_000),
        regionCode: '330106',
        category: 'environment',
        kind: 'complaint',
        persons: [],
        words: `w${i}`,
        terms: unitLength(raw),
        anchors: new Set<string>(),
      };
    });
  }

  const answers = (groups: MatterGroup[]) =>
    groups.map((g) => [g.leader, g.representative, g.members.map((m) => m.caseId)]);

  it('takes a case back out of the kept first pass exactly, among groups near the threshold', () => {
    // A weight left behind by a case taken back would send a later case to another group.
    const matters = fewWords(600, 12, 5);
    const lines = matters.map((m) => m.caseId);
    const byId = new Map(matters.map((m) => [m.caseId, m]));
    for (let last = 20; last < 580; last += 16) {
      // Fifteen cases past this one, then back to it.
      for (const upTo of [last + 15, last]) {
        const caseId = lines[upTo]!;
        const kept = groupOfCase('synthetic', lines.slice(0, upTo + 1), (id) => byId.get(id)!, caseId)!;
        const afresh = groupMatters(matters.slice(0, upTo + 1)).find((g) =>
          g.members.some((m) => m.caseId === caseId),
        )!;
        expect(answers([kept])).toEqual(answers([afresh]));
      }
    }
  });

  it('merges the kept groups again as afresh, when a case changes a group merged long before or a case is taken back', () => {
    // Forty words: groups of a few letters each, many of them merged in the second pass and merged otherwise as
    // their first letters are joined by later ones.
    const matters = fewWords(400, 40, 9);
    const lines = matters.map((m) => m.caseId);
    const byId = new Map(matters.map((m) => [m.caseId, m]));
    const decode = (id: string) => byId.get(id)!;
    let [before, fewer] = [{ upTo: 0, groups: 0 }, 0];
    for (let last = 30; last < 390; last += 3) {
      for (const upTo of [last + 4, last, last + 1, last + 2]) {
        const kept = groupsOfWindow('second pass', lines.slice(0, upTo + 1), decode);
        const afresh = groupMatters(matters.slice(0, upTo + 1));
        expect(answers(kept)).toEqual(answers(afresh));
        // A case added joins a first-pass group or opens one: fewer groups than before it is the second pass
        // merging groups it kept apart at the check before.
        if (upTo === before.upTo + 1 && kept.length < before.groups) fewer += 1;
        before = { upTo, groups: kept.length };
      }
    }
    expect(fewer).toBeGreaterThan(10);
    // Many cases at once, after a pause: more groups changed than a merge compares one by one.
    for (const upTo of [120, 399]) {
      const kept = groupsOfWindow('after a pause', lines.slice(0, upTo + 1), decode);
      expect(answers(kept)).toEqual(answers(groupMatters(matters.slice(0, upTo + 1))));
    }
  });
});
