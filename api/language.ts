import type { Request } from 'express';
import { DEFAULT_LANG, type Lang } from '../domain/i18n';

/**
 * The language of an answer, from `Accept-Language`: Simplified Chinese unless the client prefers English
 * (`en`, `en-US`, `en;q=0.9, zh;q=0.8`). No header, `*`, or only languages we do not have: Chinese.
 */
export function requestLanguage(req: Pick<Request, 'acceptsLanguages'>): Lang {
  const best = req.acceptsLanguages(['zh-CN', 'zh', 'en']);
  return best === 'en' ? 'en' : DEFAULT_LANG;
}
