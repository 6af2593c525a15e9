/**
 * The legal calendar: how the statutory periods of DESIGN.md §4 are counted, and the explanation every deadline
 * carries (DESIGN.md §5). Pure code: no I/O, no clock; every function takes its inputs explicitly, so workflows and
 * activities can both import it.
 *
 * Counting (Civil Code Arts 201, 203; domain-anchors §1.4):
 * - The start instant's local date is taken in Asia/Shanghai (fixed UTC+8, no DST), whatever offset it carries.
 * - The starting day is not counted; counting begins the next local day.
 * - Calendar-day periods end on start + N; a last day that is a rest day (a statutory holiday, or a Saturday or
 *   Sunday that is not a make-up working day 调休) rolls forward to the next working day.
 * - Working-day periods count N working days after the start day: weekends that are not make-up working days and
 *   holidays are skipped, make-up working days count.
 * - The last day ends at 24:00 Asia/Shanghai, written as the next day's `T00:00:00+08:00`.
 * - A year with no loaded schedule treats Saturdays and Sundays as rest days and has no holidays; the deadline names
 *   such years in `explanation.unscheduledYears` so the caller can call the date provisional.
 * - Pauses (信访工作条例 Art 36: hearing time is not counted) exclude every local day on which a pause was in progress.
 *   Paused days are not counted, so the period is lengthened by the paused days that fall after the start day.
 *   Overlapping pauses count each day once. A pause still in progress is passed without `to`, together with
 *   `asOf` (the instant the deadline is computed for): it is counted up to `asOf`'s local date, marked `open`, and the
 *   deadline is provisional — the caller recomputes when the pause ends.
 * - An extension lengthens the period: `rule.length + extensionDays`, counted from the same start in the same unit.
 *
 * API:
 *   createLegalCalendar(years)                    → LegalCalendar (later entries for the same year override earlier)
 *   builtInCalendarYears()                        → in ./calendar-source (the `chinese-days` schedule)
 *   localDateOf(instantIso)                       → LocalDate in Asia/Shanghai
 *   isWorkingDay(date, cal)                       → boolean
 *   endOfLocalDay(date)                           → 'YYYY-MM-DD(+1)T00:00:00+08:00'
 *   addLocalDays(date, n)                         → LocalDate
 *   computeDeadline(input, cal)                   → Deadline (DESIGN.md §5 shape, `length` includes the extension)
 *   addWorkingDays(startedAt, n, cal)             → { dueAt, lastDay } (escalation steps)
 *
 * Over 400 lines because counting and the explanation every deadline carries are one algorithm, and a third of
 * the file is its documentation; splitting it would separate the rules from their reasons.
 */
import type { ClockName, PeriodUnit, LocalDate, CalendarYear } from './types';
import type { ClockRule } from './profiles';
import type { ScheduledReminder } from './reminders';
import { explanationText } from './deadline-text';
import { DEFAULT_LANG } from './i18n';

/** A year's schedule, optionally with the names of its holidays and make-up days (`Spring Festival`). */
export interface NamedCalendarYear extends CalendarYear {
  names?: Record<LocalDate, string>;
}

export type RestReason = 'weekend' | 'holiday';

/** What the calendar says about one local date. */
export interface DayStatus {
  date: LocalDate;
  working: boolean;
  /** Why a rest day is one; null on working days. */
  reason: RestReason | null;
  /** Listed as a make-up working day (调休) in the schedule. */
  makeUpWorkday: boolean;
  /** The holiday (or the holiday a make-up day belongs to), when the schedule names it. */
  name?: string;
  /** False when no schedule is loaded for the date: only Saturdays and Sundays are rest days then. */
  scheduled: boolean;
}

export interface LegalCalendar {
  /** The schedule in force for a year, or undefined when none is loaded. */
  year(y: number): NamedCalendarYear | undefined;
  /** Years with a loaded schedule, ascending. */
  years(): number[];
  day(date: LocalDate): DayStatus;
}

export interface RestDay {
  date: LocalDate;
  reason: RestReason;
  /** Holiday name when the schedule gives one. */
  name?: string;
}

