import { timingSafeEqual } from 'node:crypto';
import { Router, type Request } from 'express';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { list, message } from '../domain/i18n';
import { isOneOf, SUPERVISION_EVENTS } from '../domain/events';
import { caseWorkflowId } from '../domain/ids';
import { WindowSlots } from '../store/counters';
import { trusted, type CaseDoc, type Store } from '../store/models';
import { caseIdForTrackingCode } from '../store/tracking-codes';
import type { Sealer } from '../store/sealed';
import { caseViewQuery, noticesOpenedSignal, type CaseView } from '../workflows/messages';
import type { NoticeDocument } from '../domain/notices/types';
import { renderNoticePdf } from '../notices/pdf';
import { applyAction } from './actions';
import { petitionerCodes, pinHash } from './intake';
import { HttpProblem, problems } from './problem';
import { deadlinesFor, requestLanguage } from './language';
import { ActionBodies, NoticeFile, parseRequest, TrackingParams, TrackingPin, type ActionName } from './schemas';
import { PETITIONER_ACTIONS } from '../domain/actions';

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
type Petition = { caseId: string; record: CaseDoc | null };

const LIVE_QUERY_TIMEOUT_MS = 2_000;
/** A case ID no case has: read in place of a record when the tracking code names none. */
const NO_CASE = '0'.repeat(26);

export function trackRouter(deps: { client: Client; store: Store; sealer: Sealer }): Router {
  const router = Router();
  const throttle = new PinThrottle(deps.store, deps.sealer);
  const backfilled = { seen: false };

  /**
   * The same work whether the code exists or not — a read by `_id` of the code and of a record, one PIN digest, one
   * comparison, one count — so the answer's timing does not tell a real tracking code from an invented one.
   */
  async function authenticatePetitioner(req: Request): Promise<Petition> {
    const lang = requestLanguage(req);
    const { trackingCode } = parseRequest(TrackingParams, req.params, 'params', lang);
    const pin = parseRequest(TrackingPin, req.get('X-Tracking-Pin'), 'headers', lang);
    const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const waitMs = await unavailableOnError(throttle.waitMs(trackingCode, client));
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new HttpProblem(429, 'Too Many Requests', message('problem.detail.pinThrottled', { seconds }), {
        retryAfter: seconds,
      });
    }
    const caseId = (await unavailableOnError(caseIdForTrackingCode(deps.store, trackingCode, backfilled))) ?? '';
    // A record is read whether the code named a case or not, so a miss costs what a hit does.
    const record = await unavailableOnError(
      deps.store.cases.findById(caseId || NO_CASE, { pinHash: 1 }).lean<{ _id: string; pinHash: string }>(),
    );
    // Before its record is written, a case's PIN is derived from its ID, as intake derived it.
    const expected = record?.pinHash ?? (caseId ? petitionerCodes(deps.sealer, caseId).pinHash : '0'.repeat(64));
    const given = pinHash(deps.sealer, caseId, pin);
    if (!caseId || !timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(given, 'hex'))) {
      await unavailableOnError(throttle.fail(trackingCode, client));
      throw problems.notFound(message('problem.detail.trackingNotFound'));
    }
    return { caseId, record: record ? await deps.store.cases.findById(caseId).lean<CaseDoc>() : null };
  }

  router.get('/:trackingCode', async (req, res) => {
    const { caseId, record } = await authenticatePetitioner(req);
    if (!record) return res.json(await pendingView(deps.client, caseId));
    const unitCodes = record.units ?? [];
    const units = await deps.store.units.find({ _id: trusted({ $in: unitCodes }) }).lean();
    const timeline = await deps.store.timeline.find({ caseId }).sort({ at: 1, _id: 1 }).lean();
    const notices = await deps.store.notices.find({ caseId }).sort({ createdAt: 1, _id: 1 }).lean();
    await servedOnOpening(caseId, notices);
    res.json({
      caseNumber: record.caseNumber,
      subject: record.subject,
      stage: record.stage,
      units: unitCodes.map((code) => ({ code, name: units.find((u) => u._id === code)?.name ?? code })),
      deadlines: deadlinesFor(req, record.deadlines),
      replies: (record.replies ?? {}) as Record<string, unknown>,
      rating: record.rating,
      // The petitioner sees the steps of the procedure, not the office's internal supervision.
      progress: timeline.filter((t) => !isOneOf(SUPERVISION_EVENTS, t.type)).map((t) => ({ at: t.at, step: t.type })),
      notices: notices.map((n) => ({
        id: n._id,
        kind: n.kind,
        title: n.title ?? '',
        documentNumber: n.documentNumber ?? undefined,
        issuedAt: n.createdAt,
        servedAt: n.servedAt ?? undefined,
        serviceMethod: n.serviceMethod ?? undefined,
        undeliverable: n.undeliverable || undefined,
        text: n.text ?? '',
        pdf: `/v1/track/${req.params.trackingCode}/notices/${n._id}.pdf`,
      })),
    });
  });

  /**
   * Notices published on the tracking page count as served when the petitioner first opens it (送达, online): the
   * case is told, and records the service. Should the signal not get through, the profile's online period still
   * deems them served; the page is answered either way.
   */
  async function servedOnOpening(caseId: string, notices: { channel?: string | null; servedAt?: Date | null }[]) {
    if (!notices.some((n) => n.channel === 'online' && !n.servedAt)) return;
    await deps.client.workflow
      .getHandle(caseWorkflowId(caseId))
      .signal(noticesOpenedSignal, { at: new Date().toISOString() })
      .catch(() => undefined);
  }

  router.get('/:trackingCode/notices/:file', async (req, res) => {
    const file = parseRequest(NoticeFile, req.params.file, 'params', requestLanguage(req));
    const { caseId } = await authenticatePetitioner(req);
    const noticeId = file.slice(0, -'.pdf'.length);
    const notice = await unavailableOnError(deps.store.notices.findById(noticeId).lean());
    // Another case's notice does not exist for this code.
    if (!notice || notice.caseId !== caseId || !notice.document) {
      throw problems.notFound(message('problem.detail.noticeNotFound'));
    }
    const pdf = await renderNoticePdf(notice.document as NoticeDocument);
    res.type('application/pdf').set('Content-Disposition', `inline; filename="${noticeId.replace(/:/g, '-')}.pdf"`);
    res.send(pdf);
  });

  router.post('/:trackingCode/:action', async (req, res) => {
    const action = req.params.action as ActionName;
    const lang = requestLanguage(req);
    if (!(PETITIONER_ACTIONS as readonly string[]).includes(action)) {
      throw problems.notFound(message('problem.detail.petitionerActions', { actions: list(PETITIONER_ACTIONS, lang) }));
    }
    const { caseId } = await authenticatePetitioner(req);
    const body = parseRequest(ActionBodies[action], req.body, 'body', lang);
    const result = await applyAction(deps, caseId, action, { role: 'petitioner' }, body);
    res.json(result);
  });

  return router;
}

