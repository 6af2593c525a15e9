/**
 * The similarity index in MongoDB: each case's entry (similarity/features.ts) in the lists of its region and month and
 * of each of its petitioner's digests, read back by `_id` (similarity/buckets.ts). Lists by region and month keep a
 * search to the cases an office could mean: its own region and the levels above and below, over a window of months.
 */
import { localDateOf } from '../domain/calendar';
import type { Store } from '../store/models';
import type { Sealer } from '../store/sealed';
import { appendToList, entryId, PAGE_SIZE, readList } from './buckets';
import {
  decodeMatter,
  encodeMatter,
  entryRegisteredAt,
  matterOf,
  type Matter,
  type MatterSource,
  type MatterWithWords,
} from './features';
import { ancestorsOf } from './score';

export interface SimilarityDeps {
  store: Store;
  sealer: Sealer;
}

/** The month (Asia/Shanghai) of an instant, `YYYY-MM`. */
export function monthOf(at: Date): string {
  return localDateOf(at.toISOString()).slice(0, 7);
}

/** Every month from the one holding `from` to the one holding `to`. */
export function monthsBetween(from: Date, to: Date): string[] {
  const months: string[] = [];
  const last = monthOf(to);
  let [year, month] = monthOf(from).split('-').map(Number) as [number, number];
  for (let key = monthOf(from); key <= last;) {
    months.push(key);
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
    key = `${year}-${String(month).padStart(2, '0')}`;
  }
  return months;
}

export const regionListKey = (regionCode: string, month: string) => `region:${regionCode}:${month}`;
export const personListKey = (personDigest: string) => `person:${personDigest}`;
/** The region codes seen below a city or province code, so a search by prefix knows which region lists exist. */
export const subregionListKey = (regionCode: string) => `subregions:${regionCode}`;

/** Subregion entries each process has written already, per store: a region is registered once, not per case. */
const registered = new WeakMap<Store, Set<string>>();

export async function registerRegion(store: Store, regionCode: string): Promise<void> {
  const done = registered.get(store) ?? registered.set(store, new Set()).get(store)!;
  let child = regionCode;
  for (const parent of ancestorsOf(regionCode)) {
    const key = `${parent}>${child}`;
    if (!done.has(key)) {
      await appendToList(store.similarityIndex, subregionListKey(parent), child);
      done.add(key);
    }
    child = parent;
  }
}

/**
 * Adds a case to the index: its entry in its region's list for the month of its registration and in the list of each
 * petitioner digest. Idempotent: a retried call finds its entries and adds nothing. `fresh` says no earlier call can
 * have added them (the caller has just written the case record), so the lists' full pages are not read (see
 * `appendToList`).
 */
export async function indexCase(
  deps: SimilarityDeps,
  source: MatterSource,
  { fresh = false } = {},
): Promise<MatterWithWords> {
  const matter = matterOf(deps.sealer, source);
  const line = encodeMatter(matter);
  const lists = deps.store.similarityIndex;
  await Promise.all([
    appendToList(lists, regionListKey(matter.regionCode, monthOf(matter.registeredAt)), line, PAGE_SIZE, { fresh }),
    ...matter.persons.map((person) => appendToList(lists, personListKey(person), line, PAGE_SIZE, { fresh })),
    registerRegion(deps.store, matter.regionCode),
  ]);
  return matter;
}

/** The region codes registered directly below a city or province code. */
export async function subregionsOf(store: Store, regionCode: string): Promise<string[]> {
  return readList(store.similarityIndex, subregionListKey(regionCode));
}

/** Entries of cases of the given regions registered in [from, to], undecoded. */
export async function entriesInRegions(store: Store, regionCodes: string[], from: Date, to: Date): Promise<string[]> {
  const keys = regionCodes.flatMap((code) => monthsBetween(from, to).map((month) => regionListKey(code, month)));
  const lists = await Promise.all(keys.map((key) => readList(store.similarityIndex, key)));
  return lists.flat().filter((line) => {
    const at = entryRegisteredAt(line);
    return at >= from.getTime() && at <= to.getTime();
  });
}

/** How many decoded entries a process keeps (see `decodeRemembered`): a busy district's week and more. */
const REMEMBERED_MATTERS = 20_000;
const decodedMatters = new Map<string, Matter>();

/**
 * An entry decoded, from memory when this process decoded the same line lately: the hotspot check reads a district's
 * whole week at every registration, and decoding it costs more than reading it. A line is the whole entry, so what is
 * remembered cannot go stale; the least recently used go first. Callers must not change what they are given.
 */
export function decodeRemembered(line: string): Matter {
  const matter = decodedMatters.get(line) ?? decodeMatter(line);
  decodedMatters.delete(line);
  decodedMatters.set(line, matter);
  if (decodedMatters.size > REMEMBERED_MATTERS) decodedMatters.delete(decodedMatters.keys().next().value!);
  return matter;
}

/** Cases of the given regions registered in [from, to], each once. */
export async function mattersInRegions(store: Store, regionCodes: string[], from: Date, to: Date): Promise<Matter[]> {
  return distinct(await entriesInRegions(store, regionCodes, from, to)).map(decodeRemembered);
}

/** Entries of cases of the given petitioner digests, whenever and wherever registered, undecoded. */
export async function entriesOfPersons(store: Store, personDigests: string[]): Promise<string[]> {
  const lists = await Promise.all(personDigests.map((p) => readList(store.similarityIndex, personListKey(p))));
  return lists.flat();
}

/** Each case's entry once (a case is in its region's list and in each of its petitioner's). */
export function distinct(lines: string[]): string[] {
  const seen = new Map<string, string>();
  for (const line of lines) if (!seen.has(entryId(line))) seen.set(entryId(line), line);
  return [...seen.values()];
}

/** Registration order, as the intake repeat check orders cases: time, then case ID for the same millisecond. */
export function registrationRank(matter: Pick<Matter, 'caseId' | 'registeredAt'>): string {
  return `${matter.registeredAt.toISOString()} ${matter.caseId}`;
}
