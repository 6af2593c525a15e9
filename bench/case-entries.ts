/**
 * A case's own timeline and notices, read as the tracking page and the case detail read them (store/case-entries.ts),
 * with other cases' entries in the same collections: by `_id` from the keys a record lists, and by `caseId` as a
 * record written before it listed them is read. The two kinds of record are read alternately in one run, on one
 * FerretDB, at each level of other cases; FerretDB's CPU time and the wall time per read, and their ratio.
 *
 *   npm run bench:case-entries                                (1 000, 5 000 and 10 000 other cases; about two minutes)
 *   npm run bench:case-entries -- --cases=1000,20000 --reads=10
 *
 * Each other case has 4 timeline entries and 2 notices, as a case has once the office transferred it and the unit
 * accepted it. Nothing fails on slowness.
 */
import { performance } from 'node:perf_hooks';
import mongoose from 'mongoose';
import { caseNotices, caseTimeline } from '../store/case-entries';
import { createStore, type Store } from '../store/models';
import { cpuSeconds } from './run/cpu';
import { numbersOption, option, round } from './run/helpers';
import { runOnOwnFerretDb } from './run/own-ferretdb';

const NOTICE_TEXT = '信访事项受理告知书。'.repeat(60);
const STEPS = ['transferred', 'notice_issued', 'accepted', 'notice_issued', 'acknowledged', 'notice_served'];

/** One case's entries: the record (listing its keys or not), its timeline and its notices. */
function caseEntries(caseId: string, steps: number, listed: boolean, at: number) {
  const keys = Array.from({ length: steps }, (_, i) => `${i + 1}.0:${STEPS[i % STEPS.length]}`);
  const timeline = ['registered', ...keys].map((key, i) => ({
    _id: `${caseId}:${key}`,
    caseId,
    at: new Date(at + i * 60_000),
    type: key === 'registered' ? 'registered' : key.split(':')[1]!,
    unitCode: '330100-HB',
    detail: key.endsWith('notice_issued')
      ? { noticeId: `${caseId}:${i < 3 ? 'transfer' : 'acceptance'}:0`, channel: 'online' }
      : { channel: 'online' },
  }));
  const notices = ['transfer', 'acceptance'].map((kind, i) => ({
    _id: `${caseId}:${kind}:0`,
    caseId,
    kind,
    title: kind,
    text: NOTICE_TEXT,
    channel: 'online',
    createdAt: new Date(at + (2 * i + 1) * 60_000),
  }));
  const record = {
    _id: caseId,
    caseNumber: caseId,
    trackingCode: `T${caseId}`,
    pinHash: 'x',
    ...(listed && { listsEntries: true, timelineKeys: keys }),
  };
  return { record, timeline, notices };
}

async function seed(store: Store, from: number, to: number): Promise<void> {
  const batch = 500;
  for (let start = from; start < to; start += batch) {
    const cases = Array.from({ length: Math.min(batch, to - start) }, (_, i) =>
      caseEntries(`C${String(start + i).padStart(9, '0')}`, 4, true, Date.UTC(2026, 10, 1) + (start + i) * 1000),
    );
    await store.cases.insertMany(
      cases.map((c) => c.record),
      { lean: true },
    );
    await store.timeline.insertMany(
      cases.flatMap((c) => c.timeline),
      { lean: true },
    );
    await store.notices.insertMany(
      cases.flatMap((c) => c.notices),
      { lean: true },
    );
  }
}

async function main(connection: mongoose.Connection, ferretDbPid: number | undefined): Promise<void> {
  const levels = numbersOption(process.argv, 'cases') ?? [1000, 5000, 10000];
  const reads = option('reads', 20);
  const store = createStore(connection);
  const probes = {
    listed: caseEntries('PROBE-LISTED', 6, true, Date.now()),
    scanned: caseEntries('PROBE-OLD', 6, false, Date.now()),
  };
  for (const probe of Object.values(probes)) {
    await store.cases.insertMany([probe.record], { lean: true });
    await store.timeline.insertMany(probe.timeline, { lean: true });
    await store.notices.insertMany(probe.notices, { lean: true });
  }
  const rows = [];
  let seeded = 0;
  for (const level of levels) {
    await seed(store, seeded, level);
    seeded = level;
    const sides = { listed: { cpu: 0, ms: 0 }, scanned: { cpu: 0, ms: 0 } };
    for (let r = 0; r < reads; r++) {
      for (const side of r % 2 === 0 ? (['listed', 'scanned'] as const) : (['scanned', 'listed'] as const)) {
        const record = (await store.cases.findById(probes[side].record._id).lean())!;
        const cpu = cpuSeconds(ferretDbPid);
        const started = performance.now();
        const timeline = await caseTimeline(store, record);
        const notices = await caseNotices(store, record, timeline);
        sides[side].ms += performance.now() - started;
        sides[side].cpu += cpuSeconds(ferretDbPid) - cpu;
        if (timeline.length !== 7 || notices.length !== 2) {
          throw new Error(`${side}: ${timeline.length} timeline entries and ${notices.length} notices, not 7 and 2`);
        }
      }
    }
    const per = (side: keyof typeof sides) => ({
      msPerRead: round(sides[side].ms / reads, 1),
      ferretDbCpuMsPerRead: round((sides[side].cpu * 1000) / reads, 1),
    });
    const row = {
      otherCases: level,
      timelineEntries: await store.timeline.estimatedDocumentCount(),
      byId: per('listed'),
      byCaseId: per('scanned'),
      cpuRatio: round(sides.scanned.cpu / Math.max(sides.listed.cpu, 1e-6), 1),
    };
    console.log(JSON.stringify(row));
    rows.push(row);
  }
  console.log(JSON.stringify({ reads, rows }, null, 2));
}

runOnOwnFerretDb('entries', main);
