/**
 * The legal calendar (domain/calendar.ts) against the statutory rules and the published holiday schedules: periods
 * in calendar and working days, make-up working days, roll-forward, and the explanation each deadline carries.
 * Long because it is a table of dated cases, one short test each.
 */
import * as chineseDays from 'chinese-days';
import chineseDaysPackage from 'chinese-days/package.json';
import {
  addLocalDays,
  addWorkingDays,
  computeDeadline,
  createLegalCalendar,
  endOfLocalDay,
  isWorkingDay,
  localDateOf,
  localIsoOf,
  periodFrom,
  periodTo,
  startOfLocalDay,
  type LegalCalendar,
} from '../domain/calendar';
import { caseNumber } from '../domain/ids';
import { BUILT_IN_CALENDAR_SOURCE, builtInCalendarYears } from '../domain/calendar-source';
import { explanationText } from '../domain/deadline-text';
import type { ClockRule } from '../domain/profiles';

const cal: LegalCalendar = createLegalCalendar(builtInCalendarYears());

const calendarDays = (length: number, basis = '信访工作条例 Art 22'): ClockRule => ({
  length,
  unit: 'calendar_days',
  basis,
});
const workingDays = (length: number, basis = '信访工作条例 Art 23'): ClockRule => ({
  length,
  unit: 'working_days',
  basis,
});

function range(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addLocalDays(d, 1)) out.push(d);
  return out;
}

describe('built-in schedule (chinese-days)', () => {
  const years = builtInCalendarYears();

  it('covers 2004–2026 and records its source', () => {
    expect(years.map((y) => y.year)).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    expect(new Set(years.map((y) => y.source))).toEqual(new Set([BUILT_IN_CALENDAR_SOURCE]));
    expect(BUILT_IN_CALENDAR_SOURCE).toBe(`chinese-days@${chineseDaysPackage.version}`);
  });

  it('has the 2025 State Council schedule', () => {
    const y2025 = years.find((y) => y.year === 2025)!;
    expect(y2025.holidays).toEqual([
      '2025-01-01',
      ...range('2025-01-28', '2025-02-04'),
      ...range('2025-04-04', '2025-04-06'),
      ...range('2025-05-01', '2025-05-05'),
      ...range('2025-05-31', '2025-06-02'),
      ...range('2025-10-01', '2025-10-08'),
    ]);
    // Spring Festival make-up days: Sun 26 Jan, Sat 8 Feb; Labour Day: Sun 27 Apr; National Day: Sun 28 Sep, Sat 11 Oct.
    expect(y2025.workdays).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
    expect(y2025.names?.['2025-01-29']).toBe('Spring Festival');
    expect(y2025.names?.['2025-10-06']).toBe('Mid-autumn Festival');
  });

  it('has the 2026 State Council schedule', () => {
    const y2026 = years.find((y) => y.year === 2026)!;
    expect(y2026.holidays).toEqual([
      ...range('2026-01-01', '2026-01-03'),
      ...range('2026-02-15', '2026-02-23'),
      ...range('2026-04-04', '2026-04-06'),
      ...range('2026-05-01', '2026-05-05'),
      ...range('2026-06-19', '2026-06-21'),
      ...range('2026-09-25', '2026-09-27'),
      ...range('2026-10-01', '2026-10-07'),
    ]);
    // Sun 4 Jan; Sat 14 Feb, Sat 28 Feb; Sat 9 May; Sun 20 Sep, Sat 10 Oct.
    expect(y2026.workdays).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
  });

  it('agrees with chinese-days isWorkday on every day it covers', () => {
    const mismatches = range('2004-01-01', '2026-12-31').filter(
      (d) => isWorkingDay(d, cal) !== chineseDays.isWorkday(d),
    );
    expect(mismatches).toEqual([]);
  });
});

