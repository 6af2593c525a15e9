/**
 * Ranking repeat candidates among 50 000 stored cases: the similarity index (lists read by `_id`) against two
 * baselines measured in the same run on the same FerretDB:
 *   - features scan: the same entries kept one document per case and found with a filter on region and time, as a
 *     plain MongoDB design would (FerretDB reads every document for such a filter);
 *   - record scan: no index at all, every case record read and segmented again.
 *
 *   npm run bench:similarity                       (50 000 cases; about 10 minutes here, most of it seeding)
 *   npm run bench:similarity -- --cases=5000       (a quick look)
 *
 * Two layouts: `province` spreads the cases over a province's districts and its city and province codes over two
 * years, as an office's history looks; `one-district` puts every case in one district within one year, the worst
 * case, where every stored case is a candidate. Times are medians over the queries; nothing fails on slowness.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import mongoose from 'mongoose';
import { resolveToolPaths, startFerretDb, stopAllServers } from '../harness/servers';
import { loadLists } from '../similarity/buckets';
import { decodeMatter, encodeMatter, matterOf } from '../similarity/features';
import { indexCase, monthOf, regionListKey, registerRegion } from '../similarity/matter-index';
import { findRepeatCandidates, rankRepeats, recordSource } from '../similarity/repeats';
import { ancestorsOf } from '../similarity/score';
import { createStore, type CaseDoc, type Store } from '../store/models';
import { Sealer } from '../store/sealed';
import { generatePetitions, random, type GeneratedPetition, type Layout } from '../test/fixtures/petition-generator';
import { option } from './run/helpers';
import { percentile } from './stats';

const sealer = new Sealer('xinfang-bench-secret-not-for-production-0123456789');
const DAY_MS = 86_400_000;

const layouts: Record<string, Layout> = {
  province: {
    regionCodes: [
      ...['330102', '330105', '330106', '330108', '330109', '330110', '330111', '330112', '330113', '330114'],
      ...['330203', '330205', '330206', '330211', '330212', '330302', '330303', '330304', '330402', '330411'],
      ...['330100', '330200', '330300', '330400', '330000'],
    ],
    from: new Date('2024-12-01T00:00:00.000Z'),
    to: new Date('2026-11-30T00:00:00.000Z'),
  },
  'one-district': {
    regionCodes: ['330106'],
    from: new Date('2025-12-01T00:00:00.000Z'),
    to: new Date('2026-11-30T00:00:00.000Z'),
  },
};

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

async function seed(store: Store, petitions: GeneratedPetition[]): Promise<void> {
  const lists = new Map<string, string[]>();
  const features: { _id: string; regionCode: string; registeredAt: Date; entry: string }[] = [];
  for (const petition of petitions) {
    const entry = encodeMatter(matterOf(sealer, petition));
    const key = regionListKey(petition.regionCode, monthOf(petition.registeredAt));
    (lists.get(key) ?? lists.set(key, []).get(key)!).push(entry);
    features.push({
      _id: petition.caseId,
      regionCode: petition.regionCode,
      registeredAt: petition.registeredAt,
      entry,
    });
  }
  const db = store.connection.db!;
  for (let i = 0; i < petitions.length; i += 1000) {
    const batch = petitions.slice(i, i + 1000);
    await store.cases.insertMany(
      batch.map((p) => ({ ...p, _id: p.caseId, caseNumber: p.caseId, trackingCode: p.caseId, pinHash: 'x' })),
      { ordered: false },
    );
    await db.collection('bench_features').insertMany(features.slice(i, i + 1000) as never[], { ordered: false });
  }
  await db.collection('bench_features').createIndex({ regionCode: 1, registeredAt: 1 });
  await loadLists(store.similarityIndex, lists);
  for (const regionCode of new Set(petitions.map((p) => p.regionCode))) await registerRegion(store, regionCode);
}

/** The features-scan baseline: one document per case, found by region and time with one filter. */
async function featuresScan(store: Store, caseId: string, withinDays: number) {
  const record = await store.cases.findById(caseId).lean<CaseDoc>();
  const asking = matterOf(sealer, recordSource(record!));
  const regions = [asking.regionCode, ...ancestorsOf(asking.regionCode)];
  const docs = await store.connection
    .db!.collection<{ entry: string }>('bench_features')
    .find({
      regionCode: { $in: regions },
      registeredAt: { $gte: new Date(asking.registeredAt.getTime() - withinDays * DAY_MS), $lte: asking.registeredAt },
    })
    .toArray();
  return rankRepeats(
    asking,
    docs.map((d) => decodeMatter(d.entry)),
    10,
  );
}

