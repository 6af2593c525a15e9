/**
 * The messages a case workflow accepts. Actor actions are Updates (validated, answered at once); inputs that
 * need no answer are Signals; the case view is a Query. Arguments carry codes, enums and IDs only: the words of
 * a reason or a reply are stored in MongoDB by the API under the action's ID.
 */
import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Deadline } from '../domain/calendar';
import type { ActionArgs, ActionName } from '../domain/actions';
import type { ClockName, Decision, Rating, Stage, SupervisionReason } from '../domain/types';

export type { Actor, ActorRole, ActionBase } from '../domain/actions';
export type { Referral } from '../domain/types';

// Each action's Update argument, derived from its body in domain/actions.ts: structure only, never its words.
export type AcceptanceArgs = ActionArgs<'acceptance'>;
export type AcknowledgementArgs = ActionArgs<'acknowledgement'>;
export type ObjectionArgs = ActionArgs<'objection'>;
export type ObjectionDecisionArgs = ActionArgs<'objection-decision'>;
export type ExtensionArgs = ActionArgs<'extension'>;
export type ExtensionDecisionArgs = ActionArgs<'extension-decision'>;
/** Art 32: a supported decision says by when it is carried out; Art 29: a suggestion's contribution. */
export type ResultArgs = ActionArgs<'result'>;
/** A supplement from the petitioner, or a repeat petition attached to this case (`fromCaseId`). */
export type SupplementArgs = ActionArgs<'supplement'> & { fromCaseId?: string };
export type HearingArgs = ActionArgs<'hearing'>;
export type RatingArgs = ActionArgs<'rating'>;
export type ReviewRequestArgs = ActionArgs<'review-request'>;
export type ReviewDecisionArgs = ActionArgs<'review-decision'>;
export type WithdrawalArgs = ActionArgs<'withdrawal'>;
/**
 * Art 24: the common superior of disputing units (or the office on its behalf; with no common superior, the office
 * after a joint conference, 协商) names the lead unit. The designated unit cannot object again.
 */
export type DesignationArgs = ActionArgs<'designation'>;
/** Art 30: the office names further accused units, accused persons' units included; every guard applies from now. */
export type AccusationArgs = ActionArgs<'accusation'>;
/** Art 28: the office marks a unit as having an interest in the case; it is skipped like an accused unit. */
export type RecusalArgs = ActionArgs<'recusal'>;
/** A consultation (咨询) answered: by the office at once, or by the unit it was dispatched to. */
export type AnswerArgs = ActionArgs<'answer'>;
/** Art 31: the matter belongs in another procedure (导入); the petitioner is told which and where. */
export type DiversionArgs = ActionArgs<'diversion'>;
/** Art 32: the unit reports that the supported decision was carried out. */
export type ExecutionReportArgs = ActionArgs<'execution-report'>;
/** After a dissatisfied rating: the office calls the petitioner back, or returns the case once for redo. */
export type CallbackDecisionArgs = ActionArgs<'callback-decision'>;
/** Art 40: the office supervises a unit holding the case (督办函), with a reply deadline. */
export type SupervisionArgs = ActionArgs<'supervision'>;
/** The supervised unit's written reply to a supervision item. */
export type SupervisionReplyArgs = ActionArgs<'supervision-reply'>;
/** Art 22(1), 25: the office marks the matter major or urgent (or no longer). */
export type UrgencyArgs = ActionArgs<'urgency'>;
/**
 * Art 19, 36: the office decides what a likely repeat is: attached to open case `caseId`, not accepted as the same
 * facts and reasons as closed case `caseId`, or a case of its own.
 */
export type RepeatDecisionArgs = ActionArgs<'repeat-decision'>;

export interface ActionResult {
  actionId: string;
  stage: Stage;
  message: string;
  /** True when this very request had already been applied: the answer is the earlier one. */
  duplicate?: boolean;
}

/** An applied action as the case remembers it, to answer its action ID again. Older entries have the result only. */
export interface AppliedAction extends ActionResult {
  /** The Update's name, e.g. `acceptance`. */
  action?: string;
  /** `callerId` of the actor. */
  caller?: string;
  digest?: string;
}

export interface ClockView {
  key: string;
  clock: ClockName;
  deadline: Deadline;
  /** Unit code, `office` or `petitioner`: who the clock runs against. */
  holder: string;
  overdue: boolean;
  paused: boolean;
}

export interface CaseView {
  caseId: string;
  caseNumber: string;
  stage: Stage;
  profileId: string;
  leadUnit?: string;
  units: string[];
  coHandlers: { unitCode: string; reported: boolean; missing?: boolean }[];
  mode?: 'transfer' | 'assign';
  /** An open dispute between units (Art 24) and the unit that designates (null: the office, after 协商). */
  dispute?: { disputants: string[]; superior: string | null };
  /** Something the office must resolve by hand. */
  problem?: { kind: 'routing' | 'deadline'; since: string };
  urgent?: boolean;
  /** Open and answered supervision items (督办, Art 40). */
  supervisions?: SupervisionItem[];
  /** Whether the case was returned once for redo after a dissatisfied rating. */
  redone?: boolean;
  /** A supported decision to carry out (Art 32), and when its execution was reported. */
  execution?: { unitCode: string; reportedAt?: string };
  escalationLevel: number;
  overdue: boolean;
  clocks: ClockView[];
  nextDeadline?: string;
  designated: boolean;
  extension?: { days: number; status: 'requested' | 'approved' | 'rejected' };
  reviewRound: 0 | 1 | 2;
  decision?: Decision;
  rating?: Rating;
  supplements: number;
  /** Digest of the intake request, so the API can tell a retried intake from a conflicting one. */
  intakeDigest: string;
}

