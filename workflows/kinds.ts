/**
 * Each kind of matter its own procedure, and the office's powers (DESIGN.md §4a): the answer to a consultation,
 * diversion into another procedure (Art 31), carrying out a supported decision (Art 32), callback and redo after a
 * dissatisfied rating (12345 practice), urgency (Art 22(1), 25) and the office's decision on a likely repeat (Art 19,
 * 36). Cases registered before procedures by kind (their profile has none) never reach these steps.
 */
import { getExternalWorkflowHandle } from '@temporalio/workflow';
import { translate } from '../domain/i18n';
import { actionTextsId, callerId, caseWorkflowId } from '../domain/ids';
import { caseStanding, findPetitionOffices, recomputeClock, rejection, startClock, stopClock } from './case-effects';
import type { CaseContext, Notifications } from './context';
import * as m from './messages';
import { businessRule, conflict, stageName } from './rule-basics';
import { cancelExecution, closeIfDone, deliverUnitReply, endStageOf } from './reply';
import { issueOnRecord, petitionOffice } from './service';

// ── Consultation (咨询) ───────────────────────────────────────────────────────────────────────────────────────

/** The office answers at once, or the unit it dispatched the consultation to answers within its answer clock. */
export async function answer(c: CaseContext, args: m.AnswerArgs): Promise<void> {
  const { state, input } = c;
  let unitCode = args.actor.unitCode;
  if (args.actor.role === 'office') {
    stopClock(state, 'dispose');
    const offices = await findPetitionOffices.executeWithOptions(
      { summary: translate('zh-CN', 'summary.findAnsweringOffice') },
      [input.ref.regionCode],
    );
    unitCode = offices.own ?? 'office';
  }
  for (const key of ['acknowledge', 'objection', 'notify', 'handling']) stopClock(state, key);
  state.decision = 'answered';
  state.stage = 'result_submitted';
  await c.change([{ type: 'answered_by', unitCode, detail: { actionId: args.actionId, by: args.actor.role } }]);
  await deliverUnitReply(c, { decision: 'answered', action: args, unitCode: unitCode!, afterRedo: false });
}

// ── Diversion (导入, Art 31) ────────────────────────────────────────────────────────────────────────────────────

export async function divert(c: CaseContext, args: m.DiversionArgs): Promise<void> {
  const detail = { procedure: args.procedure, actionId: args.actionId, by: args.actor.unitCode ?? 'office' };
  const serves = c.servesAll();
  await c.end(
    'diverted',
    [{ type: 'diverted', unitCode: args.actor.unitCode, detail }],
    // The petitioner is told which procedure and which organ (the words are kept under the action).
    [{ kind: 'diversion_notice', recipient: 'petitioner', detail }],
  );
  if (!serves) return;
  // 导入告知 (Art 31): from the deciding unit, or the petition office; the case stays open until it is served.
  const textsId = actionTextsId(c.input.ref.caseId, callerId(args.actor), args.actionId, args.digest);
  const issuer = args.actor.unitCode ?? (await petitionOffice(c));
  await issueOnRecord(c, 'diversion', issuer, { textsId, diversion: args.procedure });
}

// ── Callback and redo (回访 / 退回重办) ───────────────────────────────────────────────────────────────────────────

export async function decideCallback(c: CaseContext, args: m.CallbackDecisionArgs): Promise<void> {
  const { state, input } = c;
  stopClock(state, 'callbackDecision');
  if (args.outcome === 'callback') {
    return closeIfDone(c, endStageOf(c), [{ type: 'called_back', detail: { actionId: args.actionId } }]);
  }
  // Returned once for redo: the unit handles it again by its own deadline and writes a new reply.
  for (const key of ['rating', 'reviewRequest', 'reReviewRequest']) stopClock(state, key);
  await cancelExecution(c);
  const max = input.profile.callback!.redoMax;
  const rule = args.redoDays ? { ...max, length: args.redoDays } : max;
  state.redone = true;
  state.stage = 'redo';
  const unitCode = state.leadUnit!;
  await startClock(input, state, { clock: 'handling', holder: unitCode, rule });
  await c.change(
    [{ type: 'returned_for_redo', unitCode, detail: { actionId: args.actionId, days: rule.length } }],
    [{ kind: 'redo', recipient: unitCode, detail: { days: rule.length } }],
  );
}

