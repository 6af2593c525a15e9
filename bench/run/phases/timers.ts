/**
 * 3. Timer precision: N cases whose C1 reminders fall due in the same instant, after every case is registered; how
 * late each fires, runs and is written, read from the cases' histories.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { caseStartOptions } from '../../../api/intake';
import { computeDeadline, createLegalCalendar, localDateOf } from '../../../domain/calendar';
import { builtInCalendarYears } from '../../../domain/calendar-source';
import { caseWorkflowId } from '../../../domain/ids';
import { profileForRegion } from '../../../domain/profiles';
import { localTimeOf, workingDayYears } from '../../../faults/clock-plan';
import { caseStartInput } from '../../../harness/case-start';
import type { caseWorkflow } from '../../../workflows';
import type { CaseWorkflowInput } from '../../../workflows/case-state';
import { percentile, pool } from '../../stats';
import { log, protoMs, round, sleep, type HistoryEvent } from '../helpers';
import type { Profile } from '../profiles';
import { drain, waitRegistered, type Bench } from '../requests';
import { CASES_WARM } from '../stack';

/**
 * The national profile with one reminder only: the fraction of the C1 period, for letters received at `receivedAt`,
 * whose day is the day of `target`. It travels in the workflow input, so no code changes. Reminders land at the
 * reminder time on a working day: the timer run sets the time to `target`'s and makes its day a working day.
 */
function timerProfile(receivedAt: string, target: number): CaseWorkflowInput['profile'] {
  const calendar = createLegalCalendar(builtInCalendarYears());
  const base = profileForRegion('320102');
  const due = Date.parse(
    computeDeadline({ clock: 'dispose', rule: base.clocks.dispose, startedAt: receivedAt }, calendar).dueAt,
  );
  const start = Date.parse(receivedAt);
  return { ...base, reminders: [{ atFraction: (target - start) / (due - start) }] };
}

/** Starts a case the way registerCase does (same options, sealed record and search attributes), with `profile`. */
function timerCaseInput(s: Bench, receivedAt: string, profile: CaseWorkflowInput['profile']): CaseWorkflowInput {
  return caseStartInput(s.sealer, {
    registered: new Date(),
    receivedAt: new Date(receivedAt),
    regionCode: '320102',
    profile,
    subject: `Bench timer ${randomBytes(8).toString('hex')}`,
    content: 'Timer precision case.',
  }).input;
}

export interface TimerRun {
  cases: number;
  startSeconds: number;
  /** Spread of the reminder instants the workflows armed (ms): 0 means all in the same instant. */
  armedSpreadMs: number;
  /** TimerFired event time − reminder instant. */
  fired: LatenessStats;
  /** First WorkflowTaskStarted after TimerFired − reminder instant: the workflow runs its reminder code. */
  taskStarted: LatenessStats;
  /**
   * First ActivityTaskStarted, or MarkerRecorded of a local activity, after TimerFired − reminder instant: the
   * reminder is being written (recordProgress), or (marker) has been written.
   */
  activityStarted: LatenessStats;
  /** Cases whose reminder was found in history. */
  measured: number;
}
export interface LatenessStats {
  p50: number;
  p99: number;
  max: number;
}

export function lateness(values: number[]): LatenessStats {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), max: round(sorted.at(-1) ?? NaN) };
}

/**
 * Makes `reminderAt` a reminder instant: the workers' reminder time is set to its time of day, and its day made a
 * working day in the calendar they read.
 */
async function setReminderInstant(s: Bench, reminderAt: number, spreadSeconds: number): Promise<void> {
  s.deps.reminderTime = localTimeOf(reminderAt);
  s.deps.reminderSpread = spreadSeconds;
  for (const year of workingDayYears(localDateOf(new Date(reminderAt).toISOString()), 'benchmark')) {
    await s.store.calendarYears.updateOne(
      { _id: year.year },
      { $set: { holidays: year.holidays, workdays: year.workdays, source: year.source, loadedAt: new Date() } },
      { upsert: true },
    );
  }
}

/**
 * Starts `n` cases the way registerCase does, received `receivedAt`, with `profile`, 8 at a time; `startDelay` holds
 * back each one's first workflow task. Returns their case IDs.
 */
export async function startBenchCases(
  s: Bench,
  n: number,
  receivedAt: string,
  profile: CaseWorkflowInput['profile'],
  startDelay?: number,
): Promise<string[]> {
  return pool(Array.from({ length: n }), 8, async () => {
    const input = timerCaseInput(s, receivedAt, profile);
    const options = caseStartOptions(input, CASES_WARM);
    await s.client.workflow.start<typeof caseWorkflow>('caseWorkflow', { ...options, startDelay });
    s.openCaseIds.add(caseWorkflowId(input.ref.caseId));
    return input.ref.caseId;
  });
}

