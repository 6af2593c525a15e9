/**
 * The rules of each kind's own procedure and of the office's powers (DESIGN.md §4a): which outcomes a reply may
 * carry, the answer to a consultation, diversion (Art 31), execution (Art 32), callback and redo after a
 * dissatisfied rating, supervision items (Art 40), urgency (Art 22(1), 25) and the office's decision on a repeat.
 * A refusal names the rule.
 */
import { addLocalDays, localDateOf } from '../domain/calendar';
import { stagesFor } from '../domain/action-stages';
import { procedureOf } from '../domain/profiles';
import type { Kind } from '../domain/types';
import type { Actor } from './messages';
import {
  article,
  businessRule,
  clock,
  conflict,
  forbidden,
  guardAccused,
  isEnded,
  kindName,
  notFound,
  ownObjectionWaits,
  periodOf,
  requireLead,
  requireRole,
  requireStage,
  stageName,
  unitsHoldingCase,
  type Rejection,
  type RuleState,
} from './rule-basics';

const procedure = (state: RuleState) => procedureOf(state.profile, state.kind as Kind);

/** A unit that does not hold the case is told it does not exist, before any rule of the case is named. */
function notHeldBy(state: RuleState, actor: Actor): Rejection | undefined {
  return actor.role === 'department' && !unitsHoldingCase(state).includes(actor.unitCode ?? '')
    ? notFound()
    : undefined;
}

/** A reply's decision must be one the kind's procedure allows; a supported one says by when it is carried out. */
export function checkOutcome(
  state: RuleState,
  decision: string,
  extra: { executeBy?: string; contribution?: boolean },
): Rejection | undefined {
  const own = procedure(state);
  if (!(own.outcomes as string[]).includes(decision)) {
    return businessRule('rule.outcomeNotAllowed', {
      kind: kindName(state.kind),
      outcomes: [...own.outcomes],
      decision,
      basis: own.basis,
    });
  }
  if (extra.contribution && !['suggestion', 'opinion'].includes(state.kind)) {
    return businessRule('rule.contributionOnlySuggestions', { citation: article(29) });
  }
  return checkExecuteBy(state, decision, extra.executeBy);
}

/** Art 32: a supported decision is carried out — the reply states by when, within the profile's limit. */
export function checkExecuteBy(
  state: RuleState,
  decision: string,
  executeBy: string | undefined,
): Rejection | undefined {
  const limit = state.profile.execution;
  if (decision !== 'support' || !limit || !state.profile.procedures) {
    return executeBy === undefined ? undefined : businessRule('rule.executeByOnlySupport');
  }
  if (executeBy === undefined) {
    return businessRule('rule.executeByRequired', { citation: article(32) });
  }
  const today = localDateOf(new Date(state.now ?? Date.now()).toISOString());
  const latest = addLocalDays(today, limit.maxDays);
  if (executeBy <= today || executeBy > latest) {
    return businessRule('rule.executeByRange', {
      executeBy,
      today,
      max: limit.maxDays,
      latest,
      basis: limit.basis,
    });
  }
  return undefined;
}

/** A consultation is answered by the office at once, or by the unit it was dispatched to. */
export function checkAnswer(state: RuleState, actor: Actor): Rejection | undefined {
  const stranger = notHeldBy(state, actor);
  if (stranger) return stranger;
  if (state.kind !== 'consultation') {
    return businessRule('rule.onlyConsultationAnswered', { kind: kindName(state.kind) });
  }
  if (actor.role === 'department') {
    return (
      requireLead(state, actor) ??
      requireStage(state, stagesFor('answer', 'department'), 'what.answerByUnit') ??
      ownObjectionWaits(state, actor)
    );
  }
  return (
    requireRole(actor, ['office'], 'what.answer') ??
    requireStage(state, stagesFor('answer', 'office'), 'what.answerByOffice') ??
    (procedure(state).officeAnswers ? undefined : businessRule('rule.officeDoesNotAnswer'))
  );
}

/** Art 31: a matter the law sends to another procedure is diverted, at acceptance, by the unit or the office. */
export function checkDiversion(state: RuleState, actor: Actor): Rejection | undefined {
  const own = procedure(state);
  const stranger = notHeldBy(state, actor);
  if (stranger) return stranger;
  if (!own.diversion) {
    return businessRule('rule.notDiverted', { kind: kindName(state.kind), citation: article(31) });
  }
  if (actor.role === 'department') {
    return (
      requireLead(state, actor) ??
      requireStage(state, stagesFor('diversion', 'department'), 'what.diversionByUnit') ??
      ownObjectionWaits(state, actor)
    );
  }
  return (
    requireRole(actor, ['office'], 'what.diversion') ??
    requireStage(state, stagesFor('diversion', 'office'), 'what.diversionByOffice')
  );
}

