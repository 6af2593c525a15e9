/**
 * The guards of Art 24, 28 and 30 on the paths where they could fail, through the API against the dev server: a
 * dispute over a report never reaches the accused, the common superior designates, accused persons and later
 * accusations guard their units (recalling the case from an accused holder), recusal, repeat reports never merged
 * into the accused's hands, unknown units and routing failures refused with a reason.
 */
import type { UpdateDefinition } from '@temporalio/common';
import { caseWorkflowId } from '../domain/ids';
import { CaseUnit } from '../domain/search-attributes';
import * as m from '../workflows/messages';
import { caller, type CaseStack, eventually, startCaseStack } from '../harness/case-stack';
import { uniqueName } from '../harness/shared-servers';

const HB = '330100-HB'; // 杭州市生态环境局, superior 330000-BGT
const RS = '330100-RS'; // 杭州市人社局, superior 330000-BGT
const BGT = '330000-BGT'; // 浙江省政府办公厅: the common superior of HB and RS
const GA = '330106-GA'; // 西湖区公安分局 → 330100-GA → 330000-GA → 330000-BGT
const JW = '330106-JW'; // 西湖区纪委监委 → 330100-JW → 330000-JW (a separate tree)
const CITY_JW = '330100-JW';
const ZJ = '330106-ZJ';

const person = { name: '测试人乙', phone: '13700000002' };

function petition(overrides: Record<string, unknown> = {}) {
  return {
    channel: 'letter',
    kind: 'complaint',
    subject: uniqueName('夜间施工噪音'),
    content: '文三路工地每晚施工到凌晨。',
    regionCode: '330106',
    category: 'environment',
    petitioner: person,
    ...overrides,
  };
}

