/** Is this action allowed now? Pure checks the update validators run before anything changes. */
import { stagesFor } from '../domain/action-stages';
import { procedureOf } from '../domain/profiles';
import type { Kind } from '../domain/types';
import type { Actor } from './messages';
import type * as m from './messages';
import { checkOutcome } from './procedure-rules';
import { message } from '../domain/i18n';
import {
  article,
  businessRule,
  clock,
  conflict,
  departmentMayRead,
  forbidden,
  guardAccused,
  hasExpired,
  isEnded,
  kindName,
  notFound,
  ownObjectionWaits,
  periodOf,
  requireLead,
  requireRole,
  requireStage,
  stageName,
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
      requireStage(state, stagesFor('acceptance', 'department'), 'what.acceptanceByUnit') ??
      (args.decision === 'accept' ? undefined : businessRule('rule.unitObjectsInstead')) ??
      ownObjectionWaits(state, actor)
    );
  }
  return (
    requireRole(actor, ['office'], 'what.acceptance') ??
    requireStage(state, stagesFor('acceptance', 'office'), 'what.acceptanceByOffice') ??
    (args.decision === 'accept' ? guardAccused(state, [args.unitCode, ...(args.coHandlers ?? [])]) : undefined) ??
    (args.coHandlers?.includes(args.unitCode ?? '') ? businessRule('rule.leadNotCoHandler') : undefined) ??
    checkEffectiveAt(state, args.effectiveAt) ??
    (state.law ? checkAssignDays(state, args.assignDays) : undefined)
  );
}

/** Art 22(3): an assignment (交办) sets its own deadline, within the profile's handling limit (Art 34). */
function checkAssignDays(state: RuleState, days: number | undefined): Rejection | undefined {
  const limit = state.profile.clocks.handling;
  if (days === undefined || limit.unit !== 'calendar_days' || days <= limit.length) return undefined;
  return businessRule('rule.assignDaysLimit', {
    limit: limit.length,
    profile: state.profile.id,
    basis: limit.basis,
    days,
  });
}

function checkEffectiveAt(state: RuleState, effectiveAt: string | undefined): Rejection | undefined {
  if (effectiveAt === undefined) return undefined;
  const at = Date.parse(effectiveAt);
  if (Number.isNaN(at)) return businessRule('rule.effectiveAtInvalid', { value: effectiveAt });
  if (at > Date.now()) return businessRule('rule.effectiveAtFuture', { value: effectiveAt });
  if (state.receivedAt && at < Date.parse(state.receivedAt)) {
    return businessRule('rule.effectiveAtBeforeReceipt', { value: effectiveAt, receivedAt: state.receivedAt });
  }
  return undefined;
}

export function checkAcknowledgement(state: RuleState, actor: Actor): Rejection | undefined {
  return (
    requireRole(actor, ['department'], 'what.acknowledgement') ??
    requireLead(state, actor) ??
    requireStage(state, stagesFor('acknowledgement', 'department'), 'what.acknowledgement')
  );
}

export function checkObjection(state: RuleState, actor: Actor): Rejection | undefined {
  return (
    requireRole(actor, ['department'], 'what.objection') ??
    requireLead(state, actor) ??
    requireStage(state, stagesFor('objection', 'department'), 'what.objection') ??
    (state.designatedUnits.includes(actor.unitCode ?? '')
      ? businessRule('rule.designatedCannotObject', { unit: actor.unitCode ?? '' })
      : undefined) ??
    (state.pendingObjection ? conflict('rule.objectionPending') : undefined) ??
    // Art 23: a unit that is not competent objects within 5 working days of the transfer.
    windowClosed(state, 'window.objection', clock(state, 'objection'), state.closedWindows?.objection)
  );
}

export function checkObjectionDecision(state: RuleState, actor: Actor, args: { approve: boolean; unitCode?: string }) {
  return (
    requireRole(actor, ['office'], 'what.objectionDecision') ??
    (state.pendingObjection ? undefined : conflict('rule.noObjectionPending')) ??
    (state.law && state.dispute
      ? state.dispute.superior
        ? conflict('rule.disputeBySuperior', {
            units: state.dispute.disputants,
            superior: state.dispute.superior,
            citation: article(24),
          })
        : conflict('rule.disputeByConference', { units: state.dispute.disputants, citation: article(24) })
      : undefined) ??
    (args.approve && args.unitCode === state.pendingObjection?.unitCode
      ? businessRule('rule.objectionMustReroute')
      : undefined) ??
    (args.approve ? guardAccused(state, [args.unitCode]) : undefined)
  );
}