export const acceptanceUpdate = defineUpdate<ActionResult, [AcceptanceArgs]>('acceptance');
export const acknowledgementUpdate = defineUpdate<ActionResult, [AcknowledgementArgs]>('acknowledgement');
export const objectionUpdate = defineUpdate<ActionResult, [ObjectionArgs]>('objection');
export const objectionDecisionUpdate = defineUpdate<ActionResult, [ObjectionDecisionArgs]>('objection-decision');
export const extensionUpdate = defineUpdate<ActionResult, [ExtensionArgs]>('extension');
export const extensionDecisionUpdate = defineUpdate<ActionResult, [ExtensionDecisionArgs]>('extension-decision');
export const resultUpdate = defineUpdate<ActionResult, [ResultArgs]>('result');
export const supplementUpdate = defineUpdate<ActionResult, [SupplementArgs]>('supplement');
export const hearingUpdate = defineUpdate<ActionResult, [HearingArgs]>('hearing');
export const ratingUpdate = defineUpdate<ActionResult, [RatingArgs]>('rating');
export const reviewRequestUpdate = defineUpdate<ActionResult, [ReviewRequestArgs]>('review-request');
export const reviewDecisionUpdate = defineUpdate<ActionResult, [ReviewDecisionArgs]>('review-decision');
export const withdrawalUpdate = defineUpdate<ActionResult, [WithdrawalArgs]>('withdrawal');
export const designationUpdate = defineUpdate<ActionResult, [DesignationArgs]>('designation');
export const accusationUpdate = defineUpdate<ActionResult, [AccusationArgs]>('accusation');
export const recusalUpdate = defineUpdate<ActionResult, [RecusalArgs]>('recusal');
export const answerUpdate = defineUpdate<ActionResult, [AnswerArgs]>('answer');
export const diversionUpdate = defineUpdate<ActionResult, [DiversionArgs]>('diversion');
export const executionReportUpdate = defineUpdate<ActionResult, [ExecutionReportArgs]>('execution-report');
export const callbackDecisionUpdate = defineUpdate<ActionResult, [CallbackDecisionArgs]>('callback-decision');
export const supervisionUpdate = defineUpdate<ActionResult, [SupervisionArgs]>('supervision');
export const supervisionReplyUpdate = defineUpdate<ActionResult, [SupervisionReplyArgs]>('supervision-reply');
export const urgencyUpdate = defineUpdate<ActionResult, [UrgencyArgs]>('urgency');
export const repeatDecisionUpdate = defineUpdate<ActionResult, [RepeatDecisionArgs]>('repeat-decision');

/** 送达回证: the office records when and how a notice was served, or that it could not be served. */
export type ServiceArgs = ActionArgs<'service'>;
export const serviceUpdate = defineUpdate<ActionResult, [ServiceArgs]>('service');

/** The petitioner opened the tracking page for the first time since notices were published there (online service). */
export const noticesOpenedSignal = defineSignal<[{ at: string }]>('notices-opened');

/** Each action's Update, by the action's name: what the API sends a validated body to. */
export const ACTION_UPDATES: { [N in ActionName]: UpdateDefinition<ActionResult, [ActionArgs<N>]> } = {
  acceptance: acceptanceUpdate,
  acknowledgement: acknowledgementUpdate,
  objection: objectionUpdate,
  'objection-decision': objectionDecisionUpdate,
  extension: extensionUpdate,
  'extension-decision': extensionDecisionUpdate,
  result: resultUpdate,
  supplement: supplementUpdate,
  hearing: hearingUpdate,
  rating: ratingUpdate,
  'review-request': reviewRequestUpdate,
  'review-decision': reviewDecisionUpdate,
  withdrawal: withdrawalUpdate,
  designation: designationUpdate,
  accusation: accusationUpdate,
  recusal: recusalUpdate,
  answer: answerUpdate,
  diversion: diversionUpdate,
  'execution-report': executionReportUpdate,
  'callback-decision': callbackDecisionUpdate,
  supervision: supervisionUpdate,
  'supervision-reply': supervisionReplyUpdate,
  urgency: urgencyUpdate,
  'repeat-decision': repeatDecisionUpdate,
  service: serviceUpdate,
};

/** A repeat petition registered as its own case was merged into this one (Art 19). */
export const supplementAttachedSignal = defineSignal<[{ fromCaseId: string }]>('supplement-attached');
/** An admin loaded or corrected a year of the holiday calendar: recompute future deadlines. */
export const calendarChangedSignal = defineSignal<[{ years: number[] }]>('calendar-changed');

export const caseViewQuery = defineQuery<CaseView>('view');

/** Failure types a validator throws; the API maps them to HTTP statuses. */
export const REJECTION = {
  forbidden: 'Forbidden', // 403
  notFound: 'NotFound', // 404: the case is not with the caller's unit; existence is not disclosed
  conflict: 'Conflict', // 409: wrong stage
  businessRule: 'BusinessRule', // 422: a rule of the regulation
} as const;

export interface SupervisionItem {
  id: string;
  unitCode: string;
  reason: SupervisionReason;
  openedAt: string;
  repliedAt?: string;
}