/**
 * Starts `n` cases whose only reminder falls due at `reminderAt` (each at its own offset within `spreadSeconds` after
 * it, as the workers' `XINFANG_REMINDER_SPREAD` spreads them), and waits until every one is registered.
 */
export async function armReminders(s: Bench, n: number, reminderAt: number, spreadSeconds = 0): Promise<string[]> {
  await setReminderInstant(s, reminderAt, spreadSeconds);
  const receivedAt = new Date(Date.now() - 3 * 86_400_000).toISOString();
  const ids = await startBenchCases(s, n, receivedAt, timerProfile(receivedAt, reminderAt));
  await waitRegistered(s, ids, Math.max(60_000, reminderAt - Date.now()));
  return ids;
}

/**
 * A case's reminder due nearest `[reminderAt, reminderAt + spreadMs]` (within 30 s of it), read from its history;
 * times in epoch ms.
 */
export interface ReminderEvents {
  /** The instant the server was asked to fire it. */
  due: number;
  fired: number;
  /** First WorkflowTaskStarted after TimerFired. */
  taskStarted: number;
  /** First ActivityTaskStarted, or MarkerRecorded of a local activity, after TimerFired: the reminder's write. */
  written: number;
}

export function reminderEvents(events: HistoryEvent[], reminderAt: number, spreadMs = 0): ReminderEvents | undefined {
  const distance = (due: number) => Math.max(0, reminderAt - due, due - (reminderAt + spreadMs));
  const byId = new Map(events.map((e) => [Number(e.eventId), e]));
  let best: { index: number; due: number } | undefined;
  events.forEach((e, index) => {
    const attrs = e.timerFiredEventAttributes;
    if (!attrs) return;
    const startedEvent = byId.get(Number(attrs.startedEventId));
    const started = startedEvent?.timerStartedEventAttributes;
    if (!started || !startedEvent) return;
    const due = protoMs(startedEvent.eventTime) + protoMs(started.startToFireTimeout);
    if (!best || distance(due) < distance(best.due)) best = { index, due };
  });
  if (!best || distance(best.due) > 30_000) return undefined;
  const after = events.slice(best.index + 1);
  // The reminder's write: an activity task started, or (a local activity) the marker of one that completed.
  const write = after.find((e) => e.activityTaskStartedEventAttributes || e.markerRecordedEventAttributes);
  return {
    due: best.due,
    fired: protoMs(events[best.index]!.eventTime),
    taskStarted: protoMs(after.find((e) => e.workflowTaskStartedEventAttributes)?.eventTime),
    written: protoMs(write?.eventTime),
  };
}

export async function timerPrecision(s: Bench, p: Profile, n: number): Promise<TimerRun> {
  // Enough lead to start every case first (~30/s on two cores), plus a margin.
  await drain(s, p.drainCapSeconds * 3000);
  // Every case must be registered (its timer armed) before the instant: ≥ 10 registrations/s here, plus a margin.
  const lead = p.timerLeadSeconds + Math.ceil(n / 10);
  const reminderAt = Math.round(Date.now() / 1000 + lead) * 1000;
  const t0 = performance.now();
  const ids = await armReminders(s, n, reminderAt);
  const startSeconds = (performance.now() - t0) / 1000;
  log(
    `timers: ${ids.length} cases started in ${round(startSeconds)} s; reminders due in ${round((reminderAt - Date.now()) / 1000)} s`,
  );
  if (Date.now() > reminderAt - 5000) log('timers: WARNING the cases took longer to start than the lead time');
  await sleep(Math.max(0, reminderAt - Date.now()) + 5_000);
  // Wait until every case has written its reminder (the workers go idle), or 60 s more.
  await drain(s, 60_000);
  const fired: number[] = [];
  const task: number[] = [];
  const activity: number[] = [];
  const armed: number[] = [];
  await pool(ids, 8, async (caseId) => {
    const history = await s.client.workflow.getHandle(caseWorkflowId(caseId)).fetchHistory();
    const r = reminderEvents(history.events ?? [], reminderAt);
    if (!r) return;
    armed.push(r.due);
    fired.push(r.fired - reminderAt);
    task.push(r.taskStarted - reminderAt);
    activity.push(r.written - reminderAt);
  });
  const run: TimerRun = {
    cases: ids.length,
    startSeconds: round(startSeconds),
    armedSpreadMs: armed.length ? round(Math.max(...armed) - Math.min(...armed)) : NaN,
    fired: lateness(fired),
    taskStarted: lateness(task),
    activityStarted: lateness(activity),
    measured: fired.length,
  };
  log(
    `timers ${n}: fired p50 ${run.fired.p50} p99 ${run.fired.p99} | activity started p50 ${run.activityStarted.p50} ` +
      `p99 ${run.activityStarted.p99} ms (measured ${run.measured})`,
  );
  return run;
}
