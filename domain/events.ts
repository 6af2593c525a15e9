/**
 * The names of what happens to a case: timeline entries (what the office, the units and the petitioner's tracking
 * page read as the case's history) and notifications (what the outbox and the webhooks deliver). The workflow writes
 * them, the statistics count them and the tracking page filters them, so each is a typed union with one home.
 */
import type { Stage } from './types';

export const TIMELINE_EVENTS = [
  'registered',
  'accepted',
  'accused_added',
  'acknowledged',
  'answered_by',
  'callback_needed',
  'called_back',
  'co_handler_report_missing',
  'co_handler_reported',
  'co_handlers_recalled',
  'contribution_flagged',
  'deadlines_recomputed',
  'designated',
  'disputed',
  'dispose_clock_started',
  'diverted',
  'escalated',
  'escalation',
  'escalation_exhausted',
  'execution_cancelled',
  'execution_due',
  'execution_reported',
  'expiry',
  'extension_approved',
  'extension_rejected',
  'extension_requested',
  'hearing_ended',
  'hearing_started',
  'hotspot',
  'marked_urgent',
  'merged',
  'not_accepted',
  'not_rated',
  'notice_issued',
  'notice_served',
  'notice_undeliverable',
  'objection',
  'objection_rejected',
  'objection_window_closed',
  'overdue_supervised',
  'problem',
  'rated',
  're_review_replied',
  're_review_window_lapsed',
  'recalled',
  'recused',
  'reminder',
  'repeat_decided',
  'repeat_of_overdue_case',
  'reply_delivered',
  'result_submitted',
  'returned_for_redo',
  'review_replied',
  'review_window_lapsed',
  'reviewer_recalled',
  'supervision_opened',
  'supervision_replied',
  'supplement',
  'urgency_lifted',
  'withdrawn',
] as const;

/** A timeline entry's `type`: one of the events above, or the stage the case entered. */
export type TimelineEvent = (typeof TIMELINE_EVENTS)[number] | Stage;

/** Entries about the guard on an accused or recused unit: never shown to a department (Art 30). */
export const GUARD_EVENTS: readonly TimelineEvent[] = [
  'accused_added',
  'recused',
  'recalled',
  'reviewer_recalled',
  'co_handlers_recalled',
];

/** The office's supervision of a case, not a step of the procedure: left off the petitioner's tracking page. */
export const SUPERVISION_EVENTS: readonly TimelineEvent[] = [
  'overdue_supervised',
  'escalated',
  'escalation_exhausted',
  'reminder',
  'disputed',
];

/** Whether a name read back from MongoDB (a plain string there) is one of a typed list. */
export function isOneOf(events: readonly string[], name: string): boolean {
  return events.includes(name);
}

export const NOTIFICATION_KINDS = [
  'acceptance_notice',
  'callback_needed',
  'co_handler_report',
  'co_handler_report_missing',
  'co_handling',
  'completion_report',
  'designated',
  'dispute',
  'diversion_notice',
  'escalation',
  'execution_cancelled',
  'execution_due',
  'execution_reported',
  'extension_approved',
  'extension_notice',
  'extension_rejected',
  'extension_request',
  'guard_applied',
  'hotspot',
  'new_case',
  'not_accepted',
  'notice_undeliverable',
  'objection',
  'objection_rejected',
  'overdue',
  'problem',
  'recalled',
  'redo',
  'reminder',
  'reply',
  'review_unassigned',
  'reward_proposal',
  'routing',
  'supervision_letter',
  'supervision_reply',
  'supplement',
  'transferred_notice',
  'urgent_matter',
  'withdrawn',
] as const;

/** A notification's `kind`: one of the above, or the stage that calls for the recipient (e.g. `under_review`). */
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number] | Stage;
