/**
 * Per-case cost and where the time goes: history length, state transitions and the first steps' timing of
 * registered cases, and the CPU the intake path spends outside Temporal.
 */
import { performance } from 'node:perf_hooks';
import { IntakeBody } from '../../api/schemas';
import { caseWorkflowId } from '../../domain/ids';
import { pool } from '../stats';
import { median, protoMs, round, type HistoryEvent } from './helpers';
import { intakeBody, type Bench } from './requests';

export interface CaseCost {
  sample: number;
  historyLength: number;
  stateTransitions: number;
  /** WorkflowExecutionStarted → first WorkflowTaskStarted. */
  toFirstTaskMs: number;
  firstTaskMs: number;
  /** WorkflowExecutionStarted → recordCase ActivityTaskStarted (the first activity). */
  toFirstActivityMs: number;
  firstActivityMs: number;
  /** WorkflowExecutionStarted → the clock timer is armed: registered and waiting. */
  toRegisteredMs: number;
}

export async function caseCost(s: Bench, caseIds: string[]): Promise<CaseCost> {
  const rows = await pool(caseIds, 4, async (caseId) => {
    const handle = s.client.workflow.getHandle(caseWorkflowId(caseId));
    const [description, history] = await Promise.all([handle.describe(), handle.fetchHistory()]);
    const events: HistoryEvent[] = history.events ?? [];
    const at = (pred: (e: HistoryEvent) => unknown) => protoMs(events.find(pred)?.eventTime);
    const start = protoMs(events[0]?.eventTime);
    const firstTaskStarted = at((e) => e.workflowTaskStartedEventAttributes);
    const firstTaskDone = at((e) => e.workflowTaskCompletedEventAttributes);
    const actStarted = at((e) => e.activityTaskStartedEventAttributes);
    const actDone = at((e) => e.activityTaskCompletedEventAttributes);
    return {
      historyLength: description.historyLength,
      stateTransitions: Number(description.raw.workflowExecutionInfo?.stateTransitionCount ?? NaN),
      toFirstTaskMs: firstTaskStarted - start,
      firstTaskMs: firstTaskDone - firstTaskStarted,
      toFirstActivityMs: actStarted - start,
      firstActivityMs: actDone - actStarted,
      toRegisteredMs: at((e) => e.timerStartedEventAttributes) - start,
    };
  });
  const med = (k: keyof (typeof rows)[number]) => round(median(rows.map((r) => r[k])));
  return {
    sample: rows.length,
    historyLength: med('historyLength'),
    stateTransitions: med('stateTransitions'),
    toFirstTaskMs: med('toFirstTaskMs'),
    firstTaskMs: med('firstTaskMs'),
    toFirstActivityMs: med('toFirstActivityMs'),
    firstActivityMs: med('firstActivityMs'),
    toRegisteredMs: med('toRegisteredMs'),
  };
}

/** The CPU work of the intake path outside Temporal, per request, in µs (median of 5 batches). */
export interface IntakeCpu {
  jsonParseUs: number;
  zodUs: number;
  sealUs: number;
  digestsUs: number;
}

export function intakeCpu(s: Bench): IntakeCpu {
  const { sealer } = s;
  const body = intakeBody(s);
  const text = JSON.stringify(body);
  const time = (fn: () => unknown, n = 2000) => {
    const batches: number[] = [];
    for (let b = 0; b < 5; b++) {
      const t = performance.now();
      for (let i = 0; i < n; i++) fn();
      batches.push(((performance.now() - t) * 1000) / n);
    }
    return round(median(batches), 2);
  };
  const parsed = IntakeBody.parse(JSON.parse(text));
  return {
    jsonParseUs: time(() => JSON.parse(text)),
    zodUs: time(() => IntakeBody.parse(JSON.parse(text))) - time(() => JSON.parse(text)),
    sealUs: time(() => sealer.seal({ ...parsed, receivedAt: new Date().toISOString() })),
    digestsUs: time(() => {
      for (const label of ['idempotency', 'intake', 'tracking-code', 'pin', 'pin-hash', 'repeat'])
        sealer.digest(label, text);
    }),
  };
}
