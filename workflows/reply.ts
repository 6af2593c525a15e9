/** The written reply and what follows it (Art 32, 35, 36): rating, review, re-review and the hearing. */
import { addLocalDays, localDateOf } from '../domain/calendar';
import { translate } from '../domain/i18n';
import { actionTextsId, callerId } from '../domain/ids';
import { procedureOf } from '../domain/profiles';
import { CLOCK_LABELS } from '../domain/reminders';
import type { Decision, Stage } from '../domain/types';
import {
  addClock,
  applyDeadline,
  computeDeadlines,
  deliverReply,
  findClock,
  findReviewUnit,
  now,
  recomputeClock,
  rejection,
  startClock,
  stopClock,
} from './case-effects';
import type { RunningClock } from './clocks';
import {
  refusedOnFailure,
  withinLastDay,
  type CaseContext,
  type Notifications,
  type TimelineEntries,
  type TimelineEntry,
} from './context';
import * as m from './messages';
import { businessRule } from './rule-basics';
import { afterService, issue, servedByPetitionerAction } from './service';
import { PATCHES, since } from './patches';

/** A written reply: what was decided, by which unit, in answer to which action, and by when a support is carried out. */
export interface WrittenReply {
  decision: Decision;
  action: m.ActionBase;
  unitCode: string;
  /** A supported decision's execution date (Art 32), a local date. */
  executeBy?: string;
}

/** Art 32: the handling unit's reply (again after a redo); the petitioner may rate it and ask for review (Art 35). */
export function deliverUnitReply(c: CaseContext, reply: WrittenReply & { afterRedo: boolean }): Promise<void> {
  return deliver(c, reply.afterRedo ? 3 : 0, reply, 'reviewRequest');
}

/** Art 35: the review opinion; the petitioner may ask for re-review (Art 36). */
export function deliverReviewOpinion(c: CaseContext, reply: WrittenReply): Promise<void> {
  return deliver(c, 1, reply, 'reReviewRequest');
}

/** Art 36: the re-review opinion, final: the case ends with it. */
export function deliverReReviewOpinion(c: CaseContext, reply: WrittenReply): Promise<void> {
  return deliver(c, 2, reply);
}

