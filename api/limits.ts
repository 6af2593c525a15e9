/** Request hygiene before any route runs: a rate limit per caller, JSON-only bodies, and well-formed UTF-8. */
import { isUtf8 } from 'node:buffer';
import express, { type Request, type RequestHandler } from 'express';
import type { KeyRing } from './auth';
import { HttpProblem } from './problem';

export interface RateLimitOptions {
  /** Tokens added per second: the sustained rate a caller may keep up. */
  perSecond: number;
  /** Bucket size: how many requests a caller may send at once after being idle. */
  burst: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { perSecond: 50, burst: 100 };

/** Above this many callers, buckets that have refilled completely are forgotten (a full bucket is no bucket). */
const MAX_TRACKED_CALLERS = 10_000;

/** One token bucket per caller, in memory: each API replica limits on its own. */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly options: RateLimitOptions) {
    if (!(options.perSecond > 0) || !(options.burst >= 1)) {
      throw new RangeError(`rate limit needs perSecond > 0 and burst >= 1, got ${JSON.stringify(options)}`);
    }
  }

  /** Takes one token; when none is left, says how many whole seconds until one is. */
  take(caller: string, now = Date.now()): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const { perSecond, burst } = this.options;
    const bucket = this.buckets.get(caller) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(caller, bucket);
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)) };
    }
    bucket.tokens -= 1;
    this.buckets.set(caller, bucket);
    if (this.buckets.size > MAX_TRACKED_CALLERS) this.forgetRefilled(now);
    return { allowed: true };
  }

  private forgetRefilled(now: number): void {
    const { perSecond, burst } = this.options;
    for (const [caller, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * perSecond >= burst) this.buckets.delete(caller);
    }
  }
}

/** The key a caller presents: `Authorization: Bearer <key>`, or Open311's `api_key` query parameter. */
function presentedKey(req: Request): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (bearer) return bearer;
  const query = req.query.api_key;
  return typeof query === 'string' && query ? query : undefined;
}

/**
 * Rate limit per API key, or per client IP for callers without a valid key, so inventing keys does not buy a fresh
 * bucket. Runs before body parsing: a flood costs a map lookup, not a JSON parse. Keys sent only in an Open311 form
 * body are not seen here; those callers are limited by IP.
 */
export function rateLimit(keys: KeyRing, options: RateLimitOptions = DEFAULT_RATE_LIMIT): RequestHandler {
  const buckets = new TokenBuckets(options);
  return async (req, _res, next) => {
    const key = presentedKey(req);
    const principal = key ? await keys.resolve(key).catch(() => null) : null;
    const caller = principal ? `key:${principal.keyId}` : `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`;
    const verdict = buckets.take(caller);
    if (verdict.allowed) return next();
    const who = principal ? 'this API key' : 'this address';
    next(
      new HttpProblem(
        429,
        'Too Many Requests',
        `${who} sent more than ${options.perSecond} requests per second (burst ${options.burst}); retry after ${verdict.retryAfterSeconds} s`,
        { retryAfter: verdict.retryAfterSeconds },
      ),
    );
  };
}

/** `express.json` that also refuses bytes that are not UTF-8, instead of decoding them into U+FFFD silently. */
export function parseJson(limit: string): RequestHandler {
  return express.json({
    limit,
    strict: true,
    verify: (_req, _res, body, encoding) => {
      if (encoding.toLowerCase().replace('-', '') === 'utf8' && !isUtf8(body)) {
        throw new HttpProblem(400, 'Bad Request', 'the request body is not valid UTF-8', { header: 'Content-Type' });
      }
    },
  });
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Whether the request carries a body at all (a bodiless POST is left to validation). */
export function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/** POST, PUT and PATCH bodies must be JSON: anything else is refused before it is mistaken for an empty body. */
export const jsonBodiesOnly: RequestHandler = (req, _res, next) => {
  if (!BODY_METHODS.has(req.method) || !hasBody(req) || req.is(['application/json', '+json'])) return next();
  const given = req.headers['content-type'];
  next(
    new HttpProblem(
      415,
      'Unsupported Media Type',
      given
        ? `the Content-Type header is "${given}"; this API accepts application/json`
        : 'the Content-Type header is missing; send application/json',
      { header: 'Content-Type', accepted: ['application/json'] },
    ),
  );
};