/** The case store is needed to check a PIN: while it is unreachable, say so rather than fail. */
async function unavailableOnError<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch {
    throw problems.unavailable(message('problem.detail.trackingUnavailable'));
  }
}

/** A case registered a moment ago (or while MongoDB was away): its stage and clocks from the workflow. */
async function pendingView(client: Client, caseId: string) {
  const timeout = new Promise<undefined>((resolve) =>
    setTimeout(() => resolve(undefined), LIVE_QUERY_TIMEOUT_MS).unref(),
  );
  const query = client.workflow
    .getHandle(caseWorkflowId(caseId))
    .query(caseViewQuery)
    .catch((error: unknown) => (error instanceof WorkflowNotFoundError ? null : undefined));
  const view: CaseView | null | undefined = await Promise.race([query, timeout]);
  // An intake that failed after its tracking code was noted: there is no case.
  if (view === null) throw problems.notFound(message('problem.detail.trackingNotFound'));
  if (!view) throw problems.unavailable(message('problem.detail.caseBeingRegistered'));
  return {
    caseNumber: view.caseNumber,
    subject: '',
    stage: view.stage,
    units: view.units.map((code) => ({ code, name: code })),
    deadlines: view.clocks.map((clock) => clock.deadline),
    replies: {},
    progress: [],
    recordPending: true,
  };
}
