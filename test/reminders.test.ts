import { computeDeadline, createLegalCalendar, localDateOf } from '../domain/calendar';
import { builtInCalendarYears } from '../domain/calendar-source';
import { BUILT_IN_PROFILES } from '../domain/profiles';
import { CLOCKS } from '../domain/types';
import {
  CLOCK_LABELS,
  clockName,
  reminderSchedule,
  spreadOffsetSeconds,
  workingDayReminders,
} from '../domain/reminders';

const cal = createLegalCalendar(builtInCalendarYears());
const national = BUILT_IN_PROFILES.profiles.find((p) => p.id === 'national')!;

describe('reminderSchedule', () => {
  it('gives the 60-day handling clock four reminders', () => {
    // Accepted Monday 2 March 2026, 10:00 local; 2 March + 60 = 1 May (Labour Day, 1–5 May) → due end of 6 May.
    const deadline = computeDeadline(
      { clock: 'handling', rule: national.clocks.handling, startedAt: '2026-03-02T10:00:00+08:00' },
      cal,
    );
    expect(deadline.dueAt).toBe('2026-05-07T00:00:00+08:00');

    expect(reminderSchedule(deadline, national.reminders)).toEqual([
      // Half of 2 Mar 02:00Z → 6 May 16:00Z (65 d 14 h) is 32 d 19 h.
      { at: '2026-04-03T21:00:00.000Z', key: 'handling:half', label: 'C5 办理期限 — 过半提醒' },
      // 09:00 local on 26 April, 3 May and 6 May.
      { at: '2026-04-26T01:00:00.000Z', key: 'handling:d-10', label: 'C5 办理期限 — 剩余10天提醒' },
      { at: '2026-05-03T01:00:00.000Z', key: 'handling:d-3', label: 'C5 办理期限 — 剩余3天提醒' },
      { at: '2026-05-06T01:00:00.000Z', key: 'handling:d-0', label: 'C5 办理期限 — 当日到期提醒' },
    ]);
    // The same reminders in English, keys and instants unchanged.
    expect(reminderSchedule(deadline, national.reminders, undefined, 'en')).toEqual([
      { at: '2026-04-03T21:00:00.000Z', key: 'handling:half', label: 'C5 handling deadline — half-time reminder' },
      { at: '2026-04-26T01:00:00.000Z', key: 'handling:d-10', label: 'C5 handling deadline — 10 days left reminder' },
      { at: '2026-05-03T01:00:00.000Z', key: 'handling:d-3', label: 'C5 handling deadline — 3 days left reminder' },
      { at: '2026-05-06T01:00:00.000Z', key: 'handling:d-0', label: 'C5 handling deadline — due today reminder' },
    ]);
  });

  it('puts daysBefore 0 at dueAt − 15 h', () => {
    const [r] = reminderSchedule(
      { clock: 'dispose', startedAt: '2026-03-02T10:00:00+08:00', dueAt: '2026-03-18T00:00:00+08:00' },
      [{ daysBefore: 0 }],
    );
    expect(Date.parse('2026-03-18T00:00:00+08:00') - Date.parse(r!.at)).toBe(15 * 3_600_000);
  });

  it('drops reminders before the start of a short clock', () => {
    // 3 working days from Monday 2 March 2026 → due end of Thursday 5 March.
    const deadline = computeDeadline(
      { clock: 'acknowledge', rule: national.clocks.acknowledge, startedAt: '2026-03-02T10:00:00+08:00' },
      cal,
    );
    expect(deadline.dueAt).toBe('2026-03-06T00:00:00+08:00');
    expect(reminderSchedule(deadline, national.reminders)).toEqual([
      {
        at: '2026-03-03T21:00:00.000Z',
        key: 'acknowledge:half',
        label: 'C3 签收期限 — 过半提醒',
      },
      // 10 days before is 23 Feb and 3 days before is 2 March 09:00 local — both before the 10:00 start.
      { at: '2026-03-05T01:00:00.000Z', key: 'acknowledge:d-0', label: 'C3 签收期限 — 当日到期提醒' },
    ]);
  });

  it('drops a reminder exactly at the start', () => {
    // Last day 7 March; 3 days before = 4 March 09:00 local = the start instant.
    const deadline = {
      clock: 'rating' as const,
      startedAt: '2026-03-04T01:00:00Z',
      dueAt: '2026-03-08T00:00:00+08:00',
    };
    expect(reminderSchedule(deadline, [{ daysBefore: 3 }, { daysBefore: 2 }]).map((r) => r.key)).toEqual([
      'rating:d-2',
    ]);
  });

  it('de-duplicates reminders that land on the same instant, keeping the first rule', () => {
    // 4 Mar 10:00Z → 7 Mar 16:00Z is 78 h: half-time is 6 Mar 01:00Z, which is also 09:00 local one day before.
    const deadline = {
      clock: 'rating' as const,
      startedAt: '2026-03-04T10:00:00Z',
      dueAt: '2026-03-08T00:00:00+08:00',
    };
    expect(
      reminderSchedule(deadline, [{ daysBefore: 3 }, { daysBefore: 1 }, { atFraction: 0.5 }, { atFraction: 0.75 }]),
    ).toEqual([
      { at: '2026-03-06T01:00:00.000Z', key: 'rating:d-1', label: 'C6 评价期限 — 剩余1天提醒' },
      // 0.75 × 78 h = 58 h 30 min after the start.
      {
        at: '2026-03-06T20:30:00.000Z',
        key: 'rating:at-0.75',
        label: 'C6 评价期限 — 已过75%提醒',
      },
    ]);
  });

  it('drops reminders at or after the due instant and takes a custom clock label', () => {
    const deadline = {
      clock: 'dispose' as const,
      startedAt: '2026-03-02T10:00:00+08:00',
      dueAt: '2026-03-18T00:00:00+08:00',
    };
    // 2 Mar 02:00Z → 17 Mar 16:00Z is 15 d 14 h; half is 7 d 19 h after the start.
    expect(reminderSchedule(deadline, [{ atFraction: 1 }, { atFraction: 0.5 }], '信访机构处理')).toEqual([
      { at: '2026-03-09T21:00:00.000Z', key: 'dispose:half', label: '信访机构处理期限 — 过半提醒' },
    ]);
  });

  it('rejects invalid rules', () => {
    const deadline = {
      clock: 'dispose' as const,
      startedAt: '2026-03-02T10:00:00+08:00',
      dueAt: '2026-03-18T00:00:00+08:00',
    };
    expect(() => reminderSchedule(deadline, [{ daysBefore: -1 }])).toThrow(/daysBefore/);
    expect(() => reminderSchedule(deadline, [{ daysBefore: 1.5 }])).toThrow(/daysBefore/);
    expect(() => reminderSchedule(deadline, [{ atFraction: Number.NaN }])).toThrow(/fraction/);
  });

  it('labels every clock C1–C14, in Chinese and on request in English', () => {
    expect(CLOCKS.map((c) => CLOCK_LABELS[c])).toEqual([
      'C1 处理',
      'C2 告知',
      'C3 签收',
      'C4 异议',
      'C5 办理',
      'C6 评价',
      'C7 复查申请',
      'C8 复查办理',
      'C9 复核申请',
      'C10 复核办理',
      'C11 执行',
      'C12 回访决定',
      'C13 督办回复',
      'C14 送达',
    ]);
    expect(CLOCKS.map((c) => clockName(c, 'en'))).toEqual([
      'C1 dispose',
      'C2 notify',
      'C3 acknowledge',
      'C4 objection',
      'C5 handling',
      'C6 rating',
      'C7 review request',
      'C8 review decision',
      'C9 re-review request',
      'C10 re-review decision',
      'C11 execution',
      'C12 callback decision',
      'C13 supervision reply',
      'C14 service of a notice',
    ]);
  });
});

