/**
 * The case workflow's messages against the shared Temporal dev server: cases are registered through the API, then
 * driven with Updates exactly as the action endpoints do (`updateId` = the action ID). Each test is one rule of
 * DESIGN.md §4: objections, disputes, joint handling, repeat petitions, the whistleblower guard, refusals with a
 * clear reason, idempotent actions and withdrawal.
 *
 * Long because each test is one rule of DESIGN.md §4 on one shared stack, started once for the file.
 */
import type { UpdateDefinition } from '@temporalio/common';
import request from 'supertest';
import { createActivities } from '../activities';
import { caseWorkflowId } from '../domain/ids';
import type { CaseOutcome } from '../workflows/case-state';
import * as m from '../workflows/messages';
import { eventually, startCaseStack, type CaseStack } from '../harness/case-stack';
import { uniqueName } from '../harness/shared-servers';
import { startTimeSkippingStack, type TimeSkippingStack } from '../harness/time-skipping';
import { historyToJson, personalDataIn } from '../scripts/record-histories';
import { refusal } from './env/rejections';

const office: m.Actor = { role: 'office' };
const petitioner: m.Actor = { role: 'petitioner' };
const dept = (unitCode: string): m.Actor => ({ role: 'department', unitCode });

/** Units of the demo directory (demo/directory.json) the tests use. */
const HB = '330100-HB'; // 杭州市生态环境局: rule environment-3301 routes environment cases in 3301xx here
const ZJ = '330106-ZJ'; // 西湖区住建局: rule housing-330106; superiors 330100-FG, then 330000-ZJT
const FG = '330100-FG';
const ZJT = '330000-ZJT';
const GA = '330106-GA'; // 西湖区公安分局
const JW = '330106-JW'; // 西湖区纪委监委: takes misconduct reports about units of 330106
const BGT = '330000-BGT'; // 浙江省政府办公厅: superior of 330100-HB, and above 330106-ZJ
const CITY_GA = '330100-GA'; // 杭州市公安局: superior of 330106-GA
const PROVINCE_GA = '330000-GA'; // 浙江省公安厅: superior of 330100-GA

/** An action's arguments without its ID (distributes over unions such as AcceptanceArgs). */
type WithoutActionId<A> = A extends unknown ? Omit<A, 'actionId'> : never;

const person = { name: '测试人甲', phone: '13700000001', idNumber: '330106198001010011' };

function petition(overrides: Record<string, unknown> = {}) {
  return {
    channel: 'letter',
    kind: 'complaint',
    subject: uniqueName('Night-time construction noise'),
    content: 'A building site works past midnight.',
    regionCode: '330106',
    category: 'environment',
    petitioner: person,
    ...overrides,
  };
}

