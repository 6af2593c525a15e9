/** Is this action allowed now? Pure checks the update validators run before anything changes. */
import { procedureOf } from '../domain/profiles';
import type { Kind } from '../domain/types';
import type { Actor } from './messages';
import type * as m from './messages';
import { checkOutcome } from './procedure-rules';
import {
  businessRule,
  clock,
  conflict,
  departmentMayRead,
  forbidden,
  guardAccused,
  hasExpired,
  isEnded,
  notFound,
  requireLead,
  requireRole,
  requireStage,
  windowClosed,
  type Rejection,
  type RuleState,
} from './rule-basics';

export {
  departmentMayRead,
  guardAccused,
  guardedUnits,
  isEnded,
  unitsHoldingCase,
  type Rejection,
  type RuleState,
} from './rule-basics';

export function checkAcceptance(
  state: RuleState,
  actor: Actor,
  args: {
    decision: 'accept' | 'not_accept';
    unitCode?: string;
    coHandlers?: string[];
    assignDays?: number;
    effectiveAt?: string;
  },
): Rejection | undefined {
  if (actor.role === 'department') {
    return (
      requireLead(state, actor) ??
      requireStage(state, ['acknowledged', 'transferred', 'assigned'], 'acceptance by the unit') ??
      (args.decision === 'accept'
        ? undefined
        : businessRule('a unit that is not competent raises an objection instead'))
    );
  }
  return (
    requireRole(actor, ['office'], 'acceptance') ??
    requireStage(state, ['registered'], 'acceptance by the office') ??
    (args.decision === 'accept' ? guardAccused(state, [args.unitCode, ...(args.coHandlers ?? [])]) : undefined) ??
    (args.coHandlers?.includes(args.unitCode ?? '')
      ? businessRule('the lead unit cannot also be a co-handler')
      : undefined) ??
    checkEffectiveAt(state, args.effectiveAt) ??
    (state.law ? checkAssignDays(state, args.assignDays) : undefined)
  );
}

/** Art 22(3): an assignment (交办) sets its own deadline, within the profile's handling limit (Art 34). */
function checkAssignDays(state: RuleState, days: number | undefined): Rejection | undefined {
  const limit = state.profile.clocks.handling;
  if (days === undefined || limit.unit !== 'calendar_days' || days <= limit.length) return undefined;
  return businessRule(
    `an assignment deadline can be at most the handling limit, ${limit.length} days under the ${state.profile.id} ` +
      `profile (${limit.basis}), not ${days}`,
  );
}

function checkEffectiveAt(state: RuleState, effectiveAt: string | undefined): Rejection | undefined {
  if (effectiveAt === undefined) return undefined;
  const at = Date.parse(effectiveAt);
  if (Number.isNaN(at)) return businessRule(`effectiveAt ${effectiveAt} is not a date-time`);
  if (at > Date.now()) return businessRule(`effectiveAt ${effectiveAt} lies in the future`);
  if (state.receivedAt && at < Date.parse(state.receivedAt)) {
    return businessRule(`effectiveAt ${effectiveAt} is before the petition was received (${state.receivedAt})`);
  }
  return undefined;
}

export function checkAcknowledgement(state: RuleState, actor: Actor): Rejection | undefined {
  return (
    requireRole(actor, ['department'], 'acknowledgement') ??
    requireLead(state, actor) ??
    requireStage(state, ['transferred', 'assigned'], 'acknowledgement')
  );
}

export function checkObjection(state: RuleState, actor: Actor): Rejection | undefined {
  return (
    requireRole(actor, ['department'], 'an objection') ??
    requireLead(state, actor) ??
    requireStage(state, ['transferred', 'assigned', 'acknowledged'], 'an objection') ??
    (state.designatedUnits.includes(actor.unitCode ?? '')
      ? businessRule(`unit ${actor.unitCode} was designated after a rejected objection and cannot object again`)
      : undefined) ??
    (state.pendingObjection ? conflict('an objection is already waiting for the office') : undefined) ??
    // Art 23: a unit that is not competent objects within 5 working days of the transfer.
    windowClosed(state, 'the objection window', clock(state, 'objection'), state.closedWindows?.objection)
  );
}

export function checkObjectionDecision(state: RuleState, actor: Actor, args: { approve: boolean; unitCode?: string }) {
  return (
    requireRole(actor, ['office'], 'an objection decision') ??
    (state.pendingObjection ? undefined : conflict('there is no objection waiting for a decision')) ??
    (state.law && state.dispute
      ? conflict(
          `units ${state.dispute.disputants.join(', ')} dispute the case: ` +
            (state.dispute.superior
              ? `their common superior ${state.dispute.superior} designates the lead (designation, Art 24)`
              : 'they share no common superior, so the office designates the lead after a joint conference ' +
                '(designation with jointConference, Art 24)'),
        )
      : undefined) ??
    (args.approve && args.unitCode === state.pendingObjection?.unitCode
      ? businessRule('an approved objection must send the case to another unit')
      : undefined) ??
    (args.approve ? guardAccused(state, [args.unitCode]) : undefined)
  );
}

