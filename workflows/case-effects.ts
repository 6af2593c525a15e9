/** The case workflow's side effects: activity calls, the MongoDB projection, search attributes, UI details. */
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  sleep,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { CaseActivities } from '../activities';
import type { NotificationInput, TimelineInput } from '../activities/types';
import type { Deadline } from '../domain/calendar';
import { message, renderMessage, translate, translator } from '../domain/i18n';
import { CLOCK_LABELS } from '../domain/reminders';
import { clockRule, type ClockRule, type ReminderRule } from '../domain/profiles';
import {
  CaseEscalationLevel,
  CaseNextDeadline,
  CaseOverdue,
  CaseProblem,
  CaseStage,
  CaseUnit,
  CaseUrgent,
} from '../domain/search-attributes';
import type { ClockName } from '../domain/types';
import { clockLabel, isActorClock, nextDeadline, nextEvent, remindersOf, type RunningClock } from './clocks';
import type { CaseState, CaseWorkflowInput } from './case-state';
import { businessFailure } from './context';
import { PATCHES, since, type PatchId } from './patches';
import { periodOf, stageName } from './rule-basics';
import type { Rejection } from './rules';

const storeWriteOptions = {
  startToCloseTimeout: '1 minute',
  // MongoDB may be down for a while: keep retrying, never give up on a case's record.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
} as const;

const activities = proxyActivities<CaseActivities>(storeWriteOptions);

/**
 * A change's projection write runs in the worker that made the change, within the same workflow task: an action is
 * answered, and a reminder written, without another round trip through the server. Retries are the same; a worker
 * that dies mid-write loses the task, and the next worker makes the same (idempotent) write again. Since patch
 * `progress-tried-once-in-task` only the first try runs here (`stepInTask`); this is for cases that ran before it.
 */
const local = proxyLocalActivities<CaseActivities>(storeWriteOptions);

/** Store writes tried once in the running workflow task (`PATCHES.registeredInOneTask`, `progressTriedOnceInTask`). */
const onceInTask = proxyLocalActivities<CaseActivities>({
  startToCloseTimeout: storeWriteOptions.startToCloseTimeout,
  retry: { maximumAttempts: 1 },
});

/** A change's reads: deadlines on the legal calendar, the unit directory, another case's standing. */
type Read =
  | 'computeDeadlines'
  | 'routeCase'
  | 'findEscalationTarget'
  | 'findReviewUnit'
  | 'findCommonSuperior'
  | 'caseStanding'
  | 'findPetitionOffices'
  | 'findUnknownUnits';

type InTaskStep = Read | Delivery | 'recordCase' | 'checkHotspot' | 'recordProgress';

/** A notice issued or its service recorded, a reply delivered: what an action ends with. */
type Delivery = 'issueNotice' | 'recordService' | 'deliverReply';

/**
 * Runs a step that writes to or reads from MongoDB. `inTask`: in the running workflow task, once, so the case moves
 * on with no round trip through the server; should that attempt fail for any reason but a refusal (a non-retryable
 * failure, thrown as it is), the step runs as an activity task with the usual retries. A local activity's retries
 * would hold the workflow task, and with it every query (the tracking page's and the case detail's view of a case
 * whose record MongoDB refuses) and every action, until they ended. Otherwise (cases started before the patch), an
 * activity task at once.
 */
export async function stepInTask<K extends InTaskStep>(
  inTask: boolean,
  name: K,
  summary: string,
  args: Parameters<CaseActivities[K]>,
): Promise<Awaited<ReturnType<CaseActivities[K]>>> {
  type Result = Awaited<ReturnType<CaseActivities[K]>>;
  type Step = (options: { summary: string }, args: Parameters<CaseActivities[K]>) => Promise<Result>;
  const run = (proxy: typeof activities | typeof onceInTask) =>
    (proxy[name].executeWithOptions as unknown as Step)({ summary }, args);
  if (!inTask) return run(activities);
  try {
    return await run(onceInTask);
  } catch (error) {
    if (businessFailure(error) !== undefined) throw error;
    return run(activities);
  }
}

export const { recordCase, checkHotspot } = activities;

