/**
 * Hotspots (矛盾纠纷排查): open cases about one matter piling up in a region within days, seen before they become a
 * group petition. Cases are grouped by the same text similarity as repeats, each joining the group whose combined
 * terms it is most like, in the order they were registered.
 */
import { profileById, type HotspotRule } from '../domain/profiles';
import { END_STAGES, type Stage } from '../domain/types';
import type { CaseDoc } from '../store/models';
import { entryId } from './buckets';
import { entryRegisteredAt, type Matter } from './features';
import {
  decodeRemembered,
  distinct,
  entriesInRegions,
  mattersInRegions,
  subregionsOf,
  type SimilarityDeps,
} from './matter-index';
import { LIKELY_REPEAT } from './score';
import { lengthOf, MAX_TERM_SHARE, similarity, unitLength, type TermVector } from './text';

/** A case joins a group when its terms are this like the group's combined terms: the repeat threshold. */
export const SAME_MATTER = LIKELY_REPEAT;

export interface MatterGroup {
  /** The first case of the group: it names the group while the group lasts. */
  leader: string;
  members: Matter[];
  /** The member most like the whole group, to show for it. */
  representative: string;
}

interface Forming {
  members: Matter[];
  /** The members' terms summed, and its length: the centroid is `sum` scaled to unit length. */
  sum: Map<string, number>;
  length: number;
  /** The centroid, once asked for, until the group changes. */
  centroid?: TermVector;
  /** `members` and `sum` are another group's, taken over when this one began with that group alone (`mergeInto`). */
  borrowed?: boolean;
}

function newGroup(): Forming {
  return { members: [], sum: new Map(), length: 0 };
}

function absorb(group: Forming, members: Matter[]): void {
  group.centroid = undefined;
  for (const matter of members) {
    group.members.push(matter);
    for (const [term, weight] of matter.terms) group.sum.set(term, (group.sum.get(term) ?? 0) + weight);
  }
  group.length = lengthOf(group.sum);
}

/** The group's vector when groups are merged. */
const centroidOf = (group: Forming): TermVector => (group.centroid ??= unitLength(group.sum));

/**
 * Merges a first-pass group into a merged one. A merged group that begins with one group alone has that group's
 * members and sum exactly (the same terms added in the same order), so it takes them over, and copies them only
 * when a second group joins: most groups merge with none, and are not summed again at every check.
 */
function mergeInto(group: Forming, from: Forming): void {
  if (group.members.length === 0) {
    Object.assign(group, { members: from.members, sum: from.sum, length: from.length, borrowed: true });
    return;
  }
  if (group.borrowed) Object.assign(group, { members: [...group.members], sum: new Map(group.sum), borrowed: false });
  absorb(group, from.members);
}

/** How like a group's centroid a vector is: `cosine` against the centroid, computed from the running sum. */
const likenessTo = (group: Forming, vector: TermVector) => similarity(vector, group.sum, group.length);

/** More than two sums of a letter's parts can differ by when added in another order. */
const ROUNDING = 1e-9;

/**
 * The groups holding a term, each with its weight of the term in the group's running sum, kept in step as groups take
 * members: walking a term's groups reads arrays, not each group's map of terms.
 */
interface Holders {
  groups: number[];
  weights: number[];
}

const NO_HOLDERS: Holders = { groups: [], weights: [] };

/**
 * One pass putting items in groups (`leaderPass`): the groups so far, which groups hold each term, and the scratch
 * space for an item's estimates, reused from item to item.
 */
class Pass {
  readonly groups: Forming[] = [];
  private readonly holding = new Map<string, Holders>();
  /** Per group: its length, and where it sits in each of its terms' holders. */
  private readonly lengths: number[] = [];
  private readonly slots: Map<string, number>[] = [];
  /** Per group, the item's estimated likeness, and the item that last wrote it (so no clearing between items). */
  private estimates = new Float64Array(64);
  private stamps = new Uint32Array(64);
  private stamp = 0;