describe('case workflow messages (dev server)', () => {
  let stack: CaseStack;
  beforeAll(async () => {
    stack = await startCaseStack({ departments: [GA, JW, HB] });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  // ── helpers ──────────────────────────────────────────────────────────────────────────────────────────────

  async function register(body: Record<string, unknown> = petition()): Promise<string> {
    const res = await request(stack.app)
      .post('/v1/cases')
      .set('Authorization', `Bearer ${stack.keys.intake}`)
      .send(body)
      .expect(201);
    const caseId = res.body.caseId as string;
    // The first activity writes the record; repeat detection and replies read it.
    await eventually(async () => (await stack.store.cases.findById(caseId).lean())?.progressVersion);
    return caseId;
  }

  const handle = (caseId: string) => stack.client.workflow.getHandle(caseWorkflowId(caseId));

  /** Sends an actor action as the API does: the update ID is the action ID (a fresh one unless given). */
  function act<A extends { actionId: string }>(
    caseId: string,
    update: UpdateDefinition<m.ActionResult, [A]>,
    args: NoInfer<WithoutActionId<A>> & { actionId?: string },
    updateId?: string,
  ): Promise<m.ActionResult> {
    const full = { ...args, actionId: args.actionId ?? uniqueName('act') } as unknown as A;
    return handle(caseId).executeUpdate(update, { args: [full], updateId: updateId ?? full.actionId });
  }

  const view = (caseId: string) => handle(caseId).query(m.caseViewQuery);

  async function timeline(caseId: string) {
    return stack.store.timeline.find({ caseId }).sort({ at: 1, _id: 1 }).lean();
  }

  async function outbox(caseId: string) {
    return stack.store.outbox.find({ caseId }).sort({ createdAt: 1, _id: 1 }).lean();
  }

  const types = (entries: { type: string }[]) => entries.map((e) => e.type);

  function get(caseId: string, key: string) {
    return request(stack.app).get(`/v1/cases/${caseId}`).set('Authorization', `Bearer ${key}`);
  }

  // ── objections (Art 23) ──────────────────────────────────────────────────────────────────────────────────

  it('re-routes an approved objection: the case is transferred to the unit the office names', async () => {
    const caseId = await register();
    await act(caseId, m.acceptanceUpdate, { actor: office, decision: 'accept' });
    expect(await view(caseId)).toMatchObject({ stage: 'transferred', leadUnit: HB, mode: 'transfer' });

    await act(caseId, m.objectionUpdate, { actor: dept(HB) });
    const approved = await act(caseId, m.objectionDecisionUpdate, { actor: office, approve: true, unitCode: ZJ });
    expect(approved.stage).toBe('transferred');

    const v = await view(caseId);
    expect(v).toMatchObject({ stage: 'transferred', leadUnit: ZJ, units: [ZJ], designated: false });
    // The new unit gets fresh acknowledgement, objection and notification clocks.
    expect(v.clocks.map((c) => [c.key, c.holder])).toEqual(
      expect.arrayContaining([
        ['acknowledge', ZJ],
        ['objection', ZJ],
        ['notify', ZJ],
      ]),
    );

    const entries = await timeline(caseId);
    const transfers = entries.filter((e) => e.type === 'transferred');
    expect(transfers.map((e) => e.unitCode)).toEqual([HB, ZJ]);
    expect(transfers[0]!.detail).toMatchObject({ via: 'rule' });
    expect(transfers[1]!.detail).toMatchObject({ via: 'objection_approved', releasedUnit: HB });
    expect(types(entries)).toEqual(
      expect.arrayContaining(['registered', 'dispose_clock_started', 'transferred', 'objection']),
    );

    const sent = (await outbox(caseId)).map((n) => [n.kind, n.recipient]);
    expect(sent).toEqual(
      expect.arrayContaining([
        ['transferred', HB],
        ['objection', 'office'],
        ['transferred', ZJ],
      ]),
    );
    // Art 23: the petitioner is told where the case went, both times.
    expect(sent.filter(([kind, to]) => kind === 'transferred_notice' && to === 'petitioner')).toHaveLength(2);

    // The released unit no longer holds the case: for it, the case does not exist.
    const gone = await refusal(act(caseId, m.acknowledgementUpdate, { actor: dept(HB) }));
    expect(gone).toEqual({ type: m.REJECTION.notFound, message: 'case not found' });
  });

  it('refuses an approval that routes back to the objecting unit, and keeps the objection pending', async () => {
    const caseId = await register();
    await act(caseId, m.acceptanceUpdate, { actor: office, decision: 'accept' });
    await act(caseId, m.objectionUpdate, { actor: dept(HB) });

    // Without a named unit the routing rules would send the case straight back to 330100-HB.
    const back = await refusal(act(caseId, m.objectionDecisionUpdate, { actor: office, approve: true }));
    expect(back.type).toBe(m.REJECTION.businessRule);
    expect(back.message).toMatch(/routing points back to 330100-HB/);

    // Nothing changed: the objection still waits, and the office can still decide it.
    expect(await view(caseId)).toMatchObject({ stage: 'transferred', leadUnit: HB });
    const again = await refusal(act(caseId, m.objectionUpdate, { actor: dept(HB) }));
    expect(again).toMatchObject({
      type: m.REJECTION.conflict,
      message: 'an objection is already waiting for the office',
    });
    await act(caseId, m.objectionDecisionUpdate, { actor: office, approve: true, unitCode: ZJ });
    expect(await view(caseId)).toMatchObject({ leadUnit: ZJ });
  });

  it('designates the unit when its objection is rejected; it cannot object again', async () => {
    const caseId = await register();
    await act(caseId, m.acceptanceUpdate, { actor: office, decision: 'accept' });
    await act(caseId, m.objectionUpdate, { actor: dept(HB) });
    await act(caseId, m.objectionDecisionUpdate, { actor: office, approve: false });

    const v = await view(caseId);
    expect(v).toMatchObject({ stage: 'transferred', leadUnit: HB, designated: true });
    expect(v.clocks.map((c) => c.key)).not.toContain('objection');

    const second = await refusal(act(caseId, m.objectionUpdate, { actor: dept(HB) }));
    expect(second.type).toBe(m.REJECTION.businessRule);
    expect(second.message).toMatch(/cannot object again/);

    expect(types(await timeline(caseId))).toEqual(expect.arrayContaining(['objection', 'objection_rejected']));
    expect((await outbox(caseId)).map((n) => [n.kind, n.recipient])).toContainEqual(['objection_rejected', HB]);
  });

  it('records a dispute with the common superior when a second unit objects in turn (Art 24)', async () => {
    const caseId = await register();
    await act(caseId, m.acceptanceUpdate, { actor: office, decision: 'accept' });
    await act(caseId, m.objectionUpdate, { actor: dept(HB) });
    await act(caseId, m.objectionDecisionUpdate, { actor: office, approve: true, unitCode: ZJ });
    await act(caseId, m.objectionUpdate, { actor: dept(ZJ) });

    const disputed = (await timeline(caseId)).find((e) => e.type === 'disputed');
    expect(disputed).toMatchObject({ unitCode: ZJ, detail: { superior: BGT, disputants: [HB, ZJ] } });
    // The first objection was a plain one.
    expect((await timeline(caseId)).filter((e) => e.type === 'objection').map((e) => e.unitCode)).toEqual([HB]);
    expect((await outbox(caseId)).map((n) => [n.kind, n.recipient])).toContainEqual(['dispute', BGT]);
  });

  // ── joint handling (Art 24) ──────────────────────────────────────────────────────────────────────────────

  it('runs joint handling: co-handlers report to the lead, the lead’s result delivers the reply', async () => {
    const caseId = await register();
    await act(caseId, m.acceptanceUpdate, { actor: office, decision: 'accept', coHandlers: [ZJ] });
    expect(await view(caseId)).toMatchObject({
      leadUnit: HB,
      units: [HB, ZJ],
      coHandlers: [{ unitCode: ZJ, reported: false }],
    });
    expect((await outbox(caseId)).map((n) => [n.kind, n.recipient])).toContainEqual(['co_handling', ZJ]);

    // Only the lead acknowledges and accepts.
    const notLead = await refusal(act(caseId, m.acknowledgementUpdate, { actor: dept(ZJ) }));
    expect(notLead).toEqual({ type: m.REJECTION.forbidden, message: `only the lead unit ${HB} may do this` });
    await act(caseId, m.acknowledgementUpdate, { actor: dept(HB) });
    await act(caseId, m.acceptanceUpdate, { actor: dept(HB), decision: 'accept' });

    let v = await view(caseId);
    expect(v.stage).toBe('handling');
    expect(v.clocks.map((c) => [c.key, c.clock, c.holder])).toEqual(
      expect.arrayContaining([
        ['handling', 'handling', HB],
        [`coHandler:${ZJ}`, 'handling', ZJ],
      ]),
    );
    // zhejiang profile: co-handlers report within 15 calendar days.
    expect(v.clocks.find((c) => c.key === `coHandler:${ZJ}`)!.deadline).toMatchObject({
      unit: 'calendar_days',
      length: 15,
    });

    // The co-handler's result is a report to the lead, not the case's result.
    await act(caseId, m.resultUpdate, { actor: dept(ZJ), decision: 'support' });
    v = await view(caseId);
    expect(v).toMatchObject({ stage: 'handling', coHandlers: [{ unitCode: ZJ, reported: true }] });
    expect(v.decision).toBeUndefined();
    expect(v.clocks.map((c) => c.key)).not.toContain(`coHandler:${ZJ}`);
    expect((await timeline(caseId)).find((e) => e.type === 'co_handler_reported')).toMatchObject({ unitCode: ZJ });
    expect((await outbox(caseId)).map((n) => [n.kind, n.recipient])).toContainEqual(['co_handler_report', HB]);
    expect(await stack.store.outbox.countDocuments({ caseId, kind: 'reply' })).toBe(0);
    const twice = await refusal(act(caseId, m.resultUpdate, { actor: dept(ZJ), decision: 'support' }));
    expect(twice).toEqual({ type: m.REJECTION.conflict, message: `co-handler ${ZJ} has already reported to the lead` });

    // The lead's result ends handling and delivers the written reply (Art 32).
    const done = await act(caseId, m.resultUpdate, { actor: dept(HB), decision: 'explain' });
    expect(done.stage).toBe('reply_delivered');
    v = await view(caseId);
    expect(v).toMatchObject({ stage: 'reply_delivered', decision: 'explain' });
    expect(v.clocks.map((c) => [c.key, c.holder]).sort()).toEqual([
      ['rating', 'petitioner'],
      ['reviewRequest', 'petitioner'],
    ]);
    const reply = await stack.store.outbox.findById(`${caseId}:reply:0`).lean();
    expect(reply).toMatchObject({
      kind: 'reply',
      recipient: 'petitioner',
      channel: 'letter',
      payload: { decision: 'explain' },
    });
    expect((reply!.payload as { rightToReview: string }).rightToReview).toMatch(/请求复查.*第三十五条/);
    expect(types(await timeline(caseId))).toEqual(expect.arrayContaining(['result_submitted', 'reply_delivered']));
  });

  // ── repeat petitions (Art 19, 36) ────────────────────────────────────────────────────────────────────────

  it('merges a repeat petition into the open case as a supplement, however many times it comes', async () => {
    const body = petition({ petitioner: { ...person, idNumber: '33010619800101002X' } });
    const first = await register(body);
    const repeats: string[] = [];
    for (let i = 0; i < 2; i++) {
      // Another channel and other words: the same person and the same matter (region, category, subject).
      const again = await register({ ...body, channel: 'online', content: `Still noisy (${i})` });
      const outcome: CaseOutcome = await handle(again).result();
      expect(outcome).toMatchObject({ caseId: again, stage: 'merged' });
      expect(types(await timeline(again))).toEqual(['registered', 'merged']);
      expect((await timeline(again)).at(-1)!.detail).toEqual({ into: first });
      repeats.push(again);
    }

    const supplements = await eventually(async () => {
      const found = (await timeline(first)).filter((e) => e.type === 'supplement');
      return found.length === 2 ? found : undefined;
    });
    expect(supplements.map((e) => e.detail)).toEqual(repeats.map((id) => ({ actionId: `merged:${id}` })));
    expect(await view(first)).toMatchObject({ stage: 'registered', supplements: 2 });
    expect((await outbox(first)).filter((n) => n.kind === 'supplement').map((n) => n.recipient)).toEqual([
      'office',
      'office',
    ]);
  });

  it('does not accept the same matter again after termination (Art 36), after a full review cycle', async () => {
    const body = petition({ category: 'housing', petitioner: { ...person, idNumber: '330106198001010038' } });
    const caseId = await register(body);
    await act(caseId, m.acceptanceUpdate, { actor: office, decision: 'accept' });
    expect(await view(caseId)).toMatchObject({ leadUnit: ZJ });
    await act(caseId, m.acknowledgementUpdate, { actor: dept(ZJ) });
    await act(caseId, m.acceptanceUpdate, { actor: dept(ZJ), decision: 'accept' });
    await act(caseId, m.resultUpdate, { actor: dept(ZJ), decision: 'not_support' });
    await act(caseId, m.ratingUpdate, { actor: petitioner, rating: 'dissatisfied' });

    // Review (Art 35) by the unit above the lead, then re-review (Art 36) by the one above that.
    await act(caseId, m.reviewRequestUpdate, { actor: petitioner });
    expect(await view(caseId)).toMatchObject({ stage: 'review_requested', reviewRound: 1 });
    const wrongReviewer = await refusal(act(caseId, m.reviewDecisionUpdate, { actor: dept(HB), decision: 'support' }));
    expect(wrongReviewer.type).toBe(m.REJECTION.notFound);
    await act(caseId, m.reviewDecisionUpdate, { actor: dept(FG), decision: 'not_support' });
    expect(await view(caseId)).toMatchObject({ stage: 'review_replied', clocks: [{ key: 'reReviewRequest' }] });

    await act(caseId, m.reviewRequestUpdate, { actor: petitioner });
    expect(await view(caseId)).toMatchObject({ stage: 're_review_requested', reviewRound: 2, units: [ZJ, ZJT] });
    await act(caseId, m.hearingUpdate, { actor: dept(ZJT), action: 'start' });
    expect((await view(caseId)).clocks[0]).toMatchObject({ key: 'reReviewDecision', paused: true });
    const duringHearing = await refusal(act(caseId, m.reviewDecisionUpdate, { actor: dept(ZJT), decision: 'support' }));
    expect(duringHearing).toEqual({ type: m.REJECTION.conflict, message: 'end the hearing before deciding' });
    await act(caseId, m.hearingUpdate, { actor: office, action: 'end' });
    const last = await act(caseId, m.reviewDecisionUpdate, { actor: dept(ZJT), decision: 'not_support' });
    expect(last.stage).toBe('terminated');
    expect(await handle(caseId).result()).toMatchObject({
      stage: 'terminated',
      decision: 'not_support',
      rating: 'dissatisfied',
    });
    // Art 32: three written replies — the unit's reply, the review opinion, the re-review opinion (final).
    const replies = await Promise.all(
      [0, 1, 2].map((round) => stack.store.outbox.findById(`${caseId}:reply:${round}`).lean()),
    );
    expect(replies.map((r) => [r?.recipient, (r?.payload as { unit: string }).unit])).toEqual([
      ['petitioner', '杭州市西湖区住房和城乡建设局'],
      ['petitioner', '杭州市住房保障和房产管理局'],
      ['petitioner', '浙江省住房和城乡建设厅'],
    ]);
    expect((replies[2]!.payload as { rightToReview: string }).rightToReview).toMatch(/复核意见.*不再受理.*第三十六条/);
    expect((await stack.store.cases.findById(caseId).lean())!.stage).toBe('terminated');

    // Nothing personal anywhere in Temporal: inputs, updates, activities, markers, summaries, with payloads decoded.
    const history = historyToJson(await handle(caseId).fetchHistory());
    const personal = [person.name, person.phone, '330106198001010038', body.content];
    expect(personalDataIn(history, personal)).toEqual([]);
    expect(personalDataIn(history, [caseId])).toEqual([caseId]); // the scan does read the history

    // The same facts and reasons again: not accepted, with the reason — and again the next time.
    for (let i = 0; i < 2; i++) {
      const repeat = await register({ ...body, channel: 'visit' });
      expect(await handle(repeat).result()).toMatchObject({ stage: 'not_accepted' });
      const entry = (await timeline(repeat)).find((e) => e.type === 'not_accepted');
      expect(entry?.detail).toEqual({ reason: 'terminated_same_matter', earlierCase: caseId });
      expect((await outbox(repeat)).map((n) => [n.kind, n.recipient, n.payload])).toEqual([
        ['not_accepted', 'petitioner', { reason: 'terminated_same_matter' }],
      ]);
    }
  });

  // ── whistleblower guard (Art 30) ─────────────────────────────────────────────────────────────────────────

  it('keeps a report away from the unit it accuses, and its reporter from departments', async () => {
    const report = petition({
      kind: 'report',
      category: 'misconduct',
      subject: uniqueName('Officers take bribes'),
      accused: { units: [GA], persons: ['某警官'] },
    });
    const caseId = await register(report);

    const override = await refusal(
      act(caseId, m.acceptanceUpdate, { actor: office, decision: 'accept', unitCode: GA }),
    );
    expect(override.type).toBe(m.REJECTION.businessRule);
    expect(override.message).toBe(
      `the report accuses unit ${GA}; Regulations on Letters and Visits Art 30 forbids transferring it or disclosing it there`,
    );
    const coHandler = await refusal(
      act(caseId, m.acceptanceUpdate, { actor: office, decision: 'accept', unitCode: ZJ, coHandlers: [GA] }),
    );
    expect(coHandler).toEqual(override);

    // Routing sends it to the discipline and supervision unit of the accused's level.
    await act(caseId, m.acceptanceUpdate, { actor: office, decision: 'accept' });
    expect(await view(caseId)).toMatchObject({ stage: 'transferred', leadUnit: JW, units: [JW] });
    expect((await timeline(caseId)).find((e) => e.type === 'transferred')).toMatchObject({
      unitCode: JW,
      detail: { via: 'discipline' },
    });

    // An approved objection cannot send it to the accused unit either.
    await act(caseId, m.objectionUpdate, { actor: dept(JW) });
    const reroute = await refusal(
      act(caseId, m.objectionDecisionUpdate, { actor: office, approve: true, unitCode: GA }),
    );
    expect(reroute).toEqual(override);
    await act(caseId, m.objectionDecisionUpdate, { actor: office, approve: false });

    // Escalation: the ladder above the unit holding the case never reaches the accused (activity used by the workflow).
    const activities = createActivities({ store: stack.store, sealer: stack.sealer });
    for (let level = 1; level <= 4; level++) {
      const target = await activities.findEscalationTarget({ unitCode: JW, level, accusedUnits: [GA] });
      expect(target?.unitCode).not.toBe(GA);
    }
    expect(await activities.findReviewUnit({ unitCode: JW, accusedUnits: [GA] })).not.toBe(GA);

    // Nobody at the accused unit can see or touch it.
    await get(caseId, stack.keys[`dept:${GA}`]!).expect(404);
    const touch = await refusal(act(caseId, m.acknowledgementUpdate, { actor: dept(GA) }));
    expect(touch).toEqual({ type: m.REJECTION.notFound, message: 'case not found' });
    expect((await outbox(caseId)).map((n) => n.recipient)).not.toContain(GA);

    // The discipline unit reads the report without the reporter's identity; the office sees it.
    const asHolder = await get(caseId, stack.keys[`dept:${JW}`]!).expect(200);
    expect(asHolder.body).toMatchObject({ caseId, kind: 'report', subject: report.subject, leadUnit: JW });
    expect(asHolder.body.petitioner).toBeUndefined();
    expect(asHolder.body.representatives).toBeUndefined();
    expect(asHolder.body.accused).toBeUndefined();
    expect(asHolder.body.trackingCode).toBeUndefined();
    const text = JSON.stringify(asHolder.body);
    for (const value of Object.values(person)) expect(text).not.toContain(value);
    const asOffice = await get(caseId, stack.keys.office!).expect(200);
    expect(asOffice.body.petitioner).toMatchObject(person);
  });

  it('answers a report with a result notice and no review on the 信访 path (Art 30)', async () => {
    // A report about the city police bureau, which the office sends to the district police (not accused itself).
    const caseId = await register(
      petition({ kind: 'report', category: 'misconduct', accused: { units: [CITY_GA], persons: [] } }),
    );
    await act(caseId, m.acceptanceUpdate, { actor: office, decision: 'accept', unitCode: GA });
    await act(caseId, m.acceptanceUpdate, { actor: dept(GA), decision: 'accept' });
    // Art 32's decisions are not a report's: it is found substantiated, partly, or not.
    const wrong = await refusal(act(caseId, m.resultUpdate, { actor: dept(GA), decision: 'not_support' }));
    expect(wrong.message).toMatch(
      /^a reply to a report decides substantiated, partly_substantiated, not_substantiated/,
    );
    const done = await act(caseId, m.resultUpdate, { actor: dept(GA), decision: 'partly_substantiated' });
    // No rating, no review window: the result notice ends the case.
    expect(done.stage).toBe('resolved');
    expect((await outbox(caseId)).filter((n) => n.kind === 'reply').map((n) => n.recipient)).toEqual(['petitioner']);
    expect((await outbox(caseId)).map((n) => n.recipient)).not.toContain(CITY_GA);
  });

  it('refuses a review of a report, naming the article (Art 30)', async () => {
    const caseId = await register(petition({ kind: 'report', category: 'misconduct', accused: { units: [GA] } }));
    await act(caseId, m.acceptanceUpdate, { actor: office, decision: 'accept' });
    const review = await refusal(act(caseId, m.reviewRequestUpdate, { actor: petitioner }));
    expect(review).toEqual({
      type: m.REJECTION.businessRule,
      message: expect.stringMatching(
        /^复查 and 复核 \(Regulations on Letters and Visits Art 35, Art 36\) do not apply to a report: 信访工作条例 Art 30/,
      ),
    });
  });

  // ── refusals with a clear reason ─────────────────────────────────────────────────────────────────────────

  it('refuses the wrong unit, the wrong stage and the wrong role, saying why', async () => {
    const caseId = await register();

    // Before the transfer no department holds the case, so none may learn it exists.
    const early = await refusal(act(caseId, m.acknowledgementUpdate, { actor: dept(HB) }));
    expect(early).toEqual({ type: m.REJECTION.notFound, message: 'case not found' });
    const byOffice = await refusal(act(caseId, m.acknowledgementUpdate, { actor: office }));
    expect(byOffice).toEqual({
      type: m.REJECTION.forbidden,
      message: 'acknowledgement is not for office (only for department)',
    });

    await act(caseId, m.acceptanceUpdate, { actor: office, decision: 'accept' });
    const otherUnit = await refusal(act(caseId, m.acknowledgementUpdate, { actor: dept(GA) }));
    expect(otherUnit).toEqual({ type: m.REJECTION.notFound, message: 'case not found' });
    const officeAgain = await refusal(act(caseId, m.acceptanceUpdate, { actor: office, decision: 'accept' }));
    expect(officeAgain).toEqual({
      type: m.REJECTION.conflict,
      message: 'acceptance by the office is not possible while the case is transferred (allowed when registered)',
    });
    const resultTooEarly = await refusal(act(caseId, m.resultUpdate, { actor: dept(HB), decision: 'support' }));
    expect(resultTooEarly).toEqual({
      type: m.REJECTION.conflict,
      message: 'a result is not possible while the case is transferred (allowed when handling, redo)',
    });

    await act(caseId, m.acknowledgementUpdate, { actor: dept(HB) });
    const ackTwice = await refusal(act(caseId, m.acknowledgementUpdate, { actor: dept(HB) }));
    expect(ackTwice).toEqual({
      type: m.REJECTION.conflict,
      message: 'acknowledgement is not possible while the case is acknowledged (allowed when transferred, assigned)',
    });
    await act(caseId, m.acceptanceUpdate, { actor: dept(HB), decision: 'accept' });

    // Art 34: one extension, within the profile's limit.
    const tooLong = await refusal(act(caseId, m.extensionUpdate, { actor: dept(HB), days: 61 }));
    expect(tooLong).toEqual({
      type: m.REJECTION.businessRule,
      message: 'an extension must be 1 to 60 days under the zhejiang profile, not 61',
    });
    await act(caseId, m.extensionUpdate, { actor: dept(HB), days: 20 });
    const extensionTwice = await refusal(act(caseId, m.extensionUpdate, { actor: dept(HB), days: 10 }));
    expect(extensionTwice).toEqual({
      type: m.REJECTION.businessRule,
      message: 'the handling period can be extended once only (Regulations on Letters and Visits Art 34)',
    });
    const before = (await view(caseId)).clocks.find((c) => c.key === 'handling')!.deadline;
    await act(caseId, m.extensionDecisionUpdate, { actor: office, approve: true });
    const after = (await view(caseId)).clocks.find((c) => c.key === 'handling')!.deadline;
    expect(after.length).toBe(before.length + 20);
    expect(Date.parse(after.dueAt)).toBeGreaterThan(Date.parse(before.dueAt));
    expect(after.explanation.extension).toMatchObject({ days: 20 });
    expect((await outbox(caseId)).map((n) => [n.kind, n.recipient])).toContainEqual(['extension_notice', 'petitioner']);
    const afterApproval = await refusal(act(caseId, m.extensionUpdate, { actor: dept(HB), days: 5 }));
    expect(afterApproval.type).toBe(m.REJECTION.businessRule);

    const rating = await refusal(act(caseId, m.ratingUpdate, { actor: dept(HB), rating: 'satisfied' }));
    expect(rating).toEqual({
      type: m.REJECTION.forbidden,
      message: 'a rating is not for department (only for petitioner)',
    });
    const ratingTooEarly = await refusal(act(caseId, m.ratingUpdate, { actor: petitioner, rating: 'satisfied' }));
    expect(ratingTooEarly).toEqual({ type: m.REJECTION.businessRule, message: 'the rating window is not open' });
    const noDecision = await refusal(act(caseId, m.resultUpdate, { actor: dept(HB) }));
    expect(noDecision.type).toBe(m.REJECTION.businessRule);
    expect(noDecision.message).toMatch(/needs a decision/);

    // None of the refusals left a trace in the case's story.
    const story = types(await timeline(caseId));
    expect(story.filter((t) => t === 'acknowledged')).toHaveLength(1);
    expect(story.filter((t) => t === 'extension_requested')).toHaveLength(1);
    expect(story).not.toContain('result_submitted');
  });

  // ── idempotency ──────────────────────────────────────────────────────────────────────────────────────────

  it('applies an action once per action ID, whether retried, resent under another update ID, or raced', async () => {
    const caseId = await register();
    await act(caseId, m.acceptanceUpdate, { actor: office, decision: 'accept' });

    const actionId = uniqueName('ack');
    const first = await act(caseId, m.acknowledgementUpdate, { actor: dept(HB), actionId });
    expect(first).toEqual({ actionId, stage: 'acknowledged', message: '已办理：acknowledgement' });
    // The HTTP call retried: the same update ID.
    expect(await act(caseId, m.acknowledgementUpdate, { actor: dept(HB), actionId })).toEqual(first);
    // The same action through another path (another update ID): answered from the workflow's record, not refused
    // as "already acknowledged".
    const resent = await act(caseId, m.acknowledgementUpdate, { actor: dept(HB), actionId }, uniqueName('upd'));
    expect(resent).toEqual({ ...first, duplicate: true });
    expect(types(await timeline(caseId)).filter((t) => t === 'acknowledged')).toHaveLength(1);

    // Two deliveries of one supplement at the same moment, under different update IDs: one supplement.
    const supplementId = uniqueName('sup');
    const raced = await Promise.all(
      [1, 2, 3].map((i) =>
        act(caseId, m.supplementUpdate, { actor: petitioner, actionId: supplementId }, `${supplementId}-${i}`),
      ),
    );
    expect(raced.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(types(await timeline(caseId)).filter((t) => t === 'supplement')).toHaveLength(1);
    expect((await view(caseId)).supplements).toBe(1);
  });

  // ── withdrawal ───────────────────────────────────────────────────────────────────────────────────────────

  it('ends the case as withdrawn when the petitioner withdraws, and tells the unit', async () => {
    const caseId = await register();
    await act(caseId, m.acceptanceUpdate, { actor: office, decision: 'accept' });
    const byUnit = await refusal(act(caseId, m.withdrawalUpdate, { actor: dept(HB) }));
    expect(byUnit).toEqual({
      type: m.REJECTION.forbidden,
      message: 'a withdrawal is not for department (only for petitioner, office)',
    });

    const withdrawn = await act(caseId, m.withdrawalUpdate, { actor: petitioner });
    expect(withdrawn.stage).toBe('withdrawn');
    expect(await handle(caseId).result()).toMatchObject({ caseId, stage: 'withdrawn' });
    expect(types(await timeline(caseId)).at(-1)).toBe('withdrawn');
    expect((await outbox(caseId)).map((n) => [n.kind, n.recipient])).toContainEqual(['withdrawn', HB]);
    const record = await stack.store.cases.findById(caseId).lean();
    expect(record).toMatchObject({ stage: 'withdrawn', deadlines: [] });
    expect(record!.closedAt).toBeInstanceOf(Date);
  });
});

/**
 * Escalation takes days, so this one runs on the time-skipping server (harness/time-skipping.ts): a report about the
 * city police bureau, handled by the district police below it, goes overdue and climbs the ladder — which must step
 * over the accused unit (Art 30).
 */
describe('escalation of a report (time-skipping server)', () => {
  let s: TimeSkippingStack | undefined;
  afterAll(async () => {
    await s?.stop();
  });

  it('never escalates a report to the unit it accuses', async () => {
    s = await startTimeSkippingStack();
    // Tuesday 5 June 2029, 10:00 in Hangzhou (zhejiang profile: 30 calendar days to handle).
    await s.moveTo('2029-06-05T02:00:00Z');
    const { caseId, handle } = await s.startCase({
      kind: 'report',
      regionCode: '330106',
      category: 'misconduct',
      accusedUnits: [CITY_GA],
    });
    // The office overrides the routing (which would pick the discipline unit): 330106-GA is not accused itself.
    const override = uniqueName('override');
    await handle.executeUpdate(m.acceptanceUpdate, {
      args: [{ actionId: override, actor: office, decision: 'accept', unitCode: GA }],
      updateId: override,
    });
    await s.act(handle, m.acceptanceUpdate, { actor: dept(GA), decision: 'accept' });

    // Due at the end of 5 July; then supervision, then one level up every 5 working days until nothing is left.
    await s.moveTo('2029-08-01T00:00:00Z');
    const ladder = await eventually(async () => {
      const entries = (await s!.timeline(caseId)).filter((e) => ['overdue_supervised', 'escalated'].includes(e.type));
      return (await s!.timeline(caseId)).some((e) => e.type === 'escalation_exhausted') ? entries : undefined;
    });
    expect(ladder.map((e) => [e.type, e.unitCode, e.escalationLevel])).toEqual([
      ['overdue_supervised', '330106-XFJ', 1],
      ['escalated', PROVINCE_GA, 2],
      ['escalated', '330000-BGT', 3],
    ]);
    expect((ladder[1]!.detail as { reason: string }).reason).toMatch(
      /已跳过被检举单位330100-GA，《信访工作条例》第三十条/,
    );

    const everyone = [
      ...(await s.timeline(caseId)).map((e) => e.unitCode),
      ...(await s.store.outbox.find({ caseId }).lean()).map((n) => n.recipient),
    ];
    expect(everyone).not.toContain(CITY_GA);
    expect(await s.view(handle)).toMatchObject({ stage: 'handling', leadUnit: GA, escalationLevel: 3, overdue: true });
  });
});