/**
 * A step called as an activity is (`executeWithOptions({ summary }, args)`) that runs in the workflow task of the
 * change (`stepInTask`: once, then as an activity task should that attempt fail) for cases that reach it after
 * `patch`; cases that made the same step before the patch replay it as the activity task they ran.
 *
 * - Reads, since `PATCHES.readsInTask`: an action that computes three deadlines and looks up the directory twice is
 *   answered in one workflow task instead of six.
 * - Deliveries, since `PATCHES.noticesInTask`: the notice an action issues, its service on record and the reply a
 *   result delivers, so the action is answered in the workflow task that took it. A retry after a lost task finds the
 *   notice or the reply already stored, and a notice already served is not sent again.
 */
function inTaskSince<K extends InTaskStep>(patch: PatchId, name: K) {
  return {
    executeWithOptions: (options: { summary: string }, args: Parameters<CaseActivities[K]>) =>
      stepInTask(since(patch), name, options.summary, args),
  };
}

const read = <K extends Read>(name: K) => inTaskSince(PATCHES.readsInTask, name);
const delivery = <K extends Delivery>(name: K) => inTaskSince(PATCHES.noticesInTask, name);

export const issueNotice = delivery('issueNotice');
export const recordService = delivery('recordService');
export const deliverReply = delivery('deliverReply');

export const computeDeadlines = read('computeDeadlines');
export const routeCase = read('routeCase');
export const findEscalationTarget = read('findEscalationTarget');
export const findReviewUnit = read('findReviewUnit');
export const findCommonSuperior = read('findCommonSuperior');
export const caseStanding = read('caseStanding');
export const findPetitionOffices = read('findPetitionOffices');
export const findUnknownUnits = read('findUnknownUnits');

/**
 * An action refused: the failure's message is the refusal in Chinese (what Temporal's UI and logs show), and its
 * details carry the catalogue message, so the API answers in the caller's language. Thrown by the caller
 * (`throw rejection(...)`), so TypeScript knows the code after it runs only when the action was not refused.
 */
export function rejection(refused: Rejection): ApplicationFailure {
  return ApplicationFailure.create({
    message: renderMessage(refused.message, 'zh-CN'),
    type: refused.type,
    details: [refused.message],
    nonRetryable: true,
  });
}

/** Serializes the handlers and the clock loop: one change to the case at a time. */
export class Lock {
  private held = false;
  constructor(private readonly wait: (fn: () => boolean) => Promise<void>) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    // `condition` wakes every waiter whose predicate holds at once: look again, another waiter may have taken it.
    while (this.held) await this.wait(() => !this.held);
    this.held = true;
    try {
      return await fn();
    } finally {
      this.held = false;
    }
  }
}

/**
 * The clock loop's timer (patch `clock-timer-kept`): one timer for the next clock event, kept while a change leaves
 * that event's instant and label as they were, started anew only when they move. `condition(changed, timeout)`
 * starts a timer at each wait, so every change to the case cancelled the loop's timer and started another, most
 * often for the same instant.
 */
export class ClockTimer {
  private armed?: { at: number; label: string; scope: CancellationScope; fired: Promise<boolean> };

  /** Waits for `changed` to hold (true) or the instant `at` to come (false), whichever is first. */
  async wait(at: number, label: string, changed: () => boolean): Promise<boolean> {
    if (this.armed?.at !== at || this.armed.label !== label) {
      this.cancel();
      const scope = new CancellationScope();
      const fired = scope
        .run(() => sleep(at - Date.now(), { summary: label }))
        .then(
          () => false,
          (err: unknown) => {
            // Cancelled: a later wait armed another instant, and nobody waits on this one any more.
            if (isCancellation(err)) return true;
            throw err;
          },
        );
      this.armed = { at, label, scope, fired };
    }
    const armed = this.armed;
    const waiting = new CancellationScope();
    try {
      const changedFirst = await waiting.run(() => Promise.race([armed.fired, condition(changed).then(() => true)]));
      if (!changedFirst) this.armed = undefined;
      return changedFirst;
    } finally {
      // The condition, not the timer: the next wait may keep it.
      waiting.cancel();
    }
  }

  /** No timer: the case has no clock event ahead, or the next one is already due. */
  cancel(): void {
    this.armed?.scope.cancel();
    this.armed = undefined;
  }
}

export function now(): string {
  return new Date(Date.now()).toISOString();
}

/** The reminder rules sent with a clock's deadline request: actor clocks remind, windows do not. */
function reminderRequest(input: CaseWorkflowInput, clock: ClockName, key: string) {
  return isActorClock(clock) ? { reminders: input.profile.reminders, label: clockLabel({ clock, key }) } : {};
}