describe('local dates and days', () => {
  it('takes the local date in Asia/Shanghai whatever the offset', () => {
    expect(localDateOf('2026-03-01T23:30:00Z')).toBe('2026-03-02');
    expect(localDateOf('2026-03-01T15:59:59.999Z')).toBe('2026-03-01');
    expect(localDateOf('2026-03-01T16:00:00Z')).toBe('2026-03-02');
    expect(localDateOf('2026-03-02T00:30:00+09:00')).toBe('2026-03-01');
    expect(localDateOf('2026-03-01T10:00:00-05:00')).toBe('2026-03-01');
    expect(localDateOf('2025-12-31T16:00:00Z')).toBe('2026-01-01');
  });

  it('rejects instants without an offset', () => {
    expect(() => localDateOf('2026-03-01')).toThrow(/invalid instant/);
    expect(() => localDateOf('2026-03-01T10:00:00')).toThrow(/invalid instant/);
    expect(() => localDateOf('yesterday')).toThrow(/invalid instant/);
  });

  it('writes 24:00 of the last day as the next day at 00:00 +08:00', () => {
    expect(endOfLocalDay('2026-02-24')).toBe('2026-02-25T00:00:00+08:00');
    expect(endOfLocalDay('2025-12-31')).toBe('2026-01-01T00:00:00+08:00');
    expect(endOfLocalDay('2024-02-28')).toBe('2024-02-29T00:00:00+08:00');
    expect(() => endOfLocalDay('2026-02-30')).toThrow(/invalid local date/);
  });

  it('writes instants in Asia/Shanghai, and a date in a period as its whole local day', () => {
    expect(startOfLocalDay('2026-03-01')).toBe('2026-03-01T00:00:00+08:00');
    expect(localIsoOf(new Date('2026-02-28T16:30:00Z'))).toBe('2026-03-01T00:30:00+08:00');
    expect(periodFrom('2026-03-01').toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(periodTo('2026-03-31').toISOString()).toBe('2026-03-31T16:00:00.000Z');
    expect(periodTo('2026-03-31T12:00:00+08:00').toISOString()).toBe('2026-03-31T04:00:00.000Z');
  });

  it('dates a case number by the local day of registration', () => {
    // 23:30 UTC on 30 November is already 1 December in Asia/Shanghai.
    const at = new Date('2026-11-30T23:30:00Z');
    expect(caseNumber('330106', at, `${'0'.repeat(20)}T4356M`)).toBe('XF-330106-20261201-T4356M');
  });

  it('knows working days, rest days and make-up working days', () => {
    expect(isWorkingDay('2025-01-26', cal)).toBe(true); // Sunday, make-up day
    expect(isWorkingDay('2025-02-08', cal)).toBe(true); // Saturday, make-up day
    expect(isWorkingDay('2025-10-06', cal)).toBe(false); // Monday, Mid-autumn Festival
    expect(isWorkingDay('2026-02-14', cal)).toBe(true); // Saturday, make-up day
    expect(isWorkingDay('2026-03-01', cal)).toBe(false); // ordinary Sunday
    expect(isWorkingDay('2026-03-02', cal)).toBe(true);
    expect(cal.day('2026-02-16')).toEqual({
      date: '2026-02-16',
      working: false,
      reason: 'holiday',
      makeUpWorkday: false,
      name: 'Spring Festival',
      scheduled: true,
    });
    expect(cal.day('2030-01-05')).toEqual({
      date: '2030-01-05',
      working: false,
      reason: 'weekend',
      makeUpWorkday: false,
      scheduled: false,
    });
  });
});

describe('calendar-day periods (Civil Code Arts 201, 203)', () => {
  it('rolls a last day inside Spring Festival 2026 forward to the first working day after it', () => {
    const d = computeDeadline(
      { clock: 'dispose', rule: calendarDays(15), startedAt: '2026-01-31T10:00:00+08:00' },
      cal,
    );
    expect(d.dueAt).toBe('2026-02-25T00:00:00+08:00');
    expect(d).toMatchObject({
      clock: 'dispose',
      unit: 'calendar_days',
      length: 15,
      startedAt: '2026-01-31T10:00:00+08:00',
    });
    const e = d.explanation;
    expect(e.rule).toBe('信访工作条例 Art 22: 15 calendar days');
    expect(e.startLocalDate).toBe('2026-01-31');
    expect(e.firstCountedDay).toBe('2026-02-01');
    expect(e.nominalLastDay).toBe('2026-02-15');
    expect(e.lastDay).toBe('2026-02-24');
    expect(e.skippedDays).toEqual([]);
    expect(e.rolledForward).toEqual({
      from: '2026-02-15',
      to: '2026-02-24',
      restDays: range('2026-02-15', '2026-02-23').map((date) => ({ date, reason: 'holiday', name: 'Spring Festival' })),
    });
    expect(e.unscheduledYears).toEqual([]);
    expect(e.text).toBe(
      '截止于2026年2月24日24时：期限15日，自2026年1月31日起算（起算当日不计入），至2026年2月15日届满；' +
        '该日为休息日（春节假期），顺延至其后第一个工作日2026年2月24日（《中华人民共和国民法典》第二百零三条）。',
    );
    expect(explanationText(d, 'en')).toBe(
      'Due 2026-02-24 24:00 (+08:00): 15 calendar days from 2026-01-31 (start day not counted) end on 2026-02-15, ' +
        'a rest day (Spring Festival holiday) — rolled forward to 2026-02-24, the next working day (Civil Code Art 203).',
    );
  });

  it('rolls a last day inside Spring Festival 2025 forward past the holiday', () => {
    const d = computeDeadline({ clock: 'notify', rule: calendarDays(15), startedAt: '2025-01-15T09:00:00+08:00' }, cal);
    expect(d.explanation.nominalLastDay).toBe('2025-01-30');
    expect(d.explanation.rolledForward?.restDays.map((r) => r.date)).toEqual(range('2025-01-30', '2025-02-04'));
    expect(d.dueAt).toBe('2025-02-06T00:00:00+08:00');
  });

  it('does not roll a last day that is a make-up Saturday', () => {
    const d = computeDeadline(
      { clock: 'dispose', rule: calendarDays(15), startedAt: '2026-01-30T10:00:00+08:00' },
      cal,
    );
    expect(d.dueAt).toBe('2026-02-15T00:00:00+08:00');
    expect(d.explanation.nominalLastDay).toBe('2026-02-14');
    expect(d.explanation.lastDay).toBe('2026-02-14');
    expect(d.explanation.rolledForward).toBeNull();
    expect(d.explanation.makeUpLastDay).toEqual({ date: '2026-02-14', name: 'Spring Festival' });
    expect(d.explanation.text).toBe(
      '截止于2026年2月14日24时：期限15日，自2026年1月30日起算（起算当日不计入），至2026年2月14日届满；' +
        '该日为调休工作日（春节），不顺延。',
    );
    expect(explanationText(d, 'en')).toBe(
      'Due 2026-02-14 24:00 (+08:00): 15 calendar days from 2026-01-30 (start day not counted) end on 2026-02-14, ' +
        'a make-up working day (Spring Festival), so it does not move.',
    );

    const d2025 = computeDeadline(
      { clock: 'dispose', rule: calendarDays(15), startedAt: '2025-01-24T10:00:00+08:00' },
      cal,
    );
    expect(d2025.explanation.lastDay).toBe('2025-02-08');
    expect(d2025.dueAt).toBe('2025-02-09T00:00:00+08:00');
  });

  it('rolls an ordinary Sunday to Monday', () => {
    const d = computeDeadline({ clock: 'rating', rule: calendarDays(15), startedAt: '2026-02-14T16:00:00+08:00' }, cal);
    expect(d.explanation.nominalLastDay).toBe('2026-03-01');
    expect(d.explanation.rolledForward).toEqual({
      from: '2026-03-01',
      to: '2026-03-02',
      restDays: [{ date: '2026-03-01', reason: 'weekend' }],
    });
    expect(d.dueAt).toBe('2026-03-03T00:00:00+08:00');
    expect(d.explanation.text).toContain(
      '至2026年3月1日届满；该日为休息日（星期日），顺延至其后第一个工作日2026年3月2日',
    );
    expect(explanationText(d, 'en')).toContain('end on 2026-03-01, a rest day (Sunday) — rolled forward to 2026-03-02');
  });

  it('counts from the Asia/Shanghai date of a UTC start instant', () => {
    const d = computeDeadline({ clock: 'dispose', rule: calendarDays(15), startedAt: '2026-03-01T23:30:00Z' }, cal);
    expect(d.explanation.startLocalDate).toBe('2026-03-02');
    expect(d.explanation.firstCountedDay).toBe('2026-03-03');
    expect(d.explanation.lastDay).toBe('2026-03-17');
    expect(d.dueAt).toBe('2026-03-18T00:00:00+08:00');
    expect(d.startedAt).toBe('2026-03-01T23:30:00Z');
  });

  it('counts an extension from the day after the original period’s rolled-forward last day (Art 34, Civil Code)', () => {
    const d = computeDeadline(
      {
        clock: 'handling',
        rule: calendarDays(60, '信访工作条例 Art 34'),
        startedAt: '2026-03-02T10:00:00+08:00',
        extensionDays: 30,
        extensionReason: '需现场勘查',
      },
      cal,
    );
    // 2026-03-02 + 60 = 2026-05-01, Labour Day (1–5 May): the original period ends on Wednesday 6 May. The extension
    // is a further 30 days from 7 May: 5 June, a Friday. Counted from the start instead, 90 days end on 31 May.
    expect(d.length).toBe(90);
    expect(d.explanation.rule).toBe('信访工作条例 Art 34: 60 calendar days');
    expect(d.explanation.extension).toEqual({
      days: 30,
      reason: '需现场勘查',
      originalLastDay: '2026-05-06',
      originalDueAt: '2026-05-07T00:00:00+08:00',
    });
    expect(d.explanation.nominalLastDay).toBe('2026-06-05');
    expect(d.explanation.lastDay).toBe('2026-06-05');
    expect(d.dueAt).toBe('2026-06-06T00:00:00+08:00');
    expect(d.explanation.text).toContain('原期限至2026年5月6日届满，自次日起延长30日（需现场勘查）');
    expect(d.explanation.text).toContain('截止于2026年6月5日24时');
    expect(explanationText(d, 'en')).toContain(
      '60 calendar days to 2026-05-06, then a 30-day extension (需现场勘查) counted from the day after',
    );
  });

  it('rolls an extension that ends on a rest day forward again', () => {
    // 60 days from Monday 2 March 2026 end on 6 May (after Labour Day); 2 more days end on Friday 8 May; 3 more on
    // Saturday 9 May — a make-up working day in 2026, so it stands; 4 more on Sunday 10 May → Monday 11 May.
    const extended = (extensionDays: number) =>
      computeDeadline(
        {
          clock: 'handling',
          rule: calendarDays(60, '信访工作条例 Art 34'),
          startedAt: '2026-03-02T10:00:00+08:00',
          extensionDays,
        },
        cal,
      ).explanation;
    expect(extended(2).lastDay).toBe('2026-05-08');
    expect(extended(3).lastDay).toBe('2026-05-09');
    expect(extended(4)).toMatchObject({ nominalLastDay: '2026-05-10', lastDay: '2026-05-11' });
  });

  it('excludes the local days of a hearing (信访工作条例 Art 36)', () => {
    const rule = calendarDays(30, '信访工作条例 Art 36');
    const startedAt = '2026-03-02T10:00:00+08:00';
    expect(computeDeadline({ clock: 'reReviewDecision', rule, startedAt }, cal).dueAt).toBe(
      '2026-04-02T00:00:00+08:00',
    );

    // 14:00 on 10 March to 10:00 on 12 March, local: three local days (10, 11, 12 March).
    const pause = { from: '2026-03-10T06:00:00Z', to: '2026-03-12T02:00:00Z', reason: '听证' };
    const d = computeDeadline({ clock: 'reReviewDecision', rule, startedAt, pauses: [pause] }, cal);
    expect(d.explanation.pauses).toEqual([{ ...pause, days: 3 }]);
    expect(d.explanation.pausedDays).toBe(3);
    // 1 April + 3 = 4 April, Tomb-sweeping Day (4–6 April) → 7 April.
    expect(d.explanation.nominalLastDay).toBe('2026-04-04');
    expect(d.explanation.rolledForward?.to).toBe('2026-04-07');
    expect(d.dueAt).toBe('2026-04-08T00:00:00+08:00');
    expect(d.length).toBe(30);
    expect(d.explanation.text).toBe(
      '截止于2026年4月7日24时：期限30日，自2026年3月2日起算（起算当日不计入；中止期间3日不计入：听证），' +
        '至2026年4月4日届满；该日为休息日（清明节假期），顺延至其后第一个工作日2026年4月7日（《中华人民共和国民法典》第二百零三条）。',
    );
    expect(explanationText(d, 'en')).toBe(
      'Due 2026-04-07 24:00 (+08:00): 30 calendar days from 2026-03-02 (start day not counted; 3 paused days not ' +
        'counted: 听证) end on 2026-04-04, a rest day (Tomb-sweeping Day holiday) — rolled forward to 2026-04-07, ' +
        'the next working day (Civil Code Art 203).',
    );
  });

  it('counts a local day once when pauses overlap, and not the start day', () => {
    const d = computeDeadline(
      {
        clock: 'reReviewDecision',
        rule: calendarDays(30),
        startedAt: '2026-03-02T10:00:00+08:00',
        pauses: [
          { from: '2026-03-02T14:00:00+08:00', to: '2026-03-03T11:00:00+08:00', reason: 'hearing' },
          { from: '2026-03-03T15:00:00+08:00', to: '2026-03-04T11:00:00+08:00', reason: 'hearing' },
        ],
      },
      cal,
    );
    expect(d.explanation.pauses.map((p) => p.days)).toEqual([1, 2]);
    expect(d.explanation.pausedDays).toBe(2);
    expect(d.explanation.nominalLastDay).toBe('2026-04-03');
  });

  it('counts an open pause up to asOf and says the date is moving', () => {
    const d = computeDeadline(
      {
        clock: 'reReviewDecision',
        rule: calendarDays(30),
        startedAt: '2026-03-02T10:00:00+08:00',
        pauses: [{ from: '2026-03-10T09:00:00+08:00', reason: 'hearing' }],
        asOf: '2026-03-11T12:00:00+08:00',
      },
      cal,
    );
    expect(d.explanation.pauses).toEqual([
      { from: '2026-03-10T09:00:00+08:00', to: '2026-03-11T12:00:00+08:00', days: 2, reason: 'hearing', open: true },
    ]);
    expect(d.explanation.nominalLastDay).toBe('2026-04-03');
    expect(d.explanation.text).toContain('中止事由（hearing）仍在持续，已计算至2026年3月11日');
    expect(explanationText(d, 'en')).toContain(
      'The pause (hearing) is still in progress and is counted up to 2026-03-11',
    );
    expect(() =>
      computeDeadline(
        {
          clock: 'reReviewDecision',
          rule: calendarDays(30),
          startedAt: '2026-03-02T10:00:00+08:00',
          pauses: [{ from: '2026-03-10T09:00:00+08:00', reason: 'hearing' }],
        },
        cal,
      ),
    ).toThrow(/asOf/);
  });

  it('marks a year with no loaded schedule as unscheduled (provisional)', () => {
    const d = computeDeadline(
      { clock: 'dispose', rule: calendarDays(15), startedAt: '2030-01-11T10:00:00+08:00' },
      cal,
    );
    expect(d.explanation.nominalLastDay).toBe('2030-01-26'); // a Saturday
    expect(d.explanation.lastDay).toBe('2030-01-28');
    expect(d.dueAt).toBe('2030-01-29T00:00:00+08:00');
    expect(d.explanation.unscheduledYears).toEqual([2030]);
    expect(d.explanation.text).toContain('暂定：尚未载入2030年的节假日安排');
    expect(explanationText(d, 'en')).toContain('Provisional: no holiday schedule is loaded for 2030');

    // A period that starts in a scheduled year and ends in the next, unscheduled one.
    const across = computeDeadline(
      { clock: 'dispose', rule: calendarDays(15), startedAt: '2026-12-20T10:00:00+08:00' },
      cal,
    );
    expect(across.explanation.lastDay).toBe('2027-01-04');
    expect(across.explanation.unscheduledYears).toEqual([2027]);
  });
});

describe('working-day periods', () => {
  it('skips National Day 2025 and counts the make-up Sunday before it', () => {
    const d = computeDeadline(
      { clock: 'objection', rule: workingDays(5), startedAt: '2025-09-26T10:00:00+08:00' },
      cal,
    );
    // Counted: Sun 28 Sep (make-up), 29, 30 Sep, 9, 10 Oct.
    expect(d.dueAt).toBe('2025-10-11T00:00:00+08:00');
    expect(d.unit).toBe('working_days');
    const e = d.explanation;
    expect(e.rule).toBe('信访工作条例 Art 23: 5 working days');
    expect(e.firstCountedDay).toBe('2025-09-27');
    expect(e.nominalLastDay).toBe('2025-10-10');
    expect(e.lastDay).toBe('2025-10-10');
    expect(e.rolledForward).toBeNull();
    expect(e.makeUpDaysCounted).toEqual(['2025-09-28']);
    expect(e.skippedDays).toEqual([
      { date: '2025-09-27', reason: 'weekend' },
      ...range('2025-10-01', '2025-10-08').map((date) => ({
        date,
        reason: 'holiday',
        name: date === '2025-10-06' ? 'Mid-autumn Festival' : 'National Day',
      })),
    ]);
    expect(e.text).toBe(
      '截止于2025年10月10日24时：期限5个工作日，自2025年9月26日起算（起算当日不计入），至2025年10月10日届满，' +
        '跳过休息日9日（法定节假日8日：国庆节、中秋节；周末1日），计入调休工作日2025年9月28日。',
    );
    expect(explanationText(d, 'en')).toBe(
      'Due 2025-10-10 24:00 (+08:00): 5 working days from 2025-09-26 (start day not counted) end on 2025-10-10, ' +
        'skipping 9 rest days (8 holiday days: National Day, Mid-autumn Festival; 1 weekend day) and counting ' +
        'make-up working day 2025-09-28.',
    );
  });

  it('skips National Day 2025 and counts the make-up Saturday after it', () => {
    const d = computeDeadline(
      { clock: 'objection', rule: workingDays(5), startedAt: '2025-09-30T10:00:00+08:00' },
      cal,
    );
    // Counted: 9, 10, Sat 11 (make-up), 13, 14 Oct; skipped: 1–8 Oct and Sun 12 Oct.
    expect(d.explanation.lastDay).toBe('2025-10-14');
    expect(d.dueAt).toBe('2025-10-15T00:00:00+08:00');
    expect(d.explanation.makeUpDaysCounted).toEqual(['2025-10-11']);
    expect(d.explanation.skippedDays.map((s) => `${s.date}:${s.reason}`)).toEqual([
      ...range('2025-10-01', '2025-10-08').map((date) => `${date}:holiday`),
      '2025-10-12:weekend',
    ]);
  });

  it('adds working days for escalation steps', () => {
    // Friday 13 February 2026: Sat 14 Feb is a make-up day, 15–23 Feb Spring Festival.
    expect(addWorkingDays('2026-02-13T18:00:00+08:00', 5, cal)).toEqual({
      dueAt: '2026-02-28T00:00:00+08:00',
      lastDay: '2026-02-27',
    });
    expect(addWorkingDays('2026-02-13T18:00:00+08:00', 6, cal).lastDay).toBe('2026-02-28'); // make-up Saturday
    expect(addWorkingDays('2026-03-06T23:59:00+08:00', 1, cal)).toEqual({
      dueAt: '2026-03-10T00:00:00+08:00',
      lastDay: '2026-03-09',
    });
  });

  it('excludes paused days from a working-day count', () => {
    const d = computeDeadline(
      {
        clock: 'acknowledge',
        rule: workingDays(3, 'Xinfang default (configurable)'),
        startedAt: '2026-03-02T10:00:00+08:00',
        pauses: [{ from: '2026-03-03T09:00:00+08:00', to: '2026-03-03T17:00:00+08:00', reason: 'hearing' }],
      },
      cal,
    );
    expect(d.explanation.lastDay).toBe('2026-03-06');
    expect(d.dueAt).toBe('2026-03-07T00:00:00+08:00');
  });
});

describe('createLegalCalendar', () => {
  it('lets an admin-loaded year replace the built-in one', () => {
    const admin = createLegalCalendar([
      ...builtInCalendarYears(),
      {
        year: 2026,
        holidays: ['2026-03-17'],
        workdays: ['2026-03-21'],
        source: 'admin',
        names: { '2026-03-17': 'Test Day' },
      },
    ]);
    expect(admin.year(2026)?.source).toBe('admin');
    expect(admin.year(2025)?.source).toBe(BUILT_IN_CALENDAR_SOURCE);
    expect(isWorkingDay('2026-02-16', admin)).toBe(true); // no longer Spring Festival
    expect(isWorkingDay('2026-03-21', admin)).toBe(true); // Saturday made a working day

    const d = computeDeadline(
      { clock: 'dispose', rule: calendarDays(15), startedAt: '2026-03-02T10:00:00+08:00' },
      admin,
    );
    expect(d.explanation.rolledForward).toEqual({
      from: '2026-03-17',
      to: '2026-03-18',
      restDays: [{ date: '2026-03-17', reason: 'holiday', name: 'Test Day' }],
    });
    expect(d.dueAt).toBe('2026-03-19T00:00:00+08:00');
    expect(
      computeDeadline({ clock: 'dispose', rule: calendarDays(15), startedAt: '2026-03-02T10:00:00+08:00' }, cal).dueAt,
    ).toBe('2026-03-18T00:00:00+08:00');
  });

  it('schedules a year an admin loads after the built-in ones end', () => {
    const admin = createLegalCalendar([
      ...builtInCalendarYears(),
      { year: 2030, holidays: ['2030-01-28'], workdays: [], source: 'admin' },
    ]);
    const d = computeDeadline(
      { clock: 'dispose', rule: calendarDays(15), startedAt: '2030-01-11T10:00:00+08:00' },
      admin,
    );
    expect(d.explanation.unscheduledYears).toEqual([]);
    expect(d.explanation.lastDay).toBe('2030-01-29');
    expect(d.explanation.text).not.toContain('暂定');
    expect(explanationText(d, 'en')).not.toContain('Provisional');
  });

  it('rejects a day listed both as holiday and as workday', () => {
    expect(() =>
      createLegalCalendar([{ year: 2031, holidays: ['2031-01-01'], workdays: ['2031-01-01'], source: 'admin' }]),
    ).toThrow(/both/);
  });
});