export interface PauseInput {
  from: string;
  /** Omitted while the pause is still in progress; then `asOf` must be given. */
  to?: string;
  reason: string;
}

export interface DeadlineExplanation {
  /** Citation and length, e.g. `信访工作条例 Art 34: 60 calendar days`. */
  rule: string;
  startedAt: string;
  startLocalDate: LocalDate;
  /** The day after the start day (Civil Code Art 201). */
  firstCountedDay: LocalDate;
  /** The last day of the period before any roll-forward. */
  nominalLastDay: LocalDate;
  lastDay: LocalDate;
  /** Working-day periods: the rest days passed over while counting. Empty for calendar-day periods. */
  skippedDays: RestDay[];
  /** Working-day periods: the make-up working days (调休) that were counted. */
  makeUpDaysCounted: LocalDate[];
  /** Civil Code Art 203: the nominal last day was a rest day, so the period ends on the next working day. */
  rolledForward: { from: LocalDate; to: LocalDate; restDays: RestDay[] } | null;
  /** Each pause with its number of local days after the start day. `open` pauses are counted up to `asOf`. */
  pauses: { from: string; to: string; days: number; reason: string; open?: true }[];
  /** Days not counted because a pause was in progress (each day once, even if pauses overlap). */
  pausedDays: number;
  /**
   * An approved extension (Art 34): a further period counted from the day after the original period's last day
   * (`originalLastDay`, after its roll-forward; the original deadline was `originalDueAt`).
   */
  extension: { days: number; reason: string; originalLastDay?: LocalDate; originalDueAt?: string } | null;
  /** Calendar-day periods: the last day is a make-up working day (调休), so it does not roll forward. */
  makeUpLastDay?: { date: LocalDate; name?: string };
  /** Years whose schedule was needed but not loaded; the due date is provisional when non-empty. */
  unscheduledYears: number[];
  /** One plain sentence (or two) a clerk can read, in Chinese; `explanationText` writes it in another language. */
  text: string;
}

export interface Deadline {
  clock: ClockName;
  /** End of the last day: the next day's `T00:00:00+08:00`. */
  dueAt: string;
  unit: PeriodUnit;
  /** Days counted: the rule's length plus any extension (paused days not included). */
  length: number;
  startedAt: string;
  explanation: DeadlineExplanation;
  /** The rule counted (its own length, without the extension); absent on deadlines computed before it was kept. */
  rule?: ClockRule;
  /**
   * The reminder ladder on the legal calendar (domain/reminders.ts `workingDayReminders`), when the deadline was
   * computed for a clock that reminds. Deadlines computed before it existed have none; their ladder is derived.
   */
  reminders?: ScheduledReminder[];
}

export interface DeadlineInput {
  clock: ClockName;
  rule: ClockRule;
  startedAt: string;
  pauses?: PauseInput[];
  /** Needed only when a pause has no `to`: the instant up to which the open pause is counted. */
  asOf?: string;
  extensionDays?: number;
  extensionReason?: string;
}

const DAY_MS = 86_400_000;
/** Asia/Shanghai has been UTC+8 without daylight saving since 1991. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const SHANGHAI_OFFSET = '+08:00';
/** Guard against a schedule that never yields a working day. */
const MAX_WALK_DAYS = 20_000;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// ---------------------------------------------------------------------------------------------------------------
// Dates as day numbers (days since 1970-01-01).

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function dayNumber(date: LocalDate): number {
  const m = LOCAL_DATE.exec(date);
  if (!m) throw new Error(`invalid local date "${date}" (expected YYYY-MM-DD)`);
  const n = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
  if (fromDayNumber(n) !== date) throw new Error(`invalid local date "${date}"`);
  return n;
}

