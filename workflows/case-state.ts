/** The state one case workflow keeps: everything that decides what happens next, and nothing personal. */
import type { Deadline } from '../domain/calendar';
import type { JurisdictionProfile } from '../domain/profiles';
import type { CaseRef, Decision, Rating, Stage } from '../domain/types';
import type { RunningClock } from './clocks';
import type { AppliedAction } from './messages';

export interface CaseWorkflowInput {
  ref: CaseRef;
  /** The jurisdiction profile at registration: the case keeps it for life. */
  profile: JurisdictionProfile;
  /** The intake record, sealed by the API; MongoDB receives it through the first activity. */
  sealedRecord?: string;
  intakeDigest: string;
  /** Units a report accuses (Art 30); codes only. */
  accusedUnits: string[];
  confidential: boolean;
  /** Carried across continue-as-new. */
  state?: CaseState;
}

export interface CaseState {
  stage: Stage;
  mode?: 'transfer' | 'assign';
  assignDays?: number;
  leadUnit?: string;
  coHandlers: { unitCode: string; reported: boolean }[];
  reviewUnit?: string;
  /** Units whose objection was rejected: they keep the case and cannot object again. */
  designatedUnits: string[];
  /** Units whose objection was approved. */
  releasedUnits: string[];
  pendingObjection?: { unitCode: string; at: string };
  /** Windows that lapsed (objection, rating) by clock key, so a late action is told the day the window closed. */
  closedWindows?: Record<string, Deadline>;
  escalationLevel: number;
  clocks: RunningClock[];
  extension?: { days: number; status: 'requested' | 'approved' | 'rejected'; actionId: string };
  reviewRound: 0 | 1 | 2;
  decision?: Decision;
  rating?: Rating;
  supplements: number;
  /** Applied actions by action ID, so a retried action is answered, not applied again. */
  applied: Record<string, AppliedAction>;
  /** Outbox messages still to be POSTed to their unit's webhook. */
  webhookQueue: { outboxId: string; unitCode: string }[];
  /** Increases with every change recorded to MongoDB. */
  version: number;
  closedAt?: string;
}

export function initialState(): CaseState {
  return {
    stage: 'registered',
    coHandlers: [],
    designatedUnits: [],
    releasedUnits: [],
    escalationLevel: 0,
    clocks: [],
    reviewRound: 0,
    supplements: 0,
    applied: {},
    webhookQueue: [],
    version: 0,
  };
}

export interface CaseOutcome {
  caseId: string;
  stage: Stage;
  decision?: Decision;
  rating?: Rating;
}
