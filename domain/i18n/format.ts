/**
 * The catalogue's value formats, for both languages: dates in Asia/Shanghai (UTC+8 all year, no daylight saving
 * since 1991) and article numbers in Chinese numerals. Plain arithmetic, no `Intl` time zones and no clock, so the
 * workflow sandbox formats exactly as activities and the API do.
 *
 *   localDate   2026-12-08 or an instant      → 2026年12月8日          · 2026-12-08
 *   dueEnd      dueAt (next day 00:00+08:00)   → 2026年12月8日24时       · 2026-12-08 24:00 (+08:00)
 *               or the last day itself
 *   instant     an ISO instant or epoch ms      → 2026年12月2日 09:00     · 2026-12-02 09:00 (UTC+8)
 *   cnNumeral   203                             → 二百零三               · 203
 */
export type Lang = 'zh-CN' | 'en';

const HOUR_MS = 3_600_000;
const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function partsAt(ms: number): LocalParts {
  const d = new Date(ms + SHANGHAI_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  };
}

function instantMs(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.getTime();
  if (typeof value === 'string' && ISO_INSTANT.test(value)) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new Error(`cannot format ${JSON.stringify(value)} as an instant (expected ISO 8601 with Z or an offset)`);
}

/** A `YYYY-MM-DD` local date as given, or the Asia/Shanghai date of an instant. */
function dateParts(value: unknown): LocalParts {
  if (typeof value === 'string') {
    const m = LOCAL_DATE.exec(value);
    if (m) return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: 0, minute: 0 };
  }
  return partsAt(instantMs(value));
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
const isoDate = (p: LocalParts): string => `${String(p.year).padStart(4, '0')}-${pad2(p.month)}-${pad2(p.day)}`;
const chineseDate = (p: LocalParts): string => `${p.year}年${p.month}月${p.day}日`;

export function formatLocalDate(value: unknown, lang: Lang): string {
  const p = dateParts(value);
  return lang === 'en' ? isoDate(p) : chineseDate(p);
}

/**
 * The end of a period (Civil Code Art 203: the last day ends at 24:00). Given `dueAt`, the next day's 00:00, it names
 * the last day; given a local date, that date is the last day.
 */
export function formatDueEnd(value: unknown, lang: Lang): string {
  const p = typeof value === 'string' && LOCAL_DATE.test(value) ? dateParts(value) : partsAt(instantMs(value) - 1);
  return lang === 'en' ? `${isoDate(p)} 24:00 (+08:00)` : `${chineseDate(p)}24时`;
}

export function formatInstant(value: unknown, lang: Lang): string {
  const p = partsAt(instantMs(value));
  const time = `${pad2(p.hour)}:${pad2(p.minute)}`;
  return lang === 'en' ? `${isoDate(p)} ${time} (UTC+8)` : `${chineseDate(p)} ${time}`;
}

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;

/** 1–9999 in Chinese numerals as articles are numbered: 十, 十一, 二十三, 一百零一, 二百零三, 一千零五. */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 9999) throw new Error(`no Chinese numeral for ${n} (1–9999)`);
  const units = ['千', '百', '十', ''] as const;
  const digits = String(n).padStart(4, '0').split('').map(Number);
  let out = '';
  let pendingZero = false;
  digits.forEach((digit, i) => {
    if (digit === 0) {
      if (out) pendingZero = true;
      return;
    }
    if (pendingZero) out += DIGITS[0];
    pendingZero = false;
    // 十一, not 一十一, when the number starts at the tens.
    if (!(digit === 1 && units[i] === '十' && out === '')) out += DIGITS[digit];
    out += units[i];
  });
  return out;
}

export function formatArticle(value: unknown, lang: Lang): string {
  const n = Number(value);
  return lang === 'en' ? String(n) : chineseNumeral(n);
}
