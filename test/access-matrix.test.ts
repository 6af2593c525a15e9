/**
 * The department × case matrix on every `{caseId}` route: GET /v1/cases/{caseId} and every action. A case held by
 * unit A does not exist for unit B (404 everywhere, never a 403 that would tell it apart from a missing case); unit A
 * reaches every route (role refusals are 403, stage refusals 409/422); intake keys read only their own cases; a
 * revoked key is refused at once; and the identity of a reporter never reaches a department.
 */
import request from 'supertest';
import { ACTION_NAMES, type ActionName } from '../api/schemas';
import { eventually, startCaseStack, type CaseStack } from '../harness/case-stack';
import { uniqueName } from '../harness/shared-servers';
import { expectSchema } from './env/schemas';

const UNIT_A = '330100-HB';
const UNIT_B = '330106-ZJ';
/** 330100-HB's superior: it decides a review of the unit's reply. */
const REVIEW_UNIT = '330000-BGT';
const MISSING_CASE = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

const identity = {
  name: '钱七测试',
  phone: '13912345678',
  idNumber: '33010619800101123X',
  email: 'qianqi.reporter@example.org',
  address: '杭州市西湖区文三路 88 号 3 单元',
};
const accusedPerson = '孙八被举报';
const SECRETS = [identity.name, identity.phone, identity.idNumber, identity.email, identity.address, accusedPerson];

const report = {
  channel: 'online',
  kind: 'report',
  subject: 'Illegal dumping at night',
  content: 'A truck from the Wensan Road site dumps waste into the river every night.',
  regionCode: '330106',
  category: 'environment',
  petitioner: identity,
  accused: { units: ['330106-GA'], persons: [accusedPerson] },
  representatives: [{ name: identity.name, phone: identity.phone }],
};

/** A valid body for each action, so a refusal comes from the case, never from validation. */
function bodyFor(action: ActionName): Record<string, unknown> {
  const actionId = uniqueName(`am-${action}`);
  const bodies: Record<ActionName, Record<string, unknown>> = {
    acceptance: { actionId, decision: 'accept' },
    acknowledgement: { actionId },
    objection: { actionId, reason: 'Dumping into rivers is the water bureau.' },
    'objection-decision': { actionId, approve: false, reason: 'It is yours.' },
    extension: { actionId, days: 10, reason: 'A joint inspection is scheduled.' },
    'extension-decision': { actionId, approve: true },
    result: {
      actionId,
      decision: 'support',
      factsAndReasons: 'Inspected on site; the truck was fined.',
      legalBasis: 'Water Pollution Prevention Law Art 85',
    },
    supplement: { actionId, content: 'Photos attached.' },
    hearing: { actionId, action: 'start' },
    rating: { actionId, rating: 'satisfied' },
    'review-request': { actionId, reason: 'Dumping continues.' },
    'review-decision': { actionId, decision: 'explain', factsAndReasons: 'Fined.', legalBasis: 'Art 85' },
    withdrawal: { actionId, reason: 'Resolved.' },
    designation: { actionId, unitCode: '330106-JW', reason: 'Misconduct reports are the commission’s.' },
    accusation: { actionId, persons: [{ name: '赵某', unitCode: '330106-ZJ' }] },
    recusal: { actionId, unitCode: '330106-ZJ', reason: 'Party to the contract.' },
    answer: { actionId, answer: 'The office answers.' },
    diversion: { actionId, procedure: 'litigation', organ: '西湖区人民法院', reason: 'For the court.' },
    'execution-report': { actionId, report: 'Done.' },
    'callback-decision': { actionId, outcome: 'callback', note: 'Called back.' },
    supervision: { actionId, reason: 'delay', letter: 'Explain the delay.' },
    'supervision-reply': { actionId, itemId: 'S1', reply: 'Explained.' },
    urgency: { actionId, urgent: true, reason: 'A crowd at the gate.' },
    'repeat-decision': { actionId, decision: 'own_case' },
    service: { actionId, noticeId: '01KAZQ2BX5M7T3W9R6YV4P8N2C:acceptance:0', undeliverable: true },
  };
  return bodies[action];
}

/** Actions a department never sends: the role refusal is 403 for a unit holding the case. */
const NOT_FOR_DEPARTMENTS: ActionName[] = [
  'objection-decision',
  'extension-decision',
  'supplement',
  'rating',
  'review-request',
  'withdrawal',
  'designation',
  'accusation',
  'recusal',
  'callback-decision',
  'supervision',
  'urgency',
  'repeat-decision',
  'service',
];
/** Actions of the unit deciding a review; to any other unit the case is not there (404). */
const REVIEW_UNIT_ACTIONS: ActionName[] = ['hearing', 'review-decision'];