describe('workingDayReminders: the ladder on the legal calendar', () => {
  const zhejiang = BUILT_IN_PROFILES.profiles.find((p) => p.id === 'zhejiang')!;

  it('moves a reminder due on a rest day to the working day before it, at 09:00', () => {
    // The 60-day clock from 2 March 2026 ends on 6 May (Labour Day is 1–5 May).
    const deadline = computeDeadline(
      { clock: 'handling', rule: national.clocks.handling, startedAt: '2026-03-02T10:00:00+08:00' },
      cal,
    );
    expect(workingDayReminders(deadline, national.reminders, cal)).toEqual([
      // Half-time falls on Saturday 4 April (Qingming, 4–6 April): Friday 3 April.
      { at: '2026-04-03T01:00:00.000Z', key: 'handling:half', label: 'C5 办理期限 — 过半提醒' },
      // Sunday 26 April is a rest day (the make-up Saturday is 9 May): Friday 24 April.
      { at: '2026-04-24T01:00:00.000Z', key: 'handling:d-10', label: 'C5 办理期限 — 剩余10天提醒' },
      // 3 May is in the Labour Day holiday: Thursday 30 April.
      { at: '2026-04-30T01:00:00.000Z', key: 'handling:d-3', label: 'C5 办理期限 — 剩余3天提醒' },
      { at: '2026-05-06T01:00:00.000Z', key: 'handling:d-0', label: 'C5 办理期限 — 当日到期提醒' },
    ]);
  });

  it('counts a working-day clock’s ladder in working days, with no reminder before the clock started', () => {
    // Zhejiang C2: 5 working days from Thursday 24 September 2026 skip Mid-Autumn (25 September) and National Day
    // (1–7 October): 28, 29, 30 September, 8 and 9 October.
    const deadline = computeDeadline(
      { clock: 'notify', rule: zhejiang.clocks.notify, startedAt: '2026-09-24T10:00:00+08:00' },
      cal,
    );
    expect(deadline.explanation.lastDay).toBe('2026-10-09');
    const ladder = workingDayReminders(deadline, zhejiang.reminders, cal);
    expect(ladder.map((r) => `${r.key} ${r.at}`)).toEqual([
      // Half of 5 working days is 2 working days in: Tuesday 29 September. Three working days before 9 October is
      // the same day, so one reminder; "10 days left" would come before the clock started.
      'notify:half 2026-09-29T01:00:00.000Z',
      'notify:d-0 2026-10-09T01:00:00.000Z',
    ]);
    for (const r of ladder) expect(cal.day(localDateOf(r.at)).working).toBe(true);
    // Counted in calendar days, the ladder would remind on 6 October, in the middle of the holiday.
    expect(reminderSchedule(deadline, zhejiang.reminders).map((r) => localDateOf(r.at))).toContain('2026-10-06');
    expect(workingDayReminders(deadline, [{ daysBefore: 3 }], cal)[0]?.label).toBe('C2 告知期限 — 剩余3个工作日提醒');
  });

  it('lands each reminder at the office’s reminder time, on the same working days', () => {
    const deadline = computeDeadline(
      { clock: 'handling', rule: national.clocks.handling, startedAt: '2026-03-02T10:00:00+08:00' },
      cal,
    );
    const at = (time?: string) =>
      workingDayReminders(deadline, national.reminders, cal, undefined, 'zh-CN', time).map((r) => r.at);
    expect(at('08:30')).toEqual([
      '2026-04-03T00:30:00.000Z',
      '2026-04-24T00:30:00.000Z',
      '2026-04-30T00:30:00.000Z',
      '2026-05-06T00:30:00.000Z',
    ]);
    expect(at('14:15:30')[0]).toBe('2026-04-03T06:15:30.000Z');
    expect(at()).toEqual(at('09:00'));
    expect(() => at('25:00')).toThrow(/invalid reminder time "25:00"/);
  });

  it('gives one reminder for two rules that land on the same day', () => {
    // 3 working days from Monday 2 March 2026: half (1 working day in, 3 March) and d-3 (3 March) coincide.
    const deadline = computeDeadline(
      { clock: 'acknowledge', rule: national.clocks.acknowledge, startedAt: '2026-03-02T10:00:00+08:00' },
      cal,
    );
    expect(workingDayReminders(deadline, [{ atFraction: 0.5 }, { daysBefore: 2 }], cal).map((r) => r.key)).toEqual([
      'acknowledge:half',
    ]);
  });
});

