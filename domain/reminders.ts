/**
 * Reminder ladder before a deadline (DESIGN.md §4, "Reminder ladder"): the instants at which the unit holding a
 * case is reminded, from the profile's reminder rules. Pure code.
 *
 * - `{ atFraction: f }`: `startedAt + f × (dueAt − startedAt)`.
 * - `{ daysBefore: n }`: 09:00 Asia/Shanghai on the nth calendar day before the last day of the period (the last day
 *   is the local day that ends at `dueAt`); `daysBefore: 0` is 09:00 on the last day itself, i.e. `dueAt − 15 h`.
 *
 * Reminders at or before `startedAt`, or at or after `dueAt`, are dropped; two rules landing on the same instant
 * give one reminder (the first rule's); the result is sorted ascending.
 */
import type { ClockName, LocalDate } from './types';
import type { ReminderRule } from './profiles';
import { addLocalDays, isWorkingDay, localDateOf, localInstant, type Deadline, type LegalCalendar } from './calendar';
import { DEFAULT_LANG, translate, type Lang, type MessageKey } from './i18n';

export interface ScheduledReminder {
  /** ISO 8601 in UTC. */
  at: string;
  /** Stable per clock and rule, e.g. `handling:half`, `handling:d-10`. */
  key: string;
  /** e.g. `C5 办理期限 — 剩余10天提醒`. */
  label: string;
}

const CLOCK_KEYS = {
  dispose: 'clock.dispose',
  notify: 'clock.notify',
  acknowledge: 'clock.acknowledge',
  objection: 'clock.objection',
  handling: 'clock.handling',
  rating: 'clock.rating',
  reviewRequest: 'clock.reviewRequest',
  reviewDecision: 'clock.reviewDecision',
  reReviewRequest: 'clock.reReviewRequest',
  reReviewDecision: 'clock.reReviewDecision',
  execution: 'clock.execution',
  callbackDecision: 'clock.callbackDecision',
  supervisionReply: 'clock.supervisionReply',
  service: 'clock.service',
} as const satisfies Record<ClockName, MessageKey>;

/** A clock of DESIGN.md §4 by its number and name: `C5 办理` · `C5 handling`. */
export function clockName(clock: ClockName, lang: Lang = DEFAULT_LANG): string {
  return translate(lang, CLOCK_KEYS[clock]);
}

/** The clock names of DESIGN.md §4, as shown in timer summaries and reminders. */
export const CLOCK_LABELS: Record<ClockName, string> = Object.fromEntries(
  Object.keys(CLOCK_KEYS).map((clock) => [clock, clockName(clock as ClockName)]),
) as Record<ClockName, string>;

/** When a clock runs out, and when an overdue one goes up a level: timer summaries for the Temporal UI. */
export function expiryLabel(clockLabel: string, lang: Lang = DEFAULT_LANG): string {
  return translate(lang, 'clock.expires', { clock: clockLabel });
}

