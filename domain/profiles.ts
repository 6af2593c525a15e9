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
  /** When open cases about one matter in one region are many enough to warn the office (矛盾纠纷排查). */
  hotspot: HotspotRule;
}

/** A group of at least `minCases` open cases about one matter in one region within `windowDays` is a hotspot. */
export interface HotspotRule {
  minCases: number;
  windowDays: number;
  /** Where the numbers come from, shown with the warning. */
  basis: string;
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
