import type { ClockName, Decision, Kind, PeriodUnit, StatutoryClock } from './types';
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
  /** C1–C10; the later clocks take their rules from their own sections (execution, callback, supervision). */
  clocks: Record<StatutoryClock, ClockRule> & Partial<Record<ClockName, ClockRule>>;
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
  /**
   * Each kind's own procedure (DESIGN.md §4a). Absent in profiles of cases registered before procedures by kind:
   * those run the 申诉求决 path whatever their kind.
   */
  procedures?: Record<Kind, KindProcedure>;
  /** Art 32: how far ahead the date a supported decision is to be carried out by may lie. */
  execution?: { maxDays: number; basis: string };
  /** A dissatisfied rating (12345 practice): the office decides within `decision`; a redo has at most `redoMax`. */
  callback?: { decision: ClockRule; redoMax: ClockRule };
  /** Manual supervision (督办, Art 40): the unit's written reply is due within `reply`, or at most `maxReplyDays`. */
  supervision?: { reply: ClockRule; maxReplyDays: number };
  /**
   * Service of notices (送达): `office` is the clock the office has to serve a printed notice (post, in person) and
   * record it, with reminders; `online` is how long a notice waits on the tracking page before it counts as served
   * although the petitioner has not opened it. Absent in profiles of cases registered before service was recorded:
   * their windows run from the moment the reply was written.
   */
  service?: { office: ClockRule; online: ClockRule };
  /** Major and urgent matters (Art 22(1), 25): shortened clocks, replacing the profile's own. */
  urgent?: { clocks: Partial<Record<ClockName, ClockRule>>; basis: string };
  /** A group petition (Art 20): this many people or more, or any representatives. */
  group?: { size: number; basis: string };
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

/** Which clocks, outcomes and rights one kind of matter has (DESIGN.md §4a). */
export interface KindProcedure {
  /** The decisions a reply to this kind may carry. */
  outcomes: Decision[];
  /** Whether the petitioner rates the reply (满意度评价). */
  rating: boolean;
  /** Whether 复查 and 复核 apply (Art 35, 36). */
  review: boolean;
  /** Whether the matter may be diverted into another legal procedure (导入, Art 31). */
  diversion?: boolean;
  /** The handling clock, when this kind has its own (a consultation's answer clock). */
  handling?: ClockRule;
  /** The office may answer it at once, without a transfer (a consultation). */
  officeAnswers?: boolean;
  basis: string;
}

/** The procedure of `kind` under `profile`; cases from before procedures by kind run the 申诉求决 path. */
export function procedureOf(profile: JurisdictionProfile, kind: Kind): KindProcedure {
  return profile.procedures?.[kind] ?? LEGACY_PROCEDURE;
}

const LEGACY_PROCEDURE: KindProcedure = {
  outcomes: ['support', 'explain', 'not_support'],
  rating: true,
  review: true,
  basis: '信访工作条例 Art 31–36',
};

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

/** The rule of a clock the profile itself sets. */
export function clockRule(profile: JurisdictionProfile, clock: ClockName): ClockRule {
  const rule = profile.clocks[clock];
  if (!rule) throw new Error(`profile ${profile.id} sets no rule for clock ${clock}: pass it with the clock`);
  return rule;
}