export async function startClock(
  input: CaseWorkflowInput,
  state: CaseState,
  spec: {
    key?: string;
    clock: ClockName;
    holder: string;
    startedAt?: string;
    rule?: ClockRule;
    /** Reminders due since this instant are still sent (see passedReminders); by default, since now. */
    remindersDueSince?: number;
    /** The registration's first deadline: computed in the running workflow task or not (`stepInTask`). */
    inTask?: boolean;
  },
): Promise<RunningClock> {
  // A major or urgent matter runs the profile's shortened clocks (Art 22(1), 25).
  const urgent = state.urgent ? input.profile.urgent?.clocks[spec.clock] : undefined;
  const rule = spec.rule ?? urgent ?? clockRule(input.profile, spec.clock);
  const { inTask, ...clockSpec } = spec;
  const summary = translate('zh-CN', 'summary.computeDeadline', {
    clock: CLOCK_LABELS[spec.clock],
    period: periodOf(rule.length, rule.unit),
  });
  const request = {
    clock: spec.clock,
    rule,
    startedAt: spec.startedAt ?? now(),
    ...reminderRequest(input, spec.clock, spec.key ?? spec.clock),
  };
  // The registration says where its first deadline is computed (`PATCHES.registeredInOneTask`); a change, as a read.
  const [deadline] = await stepInTask(inTask ?? since(PATCHES.readsInTask), 'computeDeadlines', summary, [[request]]);
  return addClock(input, state, { ...clockSpec, rule, deadline: deadline! });
}

/** Runs a clock whose deadline is already computed. */
export function addClock(
  input: CaseWorkflowInput,
  state: CaseState,
  spec: {
    key?: string;
    clock: ClockName;
    holder: string;
    deadline: Deadline;
    rule?: ClockRule;
    remindersDueSince?: number;
  },
): RunningClock {
  const key = spec.key ?? spec.clock;
  const firedReminders = isActorClock(spec.clock)
    ? passedReminders({ ...spec, key }, input.profile.reminders, spec.remindersDueSince)
    : [];
  const running: RunningClock = {
    key,
    clock: spec.clock,
    deadline: spec.deadline,
    holder: spec.holder,
    firedReminders,
    expired: false,
    pauses: [],
    ...(spec.rule ? { rule: spec.rule } : {}),
  };
  stopClock(state, running.key);
  state.clocks.push(running);
  return running;
}

/** Recomputes a clock after an extension, a pause, or a new calendar; reminders follow the moved deadline. */
export async function recomputeClock(input: CaseWorkflowInput, running: RunningClock, rule?: ClockRule): Promise<void> {
  const summary = translate('zh-CN', 'summary.recomputeDeadline', { clock: CLOCK_LABELS[running.clock] });
  const [deadline] = await computeDeadlines.executeWithOptions({ summary }, [
    [
      {
        clock: running.clock,
        rule: rule ?? running.rule ?? clockRule(input.profile, running.clock),
        startedAt: running.deadline.startedAt,
        pauses: running.pauses,
        extensionDays: running.extensionDays,
        extensionReason: running.extensionDays ? translate('zh-CN', 'deadline.reason.extensionApproved') : undefined,
        ...reminderRequest(input, running.clock, running.key),
      },
    ],
  ]);
  applyDeadline(running, deadline!, input.profile.reminders);
}

export function applyDeadline(
  running: RunningClock,
  deadline: Deadline,
  reminders: readonly ReminderRule[] = [],
): void {
  const moved = deadline.dueAt !== running.deadline.dueAt;
  running.deadline = deadline;
  if (moved && Date.parse(deadline.dueAt) > Date.now()) {
    running.expired = false;
    running.nextEscalationAt = undefined;
    // The reminders follow the new deadline: those still ahead fire then (see passedReminders).
    running.firedReminders = passedReminders(running, reminders);
  }
}

/**
 * Reminders of a new or moved deadline whose time had already passed by `since` (by default, now): they count as
 * sent, so they are not sent late (a clock started from a past receipt, or a half-time reminder at the moment an
 * extension is approved). Those due after `since` and before now are sent at once: a case registered before its
 * reminder fell due gets it even when its clock could start only later.
 */
