import request from 'supertest';
import { caseWorkflowId } from '../domain/ids';
import { eventually, startCaseStack, type CaseStack } from '../harness/case-stack';
import { uniqueName } from '../harness/shared-servers';

const DAY = 86_400_000;

/** The visibility queries README's "For operators" section gives, against cases moved through their stages. */
describe('operator queries in Temporal visibility', () => {
  let stack: CaseStack;
  const ids: Record<'late' | 'fresh' | 'dueSoon' | 'dueLater', string> = {
    late: '',
    fresh: '',
    dueSoon: '',
    dueLater: '',
  };

  const register = async (regionCode: string, receivedAt?: string) => {
    const res = await request(stack.app)
      .post('/v1/cases')
      .set('Authorization', `Bearer ${stack.keys.intake}`)
      .send({
        channel: 'letter',
        kind: 'complaint',
        subject: uniqueName('ops'),
        content: 'Dust from a quarry.',
        regionCode,
        category: 'environment',
        petitioner: { name: '孙八' },
        receivedAt,
      })
      .expect(201);
    return res.body.caseId as string;
  };
  const accept = (caseId: string, effectiveAt?: string) =>
    request(stack.app)
      .post(`/v1/cases/${caseId}/acceptance`)
      .set('Authorization', `Bearer ${stack.keys.office}`)
      .send({ actionId: uniqueName('accept'), decision: 'accept', effectiveAt })
      .expect(200);

  async function matching(query: string): Promise<string[]> {
    const scope = Object.values(ids)
      .map((id) => `'${caseWorkflowId(id)}'`)
      .join(', ');
    const found: string[] = [];
    for await (const execution of stack.client.workflow.list({ query: `(${query}) AND WorkflowId IN (${scope})` })) {
      found.push(execution.workflowId);
    }
    return found.sort();
  }

  const expectEventually = async (query: string, expected: string[]) => {
    const want = expected.map(caseWorkflowId).sort();
    let last: string[] = [];
    await eventually(async () => {
      last = await matching(query);
      return JSON.stringify(last) === JSON.stringify(want);
    }).catch(() => expect(last).toEqual(want));
  };

  beforeAll(async () => {
    stack = await startCaseStack();
    const now = Date.now();
    // Received three weeks ago and transferred on paper 20 days ago: the unit's clocks ran out long since.
    ids.late = await register('330106', new Date(now - 21 * DAY).toISOString());
    await accept(ids.late, new Date(now - 20 * DAY).toISOString());
    // Transferred today: the unit has 3 working days to acknowledge.
    ids.fresh = await register('330106');
    await accept(ids.fresh);
    // Nanjing letters under the national profile (15 days to dispose): one received 10 days ago, one today.
    ids.dueSoon = await register('320102', new Date(now - 10 * DAY).toISOString());
    ids.dueLater = await register('320102');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('finds the overdue cases of a unit', async () => {
    await expectEventually(`CaseOverdue = true AND CaseUnit = '330100-HB'`, [ids.late]);
  });

  it('finds the cases escalated to level 2 or higher', async () => {
    await expectEventually(`CaseEscalationLevel >= 2 AND ExecutionStatus = 'Running'`, [ids.late]);
  });

  it('finds the cases due within the week', async () => {
    const weekEnd = new Date(Date.now() + 7 * DAY).toISOString();
    await expectEventually(`CaseNextDeadline < '${weekEnd}' AND ExecutionStatus = 'Running'`, [
      ids.late,
      ids.fresh,
      ids.dueSoon,
    ]);
  });

  it('finds cases by stage and unit', async () => {
    await expectEventually(`CaseStage = 'transferred' AND CaseUnit = '330100-HB'`, [ids.late, ids.fresh]);
    await expectEventually(`CaseStage = 'registered' AND CaseRegion = '320102'`, [ids.dueSoon, ids.dueLater]);
  });

  it("shows where a case waits in the Temporal UI's stack trace, in at most four frames a promise", async () => {
    // The UI's "Stack Trace" tab asks this query: a stack for each promise the case waits on, a blank line between.
    const trace = await stack.client.workflow.getHandle(caseWorkflowId(ids.dueLater)).query<string>('__stack_trace');
    const stacks = trace.split(/\n\s*\n/).map((text) => text.split('\n').filter((line) => /^\s*at /.test(line)));
    const waitsInClockLoop = (frames: string[]) =>
      frames.some((frame) => /at wait \(.*workflows\/case\.ts:\d+/.test(frame)) &&
      frames.some((frame) => /at runClocks \(.*workflows\/case\.ts:\d+/.test(frame));
    expect(stacks.some(waitsInClockLoop)).toBe(true);
    // workflows/preload.ts: five frames captured, the first the SDK's promise hook (on Node 20 the next is Node's own).
    expect(Math.max(...stacks.map((frames) => frames.length))).toBeLessThanOrEqual(4);
  });
});
