/**
 * A catalogue text cut once at its placeholders, then filled in as often as it is rendered. The texts are written
 * in i18next's notation (`{{name}}`, `{{name, format}}`) and render exactly as i18next 26 rendered them with the
 * catalogue's settings (no escaping, no nesting); test/i18n.test.ts renders every key of both languages both ways.
 *
 *   '第{{article, article}}条'  → ['第', { name: 'article', format: 'article', … }, '条']
 *
 * Workflow code renders its summaries with this too, in every new context of every case: cutting a text once and
 * filling it costs a fraction of i18next's lookup, its interpolation's regular expressions and its instance's start.
 */
import { formatArticle, formatDueEnd, formatInstant, formatLocalDate, type Lang } from './format';

interface Placeholder {
  /** The parameter's name. */
  name: string;
  /** Its format's name, lower-cased as i18next looks formats up; undefined for a value as it is. */
  format: string | undefined;
  /** The placeholder as written, left in the text when the parameter is not given. */
  written: string;
}

export type Template = readonly (string | Placeholder)[];

const PLACEHOLDER = /\{\{(.+?)\}\}/g;

export function compile(text: string): Template {
  const parts: (string | Placeholder)[] = [];
  let from = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (match.index > from) parts.push(text.slice(from, match.index));
    const inside = match[1]!.trim();
    const comma = inside.indexOf(',');
    parts.push(
      comma < 0
        ? { name: inside, format: undefined, written: match[0] }
        : {
            name: inside.slice(0, comma).trim(),
            format: inside
              .slice(comma + 1)
              .trim()
              .toLowerCase(),
            written: match[0],
          },
    );
    from = match.index + match[0].length;
  }
  if (from < text.length) parts.push(text.slice(from));
  return parts;
}

type Format = (value: unknown, lang: Lang) => string;

const FORMATS: Readonly<Record<string, Format>> = {
  localdate: formatLocalDate,
  dueend: formatDueEnd,
  instant: formatInstant,
  article: formatArticle,
};

/**
 * The text with each placeholder filled: a value as `String` writes it; a formatted one through its format, or as
 * it is should the format refuse it; `null` nothing; a parameter not given leaves its placeholder as written, and so
 * does one given as `undefined`, unless it has no format (then nothing: i18next's `skipOnVariables` rules).
 */
export function fill(template: Template, values: Readonly<Record<string, unknown>> | undefined, lang: Lang): string {
  let text = '';
  for (const part of template) {
    if (typeof part === 'string') {
      text += part;
      continue;
    }
    const value = values?.[part.name];
    if (value === undefined) {
      const given = part.format === undefined && values !== undefined && Object.hasOwn(values, part.name);
      text += given ? '' : part.written;
    } else if (value !== null) {
      text += String(part.format === undefined ? value : formatted(value, part.format, lang));
    }
  }
  return text;
}

function formatted(value: unknown, name: string, lang: Lang): unknown {
  const format = FORMATS[name];
  if (format === undefined) return value;
  try {
    return format(value, lang);
  } catch {
    return value;
  }
}