/** The record-scan baseline: no index, every record read and segmented. */
async function recordScan(store: Store, caseId: string) {
  const records = await store.cases.find().lean<CaseDoc[]>();
  const asking = matterOf(sealer, recordSource(records.find((r) => r._id === caseId)!));
  return rankRepeats(
    asking,
    records.map((r) => matterOf(sealer, recordSource(r))),
    10,
  );
}

async function time<T>(run: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await run();
  return [performance.now() - started, result];
}

async function benchLayout(url: string, name: string, layout: Layout, cases: number, queries: number) {
  const connection = await mongoose.createConnection(`${url}bench-${name}`).asPromise();
  const store = createStore(connection);
  try {
    let t = performance.now();
    progress(`${name}: seeding ${cases} cases`);
    const petitions = generatePetitions(cases, layout, 2026);
    await seed(store, petitions);
    progress(`${name}: seeded in ${Math.round((performance.now() - t) / 1000)} s; recording ${queries} asking cases`);
    const seedMs = performance.now() - t;
    // The asking cases are recorded as the worker records them: written and indexed one by one.
    const next = random(99);
    const asking: string[] = [];
    t = performance.now();
    for (let q = 0; q < queries; q++) {
      // A district's case: the baselines read the case's region and those above it, as the index does for a district.
      const districts = petitions.filter((p) => !p.regionCode.endsWith('00'));
      const model = districts[Math.floor(next() * districts.length)]!;
      const caseId = `Q${String(q).padStart(9, '0')}`;
      const fields = { ...model, caseId, registeredAt: new Date(layout.to.getTime() - DAY_MS) };
      await store.cases.create({ ...fields, _id: caseId, caseNumber: caseId, trackingCode: caseId, pinHash: 'x' });
      await indexCase({ store, sealer }, fields);
      asking.push(caseId);
    }
    const indexCaseMs = (performance.now() - t) / queries;

    const indexed: number[] = [];
    const scanned: number[] = [];
    let read = 0;
    let agreed = 0;
    // Alternating, so a noisy machine slows both sides alike.
    progress(`${name}: ${queries} searches, each by the index and by the features scan`);
    for (const caseId of asking) {
      const [indexMs, found] = await time(() => findRepeatCandidates({ store, sealer }, caseId));
      const [scanMs, baseline] = await time(() => featuresScan(store, caseId, 365));
      indexed.push(indexMs);
      scanned.push(scanMs);
      read += found!.searched.cases;
      if (found!.candidates[0]?.caseId === baseline[0]?.caseId) agreed += 1;
    }
    progress(`${name}: one record scan`);
    const [recordScanMs] = await time(() => recordScan(store, asking[0]!));
    return {
      layout: name,
      cases,
      queries,
      seedSeconds: Math.round(seedMs / 1000),
      indexCaseMs: Math.round(indexCaseMs),
      entriesReadPerQuery: Math.round(read / queries),
      indexMedianMs: Math.round(median(indexed)),
      indexP95Ms: Math.round(
        percentile(
          [...indexed].sort((a, b) => a - b),
          95,
        ),
      ),
      featuresScanMedianMs: Math.round(median(scanned)),
      recordScanMs: Math.round(recordScanMs),
      speedupOverFeaturesScan: Math.round((median(scanned) / median(indexed)) * 10) / 10,
      speedupOverRecordScan: Math.round((recordScanMs / median(indexed)) * 10) / 10,
      sameTopCandidateAsScan: `${agreed}/${queries}`,
    };
  } finally {
    // A failure above is the one to report, not a failure to clean up after it.
    await connection.dropDatabase().catch(() => undefined);
    await connection.close().catch(() => undefined);
  }
}

/** Progress on stderr, so stdout holds only the results. */
function progress(message: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

async function main(): Promise<void> {
  const cases = option('cases', 50_000);
  const queries = option('queries', 10);
  const tools = await resolveToolPaths();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'xinfang-bench-similarity-'));
  const ferret = await startFerretDb({ bin: tools.ferretdb, dataDir, log: () => undefined });
  try {
    for (const [name, layout] of Object.entries(layouts)) {
      const result = await benchLayout(ferret.url, name, layout, cases, queries);
      console.log(JSON.stringify(result));
    }
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
