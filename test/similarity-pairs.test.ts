/**
 * Precision and recall of LIKELY_REPEAT on labelled pairs of petitions: the same matter in other words, the same or a
 * similar subject line about another matter, and unrelated matters. Each pair is compared as the office's search
 * compares two cases: the later one asking, different petitioners, the regions, categories and days apart given.
 */
import { matterOf } from '../similarity/features';
import { compareMatters, LIKELY_REPEAT } from '../similarity/score';
import { Sealer } from '../store/sealed';
import { testSecret } from '../harness/shared-servers';
import tuning from './fixtures/repeat-pairs.json';
import heldOut from './fixtures/repeat-pairs-held-out.json';

interface Side {
  subject: string;
  content: string;
  category: string;
  regionCode: string;
}
interface Pair {
  id: string;
  kind: string;
  label: string;
  daysApart: number;
  a: Side;
  b: Side;
}

const sealer = new Sealer(testSecret);
const DAY_MS = 86_400_000;
const START = Date.parse('2026-03-02T01:00:00.000Z');

function score(pair: Pair): number {
  const earlier = matterOf(sealer, {
    ...pair.a,
    caseId: `${pair.id}-a`,
    kind: 'complaint',
    registeredAt: new Date(START),
    petitioner: { phone: '13700000001' },
  });
  const later = matterOf(sealer, {
    ...pair.b,
    caseId: `${pair.id}-b`,
    kind: 'complaint',
    registeredAt: new Date(START + pair.daysApart * DAY_MS),
    petitioner: { phone: '13700000002' },
  });
  return compareMatters(later, earlier).score;
}

function measure(pairs: Pair[]) {
  const scored = pairs.map((pair) => ({ ...pair, score: score(pair), same: pair.label === 'same' }));
  const flagged = scored.filter((p) => p.score >= LIKELY_REPEAT);
  const truePositives = flagged.filter((p) => p.same).length;
  const positives = scored.filter((p) => p.same).length;
  return {
    pairs: scored.length,
    positives,
    precision: truePositives / flagged.length,
    recall: truePositives / positives,
    missed: scored.filter((p) => p.same && p.score < LIKELY_REPEAT).map((p) => `${p.id} ${p.score}`),
    wronglyFlagged: flagged.filter((p) => !p.same).map((p) => `${p.id} ${p.score}`),
    byKind: Object.fromEntries(
      ['reworded', 'same-subject', 'unrelated'].map((kind) => {
        const ofKind = scored.filter((p) => p.kind === kind);
        return [kind, `${ofKind.filter((p) => p.score >= LIKELY_REPEAT).length}/${ofKind.length} flagged`];
      }),
    ),
  };
}

describe('the likely-repeat threshold on labelled petitions', () => {
  it('holds at least 60 labelled pairs, each kind well represented', () => {
    const pairs = tuning.pairs as Pair[];
    expect(pairs.length).toBeGreaterThanOrEqual(60);
    expect(new Set(pairs.map((p) => p.id)).size).toBe(pairs.length);
    for (const kind of ['reworded', 'same-subject', 'unrelated'])
      expect(pairs.filter((p) => p.kind === kind).length).toBeGreaterThanOrEqual(10);
    for (const p of [...pairs, ...(heldOut.pairs as Pair[])])
      expect({ id: p.id, label: p.label }).toEqual({ id: p.id, label: p.kind === 'reworded' ? 'same' : 'different' });
  });

  // Floors a few points under the measured figures (0.94 / 0.91 on the tuning set, 0.90 / 0.90 held out): a change
  // to the thesaurus or weights that loses two pairs more fails. Recall matters more than precision here: a repeat
  // the office is not shown becomes a second case on one matter, a wrong candidate costs a glance.
  it('flags the same matter told in other words, and few others, on the set it was tuned on', () => {
    const result = measure(tuning.pairs);
    console.info(`repeat-pairs.json at ${LIKELY_REPEAT}: ${JSON.stringify(result, null, 1)}`);
    expect(result.recall).toBeGreaterThanOrEqual(0.85);
    expect(result.precision).toBeGreaterThanOrEqual(0.85);
  });

  it('does about as well on pairs written after it was tuned', () => {
    const result = measure(heldOut.pairs);
    console.info(`repeat-pairs-held-out.json at ${LIKELY_REPEAT}: ${JSON.stringify(result, null, 1)}`);
    expect(result.recall).toBeGreaterThanOrEqual(0.8);
    expect(result.precision).toBeGreaterThanOrEqual(0.8);
  });

  it('never flags unrelated matters', () => {
    const unrelated = [...tuning.pairs, ...heldOut.pairs].filter((p) => p.kind === 'unrelated') as Pair[];
    expect(unrelated.filter((p) => score(p) >= LIKELY_REPEAT).map((p) => p.id)).toEqual([]);
  });
});