  /**
   * The groups sharing a term with the item, whose estimated likeness to it `estimate` then reads: no array per group
   * met, since a merge meets thousands of groups at every check.
   */
  estimatesFor(vector: TermVector): number[] {
    this.stamp += 1;
    const { estimates, stamps, stamp, lengths } = this;
    // Read once: under the loader of `tsx` an imported constant is a getter, read here for every group of every term.
    const cap = MAX_TERM_SHARE;
    const met: number[] = [];
    for (const [term, weight] of vector) {
      const { groups, weights } = this.holding.get(term) ?? NO_HOLDERS;
      for (let i = 0; i < groups.length; i++) {
        const g = groups[i]!;
        const part = Math.min(weight * (weights[i]! / lengths[g]!), cap);
        if (stamps[g] === stamp) {
          estimates[g]! += part;
        } else {
          stamps[g] = stamp;
          estimates[g] = part;
          met.push(g);
        }
      }
    }
    return met;
  }

  /** The item's estimated likeness to group `g`, one of those `estimatesFor` returned for it. */
  estimate(g: number): number {
    return this.estimates[g]!;
  }

  /** Of the groups `estimatesFor` met, those the item may be like at SAME_MATTER: the others are less, by more than rounding. */
  reaching(met: number[]): number[] {
    return met.filter((g) => !(this.estimates[g]! < SAME_MATTER - ROUNDING));
  }

  /** Puts the item's terms into group `g` (`join` has added them to its sum). */
  joined(g: number, vector: TermVector): void {
    const group = this.groups[g]!;
    const slots = this.slots[g]!;
    this.lengths[g] = group.length;
    for (const term of vector.keys()) {
      const holders = this.holding.get(term) ?? this.holding.set(term, { groups: [], weights: [] }).get(term)!;
      let slot = slots.get(term);
      if (slot === undefined) slots.set(term, (slot = holders.groups.push(g) - 1));
      holders.weights[slot] = group.sum.get(term)!;
    }
  }

  /**
   * Takes back the last item put into group `g` (`joined`), a case and so the group's last member: `weights` are the
   * group's weights of its terms before it joined (undefined for a term the group did not hold), `length` the group's
   * length then, and `opened` whether it opened the group. Items are taken back last first, so each term the item brought is the last
   * one in its holders and in the group's sum, and everything is as it was, to the bit.
   */
  unjoined(g: number, weights: (number | undefined)[], length: number, opened: boolean): void {
    const group = this.groups[g]!;
    const slots = this.slots[g]!;
    group.centroid = undefined;
    let i = 0;
    for (const term of group.members.pop()!.terms.keys()) {
      const weight = weights[i++];
      const holders = this.holding.get(term)!;
      if (weight === undefined) {
        group.sum.delete(term);
        slots.delete(term);
        holders.groups.pop();
        holders.weights.pop();
      } else {
        group.sum.set(term, weight);
        holders.weights[slots.get(term)!] = weight;
      }
    }
    group.length = length;
    this.lengths[g] = length;
    if (opened) {
      this.groups.pop();
      this.slots.pop();
      this.lengths.pop();
    }
  }

  newGroup(): number {
    const g = this.groups.push(newGroup()) - 1;
    this.slots.push(new Map());
    this.lengths.push(0);
    if (g >= this.estimates.length) {
      const [estimates, stamps] = [new Float64Array(2 * g), new Uint32Array(2 * g)];
      estimates.set(this.estimates);
      stamps.set(this.stamps);
      [this.estimates, this.stamps] = [estimates, stamps];
    }
    return g;
  }
}

/**
 * The group an item joins: of the groups it is like at `SAME_MATTER` or more, the one it is most like, the
 * first-formed of equals; -1 when none. Its likeness to the groups it could reach is first estimated from the groups'
 * side (`Pass.estimatesFor`: the same parts, summed in another order, so off by rounding at most). When one group
 * leads the others and the threshold by more than rounding, that is the one; otherwise the groups that may reach the
 * threshold are compared exactly, as `cosine` would.
 */