describe('workingDayReminders: spread over the office’s first hour', () => {
  const deadline = computeDeadline(
    { clock: 'handling', rule: national.clocks.handling, startedAt: '2026-03-02T10:00:00+08:00' },
    cal,
  );
  const at = (time: string, spread?: { seconds: number; seed: string }) =>
    workingDayReminders(deadline, national.reminders, cal, undefined, 'zh-CN', time, spread).map((r) => r.at);
  const ms = (iso: string) => Date.parse(iso);

  it('moves each of a case’s reminders by the same offset within the spread, on the same working days', () => {
    const plain = at('09:00');
    const spread = at('09:00', { seconds: 3600, seed: 'case-C-20260302-0001' });
    const offset = spreadOffsetSeconds('case-C-20260302-0001', 3600);
    expect(offset).toBeGreaterThanOrEqual(0);
    expect(offset).toBeLessThan(3600);
    expect(Number.isInteger(offset)).toBe(true);
    expect(spread).toEqual(plain.map((iso) => new Date(ms(iso) + offset * 1000).toISOString()));
    expect(spread.map(localDateOf)).toEqual(plain.map(localDateOf));
    // The same case gets the same instants whenever its deadline is computed again (a calendar reload).
    expect(at('09:00', { seconds: 3600, seed: 'case-C-20260302-0001' })).toEqual(spread);
  });

  it('spreads many cases’ reminders evenly over the hour instead of one instant', () => {
    const offsets = Array.from({ length: 6000 }, (_, i) =>
      spreadOffsetSeconds(`case-C-20261130-${String(i).padStart(4, '0')}`, 3600),
    );
    // Six 10-minute buckets: 1 000 each if even; every bucket within ±15 %.
    const buckets = [0, 0, 0, 0, 0, 0];
    for (const o of offsets) buckets[Math.floor(o / 600)]! += 1;
    for (const count of buckets) {
      expect(count).toBeGreaterThan(850);
      expect(count).toBeLessThan(1150);
    }
    // No second holds more than a handful: the burst is gone.
    const perSecond = new Map<number, number>();
    for (const o of offsets) perSecond.set(o, (perSecond.get(o) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(8);
  });

  it('never carries a reminder past the end of its day, so the due-today reminder still comes before the deadline', () => {
    // 23:30 with an hour's spread: every reminder stays on its day (by 23:59:59), the last one before dueAt.
    const seeds = Array.from({ length: 200 }, (_, i) => `case-late-${i}`);
    for (const seed of seeds) {
      const late = at('23:30', { seconds: 3600, seed });
      expect(late.map(localDateOf)).toEqual(at('23:30').map(localDateOf));
      expect(late).toHaveLength(4);
      expect(ms(late.at(-1)!)).toBeLessThan(ms(deadline.dueAt));
    }
  });

  it('leaves the reminders at the reminder time with no spread, and refuses a spread that is not whole seconds', () => {
    expect(at('09:00', { seconds: 0, seed: 'case-x' })).toEqual(at('09:00'));
    expect(spreadOffsetSeconds('case-x', 0)).toBe(0);
    for (const bad of [-1, 1.5, Number.NaN]) {
      expect(() => at('09:00', { seconds: bad, seed: 'case-x' })).toThrow(/invalid reminder spread/);
    }
  });
});