/** Art 32: deliver the written reply, then open the petitioner's windows. */
async function deliver(
  c: CaseContext,
  round: ReplyRound,
  { decision, action, unitCode, executeBy }: WrittenReply,
  window?: 'reviewRequest' | 'reReviewRequest',
): Promise<void> {
  const { input, state } = c;
  // Each kind's procedure (cases registered before it: every reply rated and reviewable, always delivered).
  const kinds = !!input.profile.procedures;
  const follows = kinds ? windowsAfterReply(c) : { rating: true, review: true };
  const reviewWindow = follows.review ? window : undefined;
  const deliveredAt = now();
  // Served on record (patch notices-served): the petitioner's windows run from service (Art 35, 36: from receipt).
  // A reply with nothing after it (a report's result, a re-review opinion) ends the case as before.
  const awaits = (round !== 1 && follows.rating) || !!reviewWindow;
  const served = c.serves() && !(kinds && input.anonymous) && round !== 2 && awaits;
  const [nextReviewDeadline] =
    reviewWindow && !served
      ? await computeDeadlines.executeWithOptions(
          { summary: translate('zh-CN', 'summary.computeWindow', { clock: CLOCK_LABELS[reviewWindow] }) },
          [[{ clock: reviewWindow, rule: input.profile.clocks[reviewWindow], startedAt: deliveredAt }]],
        )
      : [];
  // Art 30: the result notice goes to a named reporter; nothing reaches an anonymous petitioner.
  if (!(kinds && input.anonymous)) {
    await deliverReply.executeWithOptions({ summary: translate('zh-CN', 'summary.deliverReply', { round }) }, [
      {
        caseId: input.ref.caseId,
        round,
        decision,
        actionId: action.actionId,
        // Only the words the acting unit sent with this very request make its reply.
        textsId: actionTextsId(input.ref.caseId, callerId(action.actor), action.actionId, action.digest),
        unitCode,
        deliveredAt,
        nextReviewDeadline,
        ...(served ? { servedAsNotice: true } : {}),
        ...(served && reviewWindow ? { reviewWithin: input.profile.clocks[reviewWindow] } : {}),
      },
    ]);
  }
  // The petitioner's copy of the reply is the outbox message deliverReply wrote.
  if (kinds && executeBy) await startExecution(c, executeBy);
  else if (kinds && decision !== 'support' && round > 0) await cancelExecution(c);
  const replied: TimelineEntry = {
    type: round === 1 ? 'review_replied' : 'reply_delivered',
    unitCode,
    detail: { decision, round },
  };
  if (round === 2) {
    const timeline: TimelineEntries = [{ type: 're_review_replied', unitCode, detail: { decision } }];
    return kinds ? closeIfDone(c, 'terminated', timeline) : c.end('terminated', timeline);
  }
  state.stage = round === 1 ? 'review_replied' : 'reply_delivered';
  if (served) return serveReply(c, round, unitCode, replied, round !== 1 && follows.rating, reviewWindow);
  if (round !== 1 && follows.rating) {
    await startClock(input, state, { clock: 'rating', holder: 'petitioner', startedAt: deliveredAt });
  }
  if (reviewWindow) {
    if (since(PATCHES.replyWindowComputedOnce)) {
      // The window stated in the reply is the window the case runs: computed once, above.
      addClock(input, state, { clock: reviewWindow, holder: 'petitioner', deadline: nextReviewDeadline! });
    } else {
      const windowClock = await startClock(input, state, {
        clock: reviewWindow,
        holder: 'petitioner',
        startedAt: deliveredAt,
      });
      applyDeadline(windowClock, nextReviewDeadline!);
    }
  }
  // A reply with no window after it (a report's result notice) ends the case at once.
  if (kinds) return closeIfDone(c, endStageOf(c), [replied]);
  await c.change([replied]);
}

/** The reply as a notice on record: its windows open when it is served, at once or later (service.ts). */
async function serveReply(
  c: CaseContext,
  round: ReplyRound,
  unitCode: string,
  replied: TimelineEntries[number],
  rating: boolean,
  window?: 'reviewRequest' | 'reReviewRequest',
): Promise<void> {
  const { state } = c;
  const noticeId = `${c.input.ref.caseId}:reply:${round}`;
  state.awaitingService = { noticeId, rating, ...(window ? { window } : {}) };
  const servedAt = await issue(c, 'reply', round, unitCode);
  const notice = state.notices!.find((x) => x.id === noticeId)!;
  const issued: TimelineEntry = { type: 'notice_issued', detail: { noticeId, channel: notice.channel } };
  if (!servedAt) return c.change([replied, issued]);
  return afterService(c, notice, [
    replied,
    issued,
    { type: 'notice_served', detail: { noticeId, servedAt, method: notice.method } },
  ]);
}

/** 0 the reply, 1 the review opinion, 2 the re-review opinion, 3 the reply written again after a redo. */
export type ReplyRound = 0 | 1 | 2 | 3;

export async function rate(c: CaseContext, args: m.RatingArgs): Promise<void> {
  const { state, input } = c;
  await servedByPetitionerAction(c);
  state.rating = args.rating;
  stopClock(state, 'rating');
  const timeline: TimelineEntries = [{ type: 'rated', detail: { rating: args.rating } }];
  if (!input.profile.procedures) return c.change(timeline);
  // A dissatisfied petitioner is called back, or the case returned for redo once (12345 practice). A rating comes
  // only while the reply's rating window runs, and that window runs only in `reply_delivered` (deliver, afterService).
  if (args.rating === 'dissatisfied' && input.profile.callback) {
    await c.change(timeline);
    return awaitCallbackDecision(c);
  }
  await closeIfDone(c, endStageOf(c), timeline);
}

