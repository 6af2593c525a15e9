/**
 * The message catalogue: every sentence a petitioner or office staff reads, in Simplified Chinese (the default) and
 * English (for API clients that ask for it). Built on i18next: its interpolation, plural rules and formatters run
 * without Node built-ins or I/O, so workflow code formats its summaries and refusals with this module too.
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
import i18next from 'i18next';
import { en } from './en';
import { formatArticle, formatDueEnd, formatInstant, formatLocalDate, type Lang } from './format';
import type { Message, MessageKey, ParamValue, ParamsArg, UnmatchedKey } from './keys';
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

const i18n = i18next.createInstance();
// With the resources given inline, init finishes synchronously: no timers, nothing to await.
void i18n.init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: DEFAULT_LANG,
  fallbackLng: DEFAULT_LANG,
  supportedLngs: [...LANGS],
  keySeparator: false,
  nsSeparator: false,
  initAsync: false,
  returnNull: false,
  // Texts go to PDFs, e-mails, JSON and the Temporal UI, never into HTML unescaped by their renderer.
  interpolation: { escapeValue: false },
});

const langOf = (lng: string | undefined): Lang => (lng === 'en' ? 'en' : 'zh-CN');
const formatter = i18n.services.formatter;
if (!formatter) throw new Error('i18next has no formatter');
formatter.add('localDate', (value, lng) => formatLocalDate(value, langOf(lng)));
formatter.add('dueEnd', (value, lng) => formatDueEnd(value, langOf(lng)));
formatter.add('instant', (value, lng) => formatInstant(value, langOf(lng)));
formatter.add('article', (value, lng) => formatArticle(value, langOf(lng)));

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
  if (typeof key !== 'string' || !i18n.exists(key, { lng: DEFAULT_LANG })) return false;
  if (params === undefined) return true;
  return typeof params === 'object' && params !== null && Object.values(params).every(isParamValue);
}

function isParamValue(value: unknown): boolean {
  if (Array.isArray(value)) return value.every((item) => typeof item === 'string' || isMessage(item));
  return typeof value === 'string' || typeof value === 'number' || isMessage(value);
}

function render(lang: Lang, key: MessageKey, params: Record<string, unknown> | undefined): string {
  const values = params && Object.fromEntries(Object.entries(params).map(([name, v]) => [name, paramIn(v, lang)]));
  const text: unknown = i18n.t(key, { ...values, lng: lang });
  if (typeof text !== 'string' || text === key) throw new Error(`message ${key} is not in the ${lang} catalogue`);
  return text;
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
