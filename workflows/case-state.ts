/** The state one case workflow keeps: everything that decides what happens next, and nothing personal. */
import type { Deadline } from '../domain/calendar';
import type { JurisdictionProfile } from '../domain/profiles';
import type { NoticeKind } from '../domain/fields';
import type { CaseRef, Decision, Rating, Stage } from '../domain/types';
import type { RunningClock } from './clocks';
import type { AppliedAction, SupervisionItem } from './messages';

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
  /** Anonymous petition: no notice can reach the petitioner (a report's result notice goes to named reporters). */
  anonymous?: boolean;
  /** Major or urgent at intake (Art 22(1), 25). */
  urgent?: boolean;
  /** Carried across continue-as-new. */
  state?: CaseState;
}

export interface CaseState {
  stage: Stage;
  mode?: 'transfer' | 'assign';
  assignDays?: number;
  leadUnit?: string;
  /** Co-handlers (Art 24); `missing` once a report did not come by its sub-deadline and the lead went on without it. */
  coHandlers: { unitCode: string; reported: boolean; missing?: boolean }[];
  reviewUnit?: string;
  /** The unit whose decision the running review or re-review examines (Art 35, 36). */
  reviewBase?: string;
  /** Units the office named as accused after intake, accused persons' units included (Art 30; reports only). */
  addedAccused?: string[];
  /** Units the office recused for an interest in the case (Art 28). */
  recused?: string[];
  /** Two or more units dispute their competence (Art 24): who disputes, and the common superior that designates. */
  dispute?: { disputants: string[]; superior: string | null };
  /** Something the office must resolve by hand (a routing failure, a deadline that cannot be computed). */
  problem?: { kind: 'routing' | 'deadline'; since: string };
  /** CaseProblem has been set on this execution, so clearing the problem clears it too. */
  problemShown?: boolean;
  /** Units whose objection was rejected: they keep the case and cannot object again. */
  designatedUnits: string[];
  /** Major or urgent (Art 22(1), 25): set at intake or by the office; shortened clocks apply. */
  urgent?: boolean;
  /** Art 32: a supported decision to carry out by `dueAt`; the case ends only once it is reported. */
  execution?: { unitCode: string; reportedAt?: string };
  /** The end a case reached while its execution was still open: taken when the execution is reported. */
  pendingEnd?: Stage;
  /** Open and answered supervision items (督办, Art 40). */
  supervisions?: SupervisionItem[];
  /** Returned once for redo after a dissatisfied rating; a second redo is refused. */
  redone?: boolean;
  /** Units whose objection was approved. */
  releasedUnits: string[];
  pendingObjection?: { unitCode: string; at: string };
  /** Windows that lapsed (objection, rating) by clock key, so a late action is told the day the window closed. */
  closedWindows?: Record<string, Deadline>;
  escalationLevel: number;
  clocks: RunningClock[];
  /** `textsId`: where the request's words (its reason) are kept in MongoDB. */
  extension?: { days: number; status: 'requested' | 'approved' | 'rejected'; actionId: string; textsId?: string };
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
  /** Notices to the petitioner on record (patch `notices-served`): IDs and dates only, the words are in MongoDB. */
  notices?: NoticeOnRecord[];
  /** A reply written but not yet served: the windows that open when it is (Art 35, 36: from receipt). */
  awaitingService?: { noticeId: string; rating: boolean; window?: 'reviewRequest' | 'reReviewRequest' };
}

export interface NoticeOnRecord {
  id: string;
  kind: NoticeKind;
  /** `email`, `sms`, `online`, `post` or `in_person`. */
  channel: string;
  issuedAt: string;
  servedAt?: string;
  method?: string;
  undeliverable?: boolean;
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
