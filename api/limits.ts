/** Request hygiene before any route runs: a rate limit per caller, JSON-only bodies, and well-formed UTF-8. */
import { isUtf8 } from 'node:buffer';
import express, { type Request, type RequestHandler } from 'express';
import { WindowSlots } from '../store/counters';
import { isConnected, type Store } from '../store/models';
import type { Sealer } from '../store/sealed';
import type { KeyRing } from './auth';
import { firstDuplicateKey } from './json-keys';
import { message } from '../domain/i18n';
import { HttpProblem } from './problem';

export interface RateLimitOptions {
  /** Tokens added per second: the sustained rate a caller may keep up. */
  perSecond: number;
  /** Bucket size: how many requests a caller may send at once after being idle. */
  burst: number;
  /**
   * How long a request waits for a block of the shared quota before its replica limits on its own (`SharedQuota`):
   * 500 ms unless set.
   */
  claimWaitMs?: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { perSecond: 50, burst: 100 };

/** Above this many callers, buckets that have refilled completely are forgotten (a full bucket is no bucket). */
const MAX_TRACKED_CALLERS = 10_000;

/**
 * One token bucket per caller, in memory: what a replica uses on its own while MongoDB (and so the shared quota) is
 * out of reach.
 */
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

type Verdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** After a failed claim, how long a replica limits on its own before it tries MongoDB again. */
const STORE_RETRY_MS = 5_000;
/** A claim that takes longer than this is left to finish in the background; the replica limits on its own. */
const CLAIM_WAIT_MS = 500;

/**
 * The per-caller rate limit, shared by every API replica: a fixed window of `burst / perSecond` seconds admits
 * `burst` requests (50/s with bursts of 100 by default: 100 per 2 s), counted across replicas in MongoDB. The window's
 * quota is cut into blocks of about a tenth; a replica claims the next block with one insert (store/counters.ts) and
 * spends it from memory, so nine requests in ten cost no database round trip. The cluster never admits more than the
 * window's quota; a replica may hold part of a block unspent, so a caller spread over N replicas may be refused up
 * to (N − 1) × (block − 1) requests early. Fixed windows let a caller send up to twice the burst across a window's
 * edge. While MongoDB is out of reach, each replica limits on its own (intake keeps working).
 */
export class SharedQuota {
  private readonly slots: WindowSlots;
  private readonly local: TokenBuckets;
  private readonly windowMs: number;
  private readonly blockSize: number;
  private readonly blocks: number;
  /**
   * Per caller: the window, how many requests of the blocks this replica claimed are left, and the claim under way:
   * requests that arrive while a block is being claimed wait for it instead of each claiming one of their own.
   */
  private readonly held = new Map<
    string,
    { window: number; left: number; exhausted: boolean; claiming?: Promise<unknown> }
  >();
  private storeAwayUntil = 0;
  private readonly claimWaitMs: number;

  constructor(
    private readonly store: Store,
    options: RateLimitOptions,
  ) {
    this.local = new TokenBuckets(options);
    this.claimWaitMs = options.claimWaitMs ?? CLAIM_WAIT_MS;
    this.windowMs = Math.max(1, Math.round((options.burst / options.perSecond) * 1000));
    this.blockSize = Math.max(1, Math.floor(options.burst / 10));
    this.blocks = Math.floor(options.burst / this.blockSize);
    this.slots = new WindowSlots(store, 'rate');
  }

