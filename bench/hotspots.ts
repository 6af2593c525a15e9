/**
 * The hotspot check that runs at every registration (`checkHotspot`, similarity/hotspots.ts) against the check as it
 * was before its reads were bounded, over the same seeded window, side by side, at several window sizes:
 *
 *   npm run bench:hotspots          (1 000, 10 000 and 50 000 cases in one district's week; about 20 minutes here,
 *                                    most of it the old check at 50 000)
 *   npm run bench:hotspots -- --windows=1000,5000 --queries=6 --site-share=0.1
 *
 * Every case of the window is in one district within the hotspot window (7 days); `--site-share` of them (all by
 * default, as the mixed bench's intakes are) are letters about one building site, forming one group of thousands,
 * the rest unrelated letters; a fifth of the older cases are closed. Each asking case is a new letter about the site, recorded and indexed as the worker records it, then
 * checked by both sides in alternating order; the answers (reached, crossed, alert key, and the group when it
 * crossed) must be the same. Times are medians; the ratio is before ÷ after.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import mongoose from 'mongoose';
import { resolveToolPaths, startFerretDb, stopAllServers } from '../harness/servers';
import { profileById } from '../domain/profiles';
import { loadLists } from '../similarity/buckets';
import { encodeMatter, matterOf } from '../similarity/features';
import { checkHotspot, groupMatters, openGroup, type HotspotCheck } from '../similarity/hotspots';
import { indexCase, mattersInRegions, monthOf, regionListKey, registrationRank } from '../similarity/matter-index';
import { createStore, type CaseDoc, type Store } from '../store/models';
import { Sealer } from '../store/sealed';
import { siteLetters } from '../test/fixtures/hotspot-letters';
import { generatePetitions, random } from '../test/fixtures/petition-generator';
import { percentile } from './stats';

const sealer = new Sealer('xinfang-bench-secret-not-for-production-0123456789');
const DAY_MS = 86_400_000;
const REGION = '330106';
const PROFILE = 'zhejiang';
const WINDOW_END = new Date('2026-11-27T04:00:00.000Z');

function option(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

/** The check before its reads were bounded: every member of the case's group read for its stage. */
async function checkHotspotUnbounded(store: Store, caseId: string): Promise<HotspotCheck | undefined> {
  const deps = { store, sealer };
  const record = await store.cases
    .findById(caseId, { regionCode: 1, registeredAt: 1, profileId: 1 })
    .lean<Pick<CaseDoc, 'regionCode' | 'registeredAt' | 'profileId'>>();
  if (!record?.regionCode || !record.registeredAt) return undefined;
  const threshold = profileById(record.profileId ?? 'national').hotspot;
  const to = new Date(record.registeredAt);
  const from = new Date(to.getTime() - threshold.windowDays * DAY_MS);
  const matters = await mattersInRegions(store, [record.regionCode], from, to);
  const mine = matters.find((m) => m.caseId === caseId);
  if (!mine) return undefined;
  const upToMine = matters.filter((m) => registrationRank(m) <= registrationRank(mine));
  const matter = groupMatters(upToMine).find((g) => g.members.some((m) => m.caseId === caseId))!;
  const group = await openGroup(deps, matter);
  if (!group) return undefined;
  return {
    reached: group.count >= threshold.minCases,
    crossed: group.count === threshold.minCases && group.caseIds.includes(caseId),
    threshold,
    alertKey: `hotspot:${record.regionCode}:${matter.leader}`,
    group,
  };
}

/** What the two sides must agree on: the answers, and the group whenever the bounded check reports one. */
function answer(check: HotspotCheck | undefined, bounded: HotspotCheck | undefined) {
  if (!check) return undefined;
  return {
    reached: check.reached,
    crossed: check.crossed,
    alertKey: check.alertKey,
    group: bounded?.group ? check.group : undefined,
  };
}

/** `size` cases in one district over the 7 days before WINDOW_END, written and indexed in bulk. */
async function seedWindow(store: Store, size: number, siteShare: number): Promise<void> {
  const site = Math.floor(size * siteShare);
  const from = new Date(WINDOW_END.getTime() - 7 * DAY_MS + 3_600_000);
  const others = generatePetitions(size - site, { regionCodes: [REGION], from, to: WINDOW_END }, size);
  const letters = siteLetters(site).map((letter, i) => ({
    ...letter,
    caseId: `S${String(i).padStart(9, '0')}`,
    kind: 'complaint',
    regionCode: REGION,
    registeredAt: new Date(from.getTime() + ((i + 0.5) * (WINDOW_END.getTime() - from.getTime())) / site),
  }));
  const next = random(size + 1);
  const all = [...others, ...letters].sort((a, b) => a.registeredAt.getTime() - b.registeredAt.getTime());
  const lists = new Map<string, string[]>();
  for (const petition of all) {
    const key = regionListKey(petition.regionCode, monthOf(petition.registeredAt));
    (lists.get(key) ?? lists.set(key, []).get(key)!).push(encodeMatter(matterOf(sealer, petition)));
  }
  for (let i = 0; i < all.length; i += 1000) {
    await store.cases.insertMany(
      all.slice(i, i + 1000).map((p, j) => ({
        ...p,
        _id: p.caseId,
        caseNumber: p.caseId,
        trackingCode: p.caseId,
        pinHash: 'x',
        profileId: PROFILE,
        // The older half of the window: a fifth of its cases closed.
        stage: i + j < all.length / 2 && next() < 0.2 ? 'resolved' : 'registered',
      })),
      { ordered: false },
    );
  }
  await loadLists(store.similarityIndex, lists);
}