// Art 35, 36: review by the next-higher unit, then re-review by the one above it — never a guarded unit (Art 28, 30).
export async function requestReview(c: CaseContext): Promise<void> {
  const { state, input } = c;
  const law = c.law();
  await servedByPetitionerAction(c);
  const reReview = state.stage === 'review_replied';
  const current = reReview ? state.reviewUnit! : state.leadUnit!;
  const reviewer = await refusedOnFailure(
    findReviewUnit.executeWithOptions({ summary: translate('zh-CN', 'summary.findUnitAbove', { unit: current }) }, [
      { unitCode: current, accusedUnits: law ? c.guarded() : input.accusedUnits },
    ]),
  );
  if (!reviewer) {
    throw rejection(
      businessRule(reReview ? 'rule.noUnitAboveToReReview' : 'rule.noUnitAboveToReview', { unit: current }),
    );
  }
  // Asking for review supersedes a callback the office had still to decide.
  for (const key of ['rating', 'reviewRequest', 'reReviewRequest', 'callbackDecision']) stopClock(state, key);
  if (law) state.reviewBase = current;
  state.reviewUnit = reviewer;
  state.reviewRound = reReview ? 2 : 1;
  state.stage = reReview ? 're_review_requested' : 'review_requested';
  await startClock(input, state, { clock: reReview ? 'reReviewDecision' : 'reviewDecision', holder: reviewer });
  await c.change([{ type: state.stage, unitCode: reviewer }], [{ kind: state.stage, recipient: reviewer }]);
}

export async function decideReview(c: CaseContext, args: m.ReviewDecisionArgs): Promise<void> {
  const { state } = c;
  const reReview = state.stage === 're_review_requested';
  stopClock(state, reReview ? 'reReviewDecision' : 'reviewDecision');
  state.decision = args.decision;
  // A review the office took over (no unguarded unit above was left) is decided in the office's name.
  const unitCode = state.reviewUnit ?? 'office';
  const reply = { decision: args.decision, action: args, unitCode, executeBy: args.executeBy };
  await (reReview ? deliverReReviewOpinion(c, reply) : deliverReviewOpinion(c, reply));
}

// Art 36: hearing time does not count toward the re-review clock; the profile bounds how long it may pause it.
export async function hearing(c: CaseContext, args: m.HearingArgs): Promise<void> {
  const running = findClock(c.state, 'reReviewDecision')!;
  if (args.action === 'end') return endHearing(c, running, false);
  running.pausedSince = now();
  const limit = c.law() ? c.input.profile.hearingMax : undefined;
  if (limit) {
    const summary = translate('zh-CN', 'summary.computeHearingLimit');
    const [until] = await computeDeadlines.executeWithOptions({ summary }, [
      [{ clock: 'reReviewDecision', rule: limit, startedAt: running.pausedSince }],
    ]);
    running.pauseLimitAt = until!.dueAt;
  }
  await c.change([
    {
      type: 'hearing_started',
      unitCode: c.state.reviewUnit,
      ...(running.pauseLimitAt ? { detail: { until: running.pauseLimitAt } } : {}),
    },
  ]);
}

/** The hearing ends: by the reviewer, or by itself when the profile's longest hearing is reached. */
export async function endHearing(c: CaseContext, running: RunningClock, limitReached: boolean): Promise<void> {
  // A hearing that reaches its limit ends with the limit's last day: the next day counts again.
  const to = limitReached && running.pauseLimitAt ? withinLastDay(running.pauseLimitAt) : now();
  running.pauses.push({ from: running.pausedSince!, to, reason: 'hearing (听证)' });
  running.pausedSince = undefined;
  running.pauseLimitAt = undefined;
  await recomputeClock(c.input, running);
  await c.change([
    {
      type: 'hearing_ended',
      unitCode: c.state.reviewUnit,
      detail: { dueAt: running.deadline.dueAt, ...(limitReached ? { limitReached: true } : {}) },
    },
  ]);
}

/** The stage a case of this kind ends in once its windows have closed. */
export function endStageOf(c: CaseContext): Stage {
  return c.input.ref.kind === 'consultation' && c.input.profile.procedures ? 'answered' : 'resolved';
}

