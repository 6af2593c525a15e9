import { addLocalDays, localDateOf } from '../domain/calendar';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { hashKey } from '../store/api-keys';
import { caseWorkflowId } from '../domain/ids';
import { caseViewQuery } from '../workflows/messages';
import { eventually, startCaseStack, type CaseStack } from '../harness/case-stack';
import { uniqueName } from '../harness/shared-servers';
import { expectSchema } from './env/schemas';

type Rules = { rules: { id: string }[] };

const complaint = {
  channel: 'letter',
  kind: 'complaint',
  subject: 'Street vendors block the pavement',
  content: 'Every evening the pavement on Wensan Road is blocked.',
  regionCode: '330106',
  category: 'city_management',
  petitioner: { name: '赵六', phone: '13600000000' },
};

/** What the unit's own system received: the raw body and its signature header. */
interface Delivery {
  body: string;
  signature: string;
}

describe('administration: keys, units, routing rules and the calendar', () => {
  let stack: CaseStack;
  let unitSystem: Server;
  const deliveries: Delivery[] = [];
  /** The unit's webhook secret as last shown by the API. */
  let webhookSecret = '';
  let xihuUrbanManagement: Record<string, string>;

  beforeAll(async () => {
    // The unit's system is a receiver on this machine: the allowlist names its address.
    stack = await startCaseStack({ webhookAllowlist: ['127.0.0.1'] });
    unitSystem = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        deliveries.push({ body, signature: String(req.headers['x-xinfang-signature']) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => unitSystem.listen(0, '127.0.0.1', resolve));
    xihuUrbanManagement = {
      name: '杭州市西湖区城市管理局',
      level: 'county',
      regionCode: '330106',
      parentCode: '330106-BGT',
      role: 'department',
      webhookUrl: `http://127.0.0.1:${(unitSystem.address() as AddressInfo).port}/xinfang`,
    };
  });
  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => unitSystem?.close(resolve));
  });

  const as = (key: string) => ({
    post: (path: string, body: object) =>
      request(stack.app).post(path).set('Authorization', `Bearer ${key}`).send(body),
    put: (path: string, body: object) => request(stack.app).put(path).set('Authorization', `Bearer ${key}`).send(body),
    get: (path: string) => request(stack.app).get(path).set('Authorization', `Bearer ${key}`),
    delete: (path: string) => request(stack.app).delete(path).set('Authorization', `Bearer ${key}`),
  });
  const admin = () => as(stack.keys.admin!);
  const office = () => as(stack.keys.office!);

  /** The field the first validation error names. */
  const field = (res: request.Response) => (res.body.errors as { field: string }[])[0]!.field;

  async function register(body: object): Promise<string> {
    const res = await as(stack.keys.intake!)
      .post('/v1/cases', { ...complaint, subject: uniqueName('case'), ...body })
      .expect(201);
    const caseId = res.body.caseId as string;
    await eventually(async () => (await stack.store.cases.findById(caseId).lean())?.deadlines?.length);
    return caseId;
  }

  it('is for admin keys only', async () => {
    await request(stack.app).get('/v1/admin/units').expect(401);
    const refused = await office().get('/v1/admin/units').expect(403);
    expect(refused.body.detail).toMatch(/admin/);
    await as(stack.keys.intake!).post('/v1/admin/api-keys', { role: 'admin', label: 'me' }).expect(403);
  });

  it('creates a key shown once, lists it without secrets, and refuses it at once when revoked', async () => {
    const created = await admin()
      .post('/v1/admin/api-keys', { role: 'intake', label: 'hotline console 3' })
      .expect(201);
    expectSchema(created);
    const { id, key } = created.body as { id: string; key: string };
    expect(created.body).toEqual(expect.objectContaining({ role: 'intake', label: 'hotline console 3' }));
    expect(created.headers.location).toBe(`/v1/admin/api-keys/${id}`);
    expect((await stack.store.apiKeys.findById(id).lean())?.hash).toBe(hashKey(key));

    // The key works, and is now cached by the API's key ring.
    await as(key)
      .post('/v1/cases', { ...complaint, subject: uniqueName('with-new-key') })
      .expect(201);

    const listed = await admin().get('/v1/admin/api-keys').expect(200);
    expectSchema(listed);
    expect(listed.body.items).toContainEqual(
      expect.objectContaining({ id, role: 'intake', label: 'hotline console 3' }),
    );
    const text = JSON.stringify(listed.body);
    expect(text).not.toContain(key);
    expect(text).not.toContain(hashKey(key));
    expect(text).not.toMatch(/"(hash|key)"/);

    await admin().delete(`/v1/admin/api-keys/${id}`).expect(204);
    const refused = await as(key)
      .post('/v1/cases', { ...complaint, subject: uniqueName('revoked') })
      .expect(401);
    expect(refused.body.detail).toMatch(/无效或已被吊销/);
    const revoked = (await admin().get('/v1/admin/api-keys').expect(200)).body.items.find(
      (k: { id: string }) => k.id === id,
    );
    expect(Date.parse(revoked.revokedAt)).toBeLessThanOrEqual(Date.now());
    // Revoking again changes nothing; an unknown key is 404.
    await admin().delete(`/v1/admin/api-keys/${id}`).expect(204);
    expect(
      (await admin().get('/v1/admin/api-keys')).body.items.find((k: { id: string }) => k.id === id).revokedAt,
    ).toBe(revoked.revokedAt);
    await admin().delete('/v1/admin/api-keys/no-such-key').expect(404);
  });

  it('binds department keys, and only them, to a unit that exists', async () => {
    const missing = await admin().post('/v1/admin/api-keys', { role: 'department', label: 'GA system' }).expect(400);
    expect(field(missing)).toBe('body.unitCode');
    const misplaced = await admin()
      .post('/v1/admin/api-keys', { role: 'office', unitCode: '330106-GA', label: 'office' })
      .expect(400);
    expect(field(misplaced)).toBe('body.unitCode');
    const unknown = await admin()
      .post('/v1/admin/api-keys', { role: 'department', unitCode: '330199-XX', label: 'nobody' })
      .expect(422);
    expect(field(unknown)).toBe('body.unitCode');
    expect(unknown.body.detail).toMatch(/单位330199-XX不在单位名录中/);
    expect(field(await admin().post('/v1/admin/api-keys', { role: 'root', label: 'x' }).expect(400))).toBe('body.role');
    expect(field(await admin().post('/v1/admin/api-keys', { role: 'intake' }).expect(400))).toBe('body.label');

    const created = await admin()
      .post('/v1/admin/api-keys', { role: 'department', unitCode: '330106-GA', label: 'Xihu public security' })
      .expect(201);
    expectSchema(created);
    expect(created.body.unitCode).toBe('330106-GA');
    await as(created.body.key).get('/v1/units/330106-GA/inbox').expect(200);
    await as(created.body.key).get('/v1/units/330100-HB/inbox').expect(404);
  });

  it('saves a unit and shows its webhook secret once', async () => {
    const created = await admin().put('/v1/admin/units/330106-CG', xihuUrbanManagement).expect(201);
    expectSchema(created);
    const secret = created.body.webhookSecret as string;
    expect(secret.length).toBeGreaterThanOrEqual(40);
    expect(created.body).toEqual(
      expect.objectContaining({ code: '330106-CG', parentCode: '330106-BGT', webhookSecretSet: true, level: 'county' }),
    );
    expect((await stack.store.units.findById('330106-CG').lean())?.webhookSecret).toBe(secret);

    const again = await admin()
      .put('/v1/admin/units/330106-CG', { ...xihuUrbanManagement, kinds: ['complaint'] })
      .expect(200);
    expectSchema(again);
    expect(again.body).not.toHaveProperty('webhookSecret');
    expect(again.body.kinds).toEqual(['complaint']);
    expect((await stack.store.units.findById('330106-CG').lean())?.webhookSecret).toBe(secret);

    const listed = await admin().get('/v1/admin/units').expect(200);
    expectSchema(listed);
    expect(listed.body.items).toContainEqual(expect.objectContaining({ code: '330106-CG', webhookSecretSet: true }));
    expect(listed.body.items.length).toBeGreaterThan(20);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(JSON.stringify(listed.body)).not.toContain('webhookSecret"');

    // Without a URL the secret goes; a new URL gets a new secret.
    const { webhookUrl: _url, ...withoutWebhook } = xihuUrbanManagement;
    const plain = await admin().put('/v1/admin/units/330106-CG', withoutWebhook).expect(200);
    expectSchema(plain);
    expect(plain.body.webhookSecretSet).toBe(false);
    expect((await stack.store.units.findById('330106-CG').lean())?.webhookSecret).toBeUndefined();
    const renewed = await admin().put('/v1/admin/units/330106-CG', xihuUrbanManagement).expect(200);
    expectSchema(renewed);
    expect(renewed.body.webhookSecret).toEqual(expect.any(String));
    expect(renewed.body.webhookSecret).not.toBe(secret);
    webhookSecret = renewed.body.webhookSecret;
  });

  it('refuses a unit whose superior is unknown or would close a cycle', async () => {
    const unknownParent = await admin()
      .put('/v1/admin/units/330106-WJ', { ...xihuUrbanManagement, name: '卫健局', parentCode: '330106-NONE' })
      .expect(422);
    expect(field(unknownParent)).toBe('body.parentCode');
    expect(unknownParent.body.detail).toMatch(/上级机关330106-NONE不存在/);
    expect(await stack.store.units.findById('330106-WJ').lean()).toBeNull();

    await admin().put('/v1/admin/units/330106-CG', xihuUrbanManagement).expect(200);
    const cycle = await admin()
      .put('/v1/admin/units/330106-BGT', {
        name: '杭州市西湖区人民政府办公室',
        level: 'county',
        regionCode: '330106',
        parentCode: '330106-CG',
        role: 'general_office',
      })
      .expect(422);
    expect(field(cycle)).toBe('body.parentCode');
    expect(cycle.body.detail).toMatch(/上级机关形成循环/);
    expect((await stack.store.units.findById('330106-BGT').lean())?.parentCode).toBe('330100-BGT');

    expect(field(await admin().put('/v1/admin/units/cg', xihuUrbanManagement).expect(400))).toBe('params.unitCode');
    expect(
      field(
        await admin()
          .put('/v1/admin/units/330106-CG', { ...xihuUrbanManagement, level: 'district' })
          .expect(400),
      ),
    ).toBe('body.level');
    expect(
      field(
        await admin()
          .put('/v1/admin/units/330106-CG', { ...xihuUrbanManagement, webhookUrl: 'ftp://x.example' })
          .expect(400),
      ),
    ).toBe('body.webhookUrl');
    const { name: _name, ...nameless } = xihuUrbanManagement;
    expect(field(await admin().put('/v1/admin/units/330106-CG', nameless).expect(400))).toBe('body.name');
  });

  it('replaces the routing rules, and the next case follows them', async () => {
    await admin().put('/v1/admin/units/330106-CG', xihuUrbanManagement).expect(200);
    const before = expectSchema<Rules>(await admin().get('/v1/admin/routing-rules').expect(200)).rules;
    expect(before.map((r) => r.id)).toContain('labour-3301');

    // Before: no rule knows city management, so the district government's general office takes it.
    const early = await register({});
    const routedEarly = await office()
      .post(`/v1/cases/${early}/acceptance`, { actionId: uniqueName('acc'), decision: 'accept' })
      .expect(200);
    expect(routedEarly.body.stage).toBe('transferred');
    await eventually(async () => (await stack.store.cases.findById(early).lean())?.units?.[0] === '330106-BGT');

    const rules = [
      ...before.filter((r) => r.id !== 'labour-3301'),
      { id: 'city-management-330106', categories: ['city_management'], regionPrefix: '330106', unitCode: '330106-CG' },
    ];
    const saved = await admin().put('/v1/admin/routing-rules', { rules }).expect(200);
    expectSchema(saved);
    expect(saved.body.rules).toEqual(rules);
    const after = expectSchema<Rules>(await admin().get('/v1/admin/routing-rules').expect(200)).rules;
    expect(after.map((r) => r.id)).toEqual(rules.map((r) => r.id));

    const late = await register({});
    await office()
      .post(`/v1/cases/${late}/acceptance`, { actionId: uniqueName('acc'), decision: 'accept' })
      .expect(200);
    const record = await eventually(async () => {
      const doc = await stack.store.cases.findById(late).lean();
      return doc?.stage === 'transferred' ? doc : undefined;
    });
    expect(record.units).toEqual(['330106-CG']);
    const timeline = await stack.store.timeline.find({ caseId: late, type: 'transferred' }).lean();
    expect(JSON.stringify(timeline)).toMatch(/city-management-330106/);

    // The unit's system hears of the transfer, signed with the secret it was shown once.
    const delivery = await eventually(() => Promise.resolve(deliveries.find((d) => d.body.includes(late))));
    expect(delivery.signature).toBe(
      `sha256=${createHmac('sha256', webhookSecret).update(delivery.body).digest('hex')}`,
    );
  });

  it('refuses routing rules that name unknown units or repeat an id', async () => {
    const current = (await admin().get('/v1/admin/routing-rules').expect(200)).body.rules as object[];
    const unknown = await admin()
      .put('/v1/admin/routing-rules', {
        rules: [
          { id: 'a', categories: ['housing'], unitCode: '330106-ZJ' },
          { id: 'b', categories: ['labour'], unitCode: '330106-NONE' },
        ],
      })
      .expect(422);
    expect(field(unknown)).toBe('body.rules.1.unitCode');
    const twice = await admin()
      .put('/v1/admin/routing-rules', {
        rules: [
          { id: 'a', categories: ['housing'], unitCode: '330106-ZJ' },
          { id: 'a', categories: ['labour'], unitCode: '330100-RS' },
        ],
      })
      .expect(400);
    expect(field(twice)).toBe('body.rules.1.id');
    const badCategory = await admin()
      .put('/v1/admin/routing-rules', { rules: [{ id: 'a', categories: ['Housing!'], unitCode: '330106-ZJ' }] })
      .expect(400);
    expect(field(badCategory)).toBe('body.rules.0.categories.0');
    expect((await admin().get('/v1/admin/routing-rules').expect(200)).body.rules).toEqual(current);
  });

  it('loads a calendar year, tells the open cases, and their deadlines move', async () => {
    const caseId = await register({ category: 'environment' });
    const record = (await stack.store.cases.findById(caseId).lean())!;
    const dispose = record.deadlines.find((d) => d.clock === 'dispose')!;
    // The last day of the dispose clock becomes a holiday: the deadline must move past it.
    const lastDay = addLocalDays(localDateOf(dispose.dueAt!), -1);
    const year = Number(lastDay.slice(0, 4));

    const inForce = await admin().get(`/v1/admin/calendar/${year}`);
    const schedule =
      inForce.status === 200
        ? (inForce.body as { holidays: string[]; workdays: string[]; source: string })
        : { holidays: [], workdays: [] };
    if (inForce.status === 200) expect(expectSchema(inForce).source).toMatch(/^chinese-days@/);
    expect(schedule.holidays).not.toContain(lastDay);

    // The case must be visible to Temporal's visibility store before the calendar changes.
    await eventually(async () => {
      for await (const execution of stack.client.workflow.list({
        query: `WorkflowId = '${caseWorkflowId(caseId)}' AND ExecutionStatus = 'Running'`,
      })) {
        return execution.workflowId;
      }
      return undefined;
    });
    const saved = await admin()
      .put(`/v1/admin/calendar/${year}`, { holidays: [...schedule.holidays, lastDay], workdays: schedule.workdays })
      .expect(200);
    expectSchema(saved);
    expect(saved.body).toEqual(expect.objectContaining({ year, source: 'admin' }));
    expect(saved.body.holidays).toContain(lastDay);
    expect(saved.body.openCasesSignalled).toBeGreaterThanOrEqual(1);

    const moved = await eventually(async () => {
      const doc = await stack.store.cases.findById(caseId).lean();
      const now = doc?.deadlines.find((d) => d.clock === 'dispose');
      return now && now.dueAt !== dispose.dueAt ? now : undefined;
    });
    expect(Date.parse(moved.dueAt!)).toBeGreaterThan(Date.parse(dispose.dueAt!));
    expect(JSON.stringify(moved.explanation)).toContain(lastDay);
    const view = await stack.client.workflow.getHandle(caseWorkflowId(caseId)).query(caseViewQuery);
    expect(view.clocks.find((c) => c.clock === 'dispose')?.deadline.dueAt).toBe(moved.dueAt);

    const now = await admin().get(`/v1/admin/calendar/${year}`).expect(200);
    expectSchema(now);
    expect(now.body).toEqual(expect.objectContaining({ year, source: 'admin', loadedAt: expect.any(String) }));
    expect(now.body.holidays).toContain(lastDay);
  });

  it('names the field of an invalid calendar and keeps the year unchanged', async () => {
    const put = (body: object, year = 2030) => admin().put(`/v1/admin/calendar/${year}`, body).expect(400);
    expect(field(await put({ holidays: ['2031-01-01'], workdays: [] }))).toBe('body.holidays.0');
    expect(field(await put({ holidays: ['2030-02-30'], workdays: [] }))).toBe('body.holidays.0');
    // 2030-01-02 is a Wednesday; 2030-01-05 a Saturday.
    expect(field(await put({ holidays: [], workdays: ['2030-01-02'] }))).toBe('body.workdays.0');
    const both = await put({ holidays: ['2030-01-01', '2030-01-05'], workdays: ['2030-01-05'] });
    expect(field(both)).toBe('body.workdays.0');
    expect(both.body.detail).toMatch(/同时被列为节假日和调休工作日/);
    expect(field(await put({ holidays: [] }))).toBe('body.workdays');
    expect(field(await put({ holidays: [], workdays: [] }, 1999))).toBe('params.year');
    expect(field(await admin().put('/v1/admin/calendar/next', { holidays: [], workdays: [] }).expect(400))).toBe(
      'params.year',
    );
    expect(await stack.store.calendarYears.findById(2030).lean()).toBeNull();
    const none = await admin().get('/v1/admin/calendar/2031').expect(404);
    expect(none.body.detail).toMatch(/^没有2031年的节假日安排/);
    const builtIn = await admin().get('/v1/admin/calendar/2025').expect(200);
    expectSchema(builtIn);
    expect(builtIn.body).toEqual(
      expect.objectContaining({ year: 2025, source: expect.stringMatching(/^chinese-days@/) }),
    );
    expect(builtIn.body.holidays).toContain('2025-10-01');
  });
});
