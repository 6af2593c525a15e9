/** Vocabulary of DESIGN.md §2. Pure types and constants shared by workflows, activities and the API. */

export const CHANNELS = ['letter', 'visit', 'phone', 'online', 'fax'] as const;
export type Channel = (typeof CHANNELS)[number];

export const KINDS = ['suggestion', 'opinion', 'complaint', 'request', 'report', 'consultation'] as const;
export type Kind = (typeof KINDS)[number];

/** What decides whether the public may see a case: it is fixed at intake. */
export interface Publication {
  kind?: string | null;
  confidential?: boolean | null;
  publicationConsent?: boolean | null;
}

/** Whether the public may see a case: its petitioner agreed, it is no report (Art 30) and not confidential. */
export function mayBePublished(c: Publication): boolean {
  return !!c.publicationConsent && c.kind !== 'report' && !c.confidential;
}

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
  /** C11: carrying out a supported decision by the date the reply states (Art 32). */
  'execution',
  /** C12: the office's decision on a dissatisfied rating: call back, or return for redo. */
  'callbackDecision',
  /** C13: a unit's written reply to a supervision letter (督办函, Art 40). */
  'supervisionReply',
  /** C14: a notice to the petitioner not yet served (送达): the office's clock, or online service deemed made. */
  'service',
] as const;
export type ClockName = (typeof CLOCKS)[number];
/** C1–C10: the clocks every profile sets. */
export type StatutoryClock = Exclude<ClockName, 'execution' | 'callbackDecision' | 'supervisionReply' | 'service'>;

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
  /** A supported decision waits for the unit's report that it was carried out (Art 32). */
  'awaiting_execution',
  /** Returned to the unit after a dissatisfied rating, to be handled again once (退回重办). */
  'redo',
  /** A consultation answered (咨询). */
  'answered',
  /** Diverted into litigation, arbitration, reconsideration or another procedure (导入, Art 31). */
  'diverted',
] as const;
export type Stage = (typeof STAGES)[number];

export const END_STAGES: readonly Stage[] = [
  'resolved',
  'terminated',
  'not_accepted',
  'withdrawn',
  'merged',
  'closed',
  'answered',
  'diverted',
];

/** Where a matter is diverted (导入, Art 31 (1)–(4)). */
export const DIVERSIONS = [
  'litigation',
  'arbitration',
  'administrative_reconsideration',
  'party_appeal',
  'other_administrative',
] as const;
export type Diversion = (typeof DIVERSIONS)[number];

/** Where a matter not accepted (不予受理) belongs instead (Art 31). */
export const REFERRALS = [
  'court',
  'procuratorate',
  'arbitration',
  'administrative_review',
  'discipline',
  'people_congress',
  'other',
] as const;
export type Referral = (typeof REFERRALS)[number];

/** Why the office opens a supervision item on a unit (督办, Art 40). */
export const SUPERVISION_REASONS = ['delay', 'evasion', 'sham_result', 'non_execution', 'other'] as const;
export type SupervisionReason = (typeof SUPERVISION_REASONS)[number];

/**
 * The decision a written reply carries. 申诉求决 (Art 32): support / explain / not_support, or a mediation or
 * settlement agreement (Art 33); a suggestion or opinion (Art 29): adopted / partly / not adopted; a report (Art 30):
 * substantiated / partly / not substantiated; a consultation: answered. Each kind's allowed ones are in its profile.
 */
export const DECISIONS = [
  'support',
  'explain',
  'not_support',
  'mediated',
  'adopted',
  'partly_adopted',
  'not_adopted',
  'substantiated',
  'partly_substantiated',
  'not_substantiated',
  'answered',
] as const;
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
