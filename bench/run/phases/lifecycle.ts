/**
 * 5. The whole lifecycle with time skipping: intake → transfer → accept → supported result → execution report →
 * review window lapsed → resolved, on the Java test server, in cases per second and history per case.
 */
import { performance } from 'node:perf_hooks';
import type { WorkflowHandle } from '@temporalio/client';
import mongoose, { type Connection } from 'mongoose';
import { localDateOf } from '../../../domain/calendar';
import { startTimeSkippingStack } from '../../../harness/time-skipping';
import { acceptanceUpdate, executionReportUpdate, resultUpdate, type Actor } from '../../../workflows/messages';
import { pool } from '../../stats';
import { log, median, round, type HistoryEvent } from '../helpers';
import type { Profile } from '../profiles';
import type { Bench } from '../requests';

export interface Lifecycle {
  cases: number;
  resolved: number;
  seconds: number;
  casesPerSecond: number;
  perCase: {
    historyEvents: number;
    workflowTasks: number;
    activities: number;
    timersFired: number;
    /** Absent in runs written before the capacity figures. */
    localActivities?: number;
    timersStarted?: number;
  };
  /** MongoDB per case: documents and their BSON bytes per collection, and dbStats' sizes (absent in older runs). */
  store?: StoreGrowth;
}

export interface StoreGrowth {
  /** Per case, by collection: documents and BSON bytes added. */
  collections: Record<string, { docs: number; bytes: number }>;
  bsonBytes: number;
  /** dbStats dataSize and storageSize added, per case (FerretDB's own accounting). */
  dataSize: number;
  storageSize: number;
}

interface Footprint {
  collections: Record<string, { docs: number; bytes: number }>;
  dataSize: number;
  storageSize: number;
}

/** Every document of the lifecycle's own database, by collection: how many and their BSON size. */
async function footprint(conn: Connection): Promise<Footprint> {
  const db = conn.db!;
  const collections: Footprint['collections'] = {};
  for (const { name } of await db.listCollections().toArray()) {
    let docs = 0;
    let bytes = 0;
    for await (const doc of db.collection(name).find({})) {
      docs += 1;
      bytes += mongoose.mongo.BSON.calculateObjectSize(doc);
    }
    collections[name] = { docs, bytes };
  }
  const stats = await db.stats();
  return { collections, dataSize: Number(stats.dataSize), storageSize: Number(stats.storageSize) };
}

function growth(before: Footprint, after: Footprint, cases: number): StoreGrowth {
  const collections: StoreGrowth['collections'] = {};
  for (const [name, a] of Object.entries(after.collections)) {
    const b = before.collections[name] ?? { docs: 0, bytes: 0 };
    if (a.docs === b.docs && a.bytes === b.bytes) continue;
    collections[name] = { docs: round((a.docs - b.docs) / cases, 2), bytes: round((a.bytes - b.bytes) / cases) };
  }
  return {
    collections,
    bsonBytes: round(Object.values(collections).reduce((sum, c) => sum + c.bytes, 0)),
    dataSize: round((after.dataSize - before.dataSize) / cases),
    storageSize: round((after.storageSize - before.storageSize) / cases),
  };
}

export async function lifecycle(s: Bench, p: Profile): Promise<Lifecycle> {
  process.env.XINFANG_TEST_SERVER_BIN = s.testServerBin;
  process.env.XINFANG_TEST_MONGO_URL = s.mongoUrl;
  const ts = await startTimeSkippingStack();
  try {
    const before = await footprint(ts.store.cases.db);
    const office: Actor = { role: 'office' };
    const unit: Actor = { role: 'department', unitCode: '320100-HB' };
    const t0 = performance.now();
    // Drive every case to a delivered reply while time stands still, then await them all: time skips to the end
    // of the rating and review windows.
    const handles = await pool(Array.from({ length: p.lifecycleCases }), 4, async () => {
      const { handle } = await ts.startCase({ regionCode: '320102', category: 'environment' });
      await ts.act(handle, acceptanceUpdate, { actor: office, decision: 'accept' });
      await ts.act(handle, acceptanceUpdate, { actor: unit, decision: 'accept' });
      // Supported, to be carried out within ten days (Art 32), and reported carried out at once.
      const executeBy = localDateOf(new Date(Date.now() + 10 * 86_400_000).toISOString());
      await ts.act(handle, resultUpdate, { actor: unit, decision: 'support', executeBy });
      await ts.act(handle, executionReportUpdate, { actor: unit });
      return handle;
    });
    // One result at a time: the Java test server's time-skipping lock breaks under concurrent result polls
    // ("Unbalanced lock and unlock calls"). Awaiting the first skips time for all of them alike.
    const outcomes: ({ stage: string } | undefined)[] = [];
    for (const h of handles) outcomes.push(await h.result().catch(() => undefined));
    const seconds = (performance.now() - t0) / 1000;
    const counts = await pool(handles.slice(0, 10), 4, async (h: WorkflowHandle) => {
      const events = (await h.fetchHistory()).events ?? [];
      const count = (pred: (e: HistoryEvent) => unknown) => events.filter(pred).length;
      return {
        historyEvents: events.length,
        workflowTasks: count((e) => e.workflowTaskCompletedEventAttributes),
        activities: count((e) => e.activityTaskScheduledEventAttributes),
        timersFired: count((e) => e.timerFiredEventAttributes),
        localActivities: count((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity'),
        timersStarted: count((e) => e.timerStartedEventAttributes),
      };
    });
    const med = (k: keyof (typeof counts)[number]) => median(counts.map((c) => c[k]));
    const result: Lifecycle = {
      cases: handles.length,
      resolved: outcomes.filter((o) => o?.stage === 'resolved').length,
      seconds: round(seconds),
      casesPerSecond: round(handles.length / seconds, 2),
      perCase: {
        historyEvents: med('historyEvents'),
        workflowTasks: med('workflowTasks'),
        activities: med('activities'),
        timersFired: med('timersFired'),
        localActivities: med('localActivities'),
        timersStarted: med('timersStarted'),
      },
      store: growth(before, await footprint(ts.store.cases.db), handles.length),
    };
    log(`lifecycle: ${result.resolved}/${result.cases} resolved in ${result.seconds} s (${result.casesPerSecond}/s)`);
    return result;
  } finally {
    await ts.stop();
  }
}
