/**
 * Petitioners act through their tracking code and PIN. A wrong PIN is counted per code and client, and guessing slows
 * down; the check takes the same work whether the code exists or not.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { z } from 'zod';
import { message } from '../../domain/i18n';
import { WindowSlots } from '../../store/counters';
import type { CaseDoc, Store } from '../../store/models';
import type { Sealer } from '../../store/sealed';
import type { PendingNotes } from '../../store/tracking-codes';
import { petitionerCodes, pinHash } from '../intake';
import { requestLanguage } from '../language';
import { HttpProblem, problems } from '../problem';
import { parseRequest, problemResponse, TrackingParams, TrackingPin } from '../schemas';

export const PIN_THROTTLE = {
  /** Wrong PINs a client may send for one tracking code before it has to wait. */
  freeFailures: 5,
  /** The wait after the fifth wrong PIN; it doubles with each further one. */
  firstDelayMs: 1_000,
  maxDelayMs: 60 * 60_000,
  /** Failures are counted in fixed windows of a day. */
  windowMs: 24 * 60 * 60_000,
};

/** How long a client waits after its `failures`-th wrong PIN for one code (0 while it has free ones left). */
export function pinDelayMs(failures: number): number {
  if (failures < PIN_THROTTLE.freeFailures) return 0;
  return Math.min(PIN_THROTTLE.maxDelayMs, PIN_THROTTLE.firstDelayMs * 2 ** (failures - PIN_THROTTLE.freeFailures));
}

/**
 * Wrong PINs per (tracking code, client), shared by every API replica through MongoDB (store/counters.ts). Guessing
 * slows down — 1 s after the fifth wrong PIN, doubling up to an hour — but nobody else is locked out: the petitioner
 * on another connection is not delayed by someone guessing at their code, and a correct PIN is never counted.
 */
class PinThrottle {
  private readonly slots: WindowSlots;

  constructor(
    store: Store,
    private readonly sealer: Sealer,
  ) {
    this.slots = new WindowSlots(store, 'pin');
  }

  /** Clients are kept as a keyed digest of their address: no IP addresses in the database. */
  private series(code: string, client: string, now: number): string {
    const window = Math.floor(now / PIN_THROTTLE.windowMs);
    return `${code}:${this.sealer.digest('pin-client', client).subarray(0, 12).toString('hex')}:${window}`;
  }

  /** Milliseconds the client must still wait before its next PIN for this code. */
  async waitMs(code: string, client: string, now = Date.now()): Promise<number> {
    const { count, last } = await this.slots.read(this.series(code, client, now));
    return last ? Math.max(0, last.getTime() + pinDelayMs(count) - now) : 0;
  }

  async fail(code: string, client: string, now = Date.now()): Promise<void> {
    const windowEnd = (Math.floor(now / PIN_THROTTLE.windowMs) + 1) * PIN_THROTTLE.windowMs;
    await this.slots.take(this.series(code, client, now), new Date(now), new Date(windowEnd + PIN_THROTTLE.maxDelayMs));
  }
}

/** The petitioner's case: its record, or only its ID while the workflow has not written the record yet. */
export type Petition = { caseId: string; record: CaseDoc | null };

/** A case ID no case has: read in place of a record when the tracking code names none. */
const NO_CASE = '0'.repeat(26);

/** Checks tracking codes and PINs for every petitioner route of one app. */
export class Petitioners {
  private readonly throttle: PinThrottle;

  constructor(private readonly deps: { store: Store; sealer: Sealer; notes: PendingNotes }) {
    this.throttle = new PinThrottle(deps.store, deps.sealer);
  }

  /** Each request's answer, checked once: a petitioner's action checks the PIN before its body, then acts. */
  private readonly checked = new WeakMap<Request, Promise<Petition>>();

  /** The petitioner's case, by the request's tracking code and PIN (checked once per request). */
  authenticate(req: Request): Promise<Petition> {
    let petition = this.checked.get(req);
    if (!petition) {
      petition = this.check(req);
      this.checked.set(req, petition);
    }
    return petition;
  }

  /**
   * The same work whether the code exists or not — a read by `_id` of the code and of a record, one PIN digest, one
   * comparison, one count — so the answer's timing does not tell a real tracking code from an invented one.
   */
  private async check(req: Request): Promise<Petition> {
    const { store, sealer } = this.deps;
    const lang = requestLanguage(req);
    const { trackingCode } = parseRequest(TrackingParams, req.params, 'params', lang);
    const pin = parseRequest(TrackingPin, req.get('X-Tracking-Pin'), 'headers', lang);
    const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const waitMs = await unavailableOnError(this.throttle.waitMs(trackingCode, client));
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new HttpProblem(429, 'Too Many Requests', message('problem.detail.pinThrottled', { seconds }), {
        retryAfter: seconds,
      });
    }
    const caseId = (await unavailableOnError(this.deps.notes.caseIdFor('trackingCodes', trackingCode))) ?? '';
    // A record is read whether the code named a case or not, so a miss costs what a hit does.
    const record = await unavailableOnError(
      store.cases.findById(caseId || NO_CASE, { pinHash: 1 }).lean<{ _id: string; pinHash: string }>(),
    );
    // Before its record is written, a case's PIN is derived from its ID, as intake derived it.
    const expected = record?.pinHash ?? (caseId ? petitionerCodes(sealer, caseId).pinHash : '0'.repeat(64));
    const given = pinHash(sealer, caseId, pin);
    if (!caseId || !timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(given, 'hex'))) {
      await unavailableOnError(this.throttle.fail(trackingCode, client));
      throw problems.notFound(message('problem.detail.trackingNotFound'));
    }
    return { caseId, record: record ? await store.cases.findById(caseId).lean<CaseDoc>() : null };
  }
}

/** The case store is needed to check a PIN: while it is unreachable, say so rather than fail. */
export async function unavailableOnError<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch {
    throw problems.unavailable(message('problem.detail.trackingUnavailable'));
  }
}

/** The PIN header of every petitioner route. */
export const pin = z.object({
  'X-Tracking-Pin': TrackingPin.openapi({ description: 'The 6-digit PIN given at registration.' }),
});

/** How every petitioner route may refuse. */
export const refusals = {
  400: problemResponse('Invalid tracking code, PIN format or body'),
  404: problemResponse('No case with this tracking code and PIN'),
  429: problemResponse(
    'Five wrong PINs for this tracking code from this client: wait Retry-After seconds (1 s, doubling with each ' +
      'further wrong PIN up to an hour). Other clients, the petitioner among them, are not delayed.',
  ),
  503: problemResponse('The case store is unreachable, or the case is being registered; retry after Retry-After'),
};

/** What the petitioner routes need. */
export interface TrackDeps {
  petitioners: Petitioners;
}
