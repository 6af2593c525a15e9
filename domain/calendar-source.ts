/**
 * The State Council's yearly holiday arrangements (国务院办公厅关于部分节假日安排的通知) as shipped by the npm package
 * `chinese-days`, turned into {@link NamedCalendarYear}s. Pure data: the package's JSON is bundled, nothing is read
 * at run time, so workflows can import this too.
 *
 * `chinese-days` 1.5.7 carries 2004 through 2026. Later years are loaded by an admin and override these
 * (see `createLegalCalendar`).
 */
import data from 'chinese-days/dist/chinese-days.json';
import type { LocalDate } from './types';
import type { NamedCalendarYear } from './calendar';

/** Package and version the built-in schedule comes from; recorded as each year's `source`. */
export const BUILT_IN_CALENDAR_SOURCE = 'chinese-days@1.5.7';

/** Values look like `Spring Festival,春节,4`: English name, Chinese name, number of days off. */
function englishName(value: string): string {
  return value.split(',')[0]?.trim() || 'holiday';
}

/** Every year `chinese-days` has a schedule for, ascending, with holiday names. */
export function builtInCalendarYears(): NamedCalendarYear[] {
  const byYear = new Map<number, { holidays: LocalDate[]; workdays: LocalDate[]; names: Record<LocalDate, string> }>();
  const add = (kind: 'holidays' | 'workdays', table: Record<string, string>): void => {
    for (const [date, value] of Object.entries(table)) {
      const year = Number(date.slice(0, 4));
      let entry = byYear.get(year);
      if (!entry) byYear.set(year, (entry = { holidays: [], workdays: [], names: {} }));
      entry[kind].push(date);
      entry.names[date] = englishName(value);
    }
  };
  add('holidays', data.holidays);
  add('workdays', data.workdays);
  return [...byYear.entries()]
    .sort(([a], [b]) => a - b)
    .map(([year, e]) => ({
      year,
      holidays: e.holidays.sort(),
      workdays: e.workdays.sort(),
      source: BUILT_IN_CALENDAR_SOURCE,
      names: e.names,
    }));
}
