/**
 * Races through the API: a burst of retries of one intake, and competing actions on one case. Temporal's workflow
 * ID and the workflow's lock must leave exactly one effect and give every loser a reason.
 */
import request from 'supertest';
import { caseWorkflowId } from '../domain/ids';
import { eventually, startCaseStack, type CaseStack } from '../harness/case-stack';
import { noiseComplaint } from '../harness/case-start';
import { uniqueName } from '../harness/shared-servers';

const complaint = noiseComplaint;
const UNIT = '330100-HB';

describe('concurrent requests', () => {
  let stack: CaseStack;
  beforeAll(async () => {
    stack = await startCaseStack({ departments: [UNIT] });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const post = (key: string, path: string, body: object) =>
    request(stack.app).post(path).set('Authorization', `Bearer ${key}`).send(body);

  /** A case transferred to the unit and acknowledged by it, ready for the unit's next decision. */
  async function acknowledgedCase(): Promise<string> {
    const intake = await post(stack.keys.intake!, '/v1/cases', { ...complaint, subject: uniqueName('race') }).expect(
      201,
    );
    const caseId = intake.body.caseId as string;
    const path = `/v1/cases/${caseId}`;
    await post(stack.keys.office!, `${path}/acceptance`, { actionId: uniqueName('a'), decision: 'accept' }).expect(200);
    await post(stack.keys[`dept:${UNIT}`]!, `${path}/acknowledgement`, { actionId: uniqueName('ack') }).expect(200);
    return caseId;
  }

  /** The names of the Updates the case applied, in order: accepted and completed without a failure. */
  async function appliedUpdates(caseId: string): Promise<string[]> {
    const history = await stack.client.workflow.getHandle(caseWorkflowId(caseId)).fetchHistory();
    const events = history.events ?? [];
    const succeeded = new Set(
      events
        .map((e) => e.workflowExecutionUpdateCompletedEventAttributes)
        .filter((completed) => completed?.outcome?.success)
        .map((completed) => completed!.meta!.updateId),
    );
    return events
      .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest)
      .filter((accepted) => accepted && succeeded.has(accepted.meta!.updateId))
      .map((accepted) => accepted!.input!.name!);
  }

  it('registers one case for 50 simultaneous intakes with one Idempotency-Key', async () => {
    const key = uniqueName('same-intake');
    const body = { ...complaint, subject: uniqueName('burst') };
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        post(stack.keys.intake!, '/v1/cases', body)
          .set('Idempotency-Key', key)
          .then((r) => r),
      ),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(49);
    const caseIds = new Set(answers.map((r) => r.body.caseId as string));
    expect(caseIds.size).toBe(1);
    const [caseId] = [...caseIds];
    // Every answer carries the same codes, so any of them lets the petitioner follow the case.
    expect(new Set(answers.map((r) => `${r.body.trackingCode}/${r.body.pin}/${r.body.caseNumber}`)).size).toBe(1);

    const runs = [];
    for await (const run of stack.client.workflow.list({ query: `WorkflowId = 'case-${caseId}'` })) runs.push(run);
    expect(runs).toHaveLength(1);
    await eventually(async () => (await stack.store.cases.countDocuments({ _id: caseId })) === 1);
    expect(await stack.store.cases.countDocuments({ subject: body.subject })).toBe(1);
  });

  it('lets one of an objection and an acceptance sent at the same moment win, and refuses the other', async () => {
    const caseId = await acknowledgedCase();
    const path = `/v1/cases/${caseId}`;
    const unit = stack.keys[`dept:${UNIT}`]!;
    const [objection, acceptance] = await Promise.all([
      post(unit, `${path}/objection`, { actionId: uniqueName('obj'), reason: 'Not our competence.' }).then((r) => r),
      post(unit, `${path}/acceptance`, { actionId: uniqueName('acc'), decision: 'accept' }).then((r) => r),
    ]);
    const answers = [objection, acceptance];
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
    const loser = answers.find((r) => r.status !== 200)!;
    expect([409, 422]).toContain(loser.status);
    expect(loser.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(loser.body.detail).toEqual(expect.any(String));
    expect(loser.body.detail.length).toBeGreaterThan(5);

    // The history holds the winner only: a refused Update is either refused by its validator (no trace) or, when
    // both arrived while the case was busy, accepted and then refused under the lock (completed with a failure).
    const winner = objection.status === 200 ? 'objection' : 'acceptance';
    expect(await appliedUpdates(caseId)).toEqual(['acceptance', 'acknowledgement', winner]);
  });

  it("refuses the unit's acceptance while its own objection waits for the office, and takes it after", async () => {
    const caseId = await acknowledgedCase();
    const path = `/v1/cases/${caseId}`;
    const unit = stack.keys[`dept:${UNIT}`]!;
    await post(unit, `${path}/objection`, { actionId: uniqueName('obj'), reason: 'Not our competence.' }).expect(200);
    const refused = await post(unit, `${path}/acceptance`, { actionId: uniqueName('acc'), decision: 'accept' });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/本单位的异议正等待信访工作机构决定/);
    // The office rejects the objection: the unit keeps the case and now accepts it.
    await post(stack.keys.office!, `${path}/objection-decision`, {
      actionId: uniqueName('dec'),
      approve: false,
      reason: 'The unit is competent.',
    }).expect(200);
    const accepted = await post(unit, `${path}/acceptance`, { actionId: uniqueName('acc'), decision: 'accept' });
    expect([accepted.status, accepted.body.stage]).toEqual([200, 'handling']);
  });

  it('applies one of two objection decisions sent at once; the other finds no objection waiting', async () => {
    const caseId = await acknowledgedCase();
    const path = `/v1/cases/${caseId}`;
    await post(stack.keys[`dept:${UNIT}`]!, `${path}/objection`, {
      actionId: uniqueName('obj'),
      reason: 'Not our competence.',
    }).expect(200);
    const decide = () =>
      post(stack.keys.office!, `${path}/objection-decision`, {
        actionId: uniqueName('dec'),
        approve: false,
        reason: 'The unit is competent.',
      }).then((r) => r);
    const answers = await Promise.all([decide(), decide()]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = answers.find((r) => r.status === 409)!;
    expect(loser.body.detail).toMatch(/没有待决定的异议/);
  });
});