/** Art 32: the unit that must carry out a supported decision reports that it did. */
export function checkExecutionReport(state: RuleState, actor: Actor): Rejection | undefined {
  const execution = state.execution;
  return (
    notHeldBy(state, actor) ??
    requireRole(actor, ['department'], 'what.executionReport') ??
    (execution ? undefined : conflict('rule.noExecutionPending')) ??
    (actor.unitCode === execution?.unitCode ? undefined : forbidden('rule.otherUnitExecutes')) ??
    (execution?.reportedAt ? conflict('rule.executionReported', { at: execution.reportedAt }) : undefined)
  );
}

/** After a dissatisfied rating, the office calls back or returns the case for redo — once (12345 practice). */
export function checkCallbackDecision(
  state: RuleState,
  actor: Actor,
  args: { outcome: 'callback' | 'redo'; redoDays?: number },
): Rejection | undefined {
  const limit = state.profile.callback?.redoMax;
  return (
    requireRole(actor, ['office'], 'what.callbackDecision') ??
    (clock(state, 'callbackDecision') ? undefined : conflict('rule.noCallbackPending')) ??
    (args.outcome === 'redo' && state.redone ? businessRule('rule.redoOnce') : undefined) ??
    (args.outcome === 'redo' && !state.leadUnit ? conflict('rule.nothingToRedo') : undefined) ??
    (args.outcome === 'redo' && limit && args.redoDays !== undefined && args.redoDays > limit.length
      ? businessRule('rule.redoLimit', { period: periodOf(limit.length, limit.unit), basis: limit.basis })
      : undefined)
  );
}

/** Art 40: the office supervises a unit that holds the case; the unit replies in writing by the deadline. */
export function checkSupervision(
  state: RuleState,
  actor: Actor,
  args: { unitCode?: string; replyDays?: number },
): Rejection | undefined {
  const target = args.unitCode ?? state.leadUnit;
  const max = state.profile.supervision?.maxReplyDays;
  const refused =
    requireRole(actor, ['office'], 'what.supervision') ??
    (isEnded(state.stage) ? conflict('rule.alreadyEnded', { stage: stageName(state.stage) }) : undefined);
  if (refused) return refused;
  if (!target) return conflict('rule.nobodyToSupervise');
  return (
    guardAccused(state, [target]) ??
    (unitsHoldingCase(state).includes(target)
      ? undefined
      : businessRule('rule.superviseHolder', { unit: target, citation: article(40) })) ??
    (max !== undefined && args.replyDays !== undefined && args.replyDays > max
      ? businessRule('rule.supervisionReplyDays', { max })
      : undefined)
  );
}

export function checkSupervisionReply(state: RuleState, actor: Actor, itemId: string): Rejection | undefined {
  const item = state.supervisions?.find((s) => s.id === itemId);
  return (
    notHeldBy(state, actor) ??
    requireRole(actor, ['department'], 'what.supervisionReply') ??
    (item ? undefined : businessRule('rule.noSupervisionItem', { item: itemId })) ??
    (item?.unitCode === actor.unitCode ? undefined : forbidden('rule.supervisionNotYours', { item: itemId })) ??
    (item?.repliedAt ? conflict('rule.supervisionAnswered', { item: itemId, at: item.repliedAt }) : undefined)
  );
}

export function checkUrgency(state: RuleState, actor: Actor, urgent: boolean): Rejection | undefined {
  return (
    requireRole(actor, ['office'], 'what.urgency') ??
    (isEnded(state.stage) ? conflict('rule.alreadyEnded', { stage: stageName(state.stage) }) : undefined) ??
    (!!state.urgent === urgent ? conflict(urgent ? 'rule.alreadyUrgent' : 'rule.alreadyNotUrgent') : undefined)
  );
}

/** Art 19, 36: the office decides what a likely repeat is, while the new case waits at registration. */
export function checkRepeatDecision(
  state: RuleState,
  actor: Actor,
  args: { decision: string; caseId?: string },
  self: string,
): Rejection | undefined {
  return (
    requireRole(actor, ['office'], 'what.repeatDecision') ??
    requireStage(state, stagesFor('repeat-decision', 'office'), 'what.repeatDecision') ??
    (args.decision !== 'own_case' && !args.caseId ? businessRule('rule.nameEarlierCase') : undefined) ??
    (args.caseId === self ? businessRule('rule.notRepeatOfItself') : undefined)
  );
}
