/**
 * Letters "received" in the past whose half-time reminder falls due at a chosen instant of the fault run.
 *
 * Reminders land on working days at the office's reminder time (`XINFANG_REMINDER_TIME`, 09:00 by default): a
 * reminder is for a clerk at work. The suite sets that time to the target's local time of day, makes the target's
 * day a working day in the calendar the worker reads (it runs on its own database), and chooses, for each letter,
 * a receipt some days back whose 15-calendar-day dispose clock has its half-time reminder on that day. The ladder is
 * computed by the same function the worker uses, on the same calendar, so the plan cannot drift from the engine.
 */
import {
  computeDeadline,
  createLegalCalendar,
  isWorkingDay,
  type Deadline,
  type NamedCalendarYear,
} from '../domain/calendar';
import { builtInCalendarYears } from '../domain/calendar-source';
import { DEFAULT_LANG } from '../domain/i18n';
import { profileForRegion } from '../domain/profiles';
import { workingDayReminders } from '../domain/reminders';

/** Nanjing: the national profile, whose dispose clock is 15 calendar days. */
export const CLOCK_REGION = '320102';
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const SHANGHAI_MS = 8 * HOUR_MS;

export interface PlannedLetter {
  reminderAt: number;
  receivedAt: string;
  /** The dispose deadline and its reminder ladder as the worker will compute them with `years` and `reminderTime`. */
  deadline: Deadline;
}

export interface ClockPlan {
  letters: PlannedLetter[];
  /** Calendar years to store (replacing the built-in ones of the same year), or none. */
  years: NamedCalendarYear[];
  /** The worker's `XINFANG_REMINDER_TIME`: the target's time of day in Asia/Shanghai. */
  reminderTime: string;
}

/**
 * The calendar year to store so that `day` is a working day (a rest day declared a working one), or none when it
 * already is one in the built-in calendar.
 */
export function workingDayYears(day: string, source: string): NamedCalendarYear[] {
  const builtIn = builtInCalendarYears();
  if (isWorkingDay(day, createLegalCalendar(builtIn))) return [];
  const year = Number(day.slice(0, 4));
  const base = builtIn.find((y) => y.year === year) ?? { year, holidays: [], workdays: [] };
  return [
    {
      year,
      holidays: base.holidays.filter((d) => d !== day),
      workdays: [...new Set([...base.workdays, day])].sort(),
      source,
    },
  ];
}

/** An instant's time of day in Asia/Shanghai, `HH:MM:SS`: the reminder time that lands a reminder on it. */
export const localTimeOf = (ms: number) => new Date(ms + SHANGHAI_MS).toISOString().slice(11, 19);

const localDate = (ms: number) => new Date(ms + SHANGHAI_MS).toISOString().slice(0, 10);
const localMidnight = (ms: number) => Math.floor((ms + SHANGHAI_MS) / DAY_MS) * DAY_MS - SHANGHAI_MS;

/** `count` letters whose half-time reminders all fall due at `target` (rounded to the second). */
export function planClockLetters(target: number, count: number): ClockPlan {
  const at = Math.round(target / 1000) * 1000;
  const reminderTime = localTimeOf(at);
  const day = localDate(at);
  const builtIn = builtInCalendarYears();
  const years = workingDayYears(day, 'fault suite');
  const calendar = createLegalCalendar([...builtIn, ...years]);
  const profile = profileForRegion(CLOCK_REGION);
  const rule = profile.clocks.dispose;

  // Receipts from 12 days back to 4, hour by hour: the first `count` whose half-time reminder is the target.
  const letters: PlannedLetter[] = [];
  for (let hours = 12 * 24; hours >= 4 * 24 && letters.length < count; hours--) {
    const receivedAt = new Date(localMidnight(at) - hours * HOUR_MS + letters.length * 60_000).toISOString();
    const deadline = computeDeadline({ clock: 'dispose', rule, startedAt: receivedAt }, calendar);
    const reminders = workingDayReminders(deadline, profile.reminders, calendar, undefined, DEFAULT_LANG, reminderTime);
    const half = reminders.find((r) => r.key.endsWith(':half'));
    if (half && Date.parse(half.at) === at)
      letters.push({ reminderAt: at, receivedAt, deadline: { ...deadline, reminders } });
  }
  if (letters.length < count)
    throw new Error(`only ${letters.length} of ${count} letters have a reminder at ${day} ${reminderTime}`);
  return { letters, years, reminderTime };
}