export function checkExtension(state: RuleState, actor: Actor, days: number): Rejection | undefined {
  const handling = clock(state, 'handling');
  return (
    requireRole(actor, ['department'], 'an extension request') ??
    requireLead(state, actor) ??
    requireStage(state, ['handling'], 'an extension request') ??
    // Art 34: an extension lengthens a period that is running; once it has run out, the breach stands (Art 45).
    (state.law && handling && hasExpired(state, handling)
      ? businessRule(
          `the handling period expired on ${handling.deadline.explanation.lastDay} (${handling.deadline.explanation.text}); ` +
            'an extension can only be asked while it runs (Art 34)',
        )
      : undefined) ??
    // Art 34: one extension, of at most the profile's limit.
    (state.extension ? businessRule('the handling period can be extended once only (Art 34)') : undefined) ??
    checkExtensionDays(state, days)
  );
}

function checkExtensionDays(state: RuleState, days: number): Rejection | undefined {
  const max = state.profile.maxExtension;
  return days >= 1 && days <= max
    ? undefined
    : businessRule(`an extension must be 1 to ${max} days under the ${state.profile.id} profile, not ${days}`);
}

export function checkExtensionDecision(state: RuleState, actor: Actor, days: number | undefined) {
  return (
    requireRole(actor, ['office'], 'an extension decision') ??
    (state.extension?.status === 'requested' ? undefined : conflict('there is no extension request waiting')) ??
    (days === undefined ? undefined : checkExtensionDays(state, days))
  );
}

export function checkResult(
  state: RuleState,
  actor: Actor,
  decision: string | undefined,
  execution: { executeBy?: string; contribution?: boolean } = {},
): Rejection | undefined {
  const asCoHandler = state.coHandlers.find((c) => c.unitCode === actor.unitCode);
  if (actor.role === 'department' && asCoHandler && actor.unitCode !== state.leadUnit) {
    return (
      requireStage(state, ['handling'], 'a co-handler report') ??
      (asCoHandler.reported ? conflict(`co-handler ${actor.unitCode} has already reported to the lead`) : undefined)
    );
  }
  return (
    requireRole(actor, ['department'], 'a result') ??
    requireLead(state, actor) ??
    requireStage(state, ['handling', 'redo'], 'a result') ??
    (decision ? undefined : businessRule("the lead unit's result needs a decision: support, explain or not_support")) ??
    (state.law ? awaitingCoHandlers(state) : undefined) ??
    checkOutcome(state, decision!, execution)
  );
}

/** Art 24: the lead's result waits for each co-handler's report, or for the co-handler's sub-deadline to pass. */
function awaitingCoHandlers(state: RuleState): Rejection | undefined {
  const waiting = state.coHandlers.filter((c) => {
    if (c.reported || c.missing) return false;
    const sub = clock(state, `coHandler:${c.unitCode}`);
    return !sub || !hasExpired(state, sub);
  });
  if (waiting.length === 0) return undefined;
  const dues = waiting.map((c) => {
    const due = clock(state, `coHandler:${c.unitCode}`)?.deadline.explanation.lastDay;
    return due ? `${c.unitCode} (report due ${due})` : c.unitCode;
  });
  return businessRule(
    `the result waits for the co-handlers' reports: ${dues.join(', ')}; ` +
      'a report that does not come by its deadline is recorded as missing and the lead may then decide (Art 24)',
  );
}

export function checkSupplement(state: RuleState, actor: Actor): Rejection | undefined {
  return (
    requireRole(actor, ['intake', 'office', 'petitioner'], 'a supplement') ??
    (isEnded(state.stage) ? conflict(`the case is ${state.stage}; register a new petition instead`) : undefined)
  );
}

export function checkHearing(state: RuleState, actor: Actor, action: 'start' | 'end'): Rejection | undefined {
  const reReview = clock(state, 'reReviewDecision');
  return (
    requireRole(actor, ['office', 'department'], 'a hearing') ??
    (actor.role === 'department' && actor.unitCode !== state.reviewUnit ? notFound() : undefined) ??
    requireStage(state, ['re_review_requested'], 'a hearing') ??
    (action === 'start' && reReview?.pausedSince ? conflict('a hearing is already in progress') : undefined) ??
    // A hearing pauses a running clock; it cannot stop supervision that has begun (Art 36, 40).
    (state.law && action === 'start' && reReview && hasExpired(state, reReview)
      ? businessRule(
          `the re-review decision was due by ${reReview.deadline.explanation.lastDay}; ` +
            'a hearing cannot start after the clock has expired',
        )
      : undefined) ??
    (action === 'end' && !reReview?.pausedSince ? conflict('no hearing is in progress') : undefined)
  );
}

