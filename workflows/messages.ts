/**
 * The messages a case workflow accepts. Actor actions are Updates (validated, answered at once); inputs that
 * need no answer are Signals; the case view is a Query. Arguments carry codes, enums and IDs only: the words of
 * a reason or a reply are stored in MongoDB by the API under the action's ID.
 */
import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Deadline } from '../domain/calendar';
import type { ClockName, Decision, Rating, Stage } from '../domain/types';

export type ActorRole = 'intake' | 'department' | 'office' | 'petitioner';

export interface Actor {
  role: ActorRole;
  /** Set for department actors: the unit their key is bound to. */
  unitCode?: string;
  /** The API key or session that acted, for the audit trail (never a person's name). */
  keyId?: string;
}

export interface ActionBase {
  /** Client-chosen ID; one request per ID: the same request again is answered as a duplicate, another refused. */
  actionId: string;
  actor: Actor;
  /**
   * The API's keyed digest of the whole request (action, caller, body with its words), which tells the same request
   * from another one under the same action ID. Absent from actions sent before it existed.
   */
  digest?: string;
}

export type AcceptanceArgs = ActionBase &
  (
    | {
        decision: 'accept';
        /** Office: transfer (转送) or assign (交办, with a fixed deadline and a completion report). */
        mode?: 'transfer' | 'assign';
        /** Operator override of the routing rules. */
        unitCode?: string;
        coHandlers?: string[];
        /** Assignment deadline in days; defaults to the profile's handling clock. */
        assignDays?: number;
        /** When the transfer was made, if it was made on paper before being recorded here; clocks run from it. */
        effectiveAt?: string;
      }
    | { decision: 'not_accept'; referral: Referral }
  );
export type Referral =
  'court' | 'procuratorate' | 'arbitration' | 'administrative_review' | 'discipline' | 'people_congress' | 'other';
export type AcknowledgementArgs = ActionBase;
export type ObjectionArgs = ActionBase;
export type ObjectionDecisionArgs = ActionBase & { approve: boolean; unitCode?: string };
export type ExtensionArgs = ActionBase & { days: number };
export type ExtensionDecisionArgs = ActionBase & { approve: boolean; days?: number };
export type ResultArgs = ActionBase & { decision?: Decision };
export type SupplementArgs = ActionBase & { fromCaseId?: string };
export type HearingArgs = ActionBase & { action: 'start' | 'end' };
export type RatingArgs = ActionBase & { rating: Rating };
export type ReviewRequestArgs = ActionBase;
export type ReviewDecisionArgs = ActionBase & { decision: Decision };
export type WithdrawalArgs = ActionBase;

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
  coHandlers: { unitCode: string; reported: boolean }[];
  mode?: 'transfer' | 'assign';
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

/** Any actor action's Update; the API validates each body with its own schema before sending it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ActionUpdate = UpdateDefinition<ActionResult, [any]>;

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
