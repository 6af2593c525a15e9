import request from 'supertest';
import { expectSchema } from './env/schemas';
import { startCaseStack, type CaseStack } from '../harness/case-stack';
import { uniqueName } from '../harness/shared-servers';

/**
 * A hand-checked fixture for March 2025 (Asia/Shanghai), written straight into the timeline and the case projection
 * in the shapes the case workflow writes them. Three units:
 *
 * A = 330100-HB  received A1 A2 A3 A5 (A4 came in February)       → 4
 *                responded in time: A1 (acknowledged), A5 (accepted outright); A2 late, A3 never → 2/4
 *                results in March: A1 on time, A2 after handling supervision, A4 on time → 2/3
 *                ended in March: A1 resolved/support, A6 resolved/explain, A4 terminated/not_support → 2/3
 *                rated in March: A1 satisfied, A2 dissatisfied, A4 dissatisfied → 1/3
 *                open and overdue now: A3, B6 (A co-handles) → 2; escalated: A2, A3, B6 → 3
 * B = 330106-GA  received B1 B2 B3 (B4 arrives at 00:00 on 1 April) → 3
 *                responded: B2, B3 (after the period, still counts); B1 moved to C first → 2/3
 *                results: B2 on time → 1/1; ended: B5 withdrawn only → none; rated in March: none
 *                overdue: B6 → 1; escalated: B6 → 1
 * C = 330100-GA  received B1 → 1, responded 0/1
 *                C1 (from February, rated dissatisfied then): returned for redo in March → redo 1; its second
 *                result on time → 1/1; rated satisfied after the redo → 1/1, and after redo 1/1; its execution
 *                reported in time → 1/1
 * B's execution of B2 reported late → 0/1. Registered in March: one group petition (G1), two urgent (G1, U1); U2
 * was urgent in February.
 */
const A = '330100-HB';
const B = '330106-GA';
const C = '330100-GA';
const at = (local: string) => new Date(`${local}+08:00`);