function fromDayNumber(n: number): LocalDate {
  const d = new Date(n * DAY_MS);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
function weekdayOf(n: number): number {
  return (((n + 4) % 7) + 7) % 7;
}

function yearOf(date: LocalDate): number {
  return Number(date.slice(0, 4));
}

function instantMs(instantIso: string): number {
  if (!ISO_INSTANT.test(instantIso)) {
    throw new Error(`invalid instant "${instantIso}" (expected ISO 8601 with Z or an offset)`);
  }
  const ms = Date.parse(instantIso);
  if (Number.isNaN(ms)) throw new Error(`invalid instant "${instantIso}"`);
  return ms;
}

/** The Asia/Shanghai calendar date of an instant, whatever offset the ISO string carries. */
export function localDateOf(instantIso: string): LocalDate {
  return fromDayNumber(Math.floor((instantMs(instantIso) + SHANGHAI_OFFSET_MS) / DAY_MS));
}

export function addLocalDays(date: LocalDate, n: number): LocalDate {
  return fromDayNumber(dayNumber(date) + n);
}

/** The instant a local day begins: `YYYY-MM-DDT00:00:00+08:00`. */
export function startOfLocalDay(date: LocalDate): string {
  return localInstant(date, '00:00:00');
}

/** Civil Code Art 203: the last day ends at 24:00, written as the next day's 00:00 in Asia/Shanghai. */
export function endOfLocalDay(date: LocalDate): string {
  return startOfLocalDay(addLocalDays(date, 1));
}

/** A wall-clock time (`HH:MM` or `HH:MM:SS`) on a local day, as an ISO 8601 instant with its offset. */
export function localInstant(date: LocalDate, time: string): string {
  return `${date}T${time}${SHANGHAI_OFFSET}`;
}

/**
 * The bounds of a period a query gives as dates or instants, `[from, to)`: a date means its whole day in
 * Asia/Shanghai (from its start; up to its end).
 */
export function periodFrom(dateOrInstant: string): Date {
  return new Date(LOCAL_DATE.test(dateOrInstant) ? startOfLocalDay(dateOrInstant) : dateOrInstant);
}

export function periodTo(dateOrInstant: string): Date {
  return new Date(LOCAL_DATE.test(dateOrInstant) ? endOfLocalDay(dateOrInstant) : dateOrInstant);
}

/** An instant written in Asia/Shanghai (`2026-12-01T09:30:00+08:00`), as every date of the API reads. */
export function localIsoOf(at: Date): string {
  return `${new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19)}${SHANGHAI_OFFSET}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The calendar.

interface ListedDay {
  working: boolean;
  name?: string;
  /** Listed by the schedule of the date's own year (wins over a neighbouring year's schedule). */
  own: boolean;
}

class ScheduleCalendar implements LegalCalendar {
  private readonly byYear = new Map<number, NamedCalendarYear>();
  private readonly listed = new Map<LocalDate, ListedDay>();

  constructor(years: readonly NamedCalendarYear[]) {
    for (const y of years) {
      if (!Number.isInteger(y.year)) throw new Error(`invalid calendar year ${String(y.year)}`);
      const holidays = new Set(y.holidays);
      for (const d of y.workdays) {
        if (holidays.has(d)) throw new Error(`calendar ${y.year}: ${d} is listed both as holiday and as workday`);
      }
      for (const d of [...y.holidays, ...y.workdays]) dayNumber(d);
      this.byYear.set(y.year, {
        ...y,
        holidays: [...y.holidays],
        workdays: [...y.workdays],
        ...(y.names ? { names: { ...y.names } } : {}),
      });
    }
    // A schedule may list days of a neighbouring year (a New Year holiday starting on 30 December); the schedule of
    // the date's own year decides when both list it.
    for (const y of [...this.byYear.values()].sort((a, b) => a.year - b.year)) {
      const put = (date: LocalDate, working: boolean): void => {
        const own = yearOf(date) === y.year;
        if (!own && this.listed.get(date)?.own) return;
        const name = y.names?.[date];
        this.listed.set(date, { working, own, ...(name ? { name } : {}) });
      };
      for (const d of y.holidays) put(d, false);
      for (const d of y.workdays) put(d, true);
    }
  }

  year(y: number): NamedCalendarYear | undefined {
    return this.byYear.get(y);
  }

  years(): number[] {
    return [...this.byYear.keys()].sort((a, b) => a - b);
  }

  day(date: LocalDate): DayStatus {
    const weekday = weekdayOf(dayNumber(date));
    const weekend = weekday === 0 || weekday === 6;
    const listed = this.listed.get(date);
    const scheduled = this.byYear.has(yearOf(date)) || listed !== undefined;
    const name = listed?.name ? { name: listed.name } : {};
    if (listed && !listed.working)
      return { date, working: false, reason: 'holiday', makeUpWorkday: false, scheduled, ...name };
    if (listed?.working) return { date, working: true, reason: null, makeUpWorkday: true, scheduled, ...name };
    return { date, working: !weekend, reason: weekend ? 'weekend' : null, makeUpWorkday: false, scheduled };
  }
}

/** A calendar from yearly schedules; a later entry for the same year replaces an earlier one (admin over built-in). */
export function createLegalCalendar(years: readonly NamedCalendarYear[]): LegalCalendar {
  return new ScheduleCalendar(years);
}

export function isWorkingDay(date: LocalDate, cal: LegalCalendar): boolean {
  return cal.day(date).working;
}

// ---------------------------------------------------------------------------------------------------------------
// Counting.

interface PeriodCount {
  startLocalDate: LocalDate;
  nominalLastDay: LocalDate;
  lastDay: LocalDate;
  skippedDays: RestDay[];
  makeUpDaysCounted: LocalDate[];
  rolledForward: DeadlineExplanation['rolledForward'];
  pausedDays: number;
  unscheduledYears: number[];
}

function restDay(s: DayStatus): RestDay {
  return { date: s.date, reason: s.reason ?? 'weekend', ...(s.name ? { name: s.name } : {}) };
}

function countPeriod(
  startLocalDate: LocalDate,
  length: number,
  unit: PeriodUnit,
  paused: ReadonlySet<number>,
  cal: LegalCalendar,
): PeriodCount {
  if (!Number.isInteger(length) || length < 1)
    throw new Error(`period length must be a positive integer, got ${length}`);
  const unscheduled = new Set<number>();
  const consult = (n: number): DayStatus => {
    const s = cal.day(fromDayNumber(n));
    if (!s.scheduled) unscheduled.add(yearOf(s.date));
    return s;
  };
  const start = dayNumber(startLocalDate);
  const skippedDays: RestDay[] = [];
  const makeUpDaysCounted: LocalDate[] = [];
  let pausedDays = 0;
  let counted = 0;
  let n = start;
  // Civil Code Art 201: the starting day is not counted.
  while (counted < length) {
    n += 1;
    if (n - start > MAX_WALK_DAYS) throw new Error('calendar has no working days ahead');
    if (paused.has(n)) {
      pausedDays += 1;
      continue;
    }
    if (unit === 'working_days') {
      const s = consult(n);
      if (!s.working) {
        skippedDays.push(restDay(s));
        continue;
      }
      if (s.makeUpWorkday) makeUpDaysCounted.push(s.date);
    }
    counted += 1;
  }
  const nominal = n;
  // Civil Code Art 203: a last day that is a rest day moves to the next working day.
  const restDays: RestDay[] = [];
  for (let s = consult(n); !s.working; s = consult(n)) {
    restDays.push(restDay(s));
    n += 1;
    if (n - nominal > MAX_WALK_DAYS) throw new Error('calendar has no working days ahead');
  }
  return {
    startLocalDate,
    nominalLastDay: fromDayNumber(nominal),
    lastDay: fromDayNumber(n),
    skippedDays,
    makeUpDaysCounted,
    rolledForward: restDays.length ? { from: fromDayNumber(nominal), to: fromDayNumber(n), restDays } : null,
    pausedDays,
    unscheduledYears: [...unscheduled].sort((a, b) => a - b),
  };
}

/** A further period of `days` counted from the day after `base`'s last day; the explanation covers both. */
function extendPeriod(
  base: PeriodCount,
  days: number,
  unit: PeriodUnit,
  paused: ReadonlySet<number>,
  cal: LegalCalendar,
): PeriodCount {
  const further = countPeriod(base.lastDay, days, unit, paused, cal);
  return {
    ...further,
    startLocalDate: base.startLocalDate,
    skippedDays: [...base.skippedDays, ...further.skippedDays],
    makeUpDaysCounted: [...base.makeUpDaysCounted, ...further.makeUpDaysCounted],
    pausedDays: base.pausedDays + further.pausedDays,
    unscheduledYears: [...new Set([...base.unscheduledYears, ...further.unscheduledYears])].sort((a, b) => a - b),
  };
}

/** N working days after the start day (start day excluded); due at 24:00 of the Nth working day. */
export function addWorkingDays(
  startedAt: string,
  n: number,
  cal: LegalCalendar,
): { dueAt: string; lastDay: LocalDate } {
  const { lastDay } = countPeriod(localDateOf(startedAt), n, 'working_days', new Set(), cal);
  return { dueAt: endOfLocalDay(lastDay), lastDay };
}

/** `60 calendar days`: the rule's own length in the explanation's `rule` field, which API clients read as a code. */
function ruleLength(rule: ClockRule): string {
  const word = rule.unit === 'working_days' ? 'working day' : 'calendar day';
  return `${rule.length} ${word}${rule.length === 1 ? '' : 's'}`;
}

/** A clock's deadline with its explanation (DESIGN.md §5). */
export function computeDeadline(input: DeadlineInput, cal: LegalCalendar): Deadline {
  const { clock, rule, startedAt } = input;
  const startLocalDate = localDateOf(startedAt);
  const start = dayNumber(startLocalDate);

  const extensionDays = input.extensionDays ?? 0;
  if (!Number.isInteger(extensionDays) || extensionDays < 0) {
    throw new Error(`extensionDays must be a non-negative integer, got ${extensionDays}`);
  }
  const extension: DeadlineExplanation['extension'] =
    extensionDays > 0 ? { days: extensionDays, reason: input.extensionReason ?? 'extension' } : null;

  // 信访工作条例 Art 36: hearing time is not counted — every local day on which a pause was in progress is excluded.
  const paused = new Set<number>();
  const pauses: DeadlineExplanation['pauses'] = [];
  for (const p of input.pauses ?? []) {
    const open = p.to === undefined;
    const to = p.to ?? input.asOf;
    if (to === undefined) throw new Error(`pause "${p.reason}" has no end: pass asOf`);
    if (instantMs(to) < instantMs(p.from)) throw new Error(`pause "${p.reason}" ends before it starts`);
    const first = Math.max(dayNumber(localDateOf(p.from)), start + 1);
    const last = dayNumber(localDateOf(to));
    for (let n = first; n <= last; n += 1) paused.add(n);
    pauses.push({ from: p.from, to, days: Math.max(0, last - first + 1), reason: p.reason, ...(open ? { open } : {}) });
  }

  const length = rule.length + extensionDays;
  const base = countPeriod(startLocalDate, rule.length, rule.unit, paused, cal);
  // Art 34 with the Civil Code's counting: the extension is a further period that starts the day after the original
  // period's last day (after its roll-forward), in the same unit, rolled forward again if it ends on a rest day.
  const count = extension ? extendPeriod(base, extensionDays, rule.unit, paused, cal) : base;
  if (extension)
    Object.assign(extension, { originalLastDay: base.lastDay, originalDueAt: endOfLocalDay(base.lastDay) });
  const last = cal.day(count.nominalLastDay);
  const makeUpLastDay =
    rule.unit === 'calendar_days' && !count.rolledForward && last.makeUpWorkday
      ? { date: last.date, ...(last.name ? { name: last.name } : {}) }
      : undefined;
  const explanation: Omit<DeadlineExplanation, 'text'> = {
    rule: `${rule.basis}: ${ruleLength(rule)}`,
    startedAt,
    startLocalDate,
    firstCountedDay: fromDayNumber(start + 1),
    nominalLastDay: count.nominalLastDay,
    lastDay: count.lastDay,
    skippedDays: count.skippedDays,
    makeUpDaysCounted: count.makeUpDaysCounted,
    rolledForward: count.rolledForward,
    pauses,
    pausedDays: count.pausedDays,
    extension,
    ...(makeUpLastDay ? { makeUpLastDay } : {}),
    unscheduledYears: count.unscheduledYears,
  };
  const text = explanationText({ unit: rule.unit, length, explanation }, DEFAULT_LANG);
  return {
    clock,
    dueAt: endOfLocalDay(count.lastDay),
    unit: rule.unit,
    length,
    startedAt,
    explanation: { ...explanation, text },
    rule,
  };
}
