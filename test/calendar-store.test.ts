/**
 * The calendar in force, as activities and intake load it from MongoDB: built once while its years stay the same
 * (building it takes milliseconds, reading its years one small read), and rebuilt at the first load after an admin
 * loads or corrects a year, so a deadline computed after a reload counts by the new schedule.
 */
import { connectTestStore } from '../harness/shared-servers';
import { loadLegalCalendar } from '../store/calendar';
import type { Store } from '../store/models';

describe('the calendar in force', () => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await connectTestStore());
  });
  afterAll(async () => {
    await close?.();
  });

  // A Tuesday in a year the built-in schedule does not cover.
  const day = '2031-03-04';

  it('is built once while its years stay the same', async () => {
    const first = await loadLegalCalendar(store);
    expect(await loadLegalCalendar(store)).toBe(first);
  });

  it('counts a year loaded or corrected from the next load on, and an admin dry run never stays in it', async () => {
    const before = await loadLegalCalendar(store);
    expect(before.day(day).working).toBe(true);

    await store.calendarYears.create({ _id: 2031, holidays: [day], workdays: [], source: 'admin' });
    const loaded = await loadLegalCalendar(store);
    expect(loaded.day(day)).toMatchObject({ working: false, reason: 'holiday' });

    await store.calendarYears.updateOne({ _id: 2031 }, { $set: { holidays: [], workdays: ['2031-03-08'] } });
    const corrected = await loadLegalCalendar(store);
    expect(corrected.day(day).working).toBe(true);
    expect(corrected.day('2031-03-08')).toMatchObject({ working: true, makeUpWorkday: true });

    const dryRun = await loadLegalCalendar(store, {
      year: 2031,
      holidays: ['2031-03-05'],
      workdays: [],
      source: 'admin',
    });
    expect(dryRun.day('2031-03-05').working).toBe(false);
    const after = await loadLegalCalendar(store);
    expect(after.day('2031-03-05').working).toBe(true);
    expect(after.day('2031-03-08').working).toBe(true);

    await store.calendarYears.deleteOne({ _id: 2031 });
    expect((await loadLegalCalendar(store)).day('2031-03-08').working).toBe(false);
  });
});
