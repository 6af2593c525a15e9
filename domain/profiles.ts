import type { ClockName, PeriodUnit } from './types';
import builtIn from './profiles.json';

/** The length of one statutory clock and the article it comes from. */
export interface ClockRule {
  length: number;
  unit: PeriodUnit;
  /** Citation shown in the deadline's explanation, e.g. `信访工作条例 Art 34`. */
  basis: string;
}

/** A reminder before a deadline: either a fraction of the period or a number of days before it. */
export type ReminderRule = { atFraction: number } | { daysBefore: number };

/**
 * A jurisdiction profile: every time limit a case runs under. Data, not code; a case keeps the profile it
 * was registered with for its whole life.
 */
export interface JurisdictionProfile {
  id: string;
  name: string;
  clocks: Record<ClockName, ClockRule>;
  /** Longest extension of the handling clock (C5), in the handling clock's unit. */
  maxExtension: number;
  /** Reminders sent to the unit holding the case before the handling deadline (and other unit clocks). */
  reminders: ReminderRule[];
  /** Working days an overdue case stays at one escalation level before it goes one level up. */
  escalationStepWorkingDays: number;
  /** Days a co-handler has to report to the lead unit in joint handling. */
  coHandlerReportDays: number;
  /**
   * The longest a hearing may pause the re-review decision clock (Art 36 excludes hearing time from the 30 days but
   * sets no limit; without one, a hearing could stop supervision for ever). When it is reached the clock resumes.
   * Absent in profiles of cases registered before it existed: their hearings have no limit.
   */
  hearingMax?: ClockRule;
  /**
   * What an unused review window (C7) makes of the case: `resolved` (national: the reply stands, a later petition on
   * the same matter is a new case) or `terminated` (终结: the matter is closed for good and the same facts and reasons
   * are not accepted again). Absent means `resolved`.
   */
  reviewWindowLapse?: { ends: 'resolved' | 'terminated'; basis: string };
}

export interface ProfileTable {
  profiles: JurisdictionProfile[];
  /** Region-code prefixes mapped to profile IDs; the longest matching prefix wins. */
  regions: { prefix: string; profileId: string }[];
  defaultProfileId: string;
}

export const BUILT_IN_PROFILES: ProfileTable = builtIn as ProfileTable;

export function profileForRegion(regionCode: string, table: ProfileTable = BUILT_IN_PROFILES): JurisdictionProfile {
  const match = table.regions
    .filter((r) => regionCode.startsWith(r.prefix))
    .sort((a, b) => b.prefix.length - a.prefix.length)[0];
  return profileById(match?.profileId ?? table.defaultProfileId, table);
}

export function profileById(id: string, table: ProfileTable = BUILT_IN_PROFILES): JurisdictionProfile {
  const profile = table.profiles.find((p) => p.id === id);
  if (!profile) throw new Error(`unknown jurisdiction profile "${id}"`);
  return profile;
}
