/**
 * Requests are parsed in the caller's language. A schema's own message is a catalogue key, which outranks any error
 * map and is rendered when the answer is written (api/problem.ts); zod's own messages (a missing field, a wrong type)
 * come from zod's bundled locale for the language, given per parse so that concurrent requests never share one.
 */
import { z } from 'zod';
import type { Lang } from '../domain/i18n';

const ZOD_MESSAGES: Record<Lang, z.core.$ZodErrorMap> = {
  'zh-CN': z.locales.zhCN().localeError,
  en: z.locales.en().localeError,
};

export function safeParseIn<S extends z.ZodType>(schema: S, value: unknown, lang: Lang) {
  return schema.safeParse(value, { error: ZOD_MESSAGES[lang] });
}
