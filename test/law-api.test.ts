/**
 * Rules of the regulation seen through the API on the dev server: joint handling waits for the co-handlers and a
 * re-routed co-handler becomes the lead alone (Art 24), the reply states the request and its legal basis (Art 32),
 * and the admin's dry run of next year's calendar lists the deadlines that would move.
 */
import request from 'supertest';
import { addLocalDays, localDateOf } from '../domain/calendar';
import { builtInCalendarYears } from '../domain/calendar-source';
import { caseWorkflowId } from '../domain/ids';
import * as m from '../workflows/messages';
import { eventually, startCaseStack, type CaseStack } from '../harness/case-stack';
import { uniqueName } from '../harness/shared-servers';

const HB = '330100-HB';
const RS = '330100-RS';
const ZJ = '330106-ZJ';

function petition(overrides: Record<string, unknown> = {}) {
  return {
    channel: 'online',
    kind: 'complaint',
    subject: uniqueName('工地夜间施工'),
    request: '请责令工地夜间停止施工，并公布处理结果。',
    content: '文三路工地每晚施工到凌晨，影响休息。',
    regionCode: '330106',
    category: 'environment',
    petitioner: { name: '测试人丙', phone: '13700000003' },
    ...overrides,
  };
}

describe('the procedure through the API', () => {
  let stack: CaseStack;
  beforeAll(async () => {
    stack = await startCaseStack({ departments: [HB, RS, ZJ] });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const as = (key: string) => ({
    post: (path: string, body: object) =>
      request(stack.app).post(path).set('Authorization', `Bearer ${key}`).send(body),
    put: (path: string, body: object) => request(stack.app).put(path).set('Authorization', `Bearer ${key}`).send(body),
    get: (path: string) => request(stack.app).get(path).set('Authorization', `Bearer ${key}`),
  });
  const office = () => as(stack.keys.office!);
  const unit = (code: string) => as(stack.keys[`dept:${code}`]!);

  async function register(body: Record<string, unknown> = petition()): Promise<string> {
    const res = await as(stack.keys.intake!).post('/v1/cases', body);
    expect(res.status).toBe(201);
    const caseId = res.body.caseId as string;
    await eventually(async () => (await stack.store.cases.findById(caseId).lean())?.progressVersion);
    return caseId;
  }

  async function act(who: ReturnType<typeof as>, caseId: string, action: string, body: object, status = 200) {
    const res = await who.post(`/v1/cases/${caseId}/${action}`, { actionId: uniqueName(action), ...body });
    expect([action, res.status, res.body.detail]).toEqual([action, status, res.body.detail]);
    return res.body as { stage: string; detail: string; errors?: { field: string }[] };
  }

  const view = (caseId: string) => stack.client.workflow.getHandle(caseWorkflowId(caseId)).query(m.caseViewQuery);
  // A supported decision says by when it is carried out (Art 32): here in 30 days.
  const executeBy = addLocalDays(localDateOf(new Date().toISOString()), 30);
  const result = (decision?: string) => ({
    decision,
    factsAndReasons: '现场检查属实，已责令停工。',
    legalBasis: '《中华人民共和国噪声污染防治法》第四十三条',
    ...(decision === 'support' ? { executeBy } : {}),
  });

  it('Art 24: the lead’s result waits for every co-handler’s report', async () => {
    const caseId = await register();
    await act(office(), caseId, 'acceptance', { decision: 'accept', coHandlers: [ZJ] });
    await act(unit(HB), caseId, 'acceptance', { decision: 'accept' });
    const early = await act(unit(HB), caseId, 'result', result('support'), 422);
    expect(early.detail).toMatch(/^办理结果须待协办单位报告：330106-ZJ（应于\d{4}年\d{1,2}月\d{1,2}日前报告）/);
    await act(unit(ZJ), caseId, 'result', { factsAndReasons: '住建部门已核查施工许可。' });
    await act(unit(HB), caseId, 'result', result('support'));
    expect((await view(caseId)).stage).toBe('reply_delivered');
  });

  it('Art 24: a co-handler the case is re-routed to becomes the lead and leaves the co-handlers', async () => {
    const caseId = await register();
    await act(office(), caseId, 'acceptance', { decision: 'accept', coHandlers: [RS] });
    await act(unit(HB), caseId, 'objection', { reason: '不属于本局职责。' });
    await act(office(), caseId, 'objection-decision', { approve: true, unitCode: RS, reason: '改由人社局主办。' });
    const moved = await view(caseId);
    expect(moved).toMatchObject({ leadUnit: RS, units: [RS], coHandlers: [] });
    expect(moved.clocks.map((c) => c.key)).not.toContain(`coHandler:${RS}`);
    // As the lead it acknowledges, accepts and decides with nobody to wait for.
    await act(unit(RS), caseId, 'acceptance', { decision: 'accept' });
    await act(unit(RS), caseId, 'result', result('explain'));
  });

  it('Art 32: a written reply states the petitioner’s request and the legal basis of its decision', async () => {
    const body = petition();
    const caseId = await register(body);
    await act(office(), caseId, 'acceptance', { decision: 'accept' });
    await act(unit(HB), caseId, 'acceptance', { decision: 'accept' });
    const missingBasis = await act(
      unit(HB),
      caseId,
      'result',
      { decision: 'support', factsAndReasons: '已处理。' },
      400,
    );
    expect(missingBasis.errors).toEqual([expect.objectContaining({ field: 'body.legalBasis' })]);
    await act(unit(HB), caseId, 'result', result('support'));
    const reply = await eventually(
      async () => (await stack.store.outbox.findById(`${caseId}:reply:0`).lean())?.payload,
    );
    expect(reply).toMatchObject({ request: body.request, legalBasis: result().legalBasis });
    expect((reply as { text: string }).text).toContain(body.request);

    // An older client sends no request: the reply states the subject.
    const old = petition({ request: undefined });
    const oldId = await register(old);
    await act(office(), oldId, 'acceptance', { decision: 'accept' });
    await act(unit(HB), oldId, 'acceptance', { decision: 'accept' });
    await act(unit(HB), oldId, 'result', result('explain'));
    const oldReply = await eventually(
      async () => (await stack.store.outbox.findById(`${oldId}:reply:0`).lean())?.payload,
    );
    expect(oldReply).toMatchObject({ request: old.subject });
  });

  it('refuses an action in Chinese by default and in English on request, with the same status', async () => {
    const caseId = await register();
    await act(office(), caseId, 'recusal', { unitCode: ZJ, reason: '该局工作人员为本案当事人近亲属。' });
    const refused = async (body: object, lang?: string) => {
      const req = office().post(`/v1/cases/${caseId}/acceptance`, { actionId: uniqueName('acceptance'), ...body });
      const res = await (lang ? req.set('Accept-Language', lang) : req);
      return {
        status: res.status,
        language: res.headers['content-language'],
        title: res.body.title,
        detail: res.body.detail,
      };
    };
    // Art 28: a recused unit is never sent the case (422).
    const toRecused = { decision: 'accept', unitCode: ZJ };
    expect(await refused(toRecused)).toEqual({
      status: 422,
      language: 'zh-CN',
      title: '不符合办理规则',
      detail: `${ZJ}与该信访事项有利害关系，应当回避（《信访工作条例》第二十八条）；请另行指定单位`,
    });
    expect(await refused(toRecused, 'en')).toEqual({
      status: 422,
      language: 'en',
      title: 'Unprocessable Content',
      detail: `unit ${ZJ} is recused for an interest in the case (Regulations on Letters and Visits Art 28); name another unit`,
    });
    // A second acceptance once the case has gone to a unit: the wrong stage (409), named in each language.
    await act(office(), caseId, 'acceptance', { decision: 'accept', unitCode: HB });
    const again = { decision: 'accept', unitCode: HB };
    expect(await refused(again)).toMatchObject({
      status: 409,
      detail: '该信访事项处于“已转送”阶段，不能由信访工作机构受理（仅限已登记阶段）',
    });
    expect(await refused(again, 'en')).toMatchObject({
      status: 409,
      detail: 'acceptance by the office is not possible while the case is transferred (allowed when registered)',
    });
  });

  it('explains deadlines in Chinese, in English on request, and keeps the guard’s entries from departments', async () => {
    const caseId = await register();
    await act(office(), caseId, 'recusal', { unitCode: ZJ, reason: '该局工作人员为本案当事人近亲属。' });
    await act(office(), caseId, 'acceptance', { decision: 'accept', unitCode: HB });
    const read = (who: ReturnType<typeof as>, lang?: string) => {
      const req = who.get(`/v1/cases/${caseId}`);
      return (lang ? req.set('Accept-Language', lang) : req).expect(200);
    };
    const chinese = (await read(office())).body;
    const english = (await read(office(), 'en-US, en;q=0.9, zh;q=0.5')).body;
    const acknowledge = (body: { deadlines: { clock: string; explanation: { text: string } }[] }) =>
      body.deadlines.find((d) => d.clock === 'acknowledge')!.explanation.text;
    expect(acknowledge(chinese)).toMatch(/\d{4}年\d{1,2}月\d{1,2}日24时/);
    expect(acknowledge(english)).toMatch(/working days?/);
    expect(acknowledge(english)).not.toMatch(/[\u4e00-\u9fff]{2}/);
    // The same deadline either way: only the sentence changes.
    expect(english.deadlines.map((d: { dueAt: string }) => d.dueAt)).toEqual(
      chinese.deadlines.map((d: { dueAt: string }) => d.dueAt),
    );
    // Art 28: the office sees whom it recused; the unit handling the case does not.
    expect(chinese.timeline.map((t: { type: string }) => t.type)).toContain('recused');
    const byUnit = (await read(unit(HB))).body;
    expect(byUnit.timeline.map((t: { type: string }) => t.type)).not.toContain('recused');
    expect(JSON.stringify(byUnit)).not.toContain(ZJ);
  });

  it('the admin’s calendar dry run lists the deadlines that would move, and changes nothing', async () => {
    const waiting = await register();
    const answered = await register();
    await act(office(), answered, 'acceptance', { decision: 'accept' });
    await act(unit(HB), answered, 'acceptance', { decision: 'accept' });
    await act(unit(HB), answered, 'result', result('explain'));
    const dispose = await eventually(async () =>
      (await stack.store.cases.findById(waiting).lean())?.deadlines?.find((d) => d.clock === 'dispose'),
    );
    const window = await eventually(async () =>
      (await stack.store.cases.findById(answered).lean())?.deadlines?.find((d) => d.clock === 'reviewRequest'),
    );
    const disposeLastDay = (dispose.explanation as { lastDay: string }).lastDay;
    const windowLastDay = (window.explanation as { lastDay: string }).lastDay;

    // The schedule in force for that year, plus the two last days as holidays.
    const year = Number(disposeLastDay.slice(0, 4));
    const inForce = builtInCalendarYears().find((y) => y.year === year) ?? { holidays: [], workdays: [] };
    const holidays = [...new Set([...inForce.holidays, disposeLastDay, windowLastDay])].filter((d) =>
      d.startsWith(String(year)),
    );
    const admin = as(stack.keys.admin!);
    const before = await admin.get(`/v1/admin/calendar/${year}`);
    const dry = await admin.put(`/v1/admin/calendar/${year}?dryRun=true`, { holidays, workdays: inForce.workdays });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ year, dryRun: true });
    const moves = (
      dry.body.moves as { caseId: string; clock: string; fromLastDay: string; toLastDay: string }[]
    ).filter((move) => [waiting, answered].includes(move.caseId));
    expect(moves).toEqual([
      expect.objectContaining({ caseId: waiting, clock: 'dispose', fromLastDay: disposeLastDay, from: dispose.dueAt }),
    ]);
    expect(moves[0]!.toLastDay > disposeLastDay).toBe(true);
    // The review window stated in the reply is not listed, and nothing was saved or signalled.
    expect((await admin.get(`/v1/admin/calendar/${year}`)).body).toEqual(before.body);
    expect(await stack.store.timeline.countDocuments({ caseId: waiting, type: 'deadlines_recomputed' })).toBe(0);
  });
});