function passedReminders(
  running: Pick<RunningClock, 'clock' | 'key' | 'deadline'>,
  reminders: readonly ReminderRule[],
  since = Date.now(),
): string[] {
  return remindersOf(running, reminders)
    .filter((r) => Date.parse(r.at) <= since)
    .map((r) => r.key);
}

export function stopClock(state: CaseState, key: string): void {
  state.clocks = state.clocks.filter((c) => c.key !== key);
}

export function findClock(state: CaseState, key: string): RunningClock | undefined {
  return state.clocks.find((c) => c.key === key);
}

export function isOverdue(state: CaseState): boolean {
  return state.clocks.some((c) => c.expired);
}

/**
 * Where the case stands, as every reader sees it: the search attributes an operator's list filters on, the
 * projection in MongoDB and the case's live view (its query). One function, so that a paused clock, a guarded unit
 * or an overdue clock cannot read one way in the list and another in the detail.
 */
export function standing(
  input: CaseWorkflowInput,
  state: CaseState,
): { units: string[]; nextDeadline: string | undefined; overdue: boolean } {
  return {
    units: currentUnits(state, guarded(input, state)),
    // A paused clock (a hearing, Art 36) has no deadline running: it is not the next one.
    nextDeadline: nextDeadline(state.clocks),
    overdue: isOverdue(state),
  };
}

/** Records a change: projection and timeline to MongoDB, search attributes and details to Temporal. */
export async function record(
  input: CaseWorkflowInput,
  state: CaseState,
  timeline: Omit<TimelineInput, 'key' | 'at'>[],
  notifications: Omit<NotificationInput, 'key'>[] = [],
): Promise<void> {
  state.version += 1;
  const keyed = withheldFromAnonymous(input, withheldFromGuarded(input, state, notifications)).map((n, i) => ({
    ...n,
    key: `${state.version}.${i}:${n.kind}:${n.recipient}`,
  }));
  const at = now();
  const { units, nextDeadline: next, overdue } = standing(input, state);
  upsertSearchAttributes([
    { key: CaseStage, value: state.stage },
    { key: CaseUnit, value: units },
    { key: CaseEscalationLevel, value: state.escalationLevel },
    { key: CaseNextDeadline, value: next ? new Date(next) : null },
    { key: CaseOverdue, value: overdue },
    ...(state.problem || state.problemShown ? [{ key: CaseProblem, value: state.problem?.kind ?? null }] : []),
    ...(state.urgent !== undefined ? [{ key: CaseUrgent, value: state.urgent }] : []),
  ]);
  if (state.problem) state.problemShown = true;
  setCurrentDetails(describe(input, state));
  const summary = translate('zh-CN', 'summary.recordProgress', {
    entries: timeline.length ? timeline.map((t) => t.type) : ['progress'],
  });
  const progress: Parameters<CaseActivities['recordProgress']> = [
    {
      caseId: input.ref.caseId,
      version: state.version,
      at,
      projection: {
        stage: state.stage,
        units,
        leadUnit: state.leadUnit,
        escalationLevel: state.escalationLevel,
        nextDeadlineAt: next,
        overdue,
        deadlines: state.clocks.map((c) => ({ ...c.deadline, key: c.key, holder: c.holder, overdue: c.expired })),
        decision: state.decision,
        rating: state.rating,
        closedAt: state.closedAt,
        urgent: state.urgent,
      },
      timeline: timeline.map((entry, i) => ({ ...entry, key: `${state.version}.${i}:${entry.type}`, at })),
      notifications: keyed,
    },
  ];
  // A projection the store refuses must not hold the case's queries: the live view is what keeps a unit the case
  // has just left (an accused holder it was recalled from) out of it while the record still names that unit.
  if (since(PATCHES.progressTriedOnceInTask)) await stepInTask(true, 'recordProgress', summary, progress);
  else {
    const recordProgress = since(PATCHES.progressWrittenLocally) ? local.recordProgress : activities.recordProgress;
    await recordProgress.executeWithOptions({ summary }, progress);
  }
  // Units hear of it on their own systems too, without holding up the case; a problem reaches the office's system.
  for (const n of keyed) {
    if (UNIT_CODE.test(n.recipient) || (n.recipient === 'office' && OFFICE_WEBHOOK_KINDS.includes(n.kind)))
      state.webhookQueue.push({ outboxId: `${input.ref.caseId}:${n.key}`, unitCode: n.recipient });
  }
}

const UNIT_CODE = /^\d{6}-[A-Z]+$/;

