/**
 * The rules of each kind's own procedure and of the office's powers (DESIGN.md §4a): which outcomes a reply may
 * carry, the answer to a consultation, diversion (Art 31), execution (Art 32), callback and redo after a
 * dissatisfied rating, supervision items (Art 40), urgency (Art 22(1), 25) and the office's decision on a repeat.
 * A refusal names the rule.
 */
import { addLocalDays, localDateOf } from '../domain/calendar';
import { procedureOf } from '../domain/profiles';
import type { Kind } from '../domain/types';
import type { Actor } from './messages';
import {
  businessRule,
  clock,
  conflict,
  forbidden,
  guardAccused,
  isEnded,
  notFound,
  requireLead,
  requireRole,
  requireStage,
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
    return businessRule(
      `a reply to a ${state.kind} decides ${own.outcomes.join(', ')}, not ${decision} (${own.basis})`,
    );
  }
  if (extra.contribution && !['suggestion', 'opinion'].includes(state.kind)) {
    return businessRule('only a suggestion or an opinion is put forward for reward as a contribution (Art 29)');
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
    return executeBy === undefined ? undefined : businessRule('only a supported decision is carried out by a date');
  }
  if (executeBy === undefined) {
    return businessRule('a supported decision states by when it is carried out (executeBy, Art 32)');
  }
  const today = localDateOf(new Date(state.now ?? Date.now()).toISOString());
  const latest = addLocalDays(today, limit.maxDays);
  if (executeBy <= today || executeBy > latest) {
    return businessRule(
      `executeBy ${executeBy} must lie after today (${today}) and at most ${limit.maxDays} days ahead, by ${latest} ` +
        `(${limit.basis})`,
    );
  }
  return undefined;
}

const WITH_THE_UNIT = ['transferred', 'assigned', 'acknowledged', 'handling'] as const;

/** A consultation is answered by the office at once, or by the unit it was dispatched to. */
export function checkAnswer(state: RuleState, actor: Actor): Rejection | undefined {
  const stranger = notHeldBy(state, actor);
  if (stranger) return stranger;
  if (state.kind !== 'consultation') {
    return businessRule(`only a consultation (咨询) is answered; a ${state.kind} gets a result`);
  }
  if (actor.role === 'department') {
    return requireLead(state, actor) ?? requireStage(state, [...WITH_THE_UNIT], 'an answer by the unit');
  }
  return (
    requireRole(actor, ['office'], 'an answer') ??
    requireStage(state, ['registered'], 'an answer by the office') ??
    (procedure(state).officeAnswers ? undefined : businessRule('the office does not answer at once under this profile'))
  );
}

/** Art 31: a matter the law sends to another procedure is diverted, at acceptance, by the unit or the office. */
export function checkDiversion(state: RuleState, actor: Actor): Rejection | undefined {
  const own = procedure(state);
  const stranger = notHeldBy(state, actor);
  if (stranger) return stranger;
  if (!own.diversion) {
    return businessRule(
      `a ${state.kind} is not diverted into another procedure: diversion (导入) is for 申诉求决 matters (Art 31)`,
    );
  }
  if (actor.role === 'department') {
    return (
      requireLead(state, actor) ??
      requireStage(state, ['transferred', 'assigned', 'acknowledged'], 'a diversion by the unit')
    );
  }
  return (
    requireRole(actor, ['office'], 'a diversion') ?? requireStage(state, ['registered'], 'a diversion by the office')
  );
}

/** Art 32: the unit that must carry out a supported decision reports that it did. */
export function checkExecutionReport(state: RuleState, actor: Actor): Rejection | undefined {
  const execution = state.execution;
  return (
    notHeldBy(state, actor) ??
    requireRole(actor, ['department'], 'an execution report') ??
    (execution ? undefined : conflict('no supported decision is waiting to be carried out')) ??
    (actor.unitCode === execution?.unitCode ? undefined : forbidden('another unit carries out this decision')) ??
    (execution?.reportedAt ? conflict(`the execution was reported on ${execution.reportedAt}`) : undefined)
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
    requireRole(actor, ['office'], 'a callback decision') ??
    (clock(state, 'callbackDecision') ? undefined : conflict('no dissatisfied rating is waiting for the office')) ??
    (args.outcome === 'redo' && state.redone ? businessRule('a case is returned for redo once only') : undefined) ??
    (args.outcome === 'redo' && !state.leadUnit ? conflict('no unit replied: there is nothing to redo') : undefined) ??
    (args.outcome === 'redo' && limit && args.redoDays !== undefined && args.redoDays > limit.length
      ? businessRule(`a redo gets at most ${limit.length} ${limit.unit.replace('_', ' ')} (${limit.basis})`)
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
  return (
    requireRole(actor, ['office'], 'a supervision item') ??
    (isEnded(state.stage) ? conflict(`the case is already ${state.stage}`) : undefined) ??
    (target ? undefined : conflict('no unit holds the case yet: name the unit to supervise')) ??
    guardAccused(state, [target]) ??
    (unitsHoldingCase(state).includes(target!)
      ? undefined
      : businessRule(`unit ${target} does not hold the case; supervision is of a unit that handles it (Art 40)`)) ??
    (max !== undefined && args.replyDays !== undefined && args.replyDays > max
      ? businessRule(`a supervised unit replies within at most ${max} days`)
      : undefined)
  );
}

export function checkSupervisionReply(state: RuleState, actor: Actor, itemId: string): Rejection | undefined {
  const item = state.supervisions?.find((s) => s.id === itemId);
  return (
    notHeldBy(state, actor) ??
    requireRole(actor, ['department'], 'a supervision reply') ??
    (item ? undefined : businessRule(`there is no supervision item ${itemId}`)) ??
    (item?.unitCode === actor.unitCode ? undefined : forbidden(`supervision item ${itemId} is not yours`)) ??
    (item?.repliedAt ? conflict(`supervision item ${itemId} was answered on ${item.repliedAt}`) : undefined)
  );
}

export function checkUrgency(state: RuleState, actor: Actor, urgent: boolean): Rejection | undefined {
  return (
    requireRole(actor, ['office'], 'marking a matter urgent') ??
    (isEnded(state.stage) ? conflict(`the case is already ${state.stage}`) : undefined) ??
    (!!state.urgent === urgent ? conflict(`the case is already ${urgent ? 'urgent' : 'not urgent'}`) : undefined)
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
    requireRole(actor, ['office'], 'a repeat decision') ??
    requireStage(state, ['registered'], 'a repeat decision') ??
    (args.decision !== 'own_case' && !args.caseId ? businessRule('name the earlier case (caseId)') : undefined) ??
    (args.caseId === self ? businessRule('a case is not a repeat of itself') : undefined)
  );
}
