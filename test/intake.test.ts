import request from 'supertest';
import { caseWorkflowId } from '../domain/ids';
import { caseViewQuery } from '../workflows/messages';
import { eventually, startCaseStack, type CaseStack } from '../harness/case-stack';
import { uniqueName } from '../harness/shared-servers';
import { expectSchema } from './env/schemas';

const letter = {
  channel: 'letter',
  kind: 'complaint',
  subject: 'Construction noise at night',
  content: 'The site on Wensan Road works past midnight.',
  regionCode: '330106',
  category: 'environment',
  petitioner: { name: '李四', phone: '13912345678', idNumber: '330106199001011234' },
};

describe('registering a case end to end (API → Temporal → MongoDB)', () => {
  let stack: CaseStack;
  beforeAll(async () => {
    stack = await startCaseStack({ departments: ['330106-GA'] });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const post = (key: string) => request(stack.app).post('/v1/cases').set('Authorization', `Bearer ${key}`);

  it('registers a letter, writes its record, and answers with codes and the first deadline', async () => {
    const res = await post(stack.keys.intake!).send(letter).expect(201);
    expectSchema(res);
    expect(res.headers.location).toBe(`/v1/cases/${res.body.caseId}`);
    expect(res.body).toMatchObject({ stage: 'registered', profileId: 'zhejiang' });
    expect(res.body.trackingCode).toMatch(/^[0-9A-Z]{12}$/);
    expect(res.body.pin).toMatch(/^\d{6}$/);
    expect(res.body.deadlines[0]).toMatchObject({ clock: 'dispose', unit: 'working_days', length: 5 });
    expect(res.body.deadlines[0].dueAt).toMatch(/T00:00:00\+08:00$/);

    const read = await eventually(async () => {
      const r = await request(stack.app)
        .get(`/v1/cases/${res.body.caseId}`)
        .set('Authorization', `Bearer ${stack.keys.intake}`);
      return r.status === 200 && !r.body.recordPending && r.body.timeline.length >= 2 ? r : undefined;
    });
    expectSchema(read);
    expect(read.body).toMatchObject({
      caseId: res.body.caseId,
      caseNumber: res.body.caseNumber,
      subject: letter.subject,
      petitioner: { name: '李四' },
      stage: 'registered',
    });
    expect(read.body.timeline.map((t: { type: string }) => t.type)).toEqual(['registered', 'dispose_clock_started']);
    expect(read.body.deadlines[0].clock).toBe('dispose');
    expect(read.body.source).toBe('workflow');

    const view = await stack.client.workflow.getHandle(caseWorkflowId(res.body.caseId)).query(caseViewQuery);
    expect(view).toMatchObject({ stage: 'registered', profileId: 'zhejiang' });
    expect(view.clocks.map((c) => c.clock)).toEqual(['dispose']);
  });

  it('gives one case for the same Idempotency-Key twice, and 409 for the same key with another body', async () => {
    const key = uniqueName('idem');
    const first = await post(stack.keys.intake!).set('Idempotency-Key', key).send(letter).expect(201);
    const second = await post(stack.keys.intake!).set('Idempotency-Key', key).send(letter).expect(200);
    expectSchema(first);
    expectSchema(second);
    expect(second.body).toEqual(first.body);
    const conflict = await post(stack.keys.intake!)
      .set('Idempotency-Key', key)
      .send({ ...letter, subject: 'Another matter' })
      .expect(409);
    expect(conflict.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(conflict.body.detail).toMatch(/Idempotency-Key/);
    const runs = stack.client.workflow.list({ query: `WorkflowId = '${caseWorkflowId(first.body.caseId)}'` });
    let count = 0;
    for await (const _ of runs) count += 1;
    expect(count).toBe(1);
  });

  it('answers 400 naming the field and the rule for an invalid body', async () => {
    const res = await post(stack.keys.intake!)
      .send({ ...letter, regionCode: '33010', representatives: Array(6).fill({ name: 'x' }) })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.regionCode', 'body.representatives']));
    expect(res.body.errors.find((e: { field: string }) => e.field === 'body.regionCode').message).toBe(
      '须为6位行政区划代码',
    );
  });

  it('names an unknown case in the caller’s language (404)', async () => {
    const missing = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
    const zh = await request(stack.app)
      .get(`/v1/cases/${missing}`)
      .set('Authorization', `Bearer ${stack.keys.office}`)
      .expect(404);
    expect(zh.body).toMatchObject({ title: '未找到', detail: `未找到案件${missing}` });
    const en = await request(stack.app)
      .get(`/v1/cases/${missing}`)
      .set('Authorization', `Bearer ${stack.keys.office}`)
      .set('Accept-Language', 'en')
      .expect(404);
    expect(en.body).toMatchObject({ title: 'Not Found', detail: `case ${missing} not found` });
  });

  it('answers a bad resident ID number in the caller’s language, with the same field and rule', async () => {
    const body = { ...letter, petitioner: { ...letter.petitioner, idNumber: '33010619900101' } };
    const zh = await post(stack.keys.intake!).send(body).expect(400);
    const error = { field: 'body.petitioner.idNumber', rule: 'invalid_format' };
    expect(zh.body.errors).toEqual([{ ...error, message: '须为18位公民身份号码' }]);
    const en = await post(stack.keys.intake!).set('Accept-Language', 'en').send(body).expect(400);
    expect(en.body.errors).toEqual([{ ...error, message: 'must be an 18-character resident ID number' }]);
    expect(en.body.detail).toBe('body.petitioner.idNumber: must be an 18-character resident ID number');
  });

  it('refuses a request without a key (401) and a department key (403)', async () => {
    await request(stack.app).post('/v1/cases').send(letter).expect(401);
    const unknown = await request(stack.app)
      .get('/v1/cases/01ARZ3NDEKTSV4RRFFQ69G5FAV')
      .set('Authorization', 'Bearer nope')
      .expect(401);
    expect(unknown.body.title).toBe('未通过身份认证');
    const english = await request(stack.app)
      .get('/v1/cases/01ARZ3NDEKTSV4RRFFQ69G5FAV')
      .set('Authorization', 'Bearer nope')
      .set('Accept-Language', 'en-GB, en;q=0.9, zh;q=0.5')
      .expect(401);
    expect(english.body.title).toBe('Unauthorized');
    const department = await post(stack.keys['dept:330106-GA']!).send(letter).expect(403);
    expect(department.body.detail).toBe('此接口仅限intake或office密钥使用，不接受department密钥');
  });

  it('shows a case only to the intake key that registered it', async () => {
    const res = await post(stack.keys.intake!)
      .send({ ...letter, subject: uniqueName('own') })
      .expect(201);
    expectSchema(res);
    await eventually(async () => (await stack.store.cases.findById(res.body.caseId)) !== null);
    await request(stack.app)
      .get(`/v1/cases/${res.body.caseId}`)
      .set('Authorization', `Bearer ${stack.keys.intake2}`)
      .expect(404);
  });

  it('finds the case by CaseStage in a Temporal visibility query', async () => {
    const res = await post(stack.keys.intake!)
      .send({ ...letter, subject: uniqueName('visible') })
      .expect(201);
    expectSchema(res);
    const query = `CaseStage = 'registered' AND CaseRegion = '330106' AND WorkflowId = '${caseWorkflowId(res.body.caseId)}'`;
    const found = await eventually(async () => {
      for await (const execution of stack.client.workflow.list({ query })) return execution;
      return undefined;
    });
    expect(found.searchAttributes).toBeDefined();
    expect(found.typedSearchAttributes.get({ name: 'CaseKind', type: 'KEYWORD' } as never)).toBe('complaint');
  });
});
