/**
 * The guards the office can set after intake — further accused units or persons of a report (Art 30), a unit recused
 * for an interest in any case (Art 28) — and what they do to a case already on its way: a guarded co-handler leaves,
 * a guarded reviewer hands the review to the next unit up, and a guarded lead unit has the case recalled to the
 * office, which disposes of it anew. A guarded unit is never told why.
 */
import { translate } from '../domain/i18n';
import { findReviewUnit, now, startClock, stopClock } from './case-effects';
import { businessFailure, type CaseContext, type Notifications, type TimelineEntries } from './context';
import type * as m from './messages';

/** Art 30: further accused units (accused persons' units included) of a report. */
export async function addAccused(c: CaseContext, args: m.AccusationArgs): Promise<void> {
  const { state } = c;
  state.addedAccused = [...new Set([...(state.addedAccused ?? []), ...args.units])];
  await applyGuards(c, { type: 'accused_added', detail: { units: args.units.length, actionId: args.actionId } });
}

/** Art 28: a unit with an interest in the case is skipped by routing, co-handling, escalation and review. */
export async function recuse(c: CaseContext, args: m.RecusalArgs): Promise<void> {
  const { state } = c;
  state.recused = [...new Set([...(state.recused ?? []), args.unitCode])];
  await applyGuards(c, { type: 'recused', unitCode: args.unitCode, detail: { actionId: args.actionId } });
}

const WITH_THE_UNIT = ['transferred', 'assigned', 'acknowledged', 'handling'];
const UNDER_REVIEW = ['review_requested', 're_review_requested'];

/** Takes the case away from every guarded unit that holds it, and records the guard. */
async function applyGuards(c: CaseContext, event: TimelineEntries[number]): Promise<void> {
  const { state } = c;
  const guarded = c.guarded();
  const timeline: TimelineEntries = [event];
  const notifications: Notifications = [];

  const leaving = state.coHandlers.filter((co) => guarded.includes(co.unitCode));
  for (const co of leaving) stopClock(state, `coHandler:${co.unitCode}`);
  state.coHandlers = state.coHandlers.filter((co) => !guarded.includes(co.unitCode));
  if (leaving.length)
    timeline.push({ type: 'co_handlers_recalled', detail: { units: leaving.map((co) => co.unitCode) } });

  if (state.reviewUnit && guarded.includes(state.reviewUnit) && UNDER_REVIEW.includes(state.stage)) {
    await handReviewOn(c, timeline, notifications);
  }

  if (state.leadUnit && guarded.includes(state.leadUnit) && WITH_THE_UNIT.includes(state.stage)) {
    await recall(c, timeline, notifications);
  }
  await c.change(timeline, [...notifications, { kind: 'guard_applied', recipient: 'office' }]);
}

/** The review passes to the next unit above the one whose decision is reviewed that is not guarded (Art 35, 36). */
async function handReviewOn(c: CaseContext, timeline: TimelineEntries, notifications: Notifications): Promise<void> {
  const { state } = c;
  const reReview = state.stage === 're_review_requested';
  const clock = reReview ? 'reReviewDecision' : 'reviewDecision';
  const from = state.reviewUnit;
  let next: string | null = null;
  try {
    next = await findReviewUnit.executeWithOptions({ summary: translate('zh-CN', 'summary.findNextReviewer') }, [
      { unitCode: state.reviewBase ?? state.leadUnit!, accusedUnits: c.guarded() },
    ]);
  } catch (error) {
    if (!businessFailure(error)) throw error;
  }
  stopClock(state, clock);
  state.reviewUnit = next ?? undefined;
  timeline.push({ type: 'reviewer_recalled', detail: { from, to: next } });
  if (!next) {
    // Nobody above is free to review: the office arranges the review and may decide it itself.
    notifications.push({ kind: 'review_unassigned', recipient: 'office', detail: { round: reReview ? 2 : 1 } });
    return;
  }
  await startClock(c.input, state, { clock, holder: next });
  notifications.push({ kind: state.stage, recipient: next });
}

/** The case goes back to the office, which disposes of it anew within a fresh dispose period (Art 22). */
async function recall(c: CaseContext, timeline: TimelineEntries, notifications: Notifications): Promise<void> {
  const { state } = c;
  const from = state.leadUnit;
  for (const co of state.coHandlers) stopClock(state, `coHandler:${co.unitCode}`);
  for (const key of ['acknowledge', 'objection', 'notify', 'handling']) stopClock(state, key);
  Object.assign(state, {
    leadUnit: undefined,
    coHandlers: [],
    mode: undefined,
    assignDays: undefined,
    pendingObjection: undefined,
    dispute: undefined,
    extension: undefined,
    stage: 'registered',
  });
  await startClock(c.input, state, { clock: 'dispose', holder: 'office', startedAt: now() });
  timeline.push({ type: 'recalled', detail: { from } });
  notifications.push({ kind: 'recalled', recipient: 'office', detail: { from } });
}
