/**
 * An action can reach a case in the very workflow task that starts it: the office acts on a case registered while
 * no worker was polling (a worker restart, an outage), and Temporal hands the start and the Update to the first
 * worker together. The action waits for the registration (patch `actions-after-registration`): the record is
 * written first, then the office's acceptance transfers the case and issues the transfer notice, which reads that
 * record. Before, the action ran first; its notice waited for the record while holding the case's lock, and the
 * registration never ran. Dev server and FerretDB.
 */
import { temporal } from '@temporalio/proto';
import type { Worker } from '@temporalio/worker';
import { actionRequest, applyAction } from '../api/actions';
import type { ActionBody } from '../domain/actions';
import { caseWorkflowId } from '../domain/ids';
import { createSmsSender } from '../activities/sms';
import { WebhookAllowlist } from '../outbound/webhook-targets';
import { createMailer } from '../worker/mailer';
import { createCaseWorker } from '../worker/worker';
import type { Actor } from '../workflows/messages';
import { caller, eventually, startCaseStack, type CaseStack } from '../harness/case-stack';
import { noiseComplaint } from '../harness/case-start';
import { devServerConnection, uniqueName, type DevServerConnection } from '../harness/shared-servers';

const { EventType, UpdateWorkflowExecutionLifecycleStage } = temporal.api.enums.v1;

describe('an action delivered with the case start', () => {
  let stack: CaseStack;
  let temporalConnection: DevServerConnection;
  let lateWorker: Worker | undefined;
  let lateRun: Promise<void> | undefined;
  beforeAll(async () => {
    stack = await startCaseStack();
    temporalConnection = await devServerConnection();
  });
  afterAll(async () => {
    if (lateWorker?.getState() === 'RUNNING') lateWorker.shutdown();
    await lateRun;
    await temporalConnection?.close();
    await stack?.stop();
  });

  /** Whether the server holds the Update: it answers the poll once the Update is admitted, NotFound before. */
  async function admitted(workflowId: string, updateId: string): Promise<boolean> {
    try {
      await stack.client.workflowService.pollWorkflowExecutionUpdate({
        namespace: stack.client.options.namespace,
        updateRef: { workflowExecution: { workflowId }, updateId },
        waitPolicy: {
          lifecycleStage: UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED,
        },
      });
      return true;
    } catch {
      return false;
    }
  }

  it('registers the case first, then applies the action and serves its notice', async () => {
    // A task queue no worker polls yet: the case is registered with Temporal, and its first task waits.
    const idleQueue = uniqueName('idle');
    const intake = await caller(stack.replica({ taskQueue: idleQueue }), stack.keys.intake!)
      .post('/v1/cases', { ...noiseComplaint, subject: uniqueName('noise') })
      .expect(201);
    const { caseId } = intake.body as { caseId: string };
    const workflowId = caseWorkflowId(caseId);

    const actor: Actor = { role: 'office', keyId: uniqueName('office-key') };
    const body: ActionBody<'acceptance'> = { actionId: uniqueName('accept'), decision: 'accept' };
    const applied = applyAction(stack, caseId, 'acceptance', actor, body);
    const { updateId } = actionRequest(stack.sealer, caseId, 'acceptance', actor, body);
    await eventually(() => admitted(workflowId, updateId));
    expect(await stack.store.cases.findById(caseId).lean()).toBeNull();

    // The worker comes back: its first task of the case holds the start and the office's acceptance.
    lateWorker = await createCaseWorker({
      connection: temporalConnection.nativeConnection,
      namespace: temporalConnection.namespace,
      taskQueue: idleQueue,
      deps: {
        store: stack.store,
        sealer: stack.sealer,
        sendMail: createMailer(undefined),
        sendSms: createSmsSender(stack.smsProvider?.url),
        webhookAllowlist: new WebhookAllowlist(),
      },
    });
    lateRun = lateWorker.run();

    const record = await eventually(() => stack.store.cases.findById(caseId).lean(), 60_000);
    expect(record.caseNumber).toMatch(/^XF-330106-/);
    const result = await applied;
    expect(result.stage).toBe('transferred');
    const transferNotice = await eventually(() => stack.store.notices.findById(`${caseId}:transfer:0`).lean(), 60_000);
    expect(transferNotice.servedAt).toBeTruthy();

    // The path taken is the one under test: the Update was accepted by the case's first workflow task.
    const { events } = await stack.client.workflow.getHandle(workflowId).fetchHistory();
    const ofType = (type: temporal.api.enums.v1.EventType) =>
      (events ?? []).filter((e) => e.eventType === type).map((e) => Number(e.eventId));
    const [, secondTaskStarted] = ofType(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED);
    const [acceptedAt] = ofType(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
    expect(acceptedAt).toBeDefined();
    expect(acceptedAt!).toBeLessThan(secondTaskStarted ?? Infinity);
  });
});