export function checkExtension(state: RuleState, actor: Actor, days: number): Rejection | undefined {
  const handling = clock(state, 'handling');
  return (
    requireRole(actor, ['department'], 'what.extension') ??
    requireLead(state, actor) ??
    requireStage(state, stagesFor('extension', 'department'), 'what.extension') ??
    // Art 34: an extension lengthens a period that is running; once it has run out, the breach stands (Art 45).
    (state.law && handling && hasExpired(state, handling)
      ? businessRule('rule.handlingExpired', {
          period: periodOf(handling.deadline.length, handling.deadline.unit),
          start: handling.deadline.explanation.startLocalDate,
          lastDay: handling.deadline.explanation.lastDay,
          citation: article(34),
        })
      : undefined) ??
    // Art 34: one extension, of at most the profile's limit.
    (state.extension ? businessRule('rule.extendedOnce', { citation: article(34) }) : undefined) ??
    checkExtensionDays(state, days)
  );
}

function checkExtensionDays(state: RuleState, days: number): Rejection | undefined {
  const max = state.profile.maxExtension;
  return days >= 1 && days <= max
    ? undefined
    : businessRule('rule.extensionDays', { max, profile: state.profile.id, days });
}

export function checkExtensionDecision(state: RuleState, actor: Actor, days: number | undefined) {
  return (
    requireRole(actor, ['office'], 'what.extensionDecision') ??
    (state.extension?.status === 'requested' ? undefined : conflict('rule.noExtensionPending')) ??
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
      requireStage(state, stagesFor('result', 'coHandler'), 'what.coHandlerReport') ??
      (asCoHandler.reported ? conflict('rule.coHandlerReported', { unit: actor.unitCode ?? '' }) : undefined)
    );
  }
  const refused =
    requireRole(actor, ['department'], 'what.result') ??
    requireLead(state, actor) ??
    requireStage(state, stagesFor('result', 'department'), 'what.result');
  if (refused) return refused;
  if (!decision) return businessRule('rule.resultNeedsDecision');
  return (state.law ? awaitingCoHandlers(state) : undefined) ?? checkOutcome(state, decision, execution);
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
    return due ? message('rule.coHandlerDue', { unit: c.unitCode, due }) : c.unitCode;
  });
  return businessRule('rule.awaitingCoHandlers', { units: dues, citation: article(24) });
}

export function checkSupplement(state: RuleState, actor: Actor): Rejection | undefined {
  return (
    requireRole(actor, ['intake', 'office', 'petitioner'], 'what.supplement') ??
    (isEnded(state.stage) ? conflict('rule.endedRegisterNew', { stage: stageName(state.stage) }) : undefined)
  );
}

export function checkHearing(state: RuleState, actor: Actor, action: 'start' | 'end'): Rejection | undefined {
  const reReview = clock(state, 'reReviewDecision');
  return (
    requireRole(actor, ['office', 'department'], 'what.hearing') ??
    (actor.role === 'department' && actor.unitCode !== state.reviewUnit ? notFound() : undefined) ??
    requireStage(state, stagesFor('hearing', 'department'), 'what.hearing') ??
    (action === 'start' && reReview?.pausedSince ? conflict('rule.hearingInProgress') : undefined) ??
    // A hearing pauses a running clock; it cannot stop supervision that has begun (Art 36, 40).
    (state.law && action === 'start' && reReview && hasExpired(state, reReview)
      ? businessRule('rule.hearingTooLate', { lastDay: reReview.deadline.explanation.lastDay })
      : undefined) ??
    (action === 'end' && !reReview?.pausedSince ? conflict('rule.noHearing') : undefined)
  );
}

export function checkRating(state: RuleState, actor: Actor): Rejection | undefined {
  const procedure = procedureOf(state.profile, state.kind as Kind);
  return (
    requireRole(actor, ['petitioner'], 'what.rating') ??
    (procedure.rating
      ? undefined
      : businessRule('rule.notRated', { kind: kindName(state.kind), basis: procedure.basis })) ??
    // A petitioner who rates a reply not yet recorded as served has it: it is served now and the window opens.
    (state.awaitingService?.rating
      ? undefined
      : windowClosed(state, 'window.rating', clock(state, 'rating'), state.closedWindows?.rating))
  );
}