export function checkRating(state: RuleState, actor: Actor): Rejection | undefined {
  const procedure = procedureOf(state.profile, state.kind as Kind);
  return (
    requireRole(actor, ['petitioner'], 'a rating') ??
    (procedure.rating
      ? undefined
      : businessRule(`a ${state.kind} is not rated on the 信访 path (${procedure.basis})`)) ??
    // A petitioner who rates a reply not yet recorded as served has it: it is served now and the window opens.
    (state.awaitingService?.rating
      ? undefined
      : windowClosed(state, 'the rating window', clock(state, 'rating'), state.closedWindows?.rating))
  );
}

export function checkReviewRequest(state: RuleState, actor: Actor): Rejection | undefined {
  const window = state.stage === 'review_replied' ? 'reReviewRequest' : 'reviewRequest';
  const procedure = procedureOf(state.profile, state.kind as Kind);
  return (
    requireRole(actor, ['petitioner'], 'a review request') ??
    (procedure.review
      ? undefined
      : businessRule(`复查 and 复核 (Art 35, 36) do not apply to a ${state.kind}: ${procedure.basis}`)) ??
    requireStage(state, ['reply_delivered', 'review_replied'], 'a review request') ??
    // Art 35, 36: within 30 days of receiving the reply or the review opinion.
    (state.awaitingService?.window === window
      ? undefined
      : windowClosed(
          state,
          window === 'reviewRequest' ? 'the review window' : 'the re-review window',
          clock(state, window),
        ))
  );
}

/** 送达回证: the office records the service of a notice still unserved, on a date between its issue and now. */
export function checkService(state: RuleState, actor: Actor, args: m.ServiceArgs): Rejection | undefined {
  const notice = state.notices?.find((n) => n.id === args.noticeId);
  const role = requireRole(actor, ['office'], 'recording the service of a notice');
  if (role) return role;
  if (!notice) return businessRule(`there is no notice ${args.noticeId} in this case`);
  if (notice.servedAt) return conflict(`notice ${args.noticeId} was served on ${notice.servedAt}`);
  if (args.undeliverable) return undefined;
  // The body's schema requires a date and a method with every service that is not undeliverable.
  if (!args.servedAt || !args.method) return businessRule('a service states its date and method');
  const at = Date.parse(args.servedAt);
  if (Number.isNaN(at)) return businessRule(`the service date ${args.servedAt} is not a date`);
  if (at < Date.parse(notice.issuedAt)) return businessRule('a notice cannot be served before it was issued');
  if (state.now !== undefined && at > state.now) return businessRule('the service date lies in the future');
  return undefined;
}

export function checkReviewDecision(state: RuleState, actor: Actor): Rejection | undefined {
  return (
    requireRole(actor, ['office', 'department'], 'a review decision') ??
    (actor.role === 'department' && actor.unitCode !== state.reviewUnit ? notFound() : undefined) ??
    requireStage(state, ['review_requested', 're_review_requested'], 'a review decision') ??
    (clock(state, 'reReviewDecision')?.pausedSince ? conflict('end the hearing before deciding') : undefined)
  );
}

export function checkWithdrawal(state: RuleState, actor: Actor): Rejection | undefined {
  return (
    requireRole(actor, ['petitioner', 'office'], 'a withdrawal') ??
    (isEnded(state.stage) ? conflict(`the case is already ${state.stage}`) : undefined)
  );
}

export function checkDesignation(
  state: RuleState,
  actor: Actor,
  args: { unitCode: string; jointConference?: boolean },
): Rejection | undefined {
  const dispute = state.dispute;
  if (actor.role === 'department' && actor.unitCode !== dispute?.superior) {
    return departmentMayRead(state, actor.unitCode)
      ? forbidden('only the common superior of the disputing units, or the office, designates the lead (Art 24)')
      : notFound();
  }
  return (
    requireRole(actor, ['office', 'department'], 'a designation') ??
    (dispute
      ? undefined
      : conflict('no units dispute this case; the office decides objections (objection-decision)')) ??
    (dispute && !dispute.superior && !args.jointConference
      ? businessRule(
          `units ${dispute.disputants.join(', ')} share no common superior: the office designates after a joint ` +
            'conference (协商) and records it (jointConference: true) (Art 24)',
        )
      : undefined) ??
    guardAccused(state, [args.unitCode])
  );
}

export function checkAccusation(state: RuleState, actor: Actor): Rejection | undefined {
  return (
    requireRole(actor, ['office'], 'naming accused units') ??
    (state.kind === 'report'
      ? undefined
      : businessRule(
          `accused units and persons belong to reports (检举控告, Art 30), not to a ${state.kind}; ` +
            'a unit with an interest in the case is recused instead (Art 28)',
        )) ??
    (isEnded(state.stage) ? conflict(`the case is already ${state.stage}`) : undefined)
  );
}

export function checkRecusal(state: RuleState, actor: Actor, unitCode: string): Rejection | undefined {
  return (
    requireRole(actor, ['office'], 'a recusal') ??
    (isEnded(state.stage) ? conflict(`the case is already ${state.stage}`) : undefined) ??
    ((state.recused ?? []).includes(unitCode) ? conflict(`unit ${unitCode} is already recused`) : undefined)
  );
}
