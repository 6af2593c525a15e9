import { createLegalCalendar, type LegalCalendar } from '../domain/calendar';
import { builtInCalendarYears } from '../domain/calendar-source';
import type { CalendarYear } from '../domain/types';
import type { Store } from './models';

/** The State Council's schedule as `chinese-days` ships it: read once per process. */
const BUILT_IN_YEARS = builtInCalendarYears();

export const builtInCalendar: LegalCalendar = createLegalCalendar(BUILT_IN_YEARS);

/** The last calendar in force built, by the years read for it: building one takes milliseconds, reading them one read. */
let lastBuilt: { years: string; calendar: LegalCalendar } | undefined;

/**
 * The calendar in force: the built-in schedule, with the years an admin loaded or corrected taking precedence. The
 * years are read at every call, so a reload counts from the next deadline computed; the calendar is built again only
 * when they differ from the last call's. `replacing` puts one more year on top, as the calendar would be once it is
 * loaded (the admin's dry run), and is never kept.
 */
export async function loadLegalCalendar(store: Store, replacing?: CalendarYear): Promise<LegalCalendar> {
  const loaded = (await store.calendarYears.find().sort({ _id: 1 }).lean()).map((y) => ({
    year: y._id,
    holidays: y.holidays,
    workdays: y.workdays,
    source: y.source ?? 'admin',
  }));
  if (replacing) return createLegalCalendar([...BUILT_IN_YEARS, ...loaded, replacing]);
  const years = JSON.stringify(loaded);
  if (lastBuilt?.years !== years) lastBuilt = { years, calendar: createLegalCalendar([...BUILT_IN_YEARS, ...loaded]) };
  return lastBuilt.calendar;
}