describe('guards on every path (Art 24, 28, 30)', () => {
  let stack: CaseStack;
  beforeAll(async () => {
    stack = await startCaseStack({ departments: [HB, RS, BGT, GA, JW, CITY_JW, ZJ] });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const as = (key: string) => caller(stack.app, key);
  const office = () => as(stack.keys.office!);
  const unit = (code: string) => as(stack.keys[`dept:${code}`]!);

  async function register(body: Record<string, unknown> = petition()): Promise<string> {
    const res = await as(stack.keys.intake!).post('/v1/cases', body);
    expect(res.status).toBe(201);
    const caseId = res.body.caseId as string;
    await eventually(async () => (await stack.store.cases.findById(caseId).lean())?.progressVersion);
    return caseId;
  }

  /** Posts an action and expects `status`; returns the answer's body. */
  async function act(who: ReturnType<typeof as>, caseId: string, action: string, body: object, status = 200) {
    const res = await who.post(`/v1/cases/${caseId}/${action}`, { actionId: uniqueName(action), ...body });
    expect([action, res.status, res.body.detail]).toEqual([action, status, res.body.detail]);
    return res.body as { stage: string; detail: string };
  }

  const view = (caseId: string) => stack.client.workflow.getHandle(caseWorkflowId(caseId)).query(m.caseViewQuery);
  const timeline = (caseId: string) => stack.store.timeline.find({ caseId }).sort({ at: 1, _id: 1 }).lean();
  const recipients = async (caseId: string) =>
    (await stack.store.outbox.find({ caseId }).lean()).map((n) => n.recipient);

  /** Every value CaseUnit ever took, from the workflow's history of search-attribute upserts. */
  async function unitsEverListed(caseId: string): Promise<string[]> {
    const handle = stack.client.workflow.getHandle(caseWorkflowId(caseId));
    const history = await handle.fetchHistory();
    const units = new Set<string>();
    for (const event of history.events ?? []) {
      const fields = event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields;
      const payload = fields?.[CaseUnit.name];
      if (payload?.data) for (const u of JSON.parse(Buffer.from(payload.data).toString()) as string[]) units.add(u);
    }
    return [...units];
  }

  /** Office → first unit; it objects; approved to the second; it objects too: a dispute (Art 24). */
  async function disputed(caseId: string, first: string, second: string): Promise<void> {
    await act(office(), caseId, 'acceptance', { decision: 'accept', unitCode: first });
    await act(unit(first), caseId, 'objection', { reason: '不属于本单位职责。' });
    await act(office(), caseId, 'objection-decision', { approve: true, unitCode: second, reason: '转交。' });
    await act(unit(second), caseId, 'objection', { reason: '亦不属于本单位职责。' });
  }

  it('Art 30: a dispute over a report is never decided by, or told to, the accused common superior', async () => {
    const caseId = await register(
      petition({ kind: 'report', subject: uniqueName('省办公厅干部收受好处'), accused: { units: [BGT] } }),
    );
    await disputed(caseId, HB, RS);

    // HB and RS meet only at the accused 330000-BGT, which has no superior: the petition office decides.
    const dispute = (await timeline(caseId)).find((e) => e.type === 'disputed');
    expect(dispute).toMatchObject({ unitCode: RS, detail: { disputants: [HB, RS], superior: null } });
    expect(await view(caseId)).toMatchObject({ dispute: { disputants: [HB, RS], superior: null } });
    const notices = await stack.store.outbox.find({ caseId, kind: 'dispute' }).lean();
    expect(notices.map((n) => [n.recipient, n.payload])).toEqual([
      ['office', { disputants: [HB, RS], jointConference: true }],
    ]);
    // The accused unit cannot designate, and the office must record the joint conference it held.
    await act(unit(BGT), caseId, 'designation', { unitCode: RS, reason: '由人社局办理。' }, 404);
    const noConference = await act(office(), caseId, 'designation', { unitCode: RS, reason: '由人社局办理。' }, 422);
    expect(noConference.detail).toMatch(/没有共同上级机关：由信访工作机构协商后指定/);
    await act(office(), caseId, 'designation', { unitCode: RS, reason: '协商后由人社局办理。', jointConference: true });

    expect(await view(caseId)).toMatchObject({ leadUnit: RS, designated: true });
    expect(await recipients(caseId)).not.toContain(BGT);
    expect(await unitsEverListed(caseId)).not.toContain(BGT);
    expect((await timeline(caseId)).map((e) => e.unitCode)).not.toContain(BGT);
    await unit(BGT).get(`/v1/cases/${caseId}`).expect(404);
  });

  it('Art 24: the common superior designates the lead — even a unit whose objection was approved — and it cannot object again', async () => {
    const caseId = await register();
    await disputed(caseId, HB, RS);
    expect((await stack.store.outbox.find({ caseId, kind: 'dispute' }).lean()).map((n) => n.recipient)).toEqual([BGT]);

    // While the units dispute, the office does not decide the objection: the superior designates.
    const decision = await act(office(), caseId, 'objection-decision', { approve: false }, 409);
    expect(decision.detail).toMatch(/由其共同上级机关330000-BGT指定主办单位/);
    // Only the superior (or the office) designates; other units are told nothing.
    await act(unit(RS), caseId, 'designation', { unitCode: HB, reason: '环境噪音归生态环境局。' }, 403);
    await act(unit(GA), caseId, 'designation', { unitCode: HB, reason: '环境噪音归生态环境局。' }, 404);
    // The superior may designate HB, whose objection the office had approved.
    await act(unit(BGT), caseId, 'designation', { unitCode: HB, reason: '环境噪音归生态环境局。' });

    expect(await view(caseId)).toMatchObject({ stage: 'transferred', leadUnit: HB, designated: true });
    expect((await view(caseId)).dispute).toBeUndefined();
    const designated = (await timeline(caseId)).find((e) => e.type === 'designated');
    expect(designated).toMatchObject({
      unitCode: HB,
      detail: { designatedBy: 'common_superior', superior: BGT, disputants: [HB, RS] },
    });
    expect((await stack.store.outbox.find({ caseId, kind: 'designated' }).lean()).map((n) => n.recipient)).toEqual([
      HB,
    ]);
    // The designated unit cannot object again (Art 24, 12345 practice: no return after designation).
    const again = await act(unit(HB), caseId, 'objection', { reason: '仍不属于本单位。' }, 422);
    expect(again.detail).toMatch(/已被指定办理，不能再次提出异议/);
    await unit(RS).get(`/v1/cases/${caseId}`).expect(404);
  });

  it('Art 24: the office may designate on the superior’s behalf, recorded as such', async () => {
    const caseId = await register();
    await disputed(caseId, HB, RS);
    await act(office(), caseId, 'designation', { unitCode: RS, reason: '代为指定。' });
    const designated = (await timeline(caseId)).find((e) => e.type === 'designated');
    expect(designated?.detail).toMatchObject({ designatedBy: 'office_on_behalf_of_superior', superior: BGT });
    expect(await view(caseId)).toMatchObject({ leadUnit: RS, designated: true });
  });

  it('Art 24: with no common superior the office designates after a joint conference', async () => {
    // 330106-GA and 330100-JW belong to separate trees.
    const caseId = await register();
    await disputed(caseId, GA, CITY_JW);
    expect(await view(caseId)).toMatchObject({ dispute: { disputants: [GA, CITY_JW], superior: null } });
    await act(office(), caseId, 'designation', { unitCode: GA, reason: '由公安分局办理。' }, 422);
    await act(office(), caseId, 'designation', {
      unitCode: GA,
      reason: '协商：由公安分局办理。',
      jointConference: true,
    });
    const designated = (await timeline(caseId)).find((e) => e.type === 'designated');
    expect(designated?.detail).toMatchObject({ designatedBy: 'office_after_joint_conference', jointConference: true });
    expect(await view(caseId)).toMatchObject({ leadUnit: GA, designated: true });
  });

  it('Art 30: an accused person’s unit is guarded like an accused unit, from intake on', async () => {
    const caseId = await register(
      petition({
        kind: 'report',
        category: 'public_security',
        subject: uniqueName('派出所民警刁难群众'),
        accused: { persons: [{ name: '王某', unitCode: GA }] },
      }),
    );
    const refused = await act(office(), caseId, 'acceptance', { decision: 'accept', unitCode: GA }, 422);
    expect(refused.detail).toBe(
      `该检举控告涉及${GA}；依照《信访工作条例》第三十条，不得将其转送被检举控告的单位，也不得向其透露`,
    );
    // Routing sends it to the discipline unit at the person's unit's level.
    await act(office(), caseId, 'acceptance', { decision: 'accept' });
    expect(await view(caseId)).toMatchObject({ leadUnit: JW });
    await unit(GA).get(`/v1/cases/${caseId}`).expect(404);
    expect(await recipients(caseId)).not.toContain(GA);
    // The office reads the person; the discipline unit reads neither them nor the reporter.
    const asOffice = await office().get(`/v1/cases/${caseId}`).expect(200);
    expect(asOffice.body.accused).toEqual({ units: [], persons: [{ name: '王某', unitCode: GA }] });
    const asJw = await unit(JW).get(`/v1/cases/${caseId}`).expect(200);
    expect(JSON.stringify(asJw.body)).not.toContain('王某');
  });

  /** A report accusing 330106-GA, accepted by the office and acknowledged by 330106-JW, which the routing chose. */
  async function acknowledgedReport(subject: string): Promise<string> {
    const caseId = await register(
      petition({ kind: 'report', category: 'public_security', subject: uniqueName(subject), accused: { units: [GA] } }),
    );
    await act(office(), caseId, 'acceptance', { decision: 'accept' });
    await act(unit(JW), caseId, 'acknowledgement', {});
    return caseId;
  }

  it('Art 30: an accusation added after transfer recalls the case from the accused holder', async () => {
    const caseId = await acknowledgedReport('纪委干部徇私');
    expect(await view(caseId)).toMatchObject({ stage: 'acknowledged', leadUnit: JW });

    // The office learns the report also names an official of 330106-JW itself.
    await act(office(), caseId, 'accusation', { persons: [{ name: '赵某', unitCode: JW }] });
    const recalled = await view(caseId);
    expect(recalled).toMatchObject({ stage: 'registered', units: [] });
    expect(recalled.leadUnit).toBeUndefined();
    expect(recalled.clocks.map((c) => [c.clock, c.holder])).toEqual([['dispose', 'office']]);
    await unit(JW).get(`/v1/cases/${caseId}`).expect(404);
    await act(unit(JW), caseId, 'acceptance', { decision: 'accept' }, 404);
    const inbox = await unit(JW).get(`/v1/units/${JW}/inbox`).expect(200);
    expect(inbox.body.items.map((i: { caseId: string }) => i.caseId)).not.toContain(caseId);
    expect((await timeline(caseId)).map((e) => e.type)).toEqual(expect.arrayContaining(['accused_added', 'recalled']));
    // Nothing told JW why: no notification reached it after the accusation.
    const afterAccusation = (await stack.store.outbox.find({ caseId }).sort({ createdAt: 1 }).lean()).slice(-2);
    expect(afterAccusation.map((n) => n.recipient)).not.toContain(JW);

    // Disposed of anew: routing skips the accused commission for the one above it.
    await act(office(), caseId, 'acceptance', { decision: 'accept' });
    expect(await view(caseId)).toMatchObject({ stage: 'transferred', leadUnit: CITY_JW });
    const record = await office().get(`/v1/cases/${caseId}`).expect(200);
    expect(record.body.accused).toEqual({ units: [GA], persons: [{ name: '赵某', unitCode: JW }] });
  });

  it('Art 30: a recall whose record MongoDB refuses to update still hides the case and its inbox entry from the accused holder', async () => {
    const caseId = await acknowledgedReport('纪委干部失职');
    const inboxOfJw = async () =>
      (await unit(JW).get(`/v1/units/${JW}/inbox?limit=100`).expect(200)).body.items.map(
        (i: { caseId: string }) => i.caseId,
      );
    expect(await inboxOfJw()).toContain(caseId);

    // MongoDB reads but refuses this case's record updates (a full disk, say): the recall cannot be projected, so
    // the record still names 330106-JW; only the workflow knows. The case detail asks it, and must get an answer.
    let refusals = 0;
    let refusing = true;
    const updateOne = stack.store.cases.updateOne.bind(stack.store.cases);
    jest.spyOn(stack.store.cases, 'updateOne').mockImplementation(((filter: { _id?: unknown }, ...rest: unknown[]) => {
      if (refusing && filter._id === caseId) {
        refusals += 1;
        return Promise.reject(new Error('No space left on device'));
      }
      return (updateOne as (...args: unknown[]) => unknown)(filter, ...rest);
    }) as never);
    const answered = office()
      .post(`/v1/cases/${caseId}/accusation`, {
        actionId: uniqueName('accusation'),
        persons: [{ name: '钱某', unitCode: JW }],
      })
      .then((res) => res);
    try {
      await eventually(() => Promise.resolve(refusals > 0));
      await unit(JW).get(`/v1/cases/${caseId}`).expect(404);
      // Nor does its inbox list it, though the record does.
      expect((await stack.store.cases.findById(caseId).lean())?.units).toEqual([JW]);
      expect(await inboxOfJw()).not.toContain(caseId);
    } finally {
      refusing = false;
      jest.restoreAllMocks();
    }
    // Once MongoDB takes writes again, the recall is on record and the accusation answered.
    expect((await answered).status).toBe(200);
    expect(await stack.store.cases.findById(caseId).lean()).toMatchObject({ units: [], stage: 'registered' });
    await unit(JW).get(`/v1/cases/${caseId}`).expect(404);
  });

  it('Art 30: accused units belong to reports; on another kind they are refused, not ignored', async () => {
    const res = await as(stack.keys.intake!).post('/v1/cases', petition({ accused: { units: [GA] } }));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'body.accused' })]);
    const caseId = await register();
    const refused = await act(office(), caseId, 'accusation', { units: [GA] }, 422);
    expect(refused.detail).toMatch(/仅适用于检举控告事项.*应当回避（《信访工作条例》第二十八条）/);
  });

  it('Art 28: a recused unit is skipped by routing, and a recused holder loses the case', async () => {
    const caseId = await register();
    await act(office(), caseId, 'recusal', { unitCode: HB, reason: '该局为涉事工程的建设单位。' });
    const named = await act(office(), caseId, 'acceptance', { decision: 'accept', unitCode: HB }, 422);
    expect(named.detail).toMatch(/330100-HB与该信访事项有利害关系，应当回避（《信访工作条例》第二十八条）/);
    // The routing rule for environment in 3301 points at HB; recused, it is skipped for the general office.
    await act(office(), caseId, 'acceptance', { decision: 'accept' });
    const routed = await view(caseId);
    expect(routed.leadUnit).not.toBe(HB);
    expect((await timeline(caseId)).find((e) => e.type === 'transferred')?.detail).toMatchObject({
      reason: expect.stringContaining('与该信访事项有利害关系，应当回避（《信访工作条例》第二十八条）'),
    });

    const other = await register();
    await act(office(), other, 'acceptance', { decision: 'accept', unitCode: ZJ });
    await act(office(), other, 'recusal', { unitCode: ZJ, reason: '承办人与信访人有亲属关系。' });
    expect(await view(other)).toMatchObject({ stage: 'registered', units: [] });
    await unit(ZJ).get(`/v1/cases/${other}`).expect(404);
    const again = await act(office(), other, 'acceptance', { decision: 'accept', unitCode: ZJ }, 422);
    expect(again.detail).toMatch(/应当回避（《信访工作条例》第二十八条）/);
  });

  it('Art 30: a report is never merged into a complaint held by the unit it accuses', async () => {
    const subject = uniqueName('派出所不作为');
    const complaint = await register(petition({ category: 'public_security', subject }));
    await act(office(), complaint, 'acceptance', { decision: 'accept' });
    expect(await view(complaint)).toMatchObject({ leadUnit: GA });

    const report = await register(
      petition({ kind: 'report', category: 'public_security', subject, accused: { units: [GA] } }),
    );
    const reportView = await view(report);
    expect(reportView.stage).toBe('registered');
    expect((await timeline(report)).map((e) => e.type)).not.toContain('merged');
    // Nothing about the report reached GA through the complaint.
    const toGa = await stack.store.outbox.find({ caseId: complaint, recipient: GA, kind: 'supplement' }).lean();
    expect(toGa).toEqual([]);
    expect((await view(complaint)).supplements).toBe(0);
  });

  it('a mistyped unit code is refused with 422 naming the field, by the API and by the workflow', async () => {
    const caseId = await register();
    const res = await office().post(`/v1/cases/${caseId}/acceptance`, {
      actionId: uniqueName('acc'),
      decision: 'accept',
      unitCode: '990106-NOPE',
      coHandlers: [ZJ, '990106-NADA'],
    });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.unitCode', 'body.coHandlers.1']);
    // An Update sent past the API meets the same refusal inside the workflow, and nothing changes.
    const handle = stack.client.workflow.getHandle(caseWorkflowId(caseId));
    const direct = await handle
      .executeUpdate(m.acceptanceUpdate, {
        args: [{ actionId: uniqueName('acc'), actor: { role: 'office' }, decision: 'accept', unitCode: '990106-NOPE' }],
        updateId: uniqueName('upd'),
      })
      .catch((error: { cause?: { type?: string; message?: string } }) => error.cause);
    expect(direct).toMatchObject({
      type: m.REJECTION.businessRule,
      message: expect.stringMatching(/单位名录中没有990106-NOPE/),
    });
    expect(await view(caseId)).toMatchObject({ stage: 'registered' });
    await act(office(), caseId, 'acceptance', { decision: 'accept' });
  });

  it('a routing failure inside an action answers 422 with the routing reason', async () => {
    // No unit serves region 990106: routing cannot place the case.
    const caseId = await register(petition({ regionCode: '990106' }));
    const refused = await act(office(), caseId, 'acceptance', { decision: 'accept' }, 422);
    expect(refused.detail).toMatch(/^区域990106没有可以办理该信访事项的单位（类型complaint/);
    expect(await view(caseId)).toMatchObject({ stage: 'registered' });
    // The case is still actionable: the office names a unit.
    await act(office(), caseId, 'acceptance', { decision: 'accept', unitCode: HB });
  });

  it('survives a routing failure on re-routing and on review: 422 with the reason, the case unchanged', async () => {
    // Re-routing after an approved objection: no unit serves region 990106, so the office must name one.
    const caseId = await register(petition({ regionCode: '990106' }));
    await act(office(), caseId, 'acceptance', { decision: 'accept', unitCode: HB });
    await act(unit(HB), caseId, 'objection', { reason: '不属于本局。' });
    const reroute = await act(office(), caseId, 'objection-decision', { approve: true, reason: '请改派。' }, 422);
    expect(reroute.detail).toMatch(/^区域990106没有可以办理该信访事项的单位（类型complaint/);
    expect(await view(caseId)).toMatchObject({ stage: 'transferred', leadUnit: HB });
    await act(office(), caseId, 'objection-decision', { approve: true, unitCode: RS, reason: '改派人社局。' });

    // Review: the unit that decided has left the directory since, so nobody can be found above it.
    const temporary = '330106-LS';
    await stack.store.units.create({
      _id: temporary,
      name: '临时专班',
      level: 'county',
      regionCode: '330106',
      parentCode: '330100-BGT',
    });
    const reviewed = await register();
    await act(office(), reviewed, 'acceptance', { decision: 'accept', unitCode: temporary });
    const handle = stack.client.workflow.getHandle(caseWorkflowId(reviewed));
    const as = { role: 'department' as const, unitCode: temporary };
    const send = <A extends { actionId: string }>(
      update: UpdateDefinition<m.ActionResult, [A]>,
      args: Omit<A, 'actionId'>,
    ) => {
      const actionId = uniqueName('act');
      return handle.executeUpdate(update, { args: [{ ...args, actionId } as A], updateId: actionId });
    };
    await send(m.acceptanceUpdate, { actor: as, decision: 'accept' });
    await send(m.resultUpdate, { actor: as, decision: 'explain' });
    await stack.store.units.deleteOne({ _id: temporary });
    const review = await send(m.reviewRequestUpdate, { actor: { role: 'petitioner' } }).catch(
      (error: { cause?: { type?: string; message?: string } }) => error.cause,
    );
    expect(review).toMatchObject({
      type: m.REJECTION.businessRule,
      message: `单位${temporary}不在单位名录中`,
    });
    expect(await view(reviewed)).toMatchObject({ stage: 'reply_delivered' });
  });

  it('receivedAt in year 0042 is a 400 naming the field, and so is its retry', async () => {
    const body = petition({ receivedAt: '0042-03-01T10:00:00+08:00' });
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await as(stack.keys.intake!).post('/v1/cases', body).set('Idempotency-Key', 'received-0042-retry');
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'body.receivedAt' })]);
    }
  });
});
