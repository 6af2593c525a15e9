/**
 * Letters "received" in the past whose half-time reminder falls due at a chosen instant of the fault run.
 *
 * The dispose clock of the national profile runs 15 calendar days to the end of its last day (24:00 Asia/Shanghai),
 * and its half-time reminder is the midpoint of receipt and due time. Receipt on local day d gives a due time D fixed
 * for that day, so the reminders reachable from day d span only 12 hours: 00:00–12:00 local when D − start of d is an
 * even number of days (the usual 16), 12:00–24:00 when it is odd. An afternoon target in Shanghai therefore needs the
 * last day rolled forward by one rest day. The suite runs on its own database, so it declares that day a holiday
 * (and the next one a working day) in the calendar the worker reads, instead of depending on the time of day.
 */
import {
  computeDeadline,
  createLegalCalendar,
  isWorkingDay,
  type Deadline,
  type LegalCalendar,
  type NamedCalendarYear,
} from '../domain/calendar';
import { builtInCalendarYears } from '../domain/calendar-source';
import { profileForRegion } from '../domain/profiles';
import { reminderSchedule } from '../domain/reminders';

/** Nanjing: the national profile, whose dispose clock is 15 calendar days. */
export const CLOCK_REGION = '320102';
const DAY_MS = 86_400_000;
const SHANGHAI_MS = 8 * 3_600_000;

export interface PlannedLetter {
  reminderAt: number;
  receivedAt: string;
  /** The dispose deadline as the worker will compute it with `years`. */
  deadline: Deadline;
}

export interface ClockPlan {
  letters: PlannedLetter[];
  /** Calendar years to store (replacing the built-in ones of the same year), or none. */
  years: NamedCalendarYear[];
  /** Targets no calendar could serve (a run crossing 04:00 or 16:00 UTC may lose one). */
  dropped: number[];
}

const localDate = (ms: number) => new Date(ms + SHANGHAI_MS).toISOString().slice(0, 10);
const localMidnight = (ms: number) => Math.floor((ms + SHANGHAI_MS) / DAY_MS) * DAY_MS - SHANGHAI_MS;

export function planClockLetters(targets: number[]): ClockPlan {
  const builtIn = builtInCalendarYears();
  const baseCalendar = createLegalCalendar(builtIn);
  const rest = new Set<string>();
  const work = new Set<string>();
  for (const target of targets) {
    const dayStart = localMidnight(target) - 8 * DAY_MS;
    const last = localDate(dayStart + 15 * DAY_MS);
    const after = localDate(dayStart + 16 * DAY_MS);
    const afternoon = target - localMidnight(target) >= DAY_MS / 2;
    if (!afternoon) {
      if (!isWorkingDay(last, baseCalendar) && !rest.has(last)) work.add(last);
    } else {
      if (!work.has(last)) rest.add(last);
      if (!isWorkingDay(after, baseCalendar) && !rest.has(after)) work.add(after);
    }
  }
  const years = [...new Set([...rest, ...work].map((d) => Number(d.slice(0, 4))))].map((year) => {
    const base = builtIn.find((y) => y.year === year) ?? { year, holidays: [], workdays: [] };
    return {
      year,
      holidays: [...new Set([...base.holidays, ...[...rest].filter((d) => d.startsWith(`${year}-`))])]
        .filter((d) => !work.has(d))
        .sort(),
      workdays: [...new Set([...base.workdays, ...[...work].filter((d) => d.startsWith(`${year}-`))])]
        .filter((d) => !rest.has(d))
        .sort(),
      source: 'fault suite',
    };
  });
  const calendar: LegalCalendar = createLegalCalendar([...builtIn, ...years]);
  const rule = profileForRegion(CLOCK_REGION).clocks.dispose;
  const reminders = profileForRegion(CLOCK_REGION).reminders;
  const letters: PlannedLetter[] = [];
  const dropped: number[] = [];
  for (const target of targets) {
    const dayStart = localMidnight(target) - 8 * DAY_MS;
    const due = computeDeadline(
      { clock: 'dispose', rule, startedAt: new Date(dayStart + 3_600_000).toISOString() },
      calendar,
    );
    const receivedAtMs = 2 * target - Date.parse(due.dueAt);
    const receivedAt = new Date(receivedAtMs).toISOString();
    const deadline = computeDeadline({ clock: 'dispose', rule, startedAt: receivedAt }, calendar);
    const half = reminderSchedule(deadline, reminders).find((r) => r.key.endsWith(':half'));
    if (localMidnight(receivedAtMs) === dayStart && half && Date.parse(half.at) === target) {
      letters.push({ reminderAt: target, receivedAt, deadline });
    } else {
      dropped.push(target);
    }
  }
  return { letters, years, dropped };
}