describe('GET /v1/stats', () => {
  let stack: CaseStack;
  const id = (name: string) => `stats-${name}`;

  beforeAll(async () => {
    stack = await startCaseStack({ departments: [A] });
    const entries: { _id: string; caseId: string; at: Date; type: string; unitCode?: string; detail?: object }[] = [];
    const story = (caseName: string, steps: [string, string, string?, object?][]) =>
      steps.forEach(([when, type, unitCode, detail], version) => {
        const caseId = id(caseName);
        entries.push({ _id: `${caseId}:${version + 1}.0:${type}`, caseId, at: at(when), type, unitCode, detail });
      });
    const supervision = (clock: string, holder: string) => ({ clock, holder, reason: 'overdue', dueAt: '' });

    story('A1', [
      ['2025-03-03T10:00:00', 'transferred', A],
      ['2025-03-04T09:00:00', 'acknowledged', A],
      ['2025-03-05T09:00:00', 'accepted', A],
      ['2025-03-20T15:00:00', 'result_submitted', A, { decision: 'support' }],
      ['2025-03-20T15:00:01', 'reply_delivered', A, { decision: 'support', round: 0 }],
      ['2025-03-22T08:00:00', 'rated', undefined, { rating: 'satisfied' }],
    ]);
    story('A2', [
      ['2025-03-05T10:00:00', 'transferred', A],
      ['2025-03-11T00:00:00', 'overdue_supervised', 'office-head', supervision('acknowledge', A)],
      ['2025-03-12T09:00:00', 'acknowledged', A],
      ['2025-03-12T10:00:00', 'accepted', A],
      ['2025-03-26T00:00:00', 'overdue_supervised', 'office-head', supervision('handling', A)],
      ['2025-03-28T09:00:00', 'result_submitted', A, { decision: 'explain' }],
      ['2025-03-28T09:00:01', 'reply_delivered', A, { decision: 'explain', round: 0 }],
      ['2025-03-30T09:00:00', 'rated', undefined, { rating: 'dissatisfied' }],
    ]);
    story('A3', [
      ['2025-03-10T10:00:00', 'transferred', A],
      ['2025-03-14T00:00:00', 'overdue_supervised', 'office-head', supervision('acknowledge', A)],
    ]);
    story('A4', [
      ['2025-02-20T10:00:00', 'transferred', A],
      ['2025-02-21T10:00:00', 'acknowledged', A],
      ['2025-02-21T11:00:00', 'accepted', A],
      // A co-handler's lapse is not the lead unit's.
      ['2025-02-28T00:00:00', 'overdue_supervised', 'office-head', supervision('handling', B)],
      ['2025-03-03T10:00:00', 'result_submitted', A, { decision: 'not_support' }],
      ['2025-03-03T10:00:01', 'reply_delivered', A, { decision: 'not_support', round: 0 }],
      ['2025-03-05T10:00:00', 'rated', undefined, { rating: 'dissatisfied' }],
    ]);
    story('A5', [
      ['2025-03-15T10:00:00', 'transferred', A],
      ['2025-03-16T10:00:00', 'accepted', A],
    ]);
    story('A6', [
      ['2025-01-06T10:00:00', 'transferred', A],
      ['2025-01-07T10:00:00', 'acknowledged', A],
    ]);
    story('B1', [
      ['2025-03-02T10:00:00', 'transferred', B],
      ['2025-03-04T10:00:00', 'objection', B],
      ['2025-03-06T10:00:00', 'transferred', C],
      ['2025-03-07T10:00:00', 'acknowledged', B],
    ]);
    story('B2', [
      ['2025-03-03T10:00:00', 'transferred', B],
      ['2025-03-04T10:00:00', 'acknowledged', B],
      ['2025-03-05T10:00:00', 'accepted', B],
      ['2025-03-29T10:00:00', 'result_submitted', B, { decision: 'support' }],
      ['2025-03-29T10:00:01', 'reply_delivered', B, { decision: 'support', round: 0 }],
      ['2025-04-02T10:00:00', 'rated', undefined, { rating: 'satisfied' }],
    ]);
    story('B3', [
      ['2025-03-31T23:00:00', 'transferred', B],
      ['2025-04-01T09:00:00', 'acknowledged', B],
    ]);
    story('B4', [['2025-04-01T00:00:00', 'transferred', B]]);
    story('B2x', [['2025-03-30T10:00:00', 'execution_reported', B, { late: true }]]);
    story('C1', [
      ['2025-02-03T10:00:00', 'transferred', C],
      ['2025-02-04T10:00:00', 'accepted', C],
      ['2025-02-14T10:00:00', 'result_submitted', C, { decision: 'explain' }],
      ['2025-02-14T10:00:01', 'reply_delivered', C, { decision: 'explain', round: 0 }],
      ['2025-02-16T10:00:00', 'rated', undefined, { rating: 'dissatisfied' }],
      ['2025-03-04T10:00:00', 'returned_for_redo', C, { days: 15 }],
      ['2025-03-10T10:00:00', 'result_submitted', C, { decision: 'support' }],
      ['2025-03-10T10:00:01', 'reply_delivered', C, { decision: 'support', round: 3 }],
      ['2025-03-12T10:00:00', 'rated', undefined, { rating: 'satisfied' }],
      ['2025-03-20T10:00:00', 'execution_reported', C, { late: false }],
    ]);
    await stack.store.timeline.insertMany(entries);

    const caseDoc = (name: string, leadUnit: string, fields: object) => ({
      _id: id(name),
      caseNumber: `330100-20250301-${name}`,
      trackingCode: uniqueName(name),
      pinHash: 'x',
      kind: 'complaint',
      category: 'environment',
      regionCode: '330106',
      leadUnit,
      units: [leadUnit],
      ...fields,
    });
    await stack.store.cases.insertMany([
      caseDoc('A1', A, { stage: 'resolved', closedAt: at('2025-03-28T00:00:00'), reply: { decision: 'support' } }),
      caseDoc('A2', A, { stage: 'reply_delivered', escalationLevel: 1, reply: { decision: 'explain' } }),
      caseDoc('A3', A, { stage: 'transferred', overdue: true, escalationLevel: 1 }),
      // Ended: its stale overdue flag and escalation level no longer count.
      caseDoc('A4', A, {
        stage: 'terminated',
        closedAt: at('2025-03-30T00:00:00'),
        reply: { decision: 'not_support' },
        overdue: true,
        escalationLevel: 2,
      }),
      caseDoc('A5', A, { stage: 'handling' }),
      caseDoc('A6', A, { stage: 'resolved', closedAt: at('2025-03-10T00:00:00'), reply: { decision: 'explain' } }),
      caseDoc('B1', C, { stage: 'transferred' }),
      caseDoc('B2', B, { stage: 'reply_delivered', reply: { decision: 'support' } }),
      caseDoc('B3', B, { stage: 'acknowledged' }),
      caseDoc('B4', B, { stage: 'transferred' }),
      caseDoc('B5', B, { stage: 'withdrawn', closedAt: at('2025-03-12T00:00:00') }),
      caseDoc('B6', B, { stage: 'handling', units: [B, A], overdue: true, escalationLevel: 2 }),
      caseDoc('C1', C, { stage: 'reply_delivered' }),
      caseDoc('G1', B, { stage: 'handling', registeredAt: at('2025-03-05T10:00:00'), group: true, urgent: true }),
      caseDoc('U1', B, { stage: 'handling', registeredAt: at('2025-03-31T23:59:00'), urgent: true }),
      caseDoc('U2', B, { stage: 'handling', registeredAt: at('2025-02-28T23:59:00'), urgent: true }),
    ]);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  interface StatsBody {
    from: string;
    to: string;
    definitions: Record<string, string>;
    units: { unitCode: string }[];
  }
  const stats = (query: string, key = stack.keys.office) =>
    request(stack.app).get(`/v1/stats${query}`).set('Authorization', `Bearer ${key}`);
  const rate = (numerator: number, denominator: number, value: number | null) => ({
    numerator,
    denominator,
    rate: value,
  });

  it('counts each rate per unit for March 2025, by the definitions it publishes', async () => {
    const res = await stats('?from=2025-03-01&to=2025-03-31').expect(200);
    const body = expectSchema<StatsBody>(res);
    expect(body.from).toBe('2025-02-28T16:00:00.000Z');
    expect(body.to).toBe('2025-03-31T16:00:00.000Z');
    expect(Object.keys(body.definitions)).toEqual(
      expect.arrayContaining([
        'received',
        'responseRate',
        'onTimeRate',
        'resolutionRate',
        'satisfactionRate',
        'overdue',
        'escalated',
        'executionRate',
        'redo',
        'satisfactionAfterRedo',
        'groupPetitions',
        'urgent',
      ]),
    );
    expect(res.body).toMatchObject({ groupPetitions: 1, urgent: 2 });
    // The definitions are for the clerk who reads the figures: Chinese, or English on request.
    expect(body.definitions.responseRate).toMatch(/签收期限（C3）内签收/);
    const english = await stats('?from=2025-03-01&to=2025-03-31').set('Accept-Language', 'en').expect(200);
    expect(expectSchema<StatsBody>(english).definitions.responseRate).toMatch(
      /^Of the cases received, those the unit acknowledged/,
    );
    const none = { executionRate: rate(0, 0, null), redo: 0, satisfactionAfterRedo: rate(0, 0, null) };
    expect(body.units).toEqual([
      {
        unitCode: C,
        unitName: '杭州市公安局',
        received: 1,
        responseRate: rate(0, 1, 0),
        onTimeRate: rate(1, 1, 1),
        resolutionRate: rate(0, 0, null),
        satisfactionRate: rate(1, 1, 1),
        overdue: 0,
        escalated: 0,
        executionRate: rate(1, 1, 1),
        redo: 1,
        satisfactionAfterRedo: rate(1, 1, 1),
      },
      {
        unitCode: A,
        unitName: '杭州市生态环境局',
        received: 4,
        responseRate: rate(2, 4, 0.5),
        onTimeRate: rate(2, 3, 0.6667),
        resolutionRate: rate(2, 3, 0.6667),
        satisfactionRate: rate(1, 3, 0.3333),
        overdue: 2,
        escalated: 3,
        ...none,
      },
      {
        unitCode: B,
        unitName: '杭州市公安局西湖区分局',
        received: 3,
        responseRate: rate(2, 3, 0.6667),
        onTimeRate: rate(1, 1, 1),
        resolutionRate: rate(0, 0, null),
        satisfactionRate: rate(0, 0, null),
        overdue: 1,
        escalated: 1,
        ...none,
        executionRate: rate(0, 1, 0),
      },
    ]);
  });

  it('narrows to one unit and to instants given with an offset', async () => {
    const one = await stats(`?from=2025-03-01&to=2025-03-31&unit=${B}`).expect(200);
    expect(expectSchema<StatsBody>(one).units.map((u) => u.unitCode)).toEqual([B]);
    // From 1 April 00:00 Shanghai: only B4 arrives, and B2's April rating counts.
    const april = await stats(`?from=2025-04-01T00:00:00%2B08:00&to=2025-04-30&unit=${B}`).expect(200);
    expect(expectSchema<StatsBody>(april).units[0]).toMatchObject({
      received: 1,
      responseRate: rate(0, 1, 0),
      satisfactionRate: rate(1, 1, 1),
    });
  });

  it('is for the office and admins only, and rejects a reversed period or an unknown parameter', async () => {
    await stats('?from=2025-03-01&to=2025-03-31', stack.keys.admin).expect(200);
    await stats('', stack.keys[`dept:${A}`]).expect(403);
    await stats('', stack.keys.intake).expect(403);
    await request(stack.app).get('/v1/stats').expect(401);
    const reversed = await stats('?from=2025-04-01&to=2025-03-01').expect(400);
    expect(reversed.body.detail).toMatch(/query\.from（.*）须早于终点query\.to（/);
    const unknown = await stats('?unitCode=330100-HB').expect(400);
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});