describe('access matrix: departments × cases on every {caseId} route', () => {
  let stack: CaseStack;
  let caseId: string;
  let reportTracking: string;
  /** A confidential complaint of the same petitioner: reports have no review (Art 30), so the reviewer reads this. */
  let reviewed: { caseId: string; trackingCode: string; pin: string };
  const deptKeys: Record<string, { id: string; key: string }> = {};
  /** Every answer a department key received, checked for identity at the end. */
  const departmentAnswers: { what: string; res: request.Response }[] = [];

  beforeAll(async () => {
    stack = await startCaseStack();
    for (const unitCode of [UNIT_A, UNIT_B, REVIEW_UNIT]) {
      const created = await request(stack.app)
        .post('/v1/admin/api-keys')
        .set('Authorization', `Bearer ${stack.keys.admin}`)
        .send({ role: 'department', unitCode, label: `access matrix ${unitCode}` })
        .expect(201);
      deptKeys[unitCode] = { id: created.body.id, key: created.body.key };
    }
    const intake = await request(stack.app)
      .post('/v1/cases')
      .set('Authorization', `Bearer ${stack.keys.intake}`)
      .send({ ...report, subject: uniqueName('dumping') })
      .expect(201);
    ({ caseId, trackingCode: reportTracking } = intake.body);
    const complaint = await request(stack.app)
      .post('/v1/cases')
      .set('Authorization', `Bearer ${stack.keys.intake}`)
      .send({ ...report, kind: 'complaint', accused: undefined, confidential: true, subject: uniqueName('dust') })
      .expect(201);
    reviewed = complaint.body;
    await eventually(async () => (await stack.store.cases.findById(reviewed.caseId)) !== null);
    await request(stack.app)
      .post(`/v1/cases/${reviewed.caseId}/acceptance`)
      .set('Authorization', `Bearer ${stack.keys.office}`)
      .send({ actionId: uniqueName('acc'), decision: 'accept', unitCode: UNIT_A })
      .expect(200);
    await eventually(async () => (await stack.store.cases.findById(caseId)) !== null);
    await request(stack.app)
      .post(`/v1/cases/${caseId}/acceptance`)
      .set('Authorization', `Bearer ${stack.keys.office}`)
      .send({ actionId: uniqueName('acc'), decision: 'accept', mode: 'transfer', unitCode: UNIT_A })
      .expect(200);
    await eventually(async () => {
      const doc = await stack.store.cases.findById(caseId).lean();
      return doc?.units?.includes(UNIT_A) ?? false;
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const as = (key: string, record = false) => {
    const keep = (what: string) => (res: request.Response) => {
      if (record) departmentAnswers.push({ what, res });
      return res;
    };
    return {
      get: (path: string) =>
        request(stack.app)
          .get(path)
          .set('Authorization', `Bearer ${key}`)
          .then(keep(`GET ${path}`)),
      post: (path: string, body: object) =>
        request(stack.app)
          .post(path)
          .set('Authorization', `Bearer ${key}`)
          .send(body)
          .then(keep(`POST ${path}`)),
    };
  };
  const dept = (unitCode: string) => as(deptKeys[unitCode]!.key, true);

  /** GET the case and POST every action as this caller; the statuses by route. */
  async function sweep(
    caller: ReturnType<typeof as>,
    id: string,
    actions: readonly ActionName[] = ACTION_NAMES,
  ): Promise<Record<string, { status: number; detail: string }>> {
    const out: Record<string, { status: number; detail: string }> = {};
    const read = await caller.get(`/v1/cases/${id}`);
    out.GET = { status: read.status, detail: String(read.body.detail ?? '') };
    for (const action of actions) {
      const res = await caller.post(`/v1/cases/${id}/${action}`, bodyFor(action));
      out[action] = { status: res.status, detail: String(res.body.detail ?? '') };
    }
    return out;
  }

  it('covers GET and all 25 actions', () => {
    expect(ACTION_NAMES).toHaveLength(25);
  });

  it('unit B gets 404 on every route, exactly as for a case that does not exist', async () => {
    const held = await sweep(dept(UNIT_B), caseId);
    const missing = await sweep(dept(UNIT_B), MISSING_CASE);
    for (const route of ['GET', ...ACTION_NAMES]) {
      expect([route, held[route]!.status]).toEqual([route, 404]);
      expect([route, held[route]!.detail.replace(caseId, '<id>')]).toEqual([
        route,
        missing[route]!.detail.replace(MISSING_CASE, '<id>'),
      ]);
    }
    // Nor does its inbox list the case, and A's inbox does not exist for it.
    const inbox = await dept(UNIT_B).get(`/v1/units/${UNIT_B}/inbox`);
    expect(inbox.status).toBe(200);
    expect(inbox.body.items.map((i: { caseId: string }) => i.caseId)).not.toContain(caseId);
    expect((await dept(UNIT_B).get(`/v1/units/${UNIT_A}/inbox`)).status).toBe(404);
    // Nothing B sent changed the case.
    const doc = await as(stack.keys.office!).get(`/v1/cases/${caseId}`);
    expect(doc.body.stage).toBe('transferred');
  });

  it('unit A reaches every route its role may use; office-only and petitioner-only actions are 403', async () => {
    const a = dept(UNIT_A);
    const read = await a.get(`/v1/cases/${caseId}`);
    expect(read.status).toBe(200);
    expect(read.body.units).toContain(UNIT_A);
    const inbox = await a.get(`/v1/units/${UNIT_A}/inbox`);
    expect(inbox.status).toBe(200);
    expect(inbox.body.items.map((i: { caseId: string }) => i.caseId)).toContain(caseId);

    const statuses: Record<string, number> = {};
    for (const action of NOT_FOR_DEPARTMENTS) {
      statuses[action] = (await a.post(`/v1/cases/${caseId}/${action}`, bodyFor(action))).status;
    }
    for (const action of REVIEW_UNIT_ACTIONS) {
      statuses[action] = (await a.post(`/v1/cases/${caseId}/${action}`, bodyFor(action))).status;
    }
    // The lead unit's own steps, in the order of the procedure; the objection comes when its stage has passed.
    for (const action of ['acknowledgement', 'acceptance', 'extension', 'objection'] as const) {
      statuses[action] = (await a.post(`/v1/cases/${caseId}/${action}`, bodyFor(action))).status;
    }
    expect(statuses).toEqual({
      'objection-decision': 403,
      'extension-decision': 403,
      supplement: 403,
      rating: 403,
      'review-request': 403,
      withdrawal: 403,
      designation: 403,
      accusation: 403,
      recusal: 403,
      'callback-decision': 403,
      supervision: 403,
      urgency: 403,
      'repeat-decision': 403,
      service: 403,
      hearing: 404,
      'review-decision': 404,
      acknowledgement: 200,
      acceptance: 200,
      extension: 200,
      objection: 409,
    });
    // A report's result notice (Art 30): no review follows, so the case is resolved at once.
    const result = await a.post(`/v1/cases/${caseId}/result`, { ...bodyFor('result'), decision: 'substantiated' });
    expect(result.status).toBe(200);
    expect(result.body.stage).toBe('resolved');
    // B still sees nothing, whatever the stage.
    const again = await sweep(dept(UNIT_B), caseId);
    for (const route of ['GET', ...ACTION_NAMES]) expect([route, again[route]!.status]).toEqual([route, 404]);
  });

  it('the reviewing unit reaches the case once a review is asked, and the hearing and review routes with it', async () => {
    const a = dept(UNIT_A);
    expect((await a.post(`/v1/cases/${reviewed.caseId}/acceptance`, bodyFor('acceptance'))).status).toBe(200);
    expect(
      (await a.post(`/v1/cases/${reviewed.caseId}/result`, { ...bodyFor('result'), decision: 'explain' })).status,
    ).toBe(200);
    const { trackingCode, pin } = reviewed;
    await eventually(async () => {
      const r = await request(stack.app).get(`/v1/track/${trackingCode}`).set('X-Tracking-Pin', pin);
      return r.body.stage === 'reply_delivered';
    });
    expectSchema(
      await request(stack.app)
        .post(`/v1/track/${trackingCode}/review-request`)
        .set('X-Tracking-Pin', pin)
        .send({ actionId: uniqueName('rev'), reason: 'Dumping continues.' })
        .expect(200),
    );
    const reviewer = dept(REVIEW_UNIT);
    await eventually(async () => (await reviewer.get(`/v1/cases/${reviewed.caseId}`)).status === 200);
    const hearing = await reviewer.post(`/v1/cases/${reviewed.caseId}/hearing`, bodyFor('hearing'));
    // A hearing belongs to a re-review; at the review stage it is refused by stage, not by existence.
    expect(hearing.status).toBe(409);
    const decision = await reviewer.post(`/v1/cases/${reviewed.caseId}/review-decision`, bodyFor('review-decision'));
    expect(decision.status).toBe(200);
    // B, still: 404 on every route, on both cases.
    for (const id of [caseId, reviewed.caseId]) {
      const again = await sweep(dept(UNIT_B), id);
      for (const route of ['GET', ...ACTION_NAMES]) expect([route, again[route]!.status]).toEqual([route, 404]);
    }
  });

  it('intake keys read only the cases they registered; another intake key gets 404', async () => {
    const own = await as(stack.keys.intake!).get(`/v1/cases/${caseId}`);
    expect(own.status).toBe(200);
    expect(own.body.caseId).toBe(caseId);
    const other = await as(stack.keys.intake2!).get(`/v1/cases/${caseId}`);
    expect(other.status).toBe(404);
    const missing = await as(stack.keys.intake2!).get(`/v1/cases/${MISSING_CASE}`);
    expect(other.body.detail.replace(caseId, '<id>')).toBe(missing.body.detail.replace(MISSING_CASE, '<id>'));
    // Actions are not for intake keys at all: the same 403 for any case ID, existing or not.
    for (const action of ACTION_NAMES) {
      const held = await as(stack.keys.intake2!).post(`/v1/cases/${caseId}/${action}`, bodyFor(action));
      const none = await as(stack.keys.intake2!).post(`/v1/cases/${MISSING_CASE}/${action}`, bodyFor(action));
      expect([action, held.status, none.status]).toEqual([action, 403, 403]);
      expect(held.body.detail).toBe(none.body.detail);
    }
    // An admin key is not a case reader either.
    expect((await as(stack.keys.admin!).get(`/v1/cases/${caseId}`)).status).toBe(404);
  });

  it('refuses a revoked key at once with 401', async () => {
    const created = await request(stack.app)
      .post('/v1/admin/api-keys')
      .set('Authorization', `Bearer ${stack.keys.admin}`)
      .send({ role: 'department', unitCode: REVIEW_UNIT, label: 'to be revoked' })
      .expect(201);
    const key = as(created.body.key);
    expect((await key.get(`/v1/cases/${reviewed.caseId}`)).status).toBe(200);
    expect((await key.get(`/v1/units/${REVIEW_UNIT}/inbox`)).status).toBe(200);
    await request(stack.app)
      .delete(`/v1/admin/api-keys/${created.body.id}`)
      .set('Authorization', `Bearer ${stack.keys.admin}`)
      .expect(204);
    const read = await key.get(`/v1/cases/${reviewed.caseId}`);
    expect(read.status).toBe(401);
    expect(read.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await key.get(`/v1/units/${REVIEW_UNIT}/inbox`)).status).toBe(401);
    expect((await key.post(`/v1/cases/${caseId}/hearing`, bodyFor('hearing'))).status).toBe(401);
    expect((await key.get('/v1/stats')).status).toBe(401);
    // Revoking an intake key works the same way.
    const intake = await request(stack.app)
      .post('/v1/admin/api-keys')
      .set('Authorization', `Bearer ${stack.keys.admin}`)
      .send({ role: 'intake', label: 'to be revoked too' })
      .expect(201);
    await as(intake.body.key).post('/v1/cases', { ...report, kind: 'complaint', subject: uniqueName('x') });
    await request(stack.app)
      .delete(`/v1/admin/api-keys/${intake.body.id}`)
      .set('Authorization', `Bearer ${stack.keys.admin}`)
      .expect(204);
    const after = await as(intake.body.key).post('/v1/cases', {
      ...report,
      kind: 'complaint',
      subject: uniqueName('y'),
    });
    expect(after.status).toBe(401);
  });

  it("never shows a reporter's identity or the accused persons in any department-facing answer", async () => {
    // The office does see them (the read is logged), which proves the strings are in the record.
    const office = await as(stack.keys.office!).get(`/v1/cases/${caseId}`);
    expect(office.body.petitioner).toMatchObject({ name: identity.name, phone: identity.phone });
    expect(office.body.accused.persons).toContainEqual({ name: accusedPerson });

    for (const [unitCode, id] of [
      [UNIT_A, caseId],
      [UNIT_A, reviewed.caseId],
      [REVIEW_UNIT, reviewed.caseId],
    ] as const) {
      const read = await dept(unitCode).get(`/v1/cases/${id}`);
      expect(read.body).not.toHaveProperty('petitioner');
      expect(read.body).not.toHaveProperty('representatives');
      expect(read.body).not.toHaveProperty('accused');
      expect(read.status).toBe(200);
      expect(read.body).not.toHaveProperty('trackingCode');
      await dept(unitCode).get(`/v1/units/${unitCode}/inbox`);
    }
    expect(departmentAnswers.length).toBeGreaterThan(50);
    const leaks = departmentAnswers.flatMap(({ what, res }) => {
      const text = `${res.text}\n${JSON.stringify(res.headers)}`;
      return SECRETS.filter((secret) => text.includes(secret)).map((secret) => `${what} (${res.status}): ${secret}`);
    });
    expect(leaks).toEqual([]);
    // Nor does any answer carry the tracking code or PIN a department could use as the petitioner.
    const petitionerSecrets = departmentAnswers.filter(
      ({ res }) => res.text.includes(reportTracking) || res.text.includes(reviewed.trackingCode),
    );
    expect(petitionerSecrets.map((a) => a.what)).toEqual([]);
  });
});