export function checkReviewRequest(state: RuleState, actor: Actor): Rejection | undefined {
  const window = state.stage === 'review_replied' ? 'reReviewRequest' : 'reviewRequest';
  const procedure = procedureOf(state.profile, state.kind as Kind);
  return (
    requireRole(actor, ['petitioner'], 'what.reviewRequest') ??
    (procedure.review
      ? undefined
      : businessRule('rule.noReview', {
          citation: article(35, 36),
          kind: kindName(state.kind),
          basis: procedure.basis,
        })) ??
    requireStage(state, stagesFor('review-request', 'petitioner'), 'what.reviewRequest') ??
    // Art 35, 36: within 30 days of receiving the reply or the review opinion.
    (state.awaitingService?.window === window
      ? undefined
      : windowClosed(state, window === 'reviewRequest' ? 'window.review' : 'window.reReview', clock(state, window)))
  );
}

/** 送达回证: the office records the service of a notice still unserved, on a date between its issue and now. */
export function checkService(state: RuleState, actor: Actor, args: m.ServiceArgs): Rejection | undefined {
  const notice = state.notices?.find((n) => n.id === args.noticeId);
  const role = requireRole(actor, ['office'], 'what.service');
  if (role) return role;
  if (!notice) return businessRule('rule.noNotice', { notice: args.noticeId });
  if (notice.servedAt) return conflict('rule.noticeServed', { notice: args.noticeId, servedAt: notice.servedAt });
  if (args.undeliverable) return undefined;
  // The body's schema requires a date and a method with every service that is not undeliverable.
  if (!args.servedAt || !args.method) return businessRule('rule.serviceNeedsDateAndMethod');
  const at = Date.parse(args.servedAt);
  if (Number.isNaN(at)) return businessRule('rule.serviceDateInvalid', { value: args.servedAt });
  if (at < Date.parse(notice.issuedAt)) return businessRule('rule.servedBeforeIssue');
  if (state.now !== undefined && at > state.now) return businessRule('rule.serviceInFuture');
  return undefined;
}

export function checkReviewDecision(state: RuleState, actor: Actor): Rejection | undefined {
  return (
    requireRole(actor, ['office', 'department'], 'what.reviewDecision') ??
    (actor.role === 'department' && actor.unitCode !== state.reviewUnit ? notFound() : undefined) ??
    requireStage(state, stagesFor('review-decision', 'department'), 'what.reviewDecision') ??
    (clock(state, 'reReviewDecision')?.pausedSince ? conflict('rule.endHearingFirst') : undefined)
  );
}

export function checkWithdrawal(state: RuleState, actor: Actor): Rejection | undefined {
  return (
    requireRole(actor, ['petitioner', 'office'], 'what.withdrawal') ??
    (isEnded(state.stage) ? conflict('rule.alreadyEnded', { stage: stageName(state.stage) }) : undefined)
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
      ? forbidden('rule.onlySuperiorDesignates', { citation: article(24) })
      : notFound();
  }
  return (
    requireRole(actor, ['office', 'department'], 'what.designation') ??
    (dispute ? undefined : conflict('rule.noDispute')) ??
    (dispute && !dispute.superior && !args.jointConference
      ? businessRule('rule.needsJointConference', { units: dispute.disputants, citation: article(24) })
      : undefined) ??
    guardAccused(state, [args.unitCode])
  );
}

export function checkAccusation(state: RuleState, actor: Actor): Rejection | undefined {
  return (
    requireRole(actor, ['office'], 'what.accusation') ??
    (state.kind === 'report'
      ? undefined
      : businessRule('rule.accusedOnlyInReports', {
          reports: article(30),
          kind: kindName(state.kind),
          recusal: article(28),
        })) ??
    (isEnded(state.stage) ? conflict('rule.alreadyEnded', { stage: stageName(state.stage) }) : undefined)
  );
}

export function checkRecusal(state: RuleState, actor: Actor, unitCode: string): Rejection | undefined {
  return (
    requireRole(actor, ['office'], 'what.recusal') ??
    (isEnded(state.stage) ? conflict('rule.alreadyEnded', { stage: stageName(state.stage) }) : undefined) ??
    ((state.recused ?? []).includes(unitCode) ? conflict('rule.alreadyRecused', { unit: unitCode }) : undefined)
  );
}
