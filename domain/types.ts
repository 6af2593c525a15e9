/** Vocabulary of DESIGN.md §2. Pure types and constants shared by workflows, activities and the API. */

export const CHANNELS = ['letter', 'visit', 'phone', 'online', 'fax'] as const;
export type Channel = (typeof CHANNELS)[number];

export const KINDS = ['suggestion', 'opinion', 'complaint', 'request', 'report', 'consultation'] as const;
export type Kind = (typeof KINDS)[number];

/** C1–C10 of DESIGN.md §4. */
export const CLOCKS = [
  'dispose',
  'notify',
  'acknowledge',
  'objection',
  'handling',
  'rating',
  'reviewRequest',
  'reviewDecision',
  'reReviewRequest',
  'reReviewDecision',
] as const;
export type ClockName = (typeof CLOCKS)[number];

export const PERIOD_UNITS = ['calendar_days', 'working_days'] as const;
export type PeriodUnit = (typeof PERIOD_UNITS)[number];

export const STAGES = [
  'registered',
  'not_accepted',
  'transferred',
  'assigned',
  'acknowledged',
  'accepted',
  'handling',
  'result_submitted',
  'reply_delivered',
  'review_requested',
  'review_replied',
  're_review_requested',
  'resolved',
  'terminated',
  'withdrawn',
  'merged',
  'closed',
] as const;
export type Stage = (typeof STAGES)[number];

export const END_STAGES: readonly Stage[] = ['resolved', 'terminated', 'not_accepted', 'withdrawn', 'merged', 'closed'];

export const DECISIONS = ['support', 'explain', 'not_support'] as const;
export type Decision = (typeof DECISIONS)[number];

export const RATINGS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type Rating = (typeof RATINGS)[number];

export const ROLES = ['intake', 'department', 'office', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A date-only value in the case's local calendar (Asia/Shanghai), `YYYY-MM-DD`. */
export type LocalDate = string;

/** One year of the State Council's holiday arrangement. */
export interface CalendarYear {
  year: number;
  /** Statutory rest days (法定节假日 and the rest days moved next to them). */
  holidays: LocalDate[];
  /** Make-up working days (调休): Saturdays or Sundays declared working days. */
  workdays: LocalDate[];
  /** Where the schedule came from, e.g. `chinese-days@1.5.7` or `admin`. */
  source: string;
}

/** The part of a case the workflow carries: IDs, codes and dates only, never personal data. */
export interface CaseRef {
  caseId: string;
  caseNumber: string;
  channel: Channel;
  kind: Kind;
  category: string;
  regionCode: string;
  profileId: string;
  receivedAt: string;
  registeredAt: string;
}
