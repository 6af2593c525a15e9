/**
 * Issue 12, items 1 and 2, through the HTTP API: an action's words belong to the caller that sent them, and an
 * `actionId` names one request. A unit that does not hold a case writes nothing and learns nothing; a used actionId
 * answers 2xx only for the very same request (flagged `duplicate`), 409 naming the earlier use otherwise.
 * Also item 10's ended case: 409 with the ending for those who held it, 404 for a unit that never did.
 */
import request from 'supertest';
import { caseWorkflowId } from '../domain/ids';
import * as actionIds from '../workflows/action-ids';
import type { RuleState } from '../workflows/rules';
import { eventually, startCaseStack, type CaseStack } from '../harness/case-stack';
import { noiseComplaint } from '../harness/case-start';
import { inLanguage } from './env/rejections';
import { uniqueName } from '../harness/shared-servers';
import { expectSchema } from './env/schemas';

/** The rule, its refusals in English. */
const { appliedAction, duplicateAnswer, reusedActionId } = inLanguage(actionIds);

const LEAD = '330100-HB'; // the demo rules route environment cases in 3301xx here
const OTHER = '330106-GA'; // never holds these cases

describe('action IDs and the words of an action', () => {
  let stack: CaseStack;
  beforeAll(async () => {
    stack = await startCaseStack({ departments: [LEAD, OTHER] });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const as = (key: string) => ({
    post: (path: string, body: object) =>
      request(stack.app).post(path).set('Authorization', `Bearer ${key}`).send(body),
  });
  const office = () => as(stack.keys.office!);
  const lead = () => as(stack.keys[`dept:${LEAD}`]!);
  const other = () => as(stack.keys[`dept:${OTHER}`]!);

  /** A complaint accepted by the office and sent to the lead unit; its tracking code and PIN. */
  async function transferred(): Promise<{ caseId: string; trackingCode: string; pin: string }> {
    const intake = await as(stack.keys.intake!)
      .post('/v1/cases', { ...noiseComplaint, subject: uniqueName('noise') })
      .expect(201);
    const { caseId, trackingCode, pin } = intake.body;
    await eventually(async () => (await stack.store.cases.findById(caseId).lean())?.progressVersion);
    await office()
      .post(`/v1/cases/${caseId}/acceptance`, { actionId: uniqueName('accept'), decision: 'accept' })
      .expect(200);
    return { caseId, trackingCode, pin };
  }

  async function handling(): Promise<{ caseId: string; trackingCode: string; pin: string }> {
    const c = await transferred();
    await lead()
      .post(`/v1/cases/${c.caseId}/acknowledgement`, { actionId: uniqueName('ack') })
      .expect(200);
    await lead()
      .post(`/v1/cases/${c.caseId}/acceptance`, { actionId: uniqueName('acc'), decision: 'accept' })
      .expect(200);
    return c;
  }

  it('forged replies: a unit that does not hold the case writes nothing, and the reply carries only the lead’s words', async () => {
    const { caseId, trackingCode, pin } = await handling();
    const actionId = 'res-20261201-0001';
    const forged = await other()
      .post(`/v1/cases/${caseId}/result`, {
        actionId,
        decision: 'explain',
        factsAndReasons: 'FORGED facts written by another unit.',
        legalBasis: 'FORGED legal basis',
      })
      .expect(404);
    expect(forged.body.detail).not.toMatch(/handling|stage|办理中|阶段/);
    // Refused before anything was stored.
    expect(await stack.store.actionTexts.countDocuments({ caseId })).toBe(0);

    const applied = await lead()
      .post(`/v1/cases/${caseId}/result`, {
        actionId,
        decision: 'explain',
        factsAndReasons: 'Inspection on site confirmed work after 22:00.',
        legalBasis: 'Noise Pollution Prevention Law Art 43',
      })
      .expect(200);
    expect(applied.body).toMatchObject({ actionId, stage: 'reply_delivered', message: '已办理：result' });
    expect(applied.body.duplicate).toBeUndefined();

    const tracked = await eventually(async () => {
      const r = await request(stack.app).get(`/v1/track/${trackingCode}`).set('X-Tracking-Pin', pin);
      return r.status === 200 && r.body.replies?.['0'] ? r : undefined;
    });
    const reply = tracked.body.replies['0'];
    expect(reply.text).toMatch(/Noise Pollution Prevention Law Art 43/);
    expect(reply.factsAndReasons).toBe('Inspection on site confirmed work after 22:00.');
    expect(JSON.stringify(tracked.body)).not.toMatch(/FORGED/);
  });

  it('forged replies: words of a refused request never reach the reply sent later under the same actionId', async () => {
    const { caseId, trackingCode, pin } = await transferred();
    const actionId = uniqueName('res');
    // Too early: the unit has not accepted the case yet.
    await lead()
      .post(`/v1/cases/${caseId}/result`, {
        actionId,
        decision: 'support',
        factsAndReasons: 'DRAFT words of a refused request.',
        legalBasis: 'DRAFT basis',
      })
      .expect(409);
    await lead()
      .post(`/v1/cases/${caseId}/acknowledgement`, { actionId: uniqueName('ack') })
      .expect(200);
    await lead()
      .post(`/v1/cases/${caseId}/acceptance`, { actionId: uniqueName('acc'), decision: 'accept' })
      .expect(200);
    await lead()
      .post(`/v1/cases/${caseId}/result`, {
        actionId,
        decision: 'explain',
        factsAndReasons: 'Final facts.',
        legalBasis: 'Final basis',
      })
      .expect(200);
    const tracked = await eventually(async () => {
      const r = await request(stack.app).get(`/v1/track/${trackingCode}`).set('X-Tracking-Pin', pin);
      return r.status === 200 && r.body.replies?.['0'] ? r : undefined;
    });
    expect(tracked.body.replies['0']).toMatchObject({ factsAndReasons: 'Final facts.', legalBasis: 'Final basis' });
  });

  it('reused actionId: another action, caller or body is 409 naming the earlier use; the same request is a duplicate', async () => {
    const intake = await as(stack.keys.intake!)
      .post('/v1/cases', { ...noiseComplaint, subject: uniqueName('noise') })
      .expect(201);
    const { caseId } = intake.body;
    const path = `/v1/cases/${caseId}`;
    const shared = uniqueName('x');
    await office().post(`${path}/acceptance`, { actionId: shared, decision: 'accept' }).expect(200);

    // The unit's acknowledgement under the office's ID: refused, naming the action but not who sent it.
    const reused = await lead().post(`${path}/acknowledgement`, { actionId: shared }).expect(409);
    expect(reused.body.detail).toMatch(new RegExp(`${shared}.*acceptance`));
    expect(reused.body.detail).not.toMatch(/office/);
    // Nothing was acknowledged: a fresh ID still can.
    const ack = await lead()
      .post(`${path}/acknowledgement`, { actionId: uniqueName('ack') })
      .expect(200);
    expect(ack.body.stage).toBe('acknowledged');

    await lead()
      .post(`${path}/acceptance`, { actionId: uniqueName('acc'), decision: 'accept' })
      .expect(200);
    const extensionId = uniqueName('ext');
    const extension = { actionId: extensionId, days: 15, reason: 'An inspection is scheduled.' };
    const first = await lead().post(`${path}/extension`, extension).expect(200);
    expect(first.body).toMatchObject({ actionId: extensionId, message: '已办理：extension' });
    expect(first.body.duplicate).toBeUndefined();

    // The same request again: the earlier answer, flagged.
    const again = await lead().post(`${path}/extension`, extension).expect(200);
    expect(again.body).toEqual({ ...first.body, duplicate: true });
    // The same ID with another body, or for another action: 409, and the result is not lost silently.
    const otherBody = await lead()
      .post(`${path}/extension`, { ...extension, days: 20 })
      .expect(409);
    expect(otherBody.body.detail).toMatch(/extension/);
    const result = await lead()
      .post(`${path}/result`, {
        actionId: extensionId,
        decision: 'explain',
        factsAndReasons: 'Done.',
        legalBasis: 'Art 32',
      })
      .expect(409);
    expect(result.body.detail).toMatch(new RegExp(`${extensionId}.*extension`));
    const view = await request(stack.app).get(path).set('Authorization', `Bearer ${stack.keys.office}`).expect(200);
    expect(view.body.stage).toBe('handling');
  });

  it('reused actionId: a unit that does not hold the case gets 404, never the case’s stage or an earlier answer', async () => {
    const intake = await as(stack.keys.intake!)
      .post('/v1/cases', { ...noiseComplaint, subject: uniqueName('noise') })
      .expect(201);
    const { caseId } = intake.body;
    const shared = uniqueName('x');
    await office().post(`/v1/cases/${caseId}/acceptance`, { actionId: shared, decision: 'accept' }).expect(200);
    for (const body of [{ actionId: shared }, { actionId: shared, decision: 'accept' }]) {
      const action = 'decision' in body ? 'acceptance' : 'acknowledgement';
      const res = await other().post(`/v1/cases/${caseId}/${action}`, body).expect(404);
      expect(res.body.detail).toBe(`未找到信访事项${caseId}`);
    }
  });

  it('actions on an ended case answer 409 naming the ending, and 404 to a unit that never held it', async () => {
    const { caseId, trackingCode, pin } = await transferred();
    expectSchema(
      await request(stack.app)
        .post(`/v1/track/${trackingCode}/withdrawal`)
        .set('X-Tracking-Pin', pin)
        .send({ actionId: uniqueName('wd') })
        .expect(200),
    );
    await stack.client.workflow.getHandle(caseWorkflowId(caseId)).result();

    const byOffice = await office()
      .post(`/v1/cases/${caseId}/acceptance`, { actionId: uniqueName('acc'), decision: 'accept' })
      .expect(409);
    expect(byOffice.body.detail).toMatch(/已撤回/);
    const byHolder = await lead().post(`/v1/cases/${caseId}/acknowledgement`, { actionId: uniqueName('ack') });
    expect(byHolder.status).toBe(409);
    expect(byHolder.body.detail).toMatch(/已撤回/);
    const byStranger = await other().post(`/v1/cases/${caseId}/acknowledgement`, { actionId: uniqueName('ack') });
    expect(byStranger.status).toBe(404);
    expect(JSON.stringify(byStranger.body)).not.toMatch(/withdrawn|已撤回/);
  });
});

describe('an action ID names one request (the rule the workflow applies)', () => {
  const state = {
    stage: 'handling',
    kind: 'complaint',
    accusedUnits: [],
    leadUnit: LEAD,
    coHandlers: [],
    designatedUnits: [],
    clocks: [],
  } as unknown as RuleState;
  const lead = { role: 'department' as const, unitCode: LEAD, keyId: 'k1' };
  const applied = appliedAction(
    'extension',
    { actionId: 'ext-00000001', actor: lead, digest: 'd1' },
    {
      actionId: 'ext-00000001',
      stage: 'handling',
      message: '已办理：extension',
    },
  );

  it('answers the same request, and refuses another action, caller or body under the same ID', () => {
    expect(reusedActionId(state, applied, 'extension', { actionId: 'ext-00000001', actor: lead, digest: 'd1' })).toBe(
      undefined,
    );
    expect(duplicateAnswer(applied)).toEqual({
      actionId: 'ext-00000001',
      stage: 'handling',
      message: '已办理：extension',
      duplicate: true,
    });
    for (const [action, actor, digest] of [
      ['result', lead, 'd1'],
      ['extension', lead, 'd2'],
      ['extension', { ...lead, keyId: 'k2' }, 'd1'],
    ] as const) {
      expect(reusedActionId(state, applied, action, { actionId: 'ext-00000001', actor, digest })).toEqual({
        type: 'Conflict',
        message:
          'actionId ext-00000001 was already used on this case for extension; send this ' +
          action +
          ' with a new actionId',
      });
    }
    const stranger = { role: 'department' as const, unitCode: OTHER };
    expect(reusedActionId(state, applied, 'result', { actionId: 'ext-00000001', actor: stranger })).toMatchObject({
      type: 'NotFound',
    });
  });

  it('compares what an entry from before the rule kept: the action, named in its message', () => {
    const legacy = { actionId: 'acc-00000001', stage: 'transferred' as const, message: 'acceptance applied' };
    const office = { role: 'office' as const };
    expect(reusedActionId(state, legacy, 'acceptance', { actionId: 'acc-00000001', actor: office })).toBe(undefined);
    expect(reusedActionId(state, legacy, 'acknowledgement', { actionId: 'acc-00000001', actor: lead })).toMatchObject({
      type: 'Conflict',
      message: expect.stringMatching(/for acceptance/),
    });
  });
});
