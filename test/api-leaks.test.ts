/**
 * Issue 12 item 10: smaller leaks and hygiene. Departments do not read the accused unit in timeline reasons; answers
 * that carry identities, PINs, keys or replies are never cached; duplicate JSON keys, invisible names and texts are
 * refused and bidi overrides stripped; `application/*+json` is JSON; X-Request-Id is checked; /readyz is cached for
 * a second. (The ended case's 409 is in test/action-ids.test.ts.)
 */
import request from 'supertest';
import { eventually, startCaseStack, transferredReport, type CaseStack } from '../harness/case-stack';
import { noiseComplaint } from '../harness/case-start';
import { uniqueName } from '../harness/shared-servers';

const DISCIPLINE = '330106-JW';

describe('smaller leaks and hygiene', () => {
  let stack: CaseStack;
  beforeAll(async () => {
    stack = await startCaseStack({ departments: [DISCIPLINE] });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const as = (key: string) => ({
    get: (path: string) => request(stack.app).get(path).set('Authorization', `Bearer ${key}`),
    post: (path: string) => request(stack.app).post(path).set('Authorization', `Bearer ${key}`),
  });
  const intake = () => as(stack.keys.intake!).post('/v1/cases').set('Idempotency-Key', uniqueName('idem'));
  const complaint = (overrides: Record<string, unknown> = {}) => ({
    ...noiseComplaint,
    subject: uniqueName('noise'),
    ...overrides,
  });

  it('departments do not read the accused unit in timeline reasons', async () => {
    const caseId = await transferredReport(stack);
    const path = `/v1/cases/${caseId}`;
    const office = await eventually(async () => {
      const res = await as(stack.keys.office!).get(path);
      return res.body.timeline?.some((t: { type: string }) => t.type === 'transferred') ? res : undefined;
    });
    // The office reads why: the report accuses 330106-GA.
    expect(JSON.stringify(office.body.timeline)).toMatch(/330106-GA/);
    const unit = await eventually(async () => {
      const res = await as(stack.keys[`dept:${DISCIPLINE}`]!).get(path);
      return res.status === 200 ? res : undefined;
    });
    expect(unit.body.timeline.map((t: { type: string }) => t.type)).toContain('transferred');
    expect(JSON.stringify(unit.body)).not.toMatch(/330106-GA|西湖区公安分局/);
    expect(JSON.stringify(unit.body.timeline)).toMatch(/被检举单位不予显示/);
  });

  it('Cache-Control: no-store on every answer that carries identities, PINs, keys or replies', async () => {
    const created = await intake().send(complaint()).expect(201);
    const { caseId, trackingCode, pin } = created.body;
    await eventually(async () => (await stack.store.cases.findById(caseId).lean())?.progressVersion);
    const answers = [
      created,
      await as(stack.keys.office!).get(`/v1/cases/${caseId}`).expect(200),
      await request(stack.app).get(`/v1/track/${trackingCode}`).set('X-Tracking-Pin', pin).expect(200),
      await request(stack.app)
        .post('/open311/v2/requests.json')
        .set('Authorization', `Bearer ${stack.keys.intake}`)
        .send({ service_code: 'environment', description: uniqueName('Noise'), jurisdiction_id: '330106' })
        .expect(201),
      await as(stack.keys.admin!)
        .post('/v1/admin/api-keys')
        .send({ role: 'intake', label: uniqueName('desk') })
        .expect(201),
      await as(stack.keys.office!).get(`/v1/cases/${caseId}x`).expect(400),
    ];
    expect(answers.map((res) => res.headers['cache-control'])).toEqual(answers.map(() => 'no-store'));
    // Each may be written in the caller's language (deadline texts, notices' titles, problem details).
    expect(answers.map((res) => res.headers.vary)).toEqual(answers.map(() => expect.stringMatching(/Accept-Language/)));
  });

  it('duplicate JSON keys are refused with 400, at any depth and however the key is spelled', async () => {
    const body = JSON.stringify(complaint());
    for (const raw of [
      body.replace('{', '{"channel":"letter",'),
      body.replace('"name":', '"name":"假名","name":'),
      body.replace('{', '{"s\\u0075bject":"other",'),
    ]) {
      const res = await intake().set('Content-Type', 'application/json').send(raw);
      expect([raw.slice(0, 40), res.status]).toEqual([raw.slice(0, 40), 400]);
      expect(res.body.detail).toMatch(/键“(channel|name|subject)”重复/);
    }
  });

  it('names and texts made only of invisible or control characters are refused; bidi overrides are stripped', async () => {
    for (const [field, value] of [
      ['petitioner.name', '\u200b\u200c\u2060'],
      ['subject', '\u202e\u2066\u2069'],
      ['content', '\u0007\u0001 \u00ad'],
      ['petitioner.name', '\u3164'],
    ] as const) {
      const overrides =
        field === 'petitioner.name'
          ? { petitioner: { ...noiseComplaint.petitioner, name: value } }
          : { [field]: value };
      const res = await intake().send(complaint(overrides));
      expect([field, JSON.stringify(value), res.status]).toEqual([field, JSON.stringify(value), 400]);
      expect(res.body.errors[0].field).toBe(`body.${field}`);
    }
    const subject = `${uniqueName('Noise')} \u202eevil\u202c at \u2066night\u2069`;
    const created = await intake().send(complaint({ subject })).expect(201);
    const record = await eventually(async () => stack.store.cases.findById(created.body.caseId).lean());
    expect(record.subject).toBe(subject.replace(/[\u202a-\u202e\u2066-\u2069]/g, ''));
  });

  it('application/*+json bodies are parsed as JSON', async () => {
    for (const type of ['application/vnd.xinfang+json', 'application/merge-patch+json; charset=utf-8']) {
      const res = await intake().set('Content-Type', type).send(JSON.stringify(complaint()));
      expect([type, res.status]).toEqual([type, 201]);
    }
  });

  it('X-Request-Id is kept when it is a sane ID and replaced when it is not', async () => {
    const kept = await request(stack.app).get('/healthz').set('X-Request-Id', 'req-abc_123.4:5').expect(200);
    expect(kept.headers['x-request-id']).toBe('req-abc_123.4:5');
    for (const bad of ['x'.repeat(200), '<script>alert(1)</script>', 'id with spaces', 'caf\u00e9']) {
      const res = await request(stack.app).get('/healthz').set('X-Request-Id', bad).expect(200);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('/readyz is cached for a second', async () => {
    const app = stack.replica();
    const asked = jest.spyOn(stack.client.workflowService, 'getSystemInfo');
    try {
      const first = Date.now();
      for (let i = 0; i < 5; i++) await request(app).get('/readyz').expect(200);
      const calls = asked.mock.calls.length;
      expect(Date.now() - first).toBeLessThan(1_000);
      expect(calls).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await request(app).get('/readyz').expect(200);
      expect(asked.mock.calls.length).toBe(2);
    } finally {
      asked.mockRestore();
    }
  });
});