export function stillOverdueLabel(clockLabel: string, lang: Lang = DEFAULT_LANG): string {
  return translate(lang, 'clock.stillOverdue', { clock: clockLabel });
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;
const REMINDER_HOUR = 9;
/** When a reminder lands on its working day, Asia/Shanghai: `HH:MM` or `HH:MM:SS` (`XINFANG_REMINDER_TIME`). */
export const DEFAULT_REMINDER_TIME = '09:00';
const LOCAL_TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;

/** A local time of day for reminders, checked; throws on anything else than `HH:MM` or `HH:MM:SS`. */
export function reminderTimeOf(text: string): string {
  if (!LOCAL_TIME.test(text)) throw new Error(`invalid reminder time "${text}" (expected HH:MM or HH:MM:SS, 24-hour)`);
  return text.length === 5 ? `${text}:00` : text;
}
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function instantMs(iso: string): number {
  const ms = ISO_INSTANT.test(iso) ? Date.parse(iso) : NaN;
  if (Number.isNaN(ms)) throw new Error(`invalid instant "${iso}" (expected ISO 8601 with Z or an offset)`);
  return ms;
}

function fractionKey(f: number): string {
  return f === 0.5 ? 'half' : `at-${f}`;
}

function fractionLabel(deadline: string, f: number, lang: Lang): string {
  if (f === 0.5) return translate(lang, 'reminder.half', { deadline });
  return translate(lang, 'reminder.fraction', { deadline, percent: Math.round(f * 100) });
}

function daysLeftLabel(deadline: string, n: number, lang: Lang, working = false): string {
  if (n === 0) return translate(lang, 'reminder.dueToday', { deadline });
  return translate(lang, working ? 'reminder.workingDaysLeft' : 'reminder.daysLeft', { deadline, count: n });
}

export function reminderSchedule(
  deadline: Pick<Deadline, 'clock' | 'dueAt' | 'startedAt'>,
  rules: readonly ReminderRule[],
  clockLabel?: string,
  lang: Lang = DEFAULT_LANG,
): ScheduledReminder[] {
  const startMs = instantMs(deadline.startedAt);
  const dueMs = instantMs(deadline.dueAt);
  const title = translate(lang, 'clock.deadline', { clock: clockLabel ?? clockName(deadline.clock, lang) });
  // The last day of the period is the Asia/Shanghai day that ends at dueAt.
  const lastDay = Math.floor((dueMs - 1 + SHANGHAI_OFFSET_MS) / DAY_MS);

  const candidates: { ms: number; key: string; label: string }[] = [];
  for (const rule of rules) {
    if ('atFraction' in rule) {
      const f = rule.atFraction;
      if (!Number.isFinite(f)) throw new Error(`invalid reminder fraction ${f}`);
      candidates.push({
        ms: Math.round(startMs + f * (dueMs - startMs)),
        key: `${deadline.clock}:${fractionKey(f)}`,
        label: fractionLabel(title, f, lang),
      });
    } else {
      const n = rule.daysBefore;
      if (!Number.isInteger(n) || n < 0) throw new Error(`invalid reminder daysBefore ${n}`);
      candidates.push({
        ms: (lastDay - n) * DAY_MS + REMINDER_HOUR * HOUR_MS - SHANGHAI_OFFSET_MS,
        key: `${deadline.clock}:d-${n}`,
        label: daysLeftLabel(title, n, lang),
      });
    }
  }

  const seen = new Set<number>();
  return candidates
    .filter((c) => c.ms > startMs && c.ms < dueMs)
    .filter((c) => (seen.has(c.ms) ? false : (seen.add(c.ms), true)))
    .sort((a, b) => a.ms - b.ms)
    .map((c) => ({ at: new Date(c.ms).toISOString(), key: c.key, label: c.label }));
}

/**
 * Reminders spread over a window after the reminder time (`XINFANG_REMINDER_SPREAD`): each case's reminders land
 * `spreadOffsetSeconds(seed, seconds)` after it, so thousands of cases whose reminders fall on one working day do not
 * all fall due in one second. `seed` is the case's workflow ID, so a deadline computed again gets the same instants.
 */
export interface ReminderSpread {
  /** The window's length in whole seconds; 0 lands every reminder at the reminder time. */
  seconds: number;
  seed: string;
}

/** A case's offset into the spread window, in whole seconds in [0, seconds): FNV-1a of the seed, so even and stable. */
export function spreadOffsetSeconds(seed: string, seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 0)
    throw new Error(`invalid reminder spread ${seconds} (whole seconds ≥ 0)`);
  if (seconds === 0) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % seconds;
}

/** `ms` moved by the spread's offset, but never past the last second of its local day. */
function spreadWithinDay(ms: number, offsetMs: number, day: LocalDate): number {
  if (offsetMs === 0) return ms;
  const lastSecond = Date.parse(localInstant(addLocalDays(day, 1), '00:00:00')) - 1000;
  return Math.min(ms + offsetMs, Math.max(ms, lastSecond));
}

/** A reminder's day: itself if it is a working day, else the working day before it. */
function workingDayOnOrBefore(date: LocalDate, cal: LegalCalendar): LocalDate {
  let day = date;
  for (let i = 0; i < 366 && !isWorkingDay(day, cal); i++) day = addLocalDays(day, -1);
  return day;
}

