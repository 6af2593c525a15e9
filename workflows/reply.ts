/** The written reply and what follows it (Art 32, 35, 36): rating, review, re-review and the hearing. */
import type { Decision } from '../domain/types';
import {
  addClock,
  applyDeadline,
  computeDeadlines,
  deliverReply,
  findClock,
  findReviewUnit,
  now,
  recomputeClock,
  reject,
  startClock,
  stopClock,
} from './case-effects';
import type { RunningClock } from './clocks';
import { refusedOnFailure, withinLastDay, type CaseContext } from './context';
import * as m from './messages';
import { patched } from '@temporalio/workflow';
import { PATCHES } from './patches';

/** Art 32: deliver the written reply, then open the petitioner's windows. */
export async function deliver(
  c: CaseContext,
  round: 0 | 1 | 2,
  decision: Decision,
  actionId: string,
  unitCode: string,
  window?: 'reviewRequest' | 'reReviewRequest',
): Promise<void> {
  const { input, state } = c;
  const deliveredAt = now();
  const [nextReviewDeadline] = window
    ? await computeDeadlines.executeWithOptions({ summary: `compute ${window} window` }, [
        [{ clock: window, rule: input.profile.clocks[window], startedAt: deliveredAt }],
      ])
    : [];
  await deliverReply.executeWithOptions({ summary: `deliver the written reply (round ${round})` }, [
    { caseId: input.ref.caseId, round, decision, actionId, unitCode, deliveredAt, nextReviewDeadline },
  ]);
  // The petitioner's copy of the reply is the outbox message deliverReply wrote.
  if (round === 2) return c.end('terminated', [{ type: 're_review_replied', unitCode, detail: { decision } }]);
  state.stage = round === 0 ? 'reply_delivered' : 'review_replied';
  if (round === 0) await startClock(input, state, { clock: 'rating', holder: 'petitioner', startedAt: deliveredAt });
  if (patched(PATCHES.replyWindowComputedOnce)) {
    // The window stated in the reply is the window the case runs: computed once, above.
    addClock(input, state, { clock: window!, holder: 'petitioner', deadline: nextReviewDeadline! });
  } else {
    const windowClock = await startClock(input, state, {
      clock: window!,
      holder: 'petitioner',
      startedAt: deliveredAt,
    });
    applyDeadline(windowClock, nextReviewDeadline!);
  }
  await c.change([{ type: round === 0 ? 'reply_delivered' : 'review_replied', unitCode, detail: { decision, round } }]);
}

export async function rate(c: CaseContext, args: m.RatingArgs): Promise<void> {
  c.state.rating = args.rating;
  stopClock(c.state, 'rating');
  await c.change([{ type: 'rated', detail: { rating: args.rating } }]);
}

// Art 35, 36: review by the next-higher unit, then re-review by the one above it — never a guarded unit (Art 28, 30).
export async function requestReview(c: CaseContext): Promise<void> {
  const { state, input } = c;
  const law = c.law();
  const reReview = state.stage === 'review_replied';
  const current = reReview ? state.reviewUnit! : state.leadUnit!;
  const reviewer = await refusedOnFailure(
    findReviewUnit.executeWithOptions({ summary: `find the unit above ${current}` }, [
      { unitCode: current, accusedUnits: law ? c.guarded() : input.accusedUnits },
    ]),
  );
  if (!reviewer) {
    reject({
      type: m.REJECTION.businessRule,
      message: `there is no unit above ${current} to ${reReview ? 're-review' : 'review'}`,
    });
  }
  for (const key of ['rating', 'reviewRequest', 'reReviewRequest']) stopClock(state, key);
  if (law) state.reviewBase = current;
  state.reviewUnit = reviewer!;
  state.reviewRound = reReview ? 2 : 1;
  state.stage = reReview ? 're_review_requested' : 'review_requested';
  await startClock(input, state, { clock: reReview ? 'reReviewDecision' : 'reviewDecision', holder: reviewer! });
  await c.change([{ type: state.stage, unitCode: reviewer! }], [{ kind: state.stage, recipient: reviewer! }]);
}

export async function decideReview(c: CaseContext, args: m.ReviewDecisionArgs): Promise<void> {
  const { state } = c;
  const reReview = state.stage === 're_review_requested';
  stopClock(state, reReview ? 'reReviewDecision' : 'reviewDecision');
  state.decision = args.decision;
  // A review the office took over (no unguarded unit above was left) is decided in the office's name.
  const unitCode = state.reviewUnit ?? 'office';
  await deliver(c, reReview ? 2 : 1, args.decision, args.actionId, unitCode, reReview ? undefined : 'reReviewRequest');
}

// Art 36: hearing time does not count toward the re-review clock; the profile bounds how long it may pause it.
export async function hearing(c: CaseContext, args: m.HearingArgs): Promise<void> {
  const running = findClock(c.state, 'reReviewDecision')!;
  if (args.action === 'end') return endHearing(c, running, false);
  running.pausedSince = now();
  const limit = c.law() ? c.input.profile.hearingMax : undefined;
  if (limit) {
    const [until] = await computeDeadlines.executeWithOptions({ summary: 'compute the longest hearing' }, [
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