// ── Urgency (Art 22(1), 25) ────────────────────────────────────────────────────────────────────────────────────

/**
 * A major or urgent matter: the head of the office and the petition office one level up are told at once, and the
 * profile's shortened clocks replace the running ones.
 */
export async function markUrgent(c: CaseContext, urgent: boolean, actionId?: string): Promise<void> {
  const { state, input } = c;
  state.urgent = urgent;
  const notifications: Notifications = [];
  if (urgent) {
    for (const running of state.clocks) {
      const rule = input.profile.urgent?.clocks[running.clock];
      const already = running.rule?.length === rule?.length && running.rule?.unit === rule?.unit;
      if (rule && !already && !running.expired && !running.key.includes(':')) {
        running.rule = rule;
        await recomputeClock(input, running, rule);
      }
    }
    const offices = await findPetitionOffices.executeWithOptions(
      { summary: translate('zh-CN', 'summary.findOfficeAbove') },
      [input.ref.regionCode],
    );
    notifications.push({ kind: 'urgent_matter', recipient: 'office-head' });
    if (offices.above) notifications.push({ kind: 'urgent_matter', recipient: offices.above });
  }
  await c.change([{ type: urgent ? 'marked_urgent' : 'urgency_lifted', detail: { actionId } }], notifications);
}

// ── The office's decision on a likely repeat (Art 19, 36) ────────────────────────────────────────────────────────

export async function decideRepeat(c: CaseContext, args: m.RepeatDecisionArgs): Promise<void> {
  const { input } = c;
  const decision = { decision: args.decision, earlierCase: args.caseId, actionId: args.actionId };
  if (args.decision === 'own_case') return c.change([{ type: 'repeat_decided', detail: decision }]);
  // The validator asked for the earlier case already (checkRepeatDecision); this only tells TypeScript.
  const earlierCaseId = args.caseId;
  if (!earlierCaseId) throw rejection(businessRule('rule.nameEarlierCase'));
  const earlier = await caseStanding.executeWithOptions({ summary: translate('zh-CN', 'summary.readEarlierCase') }, [
    earlierCaseId,
  ]);
  if (!earlier) throw rejection(businessRule('rule.noSuchCase', { caseId: earlierCaseId }));
  if (args.decision === 'same_matter_closed') {
    if (earlier.open) {
      throw rejection(
        businessRule('rule.earlierStillOpen', { caseId: earlierCaseId, stage: stageName(earlier.stage) }),
      );
    }
    // Art 36: the same facts and reasons, once the matter is closed, are not accepted again; the petitioner is told.
    const serves = c.servesAll();
    await c.end(
      'not_accepted',
      [{ type: 'not_accepted', detail: { reason: 'same_matter', ...decision } }],
      [{ kind: 'not_accepted', recipient: 'petitioner', detail: { reason: 'same_matter', earlierCase: args.caseId } }],
    );
    // 不再受理告知书, from the petition office; the case stays open until it is served.
    if (!serves) return;
    return issueOnRecord(c, 'not_accepted_again', await petitionOffice(c), { earlierCaseId: earlierCaseId });
  }
  if (!earlier.open) {
    throw rejection(businessRule('rule.earlierEnded', { caseId: earlierCaseId, stage: stageName(earlier.stage) }));
  }
  if (earlier.overdue) {
    // Art 19: a unit that is overdue does not get the repeat; the petitioner may go one level up. Recorded, kept.
    return c.change([{ type: 'repeat_of_overdue_case', detail: decision }]);
  }
  try {
    await getExternalWorkflowHandle(caseWorkflowId(earlierCaseId)).signal(m.supplementAttachedSignal, {
      fromCaseId: input.ref.caseId,
    });
  } catch {
    throw rejection(conflict('rule.earlierEndedMeanwhile', { caseId: earlierCaseId }));
  }
  await c.end('merged', [
    { type: 'merged', detail: { into: args.caseId, decidedBy: 'office', actionId: args.actionId } },
  ]);
}