  async take(caller: string, now = Date.now()): Promise<Verdict> {
    const window = Math.floor(now / this.windowMs);
    const retryAfterSeconds = Math.max(1, Math.ceil(((window + 1) * this.windowMs - now) / 1000));
    let held = this.held.get(caller);
    if (held?.window !== window) {
      if (this.held.size >= MAX_TRACKED_CALLERS) this.held.clear();
      held = { window, left: 0, exhausted: false };
      this.held.set(caller, held);
    }
    if (held.left > 0) {
      held.left -= 1;
      return { allowed: true };
    }
    if (held.exhausted) return { allowed: false, retryAfterSeconds };
    if (now < this.storeAwayUntil || !isConnected(this.store)) return this.local.take(caller, now);
    if (held.claiming) {
      await held.claiming;
      return this.take(caller, now);
    }
    const claim = this.slots.take(
      `${caller}:${window}`,
      new Date(now),
      new Date((window + 1) * this.windowMs),
      this.blocks,
    );
    const claiming = Promise.race([
      claim.then((slot) => ({ slot })),
      new Promise<'slow'>((resolve) => setTimeout(() => resolve('slow'), this.claimWaitMs).unref()),
    ]).catch(() => 'failed' as const);
    held.claiming = claiming;
    const waited = await claiming;
    held.claiming = undefined;
    if (waited === 'slow' || waited === 'failed') {
      claim.catch(() => undefined);
      this.storeAwayUntil = now + STORE_RETRY_MS;
      return this.local.take(caller, now);
    }
    if (waited.slot === undefined) {
      held.exhausted = true;
      return { allowed: false, retryAfterSeconds };
    }
    held.left += this.blockSize - 1;
    return { allowed: true };
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
 * bucket; shared by every API replica (SharedQuota). Runs before body parsing: a flood costs a map lookup (and one
 * insert per block), not a JSON parse. Keys sent only in an Open311 form body are not seen here; those callers are
 * limited by IP.
 */
export function rateLimit(
  keys: KeyRing,
  deps: { store: Store; sealer: Sealer },
  options: RateLimitOptions = DEFAULT_RATE_LIMIT,
): RequestHandler {
  const quota = new SharedQuota(deps.store, options);
  return async (req, _res, next) => {
    const key = presentedKey(req);
    const principal = key ? await keys.resolve(key).catch(() => null) : null;
    // Addresses are counted as a keyed digest: no IP addresses in the database.
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const caller = principal
      ? `key:${principal.keyId}`
      : `ip:${deps.sealer.digest('rate-client', address).subarray(0, 12).toString('hex')}`;
    const verdict = await quota.take(caller);
    if (verdict.allowed) return next();
    const params = { perSecond: options.perSecond, burst: options.burst, seconds: verdict.retryAfterSeconds };
    const detail = message(principal ? 'problem.detail.rateLimitedKey' : 'problem.detail.rateLimitedAddress', params);
    next(new HttpProblem(429, 'Too Many Requests', detail, { retryAfter: verdict.retryAfterSeconds }));
  };
}

/** The media types read as JSON: `application/json` and every `application/*+json` (RFC 6839). */
const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * `express.json` for every JSON media type, that also refuses bytes that are not UTF-8 (instead of decoding them
 * into U+FFFD silently) and an object with the same key twice (which JSON.parse would resolve to the last one).
 */
export function parseJson(limit: string): RequestHandler {
  return express.json({
    limit,
    strict: true,
    type: JSON_TYPES,
    verify: (_req, _res, body, encoding) => {
      if (encoding.toLowerCase().replace('-', '') === 'utf8' && !isUtf8(body)) {
        throw new HttpProblem(400, 'Bad Request', message('problem.detail.invalidUtf8'), { header: 'Content-Type' });
      }
      const duplicate = firstDuplicateKey(body.toString(encoding as BufferEncoding));
      if (duplicate) {
        throw new HttpProblem(400, 'Bad Request', [
          {
            field: `body.${duplicate.path}`,
            rule: 'duplicate_key',
            message: message('validation.duplicateKey', { key: duplicate.key }),
          },
        ]);
      }
    },
  });
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Whether the request carries a body at all (a bodiless POST is left to validation). */
export function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/** POST, PUT and PATCH bodies must be JSON; anything else is refused before it is mistaken for an empty body. */
export const jsonBodiesOnly: RequestHandler = (req, _res, next) => {
  if (!BODY_METHODS.has(req.method) || !hasBody(req) || req.is(JSON_TYPES)) return next();
  const given = req.headers['content-type'];
  next(
    new HttpProblem(
      415,
      'Unsupported Media Type',
      given ? message('problem.detail.contentType', { given }) : message('problem.detail.contentTypeMissing'),
      { header: 'Content-Type', accepted: ['application/json'] },
    ),
  );
};
