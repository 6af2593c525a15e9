import { randomBytes } from 'node:crypto';
import { addLocalDays, localDateOf } from '../domain/calendar';
import { caseWorkflowId, newCaseId } from '../domain/ids';
import { CaseStage } from '../domain/search-attributes';
import request from 'supertest';
import { caller, type CaseStack, eventually, startCaseStack, testWorkflowWorker } from '../harness/case-stack';
import { noiseComplaint } from '../harness/case-start';
import { uniqueName } from '../harness/shared-servers';
import { endsDuringUpdate } from './env/ending-workflow';
import { expectSchema } from './env/schemas';

const complaint = {
  ...noiseComplaint,
  petitioner: { ...noiseComplaint.petitioner, email: 'wangwu@example.org' },
};

describe('a case through the API: office, department and petitioner', () => {
  let stack: CaseStack;
  beforeAll(async () => {
    stack = await startCaseStack({ departments: ['330100-HB', '330106-GA'] });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const as = (key: string) => caller(stack.app, key);

  it('goes from intake to a delivered reply, a rating and a review request', async () => {
    const office = as(stack.keys.office!);
    const unit = as(stack.keys['dept:330100-HB']!);
    const other = as(stack.keys['dept:330106-GA']!);
    const intake = await as(stack.keys.intake!)
      .post('/v1/cases', { ...complaint, subject: uniqueName('noise') })
      .expect(201);
    const { caseId, trackingCode, pin } = expectSchema<{ caseId: string; trackingCode: string; pin: string }>(intake);
    const path = `/v1/cases/${caseId}`;

    const accepted = await office
      .post(`${path}/acceptance`, { actionId: uniqueName('a'), decision: 'accept' })
      .expect(200);
    expect(expectSchema(accepted).stage).toBe('transferred');
    await eventually(async () => (await unit.get(path)).status === 200);

    // Another unit neither reads nor acts on the case: it does not exist for it.
    await other.get(path).expect(404);
    await other.post(`${path}/acknowledgement`, { actionId: uniqueName('x') }).expect(404);

    const ackId = uniqueName('ack');
    const first = await unit.post(`${path}/acknowledgement`, { actionId: ackId }).expect(200);
    // A retried call gets the first answer, flagged, and changes nothing.
    const again = await unit.post(`${path}/acknowledgement`, { actionId: ackId }).expect(200);
    expect(expectSchema(again)).toEqual({ ...expectSchema(first), duplicate: true });
    const wrongStage = await unit.post(`${path}/acknowledgement`, { actionId: uniqueName('ack') }).expect(409);
    expect(wrongStage.body.detail).toMatch(/已签收/);

    expectSchema(
      await unit.post(`${path}/acceptance`, { actionId: uniqueName('acc'), decision: 'accept' }).expect(200),
    );
    const tooLong = await unit
      .post(`${path}/extension`, { actionId: uniqueName('e'), days: 61, reason: 'complex' })
      .expect(422);
    expect(tooLong.body.detail).toMatch(/1至60日/);

    const result = await unit
      .post(`${path}/result`, {
        actionId: uniqueName('r'),
        decision: 'support',
        // Art 32: a supported decision says by when it is carried out (ten days from today, Asia/Shanghai).
        executeBy: addLocalDays(localDateOf(new Date().toISOString()), 10),
        factsAndReasons: 'Inspection on site confirmed work after 22:00.',
        legalBasis: 'Noise Pollution Prevention Law Art 43',
      })
      .expect(200);
    expect(expectSchema(result).stage).toBe('reply_delivered');

    const tracked = await eventually(async () => {
      const r = await request(stack.app).get(`/v1/track/${trackingCode}`).set('X-Tracking-Pin', pin);
      return r.status === 200 && r.body.stage === 'reply_delivered' ? r : undefined;
    });
    expectSchema(tracked);
    expect(tracked.body.units).toEqual([{ code: '330100-HB', name: expect.stringContaining('生态环境局') }]);
    expect(tracked.body.replies['0'].text).toMatch(/Noise Pollution Prevention Law Art 43/);
    expect(tracked.body.replies['0'].rightToReview).toMatch(/《信访工作条例》第三十五条/);
    expect(tracked.body).not.toHaveProperty('petitioner');

    expectSchema(
      await request(stack.app)
        .post(`/v1/track/${trackingCode}/rating`)
        .set('X-Tracking-Pin', pin)
        .send({ actionId: uniqueName('rate'), rating: 'dissatisfied' })
        .expect(200),
    );
    const review = await request(stack.app)
      .post(`/v1/track/${trackingCode}/review-request`)
      .set('X-Tracking-Pin', pin)
      .send({ actionId: uniqueName('rev'), reason: 'The work continues.' })
      .expect(200);
    expect(expectSchema(review).stage).toBe('review_requested');
    const detail = await eventually(async () => {
      const r = await office.get(path);
      return r.body.stage === 'review_requested' ? r : undefined;
    });
    expectSchema(detail);
    expect(detail.body.units).toContain('330000-BGT');
    const types = detail.body.timeline.map((t: { type: string }) => t.type);
    expect(types.filter((t: string) => t === 'acknowledged')).toHaveLength(1);
    expect(types).toEqual(
      expect.arrayContaining([
        'transferred',
        'acknowledged',
        'accepted',
        'result_submitted',
        'reply_delivered',
        'rated',
        'review_requested',
      ]),
    );
  });

  it('throttles wrong PINs with 429 and Retry-After', async () => {
    const intake = await as(stack.keys.intake!)
      .post('/v1/cases', { ...complaint, subject: uniqueName('pin') })
      .expect(201);
    expectSchema(intake);
    await eventually(async () => (await stack.store.cases.findById(intake.body.caseId)) !== null);
    for (let i = 0; i < 5; i++) {
      await request(stack.app).get(`/v1/track/${intake.body.trackingCode}`).set('X-Tracking-Pin', '000000').expect(404);
    }
    const locked = await request(stack.app)
      .get(`/v1/track/${intake.body.trackingCode}`)
      .set('X-Tracking-Pin', intake.body.pin)
      .expect(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('names the field and rule of an invalid action body', async () => {
    const res = await as(stack.keys.office!)
      .post('/v1/cases/01ARZ3NDEKTSV4RRFFQ69G5FAV/acceptance', { actionId: 'short', decision: 'maybe' })
      .expect(400);
    expect(res.body.errors[0].field).toMatch(/^body\./);
  });

  it('refuses an unknown action in the order of its checks: role, case ID, action, then body', async () => {
    const caseId = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
    const en = (key: string, path: string) =>
      request(stack.app)
        .post(path)
        .set('Authorization', `Bearer ${key}`)
        .set('Accept-Language', 'en')
        .send({ nonsense: true });
    await en(stack.keys.intake!, `/v1/cases/${caseId}/frobnicate`).expect(403);
    await en(stack.keys.office!, '/v1/cases/not-a-case/frobnicate').expect(400);
    const unknown = await en(stack.keys.office!, `/v1/cases/${caseId}/frobnicate`).expect(404);
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(unknown.body.detail).toMatch(/^no action frobnicate; actions: acceptance, acknowledgement, .*service$/);
    // A known action reads its body.
    await en(stack.keys.office!, `/v1/cases/${caseId}/acceptance`).expect(400);
  });

  it('refuses an action a petitioner cannot take before the PIN, and a wrong PIN before the body', async () => {
    const unknown = await request(stack.app)
      .post('/v1/track/not-a-code/acceptance')
      .set('Accept-Language', 'en')
      .send({ nonsense: true })
      .expect(404);
    expect(unknown.body.detail).toBe('petitioners may post rating, review-request, withdrawal, supplement');
    const intake = await as(stack.keys.intake!)
      .post('/v1/cases', { ...complaint, subject: uniqueName('order') })
      .expect(201);
    const { trackingCode, pin } = expectSchema<{ trackingCode: string; pin: string }>(intake);
    const wrong = pin === '000000' ? '111111' : '000000';
    await request(stack.app)
      .post(`/v1/track/${trackingCode}/withdrawal`)
      .set('X-Tracking-Pin', wrong)
      .send({ nonsense: true })
      .expect(404);
    await request(stack.app)
      .post(`/v1/track/${trackingCode}/withdrawal`)
      .set('X-Tracking-Pin', pin)
      .send({ nonsense: true })
      .expect(400);
  });

  it('answers an action whose case ends while its Update is in flight as one on an ended case: 409', async () => {
    // A stand-in case workflow that accepts the acknowledgement, never answers it, and completes.
    const { worker, taskQueue, temporal } = await testWorkflowWorker(
      require.resolve('./env/ending-workflow'),
      'ending',
    );
    const caseId = newCaseId(Date.now(), randomBytes(16));
    const office = as(stack.keys.office!);
    const path = `/v1/cases/${caseId}/acknowledgement`;
    const body = { actionId: uniqueName('ack') };
    try {
      const [inFlight, retried, ended] = await worker.runUntil(async () => {
        const handle = await temporal.client.workflow.start(endsDuringUpdate, {
          taskQueue,
          workflowId: caseWorkflowId(caseId),
          typedSearchAttributes: [{ key: CaseStage, value: 'withdrawn' }],
        });
        const first = await office.post(path, body);
        await handle.result();
        // The same request again, and another action on the case now that it has ended.
        return [first, await office.post(path, body), await office.post(path, { actionId: uniqueName('ack') })];
      });
      const problem = (res: request.Response) => ({ status: res.status, body: { ...res.body, instance: undefined } });
      expect(problem(ended)).toEqual({
        status: 409,
        body: expect.objectContaining({ status: 409, stage: 'withdrawn' }),
      });
      expect(problem(inFlight)).toEqual(problem(ended));
      expect(problem(retried)).toEqual(problem(ended));
    } finally {
      await temporal.close();
    }
  });
});
