import type { Request } from 'express';
import type { Deadline } from '../domain/calendar';
import { deadlineIn } from '../domain/deadline-text';
import { DEFAULT_LANG, type Lang } from '../domain/i18n';

/**
 * The language of an answer, from `Accept-Language`: Simplified Chinese unless the client prefers English
 * (`en`, `en-US`, `en;q=0.9, zh;q=0.8`). No header, `*`, or only languages we do not have: Chinese.
 */
export function requestLanguage(req: Pick<Request, 'acceptsLanguages'>): Lang {
  const best = req.acceptsLanguages(['zh-CN', 'zh', 'en']);
  return best === 'en' ? 'en' : DEFAULT_LANG;
}

/**
 * Deadlines as the caller reads them: each explanation's sentence in the request's language, rewritten from the
 * deadline's own fields (a stored deadline too partial to rewrite keeps its sentence).
 */
export function deadlinesFor<D>(req: Pick<Request, 'acceptsLanguages'>, deadlines: D[] | null | undefined): D[] {
  const lang = requestLanguage(req);
  return (deadlines ?? []).map((deadline) => deadlineIn(deadline as Deadline, lang) as D);
}
