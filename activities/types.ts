/** Inputs and outputs of activities: IDs, codes and dates only (no personal data crosses Temporal). */
import type { NotificationKind, TimelineEvent } from '../domain/events';
import type { Deadline } from '../domain/calendar';
import type { ClockRule, ReminderRule } from '../domain/profiles';
import type { ClockName, Decision, Stage } from '../domain/types';

export interface DeadlineRequest {
  clock: ClockName;
  rule: ClockRule;
  startedAt: string;
  pauses?: { from: string; to: string; reason: string }[];
  extensionDays?: number;
  extensionReason?: string;
  /** The clock's reminder rules: the deadline then carries its ladder on the legal calendar. */
  reminders?: ReminderRule[];
  /** The clock's label in reminders, e.g. `C5 handling (330100-GA)` for a co-handler's sub-deadline. */
  label?: string;
}

export interface RecordCaseResult {
  /** An earlier case of the same petitioner and matter (Art 19, 36). */
  repeatOf?: { caseId: string; stage: Stage; open: boolean; overdue?: boolean };
}

export interface TimelineInput {
  /** Unique within the case; a retried activity writes the entry once. */
  key: string;
  at: string;
  type: TimelineEvent;
  unitCode?: string;
  escalationLevel?: number;
  detail?: Record<string, unknown>;
}

export interface NotificationInput {
  key: string;
  kind: NotificationKind;
  /** A unit code, `office`, `office-head` or `petitioner`. */
  recipient: string;
  detail?: Record<string, unknown>;
}

export interface CaseProjection {
  stage: Stage;
  units: string[];
  leadUnit?: string;
  escalationLevel: number;
  nextDeadlineAt?: string;
  overdue: boolean;
  /** Each running clock's deadline, with its key, who it runs against, and whether it is overdue. */
  deadlines: (Deadline & { key: string; holder: string; overdue: boolean })[];
  decision?: Decision;
  rating?: string;
  closedAt?: string;
  /** Major or urgent (Art 22(1), 25), once it was ever set. */
  urgent?: boolean;
}

export interface ProgressInput {
  caseId: string;
  /** Increases with every change; an older projection never overwrites a newer one. */
  version: number;
  /** Workflow time of the change: the time of its timeline entries and notifications. */
  at: string;
  projection: CaseProjection;
  timeline: TimelineInput[];
  notifications: NotificationInput[];
}

export interface ReplyInput {
  caseId: string;
  /** 0 = the handling unit's reply, 1 = review opinion, 2 = re-review opinion, 3 = the reply after a redo. */
  round: 0 | 1 | 2 | 3;
  decision: Decision;
  /** The action whose texts (facts, reasons, legal basis) make the reply. */
  actionId: string;
  /**
   * Where that action's words are (`actionTextsId`): the acting unit's own, of the request that was applied. Absent
   * in replies scheduled before it existed, whose words are under `<caseId>:<actionId>`.
   */
  textsId?: string;
  unitCode: string;
  deliveredAt: string;
  /** The deadline for asking for the next review, stated in the reply (Art 32); absent after re-review. */
  nextReviewDeadline?: Deadline;
  /**
   * Served as a notice on record (patch `notices-served`): the reply is not mailed here, and the window for the next
   * review, which runs from service, is stated as a period (`reviewWithin`) rather than a date.
   */
  servedAsNotice?: boolean;
  reviewWithin?: { length: number; unit: 'calendar_days' | 'working_days' };
}

export interface EscalationTargetInput {
  unitCode: string;
  level: number;
  accusedUnits: string[];
}