/** Petitioner windows and office decisions that keep a replied case open. */
const OPEN_WINDOWS = ['rating', 'reviewRequest', 'reReviewRequest', 'callbackDecision'];

/**
 * A window closed: the case ends in `stage` once nothing else keeps it open — no window still running, and no
 * supported decision still to carry out (then it waits, `awaiting_execution`, and ends when the execution is reported).
 */
export async function closeIfDone(
  c: CaseContext,
  stage: Stage,
  timeline: TimelineEntries,
  notifications: Notifications = [],
): Promise<void> {
  const { state } = c;
  if (state.clocks.some((running) => OPEN_WINDOWS.includes(running.clock))) return c.change(timeline, notifications);
  if (state.execution && !state.execution.reportedAt) {
    state.stage = 'awaiting_execution';
    state.pendingEnd = stage;
    for (const running of [...state.clocks]) if (running.clock !== 'execution') stopClock(state, running.key);
    return c.change(timeline, notifications);
  }
  return c.end(stage, timeline, notifications);
}

/** The reply's procedure: which windows follow it (rating; review for 申诉求决 matters). */
export function windowsAfterReply(c: CaseContext): { rating: boolean; review: boolean } {
  const procedure = procedureOf(c.input.profile, c.input.ref.kind);
  return { rating: procedure.rating, review: procedure.review };
}

// ── Execution (督促执行, Art 32) ────────────────────────────────────────────────────────────────────────────────

/** A supported decision is to be carried out by `executeBy` (a local date) by the lead unit. */
export async function startExecution(c: CaseContext, executeBy: string): Promise<void> {
  const { state, input } = c;
  const today = localDateOf(now());
  let days = 0;
  while (addLocalDays(today, days) < executeBy) days += 1;
  const unitCode = state.leadUnit!;
  state.execution = { unitCode };
  await startClock(input, state, {
    clock: 'execution',
    holder: unitCode,
    rule: { length: Math.max(1, days), unit: 'calendar_days', basis: input.profile.execution!.basis },
  });
  await c.change(
    [{ type: 'execution_due', unitCode, detail: { executeBy } }],
    [{ kind: 'execution_due', recipient: unitCode, detail: { executeBy } }],
  );
}

/** A review opinion that does not support the request ends the duty to carry out the first decision. */
export async function cancelExecution(c: CaseContext): Promise<void> {
  const { state } = c;
  if (!state.execution || state.execution.reportedAt) return;
  stopClock(state, 'execution');
  const unitCode = state.execution.unitCode;
  state.execution = undefined;
  await c.change([{ type: 'execution_cancelled', unitCode }], [{ kind: 'execution_cancelled', recipient: unitCode }]);
}

export async function reportExecution(c: CaseContext, args: m.ExecutionReportArgs): Promise<void> {
  const { state } = c;
  const running = findClock(state, 'execution');
  const late = !!running && (running.expired || Date.now() >= Date.parse(running.deadline.dueAt));
  stopClock(state, 'execution');
  state.execution = { ...state.execution!, reportedAt: now() };
  const timeline: TimelineEntries = [
    { type: 'execution_reported', unitCode: args.actor.unitCode, detail: { actionId: args.actionId, late } },
  ];
  const notifications: Notifications = [{ kind: 'execution_reported', recipient: 'office', detail: { late } }];
  if (state.stage === 'awaiting_execution') return c.end(state.pendingEnd ?? endStageOf(c), timeline, notifications);
  await c.change(timeline, notifications);
}

/** A dissatisfied rating: the office decides within the profile's clock whether to call back or return for redo. */
export async function awaitCallbackDecision(c: CaseContext): Promise<void> {
  const rule = c.input.profile.callback!.decision;
  await startClock(c.input, c.state, { clock: 'callbackDecision', holder: 'office', rule });
  await c.change([{ type: 'callback_needed' }], [{ kind: 'callback_needed', recipient: 'office' }]);
}