function bestGroup(pass: Pass, vector: TermVector): number {
  const met = pass.estimatesFor(vector);
  let [lead, leading, runnerUp] = [-1, -Infinity, -Infinity];
  for (const g of met) {
    // Capped as the exact likeness is, so two groups both at 1 go to the exact comparison, where the first wins.
    const capped = Math.min(1, pass.estimate(g));
    if (capped > leading) [lead, leading, runnerUp] = [g, capped, leading];
    else if (capped > runnerUp) runnerUp = capped;
  }
  if (leading >= SAME_MATTER + ROUNDING && leading - runnerUp > 2 * ROUNDING) return lead;
  let best = -1;
  let bestSimilarity = SAME_MATTER;
  const near = pass.reaching(met);
  for (const g of near.sort((a, b) => a - b)) {
    const likeness = likenessTo(pass.groups[g]!, vector);
    if (likeness > bestSimilarity || (best < 0 && likeness === bestSimilarity)) [best, bestSimilarity] = [g, likeness];
  }
  return best;
}

/** How many items a kept first pass can take back (`FirstPass.takeBack`): checks running at once finish out of order. */
const TAKE_BACK_DEPTH = 256;

interface Taken {
  g: number;
  weights: (number | undefined)[];
  length: number;
  opened: boolean;
}

/**
 * The first pass of the grouping: cases in registration order, each joining the group it is most like. A case joins
 * without changing what came before it, so the pass over a window's cases so far is the pass over the cases before
 * them with these added: the hotspot check keeps it from one registration to the next (`keptGrouping`). The last
 * `TAKE_BACK_DEPTH` cases can be taken back, for a check whose case came before the last ones added.
 */
class FirstPass {
  private readonly pass = new Pass();
  /** The entries added, in order, as the index stores them. */
  readonly lines: string[] = [];
  private readonly taken: Taken[] = [];
  /** The last merge of these groups (`mergeGroups`, `mergedAgain`), and the groups that have taken or lost a case since. */
  lastMerge?: Merge;
  readonly changed = new Set<number>();

  get groups(): Forming[] {
    return this.pass.groups;
  }

  add(matter: Matter, line = ''): void {
    const vector = matter.terms;
    let g = bestGroup(this.pass, vector);
    const opened = g < 0;
    if (opened) g = this.pass.newGroup();
    const group = this.pass.groups[g]!;
    const weights = [...vector.keys()].map((term) => group.sum.get(term));
    this.taken.push({ g, weights, length: group.length, opened });
    if (this.taken.length > TAKE_BACK_DEPTH) this.taken.shift();
    absorb(group, [matter]);
    this.pass.joined(g, vector);
    this.changed.add(g);
    this.lines.push(line);
  }

  /**
   * The groups a vector may be like at SAME_MATTER or more, by their estimates (`Pass.estimatesFor`): every other
   * group is less like it, by more than rounding.
   */
  mayReach(vector: TermVector): number[] {
    return this.pass.reaching(this.pass.estimatesFor(vector));
  }

  /** Takes back the last case added; false when it is further back than the pass can take. */
  takeBack(): boolean {
    const last = this.taken.pop();
    if (!last) return false;
    this.pass.unjoined(last.g, last.weights, last.length, last.opened);
    this.changed.add(last.g);
    this.lines.pop();
    return true;
  }
}

/** Registration order (`registrationRank`) of two cases by instant and ID, without building the rank's string. */
const rankOrder = (aAt: number, aId: string, bAt: number, bId: string): number =>
  aAt - bAt || (aId < bId ? -1 : aId > bId ? 1 : 0);

const byRank = (a: Matter, b: Matter) =>
  rankOrder(a.registeredAt.getTime(), a.caseId, b.registeredAt.getTime(), b.caseId);

