import { timingSafeEqual } from 'node:crypto';
import { Router, type Request } from 'express';
import type { Client } from '@temporalio/client';
import { trusted, type CaseDoc, type Store } from '../store/models';
import type { Sealer } from '../store/sealed';
import { applyAction } from './actions';
import { pinHash } from './intake';
import { HttpProblem, problems, validationProblem } from './problem';
import { ActionBodies, TrackingParams, TrackingPin, type ActionName } from './schemas';

const PETITIONER_ACTIONS: ActionName[] = ['rating', 'review-request', 'withdrawal', 'supplement'];
const MAX_FAILURES = 5;
const LOCK_MS = 15 * 60_000;

/** Wrong PINs per tracking code: after five, the code is locked for a quarter of an hour. */
class PinThrottle {
  private readonly failures = new Map<string, { count: number; lockedUntil: number }>();

  check(code: string): void {
    const entry = this.failures.get(code);
    if (entry && entry.lockedUntil > Date.now()) {
      const seconds = Math.ceil((entry.lockedUntil - Date.now()) / 1000);
      throw new HttpProblem(429, 'Too Many Requests', 'too many wrong PINs for this tracking code; try again later', {
        retryAfter: seconds,
      });
    }
  }

  fail(code: string): void {
    const entry = this.failures.get(code) ?? { count: 0, lockedUntil: 0 };
    entry.count += 1;
    if (entry.count >= MAX_FAILURES) {
      entry.lockedUntil = Date.now() + LOCK_MS;
      entry.count = 0;
    }
    this.failures.set(code, entry);
  }

  succeed(code: string): void {
    this.failures.delete(code);
  }
}

export function trackRouter(deps: { client: Client; store: Store; sealer: Sealer }): Router {
  const router = Router();
  const throttle = new PinThrottle();

  async function authenticatePetitioner(req: Request): Promise<CaseDoc> {
    const params = TrackingParams.safeParse(req.params);
    if (!params.success) throw validationProblem(params.error, 'params');
    const pin = TrackingPin.safeParse(req.get('X-Tracking-Pin'));
    if (!pin.success) throw validationProblem(pin.error, 'headers');
    const { trackingCode } = params.data;
    throttle.check(trackingCode);
    const doc = await deps.store.cases.findOne({ trackingCode }).lean<CaseDoc>();
    const expected = doc ? Buffer.from(doc.pinHash, 'hex') : Buffer.alloc(32);
    const given = Buffer.from(pinHash(deps.sealer, doc?._id ?? '', pin.data), 'hex');
    if (!doc || !timingSafeEqual(expected, given)) {
      throttle.fail(trackingCode);
      throw problems.notFound('no case with this tracking code and PIN');
    }
    throttle.succeed(trackingCode);
    return doc;
  }

  router.get('/:trackingCode', async (req, res) => {
    const doc = await authenticatePetitioner(req);
    const unitCodes = doc.units ?? [];
    const units = await deps.store.units.find({ _id: trusted({ $in: unitCodes }) }).lean();
    const timeline = await deps.store.timeline.find({ caseId: doc._id }).sort({ at: 1, _id: 1 }).lean();
    res.json({
      caseNumber: doc.caseNumber,
      subject: doc.subject,
      stage: doc.stage,
      units: unitCodes.map((code) => ({ code, name: units.find((u) => u._id === code)?.name ?? code })),
      deadlines: doc.deadlines,
      replies: (doc.replies ?? {}) as Record<string, unknown>,
      rating: doc.rating,
      // The petitioner sees the steps of the procedure, not the office's internal supervision.
      progress: timeline
        .filter(
          (t) => !['overdue_supervised', 'escalated', 'escalation_exhausted', 'reminder', 'disputed'].includes(t.type),
        )
        .map((t) => ({ at: t.at, step: t.type })),
    });
  });

  router.post('/:trackingCode/:action', async (req, res) => {
    const action = req.params.action as ActionName;
    if (!PETITIONER_ACTIONS.includes(action)) {
      throw problems.notFound(`petitioners may post ${PETITIONER_ACTIONS.join(', ')}`);
    }
    const doc = await authenticatePetitioner(req);
    const body = ActionBodies[action].safeParse(req.body);
    if (!body.success) throw validationProblem(body.error, 'body');
    const result = await applyAction(deps, doc._id, action, { role: 'petitioner' }, body.data);
    res.json(result);
  });

  return router;
}
