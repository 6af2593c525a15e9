/**
 * Issue 12 item 9 and issue 16 item 2: the petitioner's tracking PIN. Wrong PINs are throttled per (tracking code,
 * client) with a growing delay, never a lock of the petitioner; a correct PIN is never counted; a case whose record
 * is not in MongoDB yet is served from its workflow; a tracking code that exists and one that does not answer 404
 * in the same time; and the count is the same through two API replicas as through one.
 */
import request from 'supertest';
import { indexCaseCodes, PendingNotes } from '../store/tracking-codes';
import { eventually, startCaseStack, type CaseStack } from '../harness/case-stack';
import { noiseComplaint } from '../harness/case-start';
import { uniqueName } from '../harness/shared-servers';

describe('the tracking PIN', () => {
  let stack: CaseStack;
  beforeAll(async () => {
    stack = await startCaseStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** Another API replica on the same servers; it trusts X-Forwarded-For, as behind a load balancer. */
  const replica = (overrides: Parameters<CaseStack['replica']>[0] = {}) =>
    stack.replica({ trustProxy: true, ...overrides });

  /** Registers a noise complaint through `app`; expects 201. */
  const postIntake = (app: ReturnType<typeof replica>, subject: string) =>
    request(app)
      .post('/v1/cases')
      .set('Authorization', `Bearer ${stack.keys.intake}`)
      .send({ ...noiseComplaint, subject: uniqueName(subject) })
      .expect(201);

  async function registered(): Promise<{ caseId: string; trackingCode: string; pin: string }> {
    const intake = await postIntake(stack.app, 'noise');
    await eventually(async () => (await stack.store.cases.findById(intake.body.caseId).lean())?.progressVersion);
    return intake.body;
  }

  const track = (app: ReturnType<typeof replica>, code: string, pin: string, client = '203.0.113.7') =>
    request(app).get(`/v1/track/${code}`).set('X-Tracking-Pin', pin).set('X-Forwarded-For', client);

  /** Wrong PINs until the first 429: how many were answered 404 before it. */
  async function wrongUntilThrottled(apps: ReturnType<typeof replica>[], code: string): Promise<number> {
    for (let i = 0; i < 20; i++) {
      const res = await track(apps[i % apps.length]!, code, '000000');
      if (res.status === 429) {
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        return i;
      }
      expect(res.status).toBe(404);
    }
    throw new Error('never throttled');
  }

  it('tracking PIN throttle: N wrong PINs across two API replicas → 429 at the same count as on one', async () => {
    const one = await wrongUntilThrottled([replica()], (await registered()).trackingCode);
    const two = await wrongUntilThrottled([replica(), replica()], (await registered()).trackingCode);
    expect(one).toBe(5);
    expect(two).toBe(one);
  });

  it('tracking PIN throttle: a growing delay per (code, client), never a lock of the petitioner; a correct PIN is never counted', async () => {
    const app = replica();
    const { trackingCode, pin } = await registered();
    // The petitioner's own correct PINs count for nothing.
    for (let i = 0; i < 8; i++) await track(app, trackingCode, pin, '198.51.100.1').expect(200);
    expect(await wrongUntilThrottled([app], trackingCode)).toBe(5);
    // Someone else guessing does not keep the petitioner out.
    await track(app, trackingCode, pin, '198.51.100.1').expect(200);

    // The guesser waits a little, then longer after each further wrong PIN.
    const first = await track(app, trackingCode, '000000').expect(429);
    const wait1 = Number(first.headers['retry-after']);
    expect(wait1).toBeGreaterThanOrEqual(1);
    expect(wait1).toBeLessThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, wait1 * 1000 + 100));
    await track(app, trackingCode, '000000').expect(404);
    const second = await track(app, trackingCode, '000000').expect(429);
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(wait1);
  });

  it('serves a just-registered case from its workflow, not a 404 that counts', async () => {
    const app = replica();
    const { caseId, trackingCode, pin } = await registered();
    // As if the workflow had not written the record yet.
    await stack.store.cases.deleteOne({ _id: caseId });
    for (let i = 0; i < 7; i++) {
      const res = await track(app, trackingCode, pin, '192.0.2.44').expect(200);
      expect(res.body).toMatchObject({ stage: 'registered', recordPending: true, caseNumber: expect.any(String) });
    }
    await track(app, trackingCode, '000000', '192.0.2.44').expect(404);
  });

  /** Holds or fails every tracking-code write (the API's note and the worker's) while `during` runs. */
  async function withTrackingWrites<T>(
    write: (original: () => Promise<unknown>) => Promise<unknown>,
    during: () => Promise<T>,
  ): Promise<T> {
    const model = stack.store.trackingCodes;
    const hold = (method: 'create' | 'insertMany') => {
      const original = (model[method] as (...args: unknown[]) => Promise<unknown>).bind(model);
      return jest
        .spyOn(model, method)
        .mockImplementation(((...args: unknown[]) => write(() => original(...args))) as never);
    };
    const spies = [hold('create'), hold('insertMany')];
    try {
      return await during();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  }

  it('a tracking code noted slowly: intake answers once it is noted, and another replica tracks the case at once', async () => {
    // A replica that has served a lookup knows every earlier record is indexed, and reads only the index.
    const reader = replica();
    await track(reader, 'ZZZZZZZZZZZZ', '000000', '192.0.2.46').expect(404);
    const intake = await withTrackingWrites(
      async (original) => {
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        return original();
      },
      () => postIntake(replica(), 'slow note'),
    );
    await track(reader, intake.body.trackingCode, intake.body.pin, '192.0.2.46').expect(200);
  });

  it('a tracking code whose note failed: the replica that answered intake tracks the case, and writes the note later', async () => {
    const notes = new PendingNotes(stack.store);
    const app = replica({ notes });
    const { trackingCode, pin } = await withTrackingWrites(
      () => Promise.reject(new Error('tracking_codes refused the write')),
      async () => {
        const intake = await postIntake(app, 'failed note');
        expect(await notes.caseIdFor('trackingCodes', intake.body.trackingCode)).toBe(intake.body.caseId);
        await track(app, intake.body.trackingCode, intake.body.pin, '192.0.2.47').expect(200);
        return intake.body;
      },
    );
    await eventually(() => Promise.resolve(notes.size === 0));
    expect(await stack.store.trackingCodes.findById(trackingCode).lean()).toMatchObject({ _id: trackingCode });
    const other = replica();
    await track(other, 'ZZZZZZZZZZZZ', '000000', '192.0.2.47').expect(404);
    await track(other, trackingCode, pin, '192.0.2.47').expect(200);
  });

  it('tracks a case recorded before the tracking-code index, and indexes it once', async () => {
    const { trackingCode, pin } = await registered();
    // As written by an earlier version: no index entry, and no backfill yet.
    await stack.store.trackingCodes.deleteOne({ _id: trackingCode });
    await stack.store.revisions.deleteOne({ _id: 'tracking-codes-indexed' });
    await track(replica(), trackingCode, pin, '192.0.2.45').expect(200);
    expect(await indexCaseCodes(stack.store)).toBeGreaterThanOrEqual(1);
    expect(await stack.store.trackingCodes.findById(trackingCode).lean()).toMatchObject({ _id: trackingCode });
    expect(await indexCaseCodes(stack.store)).toBe(0);
    await track(replica(), trackingCode, pin, '192.0.2.45').expect(200);
  });

  it('answers 404 for an existing and a non-existent tracking code in the same time (±20%)', async () => {
    const app = replica();
    const existing = (await registered()).trackingCode;
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    const missingCode = () => Array.from({ length: 12 }, () => alphabet[Math.floor(Math.random() * 32)]).join('');
    const times: Record<'existing' | 'missing', number[]> = { existing: [], missing: [] };
    const timed = async (kind: 'existing' | 'missing', client: string) => {
      const started = process.hrtime.bigint();
      await track(app, kind === 'existing' ? existing : missingCode(), '000000', client).expect(404);
      times[kind].push(Number(process.hrtime.bigint() - started) / 1e6);
    };
    const SAMPLES = 120;
    for (let i = 0; i < SAMPLES + 10; i++) {
      // A client of its own each time, so no sample waits on the throttle; the order alternates.
      const client = `10.${Math.floor(i / 250)}.${i % 250}.9`;
      if (i % 2) {
        await timed('existing', client);
        await timed('missing', client);
      } else {
        await timed('missing', client);
        await timed('existing', client);
      }
      if (i === 9) times.existing.length = times.missing.length = 0; // warm-up
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const [a, b] = [median(times.existing), median(times.missing)];
    console.log(
      `404 medians over ${SAMPLES} samples each: existing ${a.toFixed(2)} ms, non-existent ${b.toFixed(2)} ms`,
    );
    expect(Math.abs(a - b) / Math.max(a, b)).toBeLessThanOrEqual(0.2);
  });
});