/** A merged group: its running sum, its members in registration order, and the first-pass groups it took, in order. */
interface MergedGroup {
  group: Forming;
  members: Matter[];
  parts: number[];
}

/**
 * A merge of a first pass's groups: for each first-pass group the first-pass group that opened its merged group
 * (`into`), and the merged groups by that opener, in the order they formed.
 */
interface Merge {
  into: number[];
  groups: Map<number, MergedGroup>;
}

/** A merged group's members in registration order: a borrowed group's are one first-pass group's, already so. */
const inRegistrationOrder = (group: Forming): Matter[] =>
  group.borrowed ? group.members : [...group.members].sort(byRank);

/**
 * The second pass of the grouping: the first pass's groups merged the same way, in the order they formed, each into
 * the merged group it is most like (`bestGroup`), so two halves of one matter that formed apart (their first
 * letters worded unlike each other) end as one group.
 */
function mergeGroups(first: Forming[]): Merge {
  const pass = new Pass();
  const into: number[] = [];
  const parts: number[][] = [];
  for (let j = 0; j < first.length; j++) {
    const vector = centroidOf(first[j]!);
    let g = bestGroup(pass, vector);
    if (g < 0) {
      g = pass.newGroup();
      parts.push([]);
    }
    mergeInto(pass.groups[g]!, first[j]!);
    pass.joined(g, vector);
    parts[g]!.push(j);
    into.push(parts[g]![0]!);
  }
  const groups = new Map<number, MergedGroup>();
  pass.groups.forEach((group, g) =>
    groups.set(parts[g]![0]!, { group, members: inRegistrationOrder(group), parts: parts[g]! }),
  );
  return { into, groups };
}

/**
 * A merge redone from the last one (`mergedAgain`) compares a changed group with the merged groups one by one at
 * most this many times, and compares a group with at most this many merged groups that differ from then; past
 * either, the groups are merged afresh.
 */
const MAX_ONE_BY_ONE = 32;
const MAX_DIFFERING = 64;

/**
 * The likeliest merged group for first-pass group `j`, offered one by one: the one most like it at SAME_MATTER or
 * more, the first-formed (the lowest opener) of equals, as `bestGroup` finds it; `j` while none is.
 */
class Likeliest {
  best: number;
  private likeness = SAME_MATTER;

  constructor(
    j: number,
    private readonly vector: TermVector,
  ) {
    this.best = j;
  }

  offer(opener: number, group: Forming): void {
    const likeness = likenessTo(group, this.vector);
    // Every opener offered formed before `j`.
    if (likeness > this.likeness || (likeness === this.likeness && opener < this.best))
      [this.best, this.likeness] = [opener, likeness];
  }
}

/**
 * The first pass's groups merged again (`mergeGroups`), from their `last` merge and the groups `changed` since: the
 * same merge, with less done. At each first-pass group `j`, the merged groups that are not as they were at this point
 * of the last merge (or no longer exist) are the `differing` ones. When `j`'s terms are as they were and so is the
 * merged group it went to, that group is still the most like `j` of those that are as they were (or none of them
 * reaches SAME_MATTER, when `j` opened its own): only a differing one can take its place, so `j` is compared with
 * those alone, and only with those whose reach, estimated from their side, holds `j`. A changed group is compared
 * one by one with every merged group that has taken two first-pass groups or more so far, and with those of one group
 * that the first pass's estimates say it may reach (such a merged group's sum is its one group's). A merged group is
 * summed only when it is compared or differs; one that is as it was is the last merge's. Undefined when more changed
 * than `MAX_ONE_BY_ONE` and `MAX_DIFFERING` allow: then merge afresh.
 */
