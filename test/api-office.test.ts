import { addLocalDays, localDateOf } from '../domain/calendar';
import request from 'supertest';
import { expectSchema } from './env/schemas';
import { eventually, startCaseStack, type CaseStack } from '../harness/case-stack';
import { noiseComplaint } from '../harness/case-start';
import { uniqueName } from '../harness/shared-servers';

const base = noiseComplaint;

interface Item {
  caseId: string;
  registeredAt: string;
  stage: string;
  units: string[];
  nextDeadlineAt: string | null;
  nextDeadline: { dueAt: string } | null;
}

describe('office list and unit inboxes', () => {
  let stack: CaseStack;
  const as = (key: string) => ({
    post: (path: string, body: object) =>
      request(stack.app).post(path).set('Authorization', `Bearer ${key}`).send(body),
    get: (path: string) => request(stack.app).get(path).set('Authorization', `Bearer ${key}`),
  });
  const office = () => as(stack.keys.office!);

  async function register(overrides: object = {}): Promise<string> {
    const res = await as(stack.keys.intake!)
      .post('/v1/cases', { ...base, subject: uniqueName('case'), ...overrides })
      .expect(201);
    const caseId = res.body.caseId as string;
    await eventually(async () => (await stack.store.cases.findById(caseId).lean())?.deadlines?.length);
    return caseId;
  }

  async function transfer(caseId: string): Promise<void> {
    await office()
      .post(`/v1/cases/${caseId}/acceptance`, { actionId: uniqueName('acc'), decision: 'accept' })
      .expect(200);
    await eventually(async () => (await stack.store.cases.findById(caseId).lean())?.stage === 'transferred');
  }

  /** Every page of a list, following nextCursor. */
  async function allPages(key: string, path: string, limit: number): Promise<{ items: Item[]; pages: number }> {
    const items: Item[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `${path}${path.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await as(key).get(url).expect(200);
      expectSchema(res);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      items.push(...(res.body.items as Item[]));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    return { items, pages };
  }

  // Cases of this suite (its own database), by what they are.
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    stack = await startCaseStack({ departments: ['330100-HB', '330106-GA', '330106-JW'] });
    // Registered one after another so registeredAt orders them.
    ids.registered = await register();
    ids.hbFirst = await register();
    ids.hbSecond = await register();
    ids.hbAccepted = await register();
    ids.nanjing = await register({ regionCode: '320102', category: 'public_security' });
    ids.report = await register({
      kind: 'report',
      category: 'misconduct',
      petitioner: { name: '李四', phone: '13900000001', idNumber: '330106199001011234' },
      accused: { units: ['330106-ZJ'], persons: ['某科长'] },
    });
    ids.urgent = await register({ urgent: true });
    ids.group = await register({ groupSize: 6 });
    // Received three weeks ago: its 5-working-day dispose clock has run out, so the office supervises it at once.
    ids.late = await register({ receivedAt: new Date(Date.now() - 21 * 86_400_000).toISOString() });

    for (const id of [ids.hbFirst, ids.hbSecond, ids.hbAccepted, ids.report]) await transfer(id);
    const hb = as(stack.keys['dept:330100-HB']!);
    await hb.post(`/v1/cases/${ids.hbAccepted}/acknowledgement`, { actionId: uniqueName('ack') }).expect(200);
    await hb
      .post(`/v1/cases/${ids.hbAccepted}/acceptance`, { actionId: uniqueName('acc'), decision: 'accept' })
      .expect(200);
    await eventually(async () => {
      const [accepted, late] = await Promise.all([
        stack.store.cases.findById(ids.hbAccepted).lean(),
        stack.store.cases.findById(ids.late).lean(),
      ]);
      return accepted?.stage === 'handling' && late?.overdue === true;
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('pages through every case, newest first, without duplicates or gaps', async () => {
    const { items, pages } = await allPages(stack.keys.office!, '/v1/cases', 2);
    const all = Object.values(ids);
    expect(pages).toBe(Math.ceil(all.length / 2));
    expect(items.map((i) => i.caseId).sort()).toEqual([...all].sort());
    const keys = items.map((i) => `${i.registeredAt}|${i.caseId}`);
    expect(keys).toEqual([...keys].sort().reverse());
    // The list is no place for identities.
    for (const item of items) {
      expect(item).not.toHaveProperty('petitioner');
      expect(item).not.toHaveProperty('content');
    }
    expect(items[0]).toEqual(
      expect.objectContaining({
        caseId: ids.late,
        caseNumber: expect.stringMatching(/^XF-330106-/),
        kind: 'complaint',
        category: 'environment',
        regionCode: '330106',
        subject: expect.any(String),
        stage: 'registered',
        escalationLevel: expect.any(Number),
        overdue: true,
      }),
    );
  });

  it('filters by stage, unit, kind, region, overdue, urgency, group, escalation level and registration time', async () => {
    const list = async (query: string) =>
      expectSchema<{ items: Item[] }>(await office().get(`/v1/cases?${query}`).expect(200))
        .items.map((i) => i.caseId)
        .sort();
    const sorted = (...names: string[]) => names.map((n) => ids[n]!).sort();

    expect(await list('stage=transferred')).toEqual(sorted('hbFirst', 'hbSecond', 'report'));
    expect(await list('unit=330100-HB')).toEqual(sorted('hbFirst', 'hbSecond', 'hbAccepted'));
    expect(await list('unit=330100-HB&stage=handling')).toEqual(sorted('hbAccepted'));
    expect(await list('kind=report')).toEqual(sorted('report'));
    expect(await list('regionCode=320102')).toEqual(sorted('nanjing'));
    expect(await list('overdue=true')).toEqual(sorted('late'));
    expect(await list('overdue=false')).not.toContain(ids.late);
    expect(await list('urgent=true')).toEqual(sorted('urgent'));
    expect(await list('group=true')).toEqual(sorted('group'));
    expect(await list('group=false')).not.toContain(ids.group);
    expect(await list('escalationLevel=1')).toEqual(sorted('late'));
    expect((await list('escalationLevel=0')).length).toBe(Object.keys(ids).length);

    const docs = await stack.store.cases.find({}, { registeredAt: 1 }).sort({ registeredAt: 1 }).lean();
    const third = docs[2]!.registeredAt!.toISOString();
    const fromThird = docs
      .slice(2)
      .map((d) => d._id)
      .sort();
    expect(await list(`from=${encodeURIComponent(third)}`)).toEqual(fromThird);
    expect(await list(`to=${encodeURIComponent(third)}`)).toEqual(
      docs
        .slice(0, 2)
        .map((d) => d._id)
        .sort(),
    );
    // Dates are whole days in Asia/Shanghai.
    const today = localDateOf(new Date().toISOString());
    const yesterday = addLocalDays(today, -1);
    expect((await list(`from=${today}&to=${today}`)).length).toBe(Object.keys(ids).length);
    expect(await list(`to=${yesterday}`)).toEqual([]);
  });

  it('pages a filtered list too', async () => {
    const { items } = await allPages(stack.keys.office!, '/v1/cases?unit=330100-HB', 1);
    expect(items.map((i) => i.caseId).sort()).toEqual([ids.hbFirst, ids.hbSecond, ids.hbAccepted].sort());
  });

  it('answers 400 naming the query field, and takes no operators from the query', async () => {
    const field = async (query: string) => {
      const res = await office().get(`/v1/cases?${query}`).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      return res.body.errors[0].field as string;
    };
    expect(await field('limit=0')).toBe('query.limit');
    expect(await field('limit=101')).toBe('query.limit');
    expect(await field('limit=ten')).toBe('query.limit');
    expect(await field('overdue=yes')).toBe('query.overdue');
    expect(await field('stage=lost')).toBe('query.stage');
    expect(await field('unit=HB')).toBe('query.unit');
    expect(await field('escalationLevel=-1')).toBe('query.escalationLevel');
    expect(await field('from=last-week')).toBe('query.from');
    expect(await field('cursor=not-a-cursor')).toBe('query.cursor');
    // A repeated parameter is a list, not a value; bracket syntax is no object either.
    expect(await field('stage=registered&stage=transferred')).toBe('query.stage');
    expect(await field('stage[$ne]=closed')).toBe('query');
    const forged = Buffer.from(JSON.stringify({ t: { $gt: '' }, i: 'x' })).toString('base64url');
    expect(await field(`cursor=${forged}`)).toBe('query.cursor');
  });

  it('lists cases for the office only', async () => {
    await as(stack.keys['dept:330100-HB']!).get('/v1/cases').expect(403);
    await as(stack.keys.intake!).get('/v1/cases').expect(403);
    await as(stack.keys.admin!).get('/v1/cases').expect(403);
    await request(stack.app).get('/v1/cases').expect(401);
  });

  it('shows a unit its open cases, nearest deadline first, each with that deadline', async () => {
    const res = await as(stack.keys['dept:330100-HB']!).get('/v1/units/330100-HB/inbox').expect(200);
    const items = expectSchema<{ items: Item[] }>(res).items;
    expect(res.body.unitCode).toBe('330100-HB');
    expect(items.map((i) => i.caseId).sort()).toEqual([ids.hbFirst, ids.hbSecond, ids.hbAccepted].sort());
    const dueAts = items.map((i) => Date.parse(i.nextDeadlineAt!));
    expect(dueAts).toEqual([...dueAts].sort((a, b) => a - b));
    // Acknowledged and accepted, its acknowledge clock stopped: its next deadline lies later than the others'.
    expect(items.at(-1)!.caseId).toBe(ids.hbAccepted);
    expect(dueAts.at(-1)!).toBeGreaterThan(dueAts[0]!);
    for (const item of items) {
      expect(item.nextDeadline).toEqual(
        expect.objectContaining({ clock: expect.any(String), explanation: expect.any(Object) }),
      );
      expect(Date.parse(item.nextDeadline!.dueAt)).toBe(Date.parse(item.nextDeadlineAt!));
    }

    const paged = await allPages(stack.keys['dept:330100-HB']!, '/v1/units/330100-HB/inbox', 1);
    expect(paged.items.map((i) => i.caseId)).toEqual(items.map((i) => i.caseId));
  });

  it('keeps cases that have ended out of the inbox', async () => {
    const id = await register();
    await transfer(id);
    const hb = as(stack.keys['dept:330100-HB']!);
    const before = expectSchema<{ items: Item[] }>(await hb.get('/v1/units/330100-HB/inbox').expect(200)).items;
    expect(before.map((i) => i.caseId)).toContain(id);
    await office()
      .post(`/v1/cases/${id}/withdrawal`, { actionId: uniqueName('wd'), reason: 'resolved' })
      .expect(200);
    await eventually(async () => (await stack.store.cases.findById(id).lean())?.stage === 'withdrawn');
    const after = expectSchema<{ items: Item[] }>(await hb.get('/v1/units/330100-HB/inbox').expect(200)).items;
    expect(after.map((i) => i.caseId)).not.toContain(id);
  });

  it('opens an inbox to its own department and the office only', async () => {
    const matrix: [string, string, number][] = [
      ['dept:330100-HB', '330100-HB', 200],
      ['dept:330100-HB', '330106-GA', 404],
      ['dept:330106-GA', '330106-GA', 200],
      ['dept:330106-GA', '330100-HB', 404],
      ['office', '330100-HB', 200],
      ['office', '330106-GA', 200],
      ['office', '330199-NONE', 404],
      ['intake', '330100-HB', 403],
      ['admin', '330100-HB', 403],
    ];
    for (const [key, unit, status] of matrix) {
      const res = await as(stack.keys[key]!).get(`/v1/units/${unit}/inbox`);
      expect({ key, unit, status: res.status }).toEqual({ key, unit, status });
    }
    await request(stack.app).get('/v1/units/330100-HB/inbox').expect(401);
    const bad = await office().get('/v1/units/hb/inbox').expect(400);
    expect(bad.body.errors[0].field).toBe('params.unitCode');
    const badLimit = await office().get('/v1/units/330100-HB/inbox?limit=500').expect(400);
    expect(badLimit.body.errors[0].field).toBe('query.limit');
  });

  it("never shows a reporter's identity in an inbox", async () => {
    const res = await as(stack.keys['dept:330106-JW']!).get('/v1/units/330106-JW/inbox').expect(200);
    const items = expectSchema<{ items: unknown[] }>(res).items as (Item & Record<string, unknown>)[];
    expect(items.map((i) => i.caseId)).toEqual([ids.report]);
    expect(items[0]).not.toHaveProperty('petitioner');
    expect(items[0]).not.toHaveProperty('representatives');
    expect(items[0]).not.toHaveProperty('accused');
    const text = JSON.stringify(res.body);
    for (const secret of ['李四', '13900000001', '330106199001011234', '某科长']) expect(text).not.toContain(secret);
  });
});