/** Office notifications also POSTed to the webhook of the petition office of the case's region. */
const OFFICE_WEBHOOK_KINDS: readonly string[] = ['problem'];

/** The units this case must never reach (Art 28, 30): accused units of a report, and recused units of any case. */
export function guarded(input: CaseWorkflowInput, state: CaseState): string[] {
  const accused = input.ref.kind === 'report' ? [...input.accusedUnits, ...(state.addedAccused ?? [])] : [];
  return [...new Set([...accused, ...(state.recused ?? [])])];
}

/**
 * The last line of the guard: a notification addressed to a guarded unit goes to the office instead, whatever step
 * produced it. Every step already skips guarded units; this keeps a future mistake from reaching the accused.
 */
function withheldFromGuarded(
  input: CaseWorkflowInput,
  state: CaseState,
  notifications: Omit<NotificationInput, 'key'>[],
): Omit<NotificationInput, 'key'>[] {
  const units = guarded(input, state);
  if (units.length === 0) return notifications;
  return notifications.map((n) =>
    units.includes(n.recipient)
      ? { kind: n.kind, recipient: 'office', detail: { ...n.detail, withheldFromGuardedUnit: true } }
      : n,
  );
}

/**
 * Art 30: an anonymous petitioner cannot be reached, so no notice is addressed to one (the transfer and acceptance
 * notices, like the reply, are withheld). Cases registered before procedures by kind keep writing them.
 */
function withheldFromAnonymous(
  input: CaseWorkflowInput,
  notifications: Omit<NotificationInput, 'key'>[],
): Omit<NotificationInput, 'key'>[] {
  if (!input.anonymous || !input.profile.procedures) return notifications;
  return notifications.filter((n) => n.recipient !== 'petitioner');
}

const webhookActivities = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 8 },
});

/** Delivers queued webhooks one by one, in order, until the case is over and the queue is empty. */
export async function runWebhooks(state: CaseState, finished: () => boolean): Promise<void> {
  for (;;) {
    await condition(() => state.webhookQueue.length > 0 || finished());
    const next = state.webhookQueue[0];
    if (!next) return;
    try {
      await webhookActivities.deliverWebhook.executeWithOptions(
        { summary: translate('zh-CN', 'summary.webhook', { unit: next.unitCode }) },
        [{ outboxId: next.outboxId }],
      );
    } catch {
      // The outbox keeps each attempt and the last error for the office; the case goes on.
    }
    state.webhookQueue.shift();
  }
}

export function currentUnits(state: CaseState, guardedUnits: readonly string[] = []): string[] {
  const units = state.leadUnit ? [state.leadUnit] : [];
  units.push(...state.coHandlers.map((c) => c.unitCode));
  if (state.reviewUnit && !units.includes(state.reviewUnit)) units.push(state.reviewUnit);
  return units.filter((unit) => !guardedUnits.includes(unit));
}

/** The workflow's current details in the Temporal UI (markdown, in Chinese; codes and dates, no personal data). */
export function describe(input: CaseWorkflowInput, state: CaseState): string {
  const t = translator('zh-CN');
  const paragraphs = [t('details.stage', { stage: stageName(state.stage) })];
  if (state.problem)
    paragraphs.push(
      t('details.problem', {
        kind: message(`caseProblem.${state.problem.kind}`),
        since: state.problem.since,
      }),
    );
  const units = currentUnits(state, guarded(input, state));
  if (units.length) {
    paragraphs.push(
      state.mode
        ? t('details.unitsWithMode', { units, mode: message(`mode.${state.mode}`) })
        : t('details.units', { units }),
    );
  }
  if (state.escalationLevel > 0) paragraphs.push(t('details.escalation', { level: state.escalationLevel }));
  if (state.clocks.length) {
    const clocks = state.clocks.map((running) => {
      const status = running.pausedSince ? 'details.paused' : running.expired ? 'details.overdue' : 'details.running';
      const lastDay = running.deadline.explanation.lastDay;
      return t('details.clock', { clock: clockLabel(running), lastDay, status: message(status) });
    });
    // One paragraph each: the UI renders a small markdown subset without lists.
    paragraphs.push(...clocks);
  }
  const next = nextEvent(state.clocks, input.profile.reminders);
  if (next) paragraphs.push(t('details.next', { event: next.label, at: next.at }));
  return paragraphs.join('\n\n');
}