function mergedAgain(kept: FirstPass, last: Merge, changed: Set<number>): Merge | undefined {
  const first = kept.groups;
  const into: number[] = [];
  /** The first-pass groups each merged group has taken so far, by opener, and the sums built from them. */
  const parts = new Map<number, number[]>();
  /** The merged groups of two first-pass groups or more so far. */
  const joined = new Set<number>();
  const built = new Map<number, { group: Forming; parts: number }>();
  const differing = new Set<number>();
  let oneByOne = MAX_ONE_BY_ONE;
  /** Merged group `opener` as it is with the parts it has taken so far. */
  const sumSoFar = (opener: number): Forming => {
    const taken = parts.get(opener)!;
    const before = last.groups.get(opener);
    if (!differing.has(opener) && before?.parts.length === taken.length) return before.group;
    const sum = built.get(opener) ?? built.set(opener, { group: newGroup(), parts: 0 }).get(opener)!;
    for (; sum.parts < taken.length; sum.parts++) mergeInto(sum.group, first[taken[sum.parts]!]!);
    return sum.group;
  };
  /**
   * The first-pass groups that may be like merged group `opener` as it is so far, by the first pass's estimates from
   * the merged group's side (likeness is symmetric), found again when it has taken another group.
   */
  const reach = new Map<number, { parts: number; groups: Set<number> }>();
  const mayReachSoFar = (opener: number): Set<number> => {
    const taken = parts.get(opener)!.length;
    let known = reach.get(opener);
    if (known?.parts !== taken) {
      known = { parts: taken, groups: new Set(kept.mayReach(unitLength(sumSoFar(opener).sum))) };
      reach.set(opener, known);
    }
    return known.groups;
  };
  for (let j = 0; j < first.length; j++) {
    const previous = last.into[j];
    const same = previous !== undefined && !changed.has(j);
    let opener: number;
    if (same && !differing.has(previous) && differing.size <= MAX_DIFFERING) {
      const likeliest = new Likeliest(j, centroidOf(first[j]!));
      for (const o of differing) if (parts.has(o) && mayReachSoFar(o).has(j)) likeliest.offer(o, sumSoFar(o));
      if (likeliest.best !== j && previous !== j) likeliest.offer(previous, sumSoFar(previous));
      opener = likeliest.best === j ? previous : likeliest.best;
    } else if (oneByOne-- > 0) {
      const vector = centroidOf(first[j]!);
      const likeliest = new Likeliest(j, vector);
      // A merged group of one first-pass group so far has that group's sum: it is compared only if the first pass's
      // estimates say it may reach the threshold.
      for (const g of kept.mayReach(vector)) if (parts.get(g)?.length === 1) likeliest.offer(g, sumSoFar(g));
      for (const o of joined) likeliest.offer(o, sumSoFar(o));
      opener = likeliest.best;
    } else {
      return undefined;
    }
    if (opener === j) parts.set(j, [j]);
    else if (parts.get(opener)!.push(j) === 2) joined.add(opener);
    into.push(opener);
    if (!same || opener !== previous) {
      differing.add(opener);
      if (previous !== undefined) differing.add(previous);
    }
  }
  // Groups the first pass no longer has (cases taken back) leave their merged groups.
  for (let gone = first.length; gone < last.into.length; gone++) differing.add(last.into[gone]!);
  const groups = new Map<number, MergedGroup>();
  for (const [opener, taken] of parts) {
    const before = last.groups.get(opener);
    if (before && !differing.has(opener)) groups.set(opener, before);
    else {
      const group = sumSoFar(opener);
      groups.set(opener, { group, members: inRegistrationOrder(group), parts: taken });
    }
  }
  return { into, groups };
}

/** The member most like the whole group, the first registered of equals. */
function mostLikeGroup(group: Forming, members: Matter[]): string {
  let representative = members[0]!;
  let mostLike = likenessTo(group, representative.terms);
  for (const m of members.slice(1)) {
    const likeness = likenessTo(group, m.terms);
    if (likeness > mostLike) [representative, mostLike] = [m, likeness];
  }
  return representative.caseId;
}

/**
 * Groups cases by matter (pure). In registration order each case joins the group it is most like; then groups are
 * merged the same way (`mergeGroups`). A group's representative is found when first asked for.
 */
