/**
 * The sentence every deadline's explanation carries (DESIGN.md §5), written from the explanation's structured fields
 * alone: the calendar computes it in Chinese, and the API can write the same deadline in English on request.
 *
 *   截止于2026年2月24日24时：期限15日，自2026年1月31日起算（起算当日不计入），至2026年2月15日届满；该日为休息日（春节假期），
 *   顺延至其后第一个工作日2026年2月24日（《中华人民共和国民法典》第二百零三条）。
 */
import type { Deadline, DeadlineExplanation, RestDay } from './calendar';
import { cite, formatLocalDate, list, translate, translator, type Lang, type MessageKey } from './i18n';
import type { PeriodUnit } from './types';

export interface ExplainedPeriod {
  unit: PeriodUnit;
  /** Days counted, the extension included (Deadline.length). */
  length: number;
  explanation: Omit<DeadlineExplanation, 'text'>;
}

type HolidayKey = Extract<MessageKey, `holiday.${string}`>;

/** The names the built-in schedule (chinese-days) gives its holidays; other names are shown as they are. */
const HOLIDAYS: Record<string, HolidayKey> = {
  "New Year's Day": 'holiday.newYear',
  'Spring Festival': 'holiday.springFestival',
  'Tomb-sweeping Day': 'holiday.tombSweeping',
  'Labour Day': 'holiday.labourDay',
  'Dragon Boat Festival': 'holiday.dragonBoat',
  'Mid-autumn Festival': 'holiday.midAutumn',
  'National Day': 'holiday.nationalDay',
  'Anti-Fascist 70th Day': 'holiday.victoryDay70',
};

const WEEKDAYS = [
  'weekday.0',
  'weekday.1',
  'weekday.2',
  'weekday.3',
  'weekday.4',
  'weekday.5',
  'weekday.6',
] as const satisfies readonly MessageKey[];

export function holidayName(name: string, lang: Lang): string {
  const key = HOLIDAYS[name];
  return key ? translate(lang, key) : name;
}

/** `15日` · `5个工作日` · `15 calendar days`. */
export function periodText(count: number, unit: PeriodUnit, lang: Lang): string {
  return translate(lang, unit === 'working_days' ? 'period.workingDays' : 'period.calendarDays', { count });
}

function describeRest(day: RestDay, lang: Lang): string {
  if (day.reason === 'holiday') {
    return day.name
      ? translate(lang, 'deadline.restHoliday', { name: holidayName(day.name, lang) })
      : translate(lang, 'deadline.restHolidayUnnamed');
  }
  return translate(lang, WEEKDAYS[new Date(`${day.date}T00:00:00Z`).getUTCDay()] ?? 'weekday.0');
}

const unique = (values: string[]): string[] => [...new Set(values)];

/** Working-day periods: the rest days passed over and the make-up working days counted. */
function workingDayExtras(e: ExplainedPeriod['explanation'], lang: Lang): string {
  const t = translator(lang);
  const extras: string[] = [];
  if (e.skippedDays.length) {
    const holidays = e.skippedDays.filter((d) => d.reason === 'holiday');
    const weekends = e.skippedDays.length - holidays.length;
    const kinds: string[] = [];
    if (holidays.length) {
      const names = unique(holidays.map((d) => (d.name ? holidayName(d.name, lang) : ''))).filter(Boolean);
      kinds.push(
        names.length
          ? t('deadline.holidayDays', { count: holidays.length, names: list(names, lang) })
          : t('deadline.holidayDaysUnnamed', { count: holidays.length }),
      );
    }
    if (weekends) kinds.push(t('deadline.weekendDays', { count: weekends }));
    extras.push(
      t('deadline.skipping', { count: e.skippedDays.length, kinds: kinds.join(t('deadline.kindsSeparator')) }),
    );
  }
  if (e.makeUpDaysCounted.length) {
    const dates = e.makeUpDaysCounted.map((d) => formatLocalDate(d, lang));
    extras.push(t('deadline.makeUpCounted', { count: dates.length, dates: list(dates, lang) }));
  }
  return extras.length ? t('deadline.extras', { extras: extras.join(t('deadline.extrasSeparator')) }) : '';
}

/** Calendar-day periods: a last day rolled forward past rest days (Civil Code Art 203), or one that stays. */
function calendarDayOutcome(e: ExplainedPeriod['explanation'], lang: Lang): string {
  const t = translator(lang);
  const first = e.rolledForward?.restDays[0];
  if (e.rolledForward && first) {
    const citation = cite('civilCode', [203], lang);
    return t('deadline.rolledForward', { rest: describeRest(first, lang), to: e.rolledForward.to, citation });
  }
  if (e.makeUpLastDay) {
    const name = e.makeUpLastDay.name;
    return name ? t('deadline.makeUpLastDay', { name: holidayName(name, lang) }) : t('deadline.makeUpLastDayUnnamed');
  }
  return '';
}

export function explanationText(period: ExplainedPeriod, lang: Lang): string {
  const t = translator(lang);
  const e = period.explanation;
  let length = periodText(period.length - (e.extension?.days ?? 0), period.unit, lang);
  if (e.extension?.originalLastDay) {
    // Art 34 with the Civil Code: the extension runs from the day after the original period's last day.
    const { days, reason, originalLastDay } = e.extension;
    length = t('deadline.extendedFrom', { period: length, days, reason, originalLastDay });
  } else if (e.extension) {
    length = t('deadline.withExtension', { period: length, days: e.extension.days, reason: e.extension.reason });
  }
  const notes = [t('deadline.startDayNotCounted')];
  if (e.pausedDays > 0) {
    const reasons = list(unique(e.pauses.map((p) => p.reason)), lang);
    notes.push(t('deadline.pausedDays', { count: e.pausedDays, reasons }));
  }
  const sentences = [
    t('deadline.text', {
      lastDay: e.lastDay,
      period: length,
      start: e.startLocalDate,
      notes: notes.join(t('deadline.notesSeparator')),
      nominal: e.nominalLastDay,
      outcome: period.unit === 'working_days' ? workingDayExtras(e, lang) : calendarDayOutcome(e, lang),
    }),
  ];
  const open = e.pauses.find((p) => p.open);
  if (open) sentences.push(t('deadline.openPause', { reason: open.reason, until: open.to }));
  if (e.unscheduledYears.length) {
    sentences.push(t('deadline.provisional', { years: list(e.unscheduledYears.map(String), lang) }));
  }
  return sentences.join(t('sentence.separator'));
}

/**
 * The deadline with its explanation's sentence in another language, every other field as it is. A stored deadline
 * too old or too partial to be rewritten keeps the sentence it was stored with.
 */
export function deadlineIn(deadline: Deadline, lang: Lang): Deadline {
  let text: string;
  try {
    text = explanationText(deadline, lang);
  } catch {
    return deadline;
  }
  return { ...deadline, explanation: { ...deadline.explanation, text } };
}
