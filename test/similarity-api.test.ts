/**
 * The office's similarity reads through the API, on cases registered through intake: the workflow's recordCase
 * activity indexes each case, the office asks for a case's likely repeats and for the district's hotspots.
 */
import request from 'supertest';
import { expectSchema } from './env/schemas';
import { eventually, startCaseStack, type CaseStack } from '../harness/case-stack';
import { uniqueName } from '../harness/shared-servers';
import { siteLetters } from './fixtures/hotspot-letters';

describe('repeat candidates and hotspots through the API', () => {
  let stack: CaseStack;
  const get = (key: string, path: string) => request(stack.app).get(path).set('Authorization', `Bearer ${key}`);
  let phone = 13_600_000_000;

  beforeAll(async () => {
    stack = await startCaseStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** Registers a letter and waits until its record is written and indexed. */
  async function register(letter: { subject: string; content: string; category?: string }): Promise<string> {
    phone += 1;
    const res = await request(stack.app)
      .post('/v1/cases')
      .set('Authorization', `Bearer ${stack.keys.intake!}`)
      .set('Idempotency-Key', uniqueName('similar'))
      .send({
        channel: 'online',
        kind: 'complaint',
        category: 'environment',
        regionCode: '330106',
        petitioner: { name: '赵六', phone: String(phone) },
        ...letter,
      })
      .expect(201);
    const caseId = res.body.caseId as string;
    await eventually(async () => (await stack.store.cases.findById(caseId).lean())?.deadlines?.length);
    return caseId;
  }

  const site = siteLetters(8);
  const ids: string[] = [];

  it('ranks an earlier letter about the same site first, and a letter about another site below the line', async () => {
    ids.push(await register(site[0]!));
    const otherSite = await register({
      subject: '夜间施工噪音扰民',
      content: '留下街道西溪华府二期工地最近每天晚上十点以后还在施工，切割钢筋的声音特别刺耳，周边小区居民无法入睡。',
    });
    ids.push(await register(site[1]!));

    const res = await get(stack.keys.office!, `/v1/cases/${ids[1]}/repeat-candidates`).expect(200);
    expectSchema(res);
    expect(res.body.caseId).toBe(ids[1]);
    expect(res.body.candidates[0]).toEqual(
      expect.objectContaining({
        caseId: ids[0],
        likelyRepeat: true,
        exactRepeat: false,
        stage: 'registered',
        open: true,
        ended: false,
        overdue: false,
      }),
    );
    expect(res.body.candidates[0].reasons.sharedTerms).toEqual(expect.arrayContaining(['万科']));
    const other = res.body.candidates.find((c: { caseId: string }) => c.caseId === otherSite);
    expect(other?.likelyRepeat ?? false).toBe(false);
    expect(JSON.stringify(res.body)).not.toMatch(/赵六|1360000/);
  });

  it('answers only the office, with problems for what it cannot answer', async () => {
    await get(stack.keys.intake!, `/v1/cases/${ids[0]}/repeat-candidates`).expect(403);
    await get(stack.keys.office!, '/v1/cases/01KB0000000000000000000000/repeat-candidates').expect(404);
    const bad = await get(stack.keys.office!, `/v1/cases/${ids[0]}/repeat-candidates?withinDays=0`).expect(400);
    expect(bad.type).toBe('application/problem+json');
    await get(stack.keys.office!, '/v1/stats/hotspots?regionPrefix=3301060').expect(400);
    await get(stack.keys.intake!, '/v1/stats/hotspots?regionPrefix=330106').expect(403);
  });

  it('shows the letters about one site as a hotspot once there are enough of them', async () => {
    const before = await get(stack.keys.office!, '/v1/stats/hotspots?regionPrefix=330106').expect(200);
    expectSchema(before);
    expect(before.body).toEqual(expect.objectContaining({ minCases: 5, hotspots: [] }));
    expect(before.body.basis).toMatch(/Xinfang default/);
    for (const letter of site.slice(2, 6)) ids.push(await register(letter));
    const after = await get(stack.keys.office!, '/v1/stats/hotspots?regionPrefix=3301&windowDays=3').expect(200);
    expectSchema(after);
    expect(after.body.hotspots).toHaveLength(1);
    expect(after.body.hotspots[0]).toEqual(
      expect.objectContaining({ count: 6, regionCode: '330106', category: 'environment' }),
    );
    expect([...after.body.hotspots[0].caseIds].sort()).toEqual([...ids].sort());
    expect(JSON.stringify(after.body)).not.toMatch(/赵六|1360000/);
  });
});