export function groupMatters(matters: Matter[]): MatterGroup[] {
  const first = new FirstPass();
  for (const matter of [...matters].sort(byRank)) first.add(matter);
  return [...mergeGroups(first.groups).groups.values()].map(({ group, members }) => {
    let representative: string | undefined;
    return {
      leader: members[0]!.caseId,
      members,
      get representative() {
        return (representative ??= mostLikeGroup(group, members));
      },
    };
  });
}

/**
 * How many cases the first passes a process keeps (`keptGrouping`) may hold in all, the least recently used pass
 * going first: about 6 kB a case with its decoded entry and its share of the last merge, so 300 MB, a busy
 * district's two weeks or a city's quiet ones.
 */
const KEPT_CASES = 50_000;
const keptPasses = new Map<string, FirstPass>();

function keep(key: string, first: FirstPass): void {
  keptPasses.set(key, first);
  let held = 0;
  for (const pass of keptPasses.values()) held += pass.lines.length;
  for (const [oldest, pass] of keptPasses) {
    if (held <= KEPT_CASES || oldest === key) break;
    keptPasses.delete(oldest);
    held -= pass.lines.length;
  }
}

/**
 * A window's entries (`lines`, in registration order, each case once) grouped as `groupMatters` groups the decoded
 * entries. The first pass under `key` (a region and the window's start) is kept: when the entries it has added begin
 * these, only the rest are decoded and added; when it has added a few more than these begin with, those are taken
 * back first. Anything else (an entry indexed late, before others already added) forms it again. Its groups are then
 * merged again from its last merge (`mergedAgain`). What is kept is only a shortcut: the groups are the same as
 * grouping the entries afresh. They change with the next call under `key`: copy what is kept of them.
 */
function keptGrouping(
  key: string,
  lines: string[],
  decode: (line: string) => Matter,
): { group: Forming; members: Matter[] }[] {
  let first = keptPasses.get(key);
  keptPasses.delete(key);
  if (first) {
    let same = 0;
    const shorter = Math.min(first.lines.length, lines.length);
    while (same < shorter && first.lines[same] === lines[same]) same++;
    while (first.lines.length > same && first.takeBack());
    if (first.lines.length > same) first = undefined;
  }
  first ??= new FirstPass();
  for (const line of lines.slice(first.lines.length)) first.add(decode(line), line);
  keep(key, first);
  const merge = (first.lastMerge && mergedAgain(first, first.lastMerge, first.changed)) ?? mergeGroups(first.groups);
  first.lastMerge = merge;
  first.changed.clear();
  return [...merge.groups.values()];
}

const copied = ({ group, members }: { group: Forming; members: Matter[] }): MatterGroup => ({
  leader: members[0]!.caseId,
  members: [...members],
  representative: mostLikeGroup(group, members),
});

/** A window's groups, from the grouping kept under `key` (`keptGrouping`). */
export function groupsOfWindow(key: string, lines: string[], decode: (line: string) => Matter): MatterGroup[] {
  return keptGrouping(key, lines, decode).map(copied);
}

/** The group of case `caseId` among a window's entries, from the grouping kept under `key` (`keptGrouping`). */
export function groupOfCase(
  key: string,
  lines: string[],
  decode: (line: string) => Matter,
  caseId: string,
): MatterGroup | undefined {
  const mine = keptGrouping(key, lines, decode).find(({ members }) => members.some((m) => m.caseId === caseId));
  return mine && copied(mine);
}

/**
 * A group of open cases about one matter: codes, case IDs, counts and dates only, so a workflow may keep it (the
 * representative's subject line is the API's to add).
 */
export interface HotspotGroup {
  /** Open cases in the group. */
  count: number;
  /** The region most of its cases are in, and every region they are in. */
  regionCode: string;
  regionCodes: string[];
  /** The category most of its cases have. */
  category: string;
  /** The case most like the whole group. */
  representativeCaseId: string;
  caseIds: string[];
  firstRegisteredAt: string;
  lastRegisteredAt: string;
}