async function time<T>(run: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await run();
  return [performance.now() - started, result];
}

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

async function benchWindow(url: string, size: number, queries: number, siteShare: number) {
  const connection = await mongoose.createConnection(`${url}bench-hotspots-${size}`).asPromise();
  const store = createStore(connection);
  try {
    progress(`window of ${size}: seeding`);
    const seedStarted = performance.now();
    await seedWindow(store, size, siteShare);
    const seedSeconds = Math.round((performance.now() - seedStarted) / 1000);
    progress(`window of ${size}: seeded in ${seedSeconds} s; ${queries} checks a side`);
    const before: number[] = [];
    const after: number[] = [];
    /** The registration's own index append (`indexCase`), one at a time: from the list's first page, and fresh. */
    const appends: number[] = [];
    const freshAppends: number[] = [];
    let same = 0;
    let groupSize = 0;
    const asking = siteLetters(size + queries).slice(size);
    for (let q = 0; q < queries; q++) {
      const caseId = `Q${String(q).padStart(9, '0')}`;
      const fields = {
        ...asking[q]!,
        caseId,
        kind: 'complaint',
        regionCode: REGION,
        registeredAt: new Date(WINDOW_END.getTime() + q * 60_000),
      };
      await store.cases.create({
        ...fields,
        _id: caseId,
        caseNumber: caseId,
        trackingCode: caseId,
        pinHash: 'x',
        profileId: PROFILE,
      });
      // Alternately as a retried registration (reading the list from its first page) and as a first attempt does
      // (starting at the page this process last found open).
      const fresh = q % 2 === 1;
      const [indexMs] = await time(() => indexCase({ store, sealer }, fields, { fresh }));
      (fresh ? freshAppends : appends).push(indexMs);
      // Alternating which side goes first, so a noisy machine slows both alike.
      const runOld = () => time(() => checkHotspotUnbounded(store, caseId));
      const runNew = () => time(() => checkHotspot({ store, sealer }, caseId));
      let [oldMs, oldCheck] = [0, undefined as HotspotCheck | undefined];
      let [newMs, newCheck] = [0, undefined as HotspotCheck | undefined];
      if (q % 2 === 0) {
        [oldMs, oldCheck] = await runOld();
        [newMs, newCheck] = await runNew();
      } else {
        [newMs, newCheck] = await runNew();
        [oldMs, oldCheck] = await runOld();
      }
      before.push(oldMs);
      after.push(newMs);
      groupSize = oldCheck?.group?.count ?? 0;
      if (JSON.stringify(answer(oldCheck, newCheck)) === JSON.stringify(answer(newCheck, newCheck))) same += 1;
    }
    return {
      window: size,
      siteShare,
      openInGroup: groupSize,
      queries,
      seedSeconds,
      beforeMedianMs: Math.round(median(before)),
      afterMedianMs: Math.round(median(after)),
      ratio: Math.round((median(before) / median(after)) * 10) / 10,
      sameAnswers: `${same}/${queries}`,
      indexAppendMedianMs: Math.round(median(appends)),
      freshIndexAppendMedianMs: Math.round(median(freshAppends)),
    };
  } finally {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close().catch(() => undefined);
  }
}

/** Progress on stderr, so stdout holds only the results. */
function progress(message: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

async function main(): Promise<void> {
  const windows = (option('windows') ?? '1000,10000,50000').split(',').map(Number);
  const queries = Number(option('queries') ?? 4);
  const siteShare = Number(option('site-share') ?? 1);
  const tools = await resolveToolPaths();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'xinfang-bench-hotspots-'));
  const ferret = await startFerretDb({ bin: tools.ferretdb, dataDir, log: () => undefined });
  try {
    for (const size of windows) console.log(JSON.stringify(await benchWindow(ferret.url, size, queries, siteShare)));
  } finally {
    await ferret.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch(async (error: unknown) => {
  console.error(error);
  await stopAllServers();
  process.exit(1);
});
