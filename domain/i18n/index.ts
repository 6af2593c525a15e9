/**
 * The message catalogue: every sentence a petitioner or office staff reads, in Simplified Chinese (the default) and
 * English (for API clients that ask for it). The texts are in i18next's notation and render as i18next rendered them
 * (./template.ts), with no Node built-ins and no I/O, so workflow code formats its summaries and refusals with this
 * module too.
 *
 *   translate('zh-CN', 'reminder.daysLeft', { deadline, count: 10 })  → 'C5 办理期限 — 剩余10天提醒'
 *   translator(lang)                                                   → translate bound to a language
 *   message('problem.detail.noRoute', { method, path })               → a { key, params } value to render later
 *   renderMessage(m, lang)                                             → its text in a language
 *   message('rule.wrongStage', { what: message('what.hearing'), … })   → a message within a message, rendered in the
 *                                                                        same language; a list of them is joined
 *   cite('xinfang', [22, 23], lang)                                    → 《信访工作条例》第二十二条、第二十三条
 *
 * Keys and parameters are typed from the catalogue (./keys.ts): a missing key or parameter fails `tsc`.
 */
import { en } from './en';
import type { Lang } from './format';
import type { Message, MessageKey, ParamValue, ParamsArg, UnmatchedKey } from './keys';
import { compile, fill, type Template } from './template';
import { zhCN } from './zh-CN';

export type { Lang } from './format';
export type { Message, MessageKey, ParamValue, Params, ParamsArg } from './keys';
export { formatDueEnd, formatInstant, formatLocalDate } from './format';

export const LANGS = ['zh-CN', 'en'] as const satisfies readonly Lang[];
export const DEFAULT_LANG: Lang = 'zh-CN';

/** The catalogue's raw entries per language (for tests and tooling). */
export const CATALOGUES: Record<Lang, Readonly<Record<string, string>>> = { 'zh-CN': zhCN, en };

// A key present in one language and not in the other fails here, naming the key.
const _keysMatch: [UnmatchedKey] extends [never] ? true : { keysInOneLanguageOnly: UnmatchedKey } = true;

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/** Each text cut at its placeholders when first rendered (./template.ts), keyed by the text itself. */
const templates = new Map<string, Template>();

/** Plural rules, made when a language first renders a plural: Chinese has one form, English `_one` and `_other`. */
const pluralRules: Partial<Record<Lang, Intl.PluralRules>> = {};
const pluralRule = (lang: Lang): Intl.PluralRules => (pluralRules[lang] ??= new Intl.PluralRules(lang));

/**
 * The text a key renders in a language, looked up as i18next does: with a numeric `count`, the `_zero` form for 0,
 * then the language's plural form, then the key itself; in English, then in Chinese should English lack it.
 */
function entry(lang: Lang, key: string, count: unknown): string | undefined {
  for (const from of lang === DEFAULT_LANG ? [lang] : [lang, DEFAULT_LANG]) {
    const catalogue = CATALOGUES[from];
    const forms = typeof count === 'number' ? [`${key}_${pluralRule(from).select(count)}`, key] : [key];
    if (count === 0) forms.unshift(`${key}_zero`);
    const found = forms.find((form) => Object.hasOwn(catalogue, form));
    if (found !== undefined) return catalogue[found];
  }
  return undefined;
}

function template(text: string): Template {
  let made = templates.get(text);
  if (made === undefined) templates.set(text, (made = compile(text)));
  return made;
}

export function translate<K extends MessageKey>(lang: Lang, key: K, ...params: ParamsArg<K>): string {
  return render(lang, key, params[0]);
}

export function translator(lang: Lang): <K extends MessageKey>(key: K, ...params: ParamsArg<K>) => string {
  return (key, ...params) => render(lang, key, params[0]);
}

export function message<K extends MessageKey>(key: K, ...params: ParamsArg<K>): Message {
  const given = params[0] as Record<string, ParamValue> | undefined;
  return given ? { key, params: given } : { key };
}

/** Whether a text is a key of the catalogue (a plural key by its base name). */
export function isMessageKey(text: string): text is MessageKey {
  return Object.hasOwn(zhCN, text) || Object.hasOwn(zhCN, `${text}_other`);
}

/** The catalogue's request-validation messages. */
export type ValidationKey = Extract<MessageKey, `validation.${string}`>;

/**
 * A schema's own message, given as its catalogue key and rendered in the caller's language when the request fails
 * (api/validation.ts): `.regex(pattern, invalid('validation.residentId'))`. A key may name `{{minimum}}` or
 * `{{maximum}}`, which the failed bound supplies.
 */
export function invalid<K extends ValidationKey>(key: K): K {
  return key;
}

/** A refinement's or a custom issue's message with its parameters: `ctx.addIssue({ code: 'custom', path, ...m })`. */
export function invalidWith<K extends ValidationKey>(
  key: K,
  ...params: ParamsArg<K>
): { message: K; params?: Record<string, string | number> } {
  const given = params[0] as Record<string, string | number> | undefined;
  return given ? { message: key, params: given } : { message: key };
}

export function renderMessage(m: Message, lang: Lang): string {
  return render(lang, m.key, m.params);
}

/**
 * Whether a value is a message of this catalogue, as one comes back from a failure's details or a stored document:
 * a known key, and parameters that are words, numbers, messages or lists of them.
 */
export function isMessage(value: unknown): value is Message {
  if (typeof value !== 'object' || value === null) return false;
  const { key, params } = value as { key?: unknown; params?: unknown };
  if (typeof key !== 'string' || !Object.hasOwn(zhCN, key)) return false;
  if (params === undefined) return true;
  return typeof params === 'object' && params !== null && Object.values(params).every(isParamValue);
}

function isParamValue(value: unknown): boolean {
  if (Array.isArray(value)) return value.every((item) => typeof item === 'string' || isMessage(item));
  return typeof value === 'string' || typeof value === 'number' || isMessage(value);
}

function render(lang: Lang, key: MessageKey, params: Record<string, unknown> | undefined): string {
  const values = params && Object.fromEntries(Object.entries(params).map(([name, v]) => [name, paramIn(v, lang)]));
  const text = entry(lang, key, values?.count);
  if (text === undefined) throw new Error(`message ${key} is not in the ${lang} catalogue`);
  return fill(template(text), values, lang);
}

/** A parameter as the text takes it: messages rendered, lists joined, in the text's language. */
function paramIn(value: unknown, lang: Lang): unknown {
  if (Array.isArray(value))
    return list(
      value.map((item: unknown) => String(paramIn(item, lang))),
      lang,
    );
  return isMessage(value) ? renderMessage(value, lang) : value;
}

/** Items joined as the language lists them: 春节、国庆节 · Spring Festival, National Day. */
export function list(items: readonly string[], lang: Lang): string {
  return items.join(translate(lang, 'list.separator'));
}

export type Law = 'xinfang' | 'civilCode';

/** One law's articles: 《信访工作条例》第二十二条、第二十三条 · Regulations on Letters and Visits Art 22, Art 23. */
export function cite(law: Law, articles: readonly number[], lang: Lang): string {
  return renderMessage(citation(law, articles), lang);
}

/** The citation as a message, for a text rendered later: a refusal that names its article. */
export function citation(law: Law, articles: readonly number[]): Message {
  return message('law.citation', {
    law: message(law === 'xinfang' ? 'law.xinfang' : 'law.civilCode'),
    articles: articles.map((article) => message('law.article', { article })),
  });
}