export interface Hotspot extends HotspotGroup {
  /** The representative case's subject line. */
  subject: string;
}

export interface HotspotQuery {
  /** 2, 4 or 6 digits: a province, a city, or one county or district. */
  regionPrefix: string;
  windowDays: number;
  minCases: number;
  now?: Date;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The region codes a prefix covers, as far as cases have been indexed there. */
async function regionsUnder(deps: SimilarityDeps, prefix: string): Promise<string[]> {
  const code = prefix.padEnd(6, '0');
  if (prefix.length === 6) return [code];
  const children = await subregionsOf(deps.store, code);
  const grandchildren = prefix.length === 2 ? await Promise.all(children.map((c) => subregionsOf(deps.store, c))) : [];
  return [...new Set([code, ...children, ...grandchildren.flat()])];
}

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? '';
}

/** Which of these cases are still open, by their records' stage. */
async function openCases(deps: SimilarityDeps, caseIds: string[]): Promise<Set<string>> {
  const records = await Promise.all(
    caseIds.map((id) => deps.store.cases.findById(id, { stage: 1 }).lean<Pick<CaseDoc, '_id' | 'stage'>>()),
  );
  return new Set(records.filter((r) => r && !END_STAGES.includes(r.stage as Stage)).map((r) => r!._id));
}

/** A group's open members, of those in `open`; undefined when none is open. */
function groupOf(group: MatterGroup, open: Set<string>): HotspotGroup | undefined {
  const members = group.members.filter((m) => open.has(m.caseId));
  if (members.length === 0) return undefined;
  return {
    count: members.length,
    regionCode: mostCommon(members.map((m) => m.regionCode)),
    regionCodes: [...new Set(members.map((m) => m.regionCode))].sort(),
    category: mostCommon(members.map((m) => m.category)),
    representativeCaseId: open.has(group.representative) ? group.representative : members[0]!.caseId,
    caseIds: members.map((m) => m.caseId),
    firstRegisteredAt: members[0]!.registeredAt.toISOString(),
    lastRegisteredAt: members.at(-1)!.registeredAt.toISOString(),
  };
}

/** A group's open members; undefined when none is open. */
export async function openGroup(deps: SimilarityDeps, group: MatterGroup): Promise<HotspotGroup | undefined> {
  return groupOf(
    group,
    await openCases(
      deps,
      group.members.map((m) => m.caseId),
    ),
  );
}

/**
 * The open members of a group, counted newest first (older cases are the ones likely closed) and only until `limit`
 * are found: a group of thousands costs `limit` reads, not thousands. Complete when fewer than `limit` are open.
 */
async function firstOpen(deps: SimilarityDeps, group: MatterGroup, limit: number): Promise<Set<string>> {
  const newestFirst = group.members.map((m) => m.caseId).reverse();
  const open = new Set<string>();
  let next = 0;
  while (open.size < limit && next < newestFirst.length) {
    const batch = newestFirst.slice(next, next + limit - open.size);
    next += batch.length;
    for (const id of await openCases(deps, batch)) open.add(id);
  }
  return open;
}

/** Groups of at least `minCases` open cases about one matter registered in the region within the window, largest first. */
export async function findHotspots(deps: SimilarityDeps, query: HotspotQuery): Promise<Hotspot[]> {
  const to = query.now ?? new Date();
  const from = new Date(to.getTime() - query.windowDays * DAY_MS);
  const matters = await mattersInRegions(deps.store, await regionsUnder(deps, query.regionPrefix), from, to);
  const big = groupMatters(matters).filter((group) => group.members.length >= query.minCases);
  const groups = (await Promise.all(big.map((group) => openGroup(deps, group)))).filter(
    (group): group is HotspotGroup => group !== undefined && group.count >= query.minCases,
  );
  const subjects = await Promise.all(
    groups.map((group) =>
      deps.store.cases.findById(group.representativeCaseId, { subject: 1 }).lean<Pick<CaseDoc, 'subject'>>(),
    ),
  );
  return groups
    .map((group, i) => ({ ...group, subject: subjects[i]?.subject ?? '' }))
    .sort((a, b) => b.count - a.count || (a.caseIds[0]! < b.caseIds[0]! ? -1 : 1));
}

