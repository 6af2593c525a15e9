import { createLegalCalendar, type LegalCalendar } from '../domain/calendar';
import { builtInCalendarYears } from '../domain/calendar-source';
import type { CalendarYear } from '../domain/types';
import type { Store } from './models';

/** The State Council's schedule as `chinese-days` ships it: read once per process. */
const BUILT_IN_YEARS = builtInCalendarYears();

export const builtInCalendar: LegalCalendar = createLegalCalendar(BUILT_IN_YEARS);

/**
 * The calendar in force: the built-in schedule, with the years an admin loaded or corrected taking precedence.
 * `replacing` puts one more year on top, as the calendar would be once it is loaded (the admin's dry run).
 */
export async function loadLegalCalendar(store: Store, replacing?: CalendarYear): Promise<LegalCalendar> {
  const loaded = await store.calendarYears.find().lean();
  return createLegalCalendar([
    ...BUILT_IN_YEARS,
    ...loaded.map((y) => ({ year: y._id, holidays: y.holidays, workdays: y.workdays, source: y.source ?? 'admin' })),
    ...(replacing ? [replacing] : []),
  ]);
}
