/**
 * 5. The whole lifecycle with time skipping: intake → transfer → accept → supported result → execution report →
 * review window lapsed → resolved, on the Java test server, in cases per second and history per case.
 */
import { performance } from 'node:perf_hooks';
import type { WorkflowHandle } from '@temporalio/client';
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
  perCase: { historyEvents: number; workflowTasks: number; activities: number; timersFired: number };
}

export async function lifecycle(s: Bench, p: Profile): Promise<Lifecycle> {
  process.env.XINFANG_TEST_SERVER_BIN = s.testServerBin;
  process.env.XINFANG_TEST_MONGO_URL = s.mongoUrl;
  const ts = await startTimeSkippingStack();
  try {
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
      },
    };
    log(`lifecycle: ${result.resolved}/${result.cases} resolved in ${result.seconds} s (${result.casesPerSecond}/s)`);
    return result;
  } finally {
    await ts.stop();
  }
}