/** The working day `n` working days from `date` (negative: before it); `date` itself is not counted. */
function workingDaysFrom(date: LocalDate, n: number, cal: LegalCalendar): LocalDate {
  const step = n < 0 ? -1 : 1;
  let day = date;
  for (let counted = 0; counted < Math.abs(n);) {
    day = addLocalDays(day, step);
    if (isWorkingDay(day, cal)) counted += 1;
  }
  return day;
}

/**
 * The reminder ladder on the legal calendar, for deadlines computed with it (the computeDeadlines activity): a
 * reminder is for a clerk at work, so each lands at 09:00 Asia/Shanghai (or the office's `time`, plus the case's
 * offset in the `spread`) on a working day —
 * one that falls on a rest day moves to the working day before it. A working-day clock's ladder counts working days (`daysBefore: 3` is three
 * working days before the last day; `atFraction` is that share of its working days), so a short clock gets no
 * reminder that would come before it started ("10 days left" on a 5-working-day clock). Reminders on or before the
 * start day, or at or after the deadline, are dropped; two on the same day give one (the first rule's).
 */
export function workingDayReminders(
  deadline: Pick<Deadline, 'clock' | 'dueAt' | 'startedAt' | 'unit' | 'length'> & {
    explanation: Pick<Deadline['explanation'], 'lastDay'>;
  },
  rules: readonly ReminderRule[],
  cal: LegalCalendar,
  clockLabel?: string,
  lang: Lang = DEFAULT_LANG,
  time: string = DEFAULT_REMINDER_TIME,
  spread?: ReminderSpread,
): ScheduledReminder[] {
  const clockTime = reminderTimeOf(time);
  const offsetMs = spread ? spreadOffsetSeconds(spread.seed, spread.seconds) * 1000 : 0;
  const startDay = localDateOf(deadline.startedAt);
  const lastDay = deadline.explanation.lastDay;
  const working = deadline.unit === 'working_days';
  const title = translate(lang, 'clock.deadline', { clock: clockLabel ?? clockName(deadline.clock, lang) });
  const startMs = instantMs(deadline.startedAt);
  const dueMs = instantMs(deadline.dueAt);

  const candidates: { day: LocalDate; key: string; label: string }[] = [];
  for (const rule of rules) {
    if ('atFraction' in rule) {
      const f = rule.atFraction;
      if (!Number.isFinite(f)) throw new Error(`invalid reminder fraction ${f}`);
      const whole = Math.floor(f * deadline.length);
      if (working && whole < 1) continue;
      const day = working
        ? workingDaysFrom(startDay, whole, cal)
        : localDateOf(new Date(Math.round(startMs + f * (dueMs - startMs))).toISOString());
      candidates.push({ day, key: `${deadline.clock}:${fractionKey(f)}`, label: fractionLabel(title, f, lang) });
    } else {
      const n = rule.daysBefore;
      if (!Number.isInteger(n) || n < 0) throw new Error(`invalid reminder daysBefore ${n}`);
      if (working && n >= deadline.length) continue;
      const day = working ? workingDaysFrom(lastDay, -n, cal) : addLocalDays(lastDay, -n);
      candidates.push({ day, key: `${deadline.clock}:d-${n}`, label: daysLeftLabel(title, n, lang, working) });
    }
  }

  const seen = new Set<LocalDate>();
  return candidates
    .map((c) => ({ ...c, day: workingDayOnOrBefore(c.day, cal) }))
    .map((c) => ({ ...c, ms: spreadWithinDay(Date.parse(localInstant(c.day, clockTime)), offsetMs, c.day) }))
    .filter((c) => c.day > startDay && c.ms > startMs && c.ms < dueMs)
    .filter((c) => (seen.has(c.day) ? false : (seen.add(c.day), true)))
    .sort((a, b) => a.ms - b.ms)
    .map((c) => ({ at: new Date(c.ms).toISOString(), key: c.key, label: c.label }));
}