export interface HotspotCheck {
  /** The case's group counts at least the profile's threshold of open cases. */
  reached: boolean;
  /** It reached the threshold with this case: without it, the group would count one less than the threshold. */
  crossed: boolean;
  threshold: HotspotRule;
  /** Names the group while its first case is in the window: the ID for a once-only webhook to the office. */
  alertKey: string;
  /**
   * The case's group — its open cases registered up to this one, in the case's region, within the window (from the
   * start of the hour `windowDays` before) — when it counts no more than the threshold; past it, open cases are
   * counted only until the answer is certain.
   */
  group?: HotspotGroup;
}

/**
 * After a case is registered and recorded: whether its matter's group in its region, over the profile's window up
 * to this case, has reached the profile's threshold, and whether this case is the one that crossed it. The group is
 * formed from the cases registered up to this one, so two simultaneous cases never both cross; send the webhook under
 * `alertKey`, so a group is announced once even when a case that crossed was missed. Codes, IDs and counts only: an
 * activity may return it to a workflow. Undefined until the case is recorded and indexed.
 *
 * Runs at every registration, so its reads are bounded: the region's lists by `_id` (a page per thousand cases of the
 * window) and at most threshold + 1 records' stages, however many cases the group holds. The window reaches back to
 * the start of the hour `windowDays` before, so its first cases stay the same for an hour and the grouping goes on
 * from the last check's (`groupOfCase`) instead of forming the window's groups again.
 */
export async function checkHotspot(deps: SimilarityDeps, caseId: string): Promise<HotspotCheck | undefined> {
  const record = await deps.store.cases
    .findById(caseId, { regionCode: 1, registeredAt: 1, profileId: 1 })
    .lean<Pick<CaseDoc, 'regionCode' | 'registeredAt' | 'profileId'>>();
  if (!record?.regionCode || !record.registeredAt) return undefined;
  const threshold = profileById(record.profileId ?? 'national').hotspot;
  const to = new Date(record.registeredAt);
  // Back to the start of the hour `windowDays` before, so the window's first cases stay the same for an hour and
  // the grouping kept from the last check still begins as this one's does (`groupOfCase`).
  const from = new Date(Math.floor((to.getTime() - threshold.windowDays * DAY_MS) / HOUR_MS) * HOUR_MS);
  const entries = distinct(await entriesInRegions(deps.store, [record.regionCode], from, to)).map((line) => ({
    line,
    at: entryRegisteredAt(line),
    id: entryId(line),
  }));
  const mine = entries.find((e) => e.id === caseId);
  if (!mine) return undefined;
  const upToMine = entries
    .filter((e) => rankOrder(e.at, e.id, mine.at, mine.id) <= 0)
    .sort((a, b) => rankOrder(a.at, a.id, b.at, b.id));
  const key = `${record.regionCode}:${from.getTime()}`;
  const matter = groupOfCase(
    key,
    upToMine.map((e) => e.line),
    decodeRemembered,
    caseId,
  )!;
  // One open case past the threshold settles both answers: reached, and not crossed by this case.
  const open = await firstOpen(deps, matter, threshold.minCases + 1);
  if (open.size === 0) return undefined;
  const past = open.size > threshold.minCases;
  return {
    reached: open.size >= threshold.minCases,
    crossed: open.size === threshold.minCases && open.has(caseId),
    threshold,
    alertKey: `hotspot:${record.regionCode}:${matter.leader}`,
    ...(past ? {} : { group: groupOf(matter, open) }),
  };
}
