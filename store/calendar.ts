import { createLegalCalendar, type LegalCalendar } from '../domain/calendar';
import { builtInCalendarYears } from '../domain/calendar-source';
import type { Store } from './models';

/** The State Council's schedule as `chinese-days` ships it: read once per process. */
const BUILT_IN_YEARS = builtInCalendarYears();

export const builtInCalendar: LegalCalendar = createLegalCalendar(BUILT_IN_YEARS);

/** The calendar in force: the built-in schedule, with the years an admin loaded or corrected taking precedence. */
export async function loadLegalCalendar(store: Store): Promise<LegalCalendar> {
  const loaded = await store.calendarYears.find().lean();
  return createLegalCalendar([
    ...BUILT_IN_YEARS,
    ...loaded.map((y) => ({ year: y._id, holidays: y.holidays, workdays: y.workdays, source: y.source ?? 'admin' })),
  ]);
}
