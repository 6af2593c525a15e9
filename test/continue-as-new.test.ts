/**
 * A long case continues as new (the server suggests it once its history is long) while a unit's endpoint is down:
 * the undelivered webhooks go to the next run in its state, and the clocks do not wait for the unit (patch
 * continue-as-new-carries-webhooks). Before, the loop waited until the queue drained, which with an endpoint that
 * answers 503 takes every retry of the delivery (a quarter of an hour) — this test would time out.
 *
 * It runs on a Temporal dev server of its own that suggests continue-as-new after a few events.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveToolPaths, startTemporalDevServer, type TemporalDevServer } from '../harness/servers';
import { caseWorkflowId } from '../domain/ids';
import type { CaseWorkflowInput } from '../workflows/case-state';
import { eventually, startCaseStack, transferredReport, type CaseStack } from '../harness/case-stack';

/** The input the case's latest run started with, when that run continued an earlier one. */
async function continuedInput(stack: CaseStack, caseId: string): Promise<CaseWorkflowInput | undefined> {
  const history = await stack.client.workflow.getHandle(caseWorkflowId(caseId)).fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  const payload = started?.input?.payloads?.[0]?.data;
  if (!started?.continuedExecutionRunId || !payload) return undefined;
  return JSON.parse(Buffer.from(payload).toString('utf8')) as CaseWorkflowInput;
}

describe('continue-as-new while a unit system is down', () => {
  let temporal: TemporalDevServer;
  let stack: CaseStack;
  let receiver: Server;
  let answer = 503;
  const secret = 'unit-webhook-secret-0123456789';

  beforeAll(async () => {
    const { temporal: bin } = await resolveToolPaths();
    temporal = await startTemporalDevServer({
      bin,
      // Suggested from the first workflow task after the registration's (12 events): the office's transfer.
      dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 10 },
    });
    stack = await startCaseStack({
      departments: ['330106-JW'],
      webhookAllowlist: ['127.0.0.1'],
      temporal: { address: temporal.address, namespace: temporal.namespace },
    });
    receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.statusCode = answer;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    await stack.store.units.updateOne({ _id: '330106-JW' }, { $set: { webhookUrl: url, webhookSecret: secret } });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
    await temporal?.stop();
  });

  it('carries the undelivered webhooks into the next run, which delivers them once the unit is back', async () => {
    const caseId = await transferredReport(stack);
    const transferNotice = await eventually(async () =>
      stack.store.outbox.findOne({ caseId, recipient: '330106-JW', kind: 'transferred' }).lean(),
    );
    const carried = await eventually(async () => {
      const input = await continuedInput(stack, caseId);
      return input?.state?.webhookQueue.find((entry) => entry.outboxId === transferNotice._id) && input;
    }, 60_000);
    expect(carried.state?.stage).toBe('transferred');
    // The unit's system is still down: nothing was delivered before the case went on.
    const failing = await stack.store.outbox.findById(transferNotice._id).lean();
    expect(failing?.deliveredAt).toBeFalsy();

    answer = 200;
    const delivered = await eventually(
      async () => (await stack.store.outbox.findById(transferNotice._id).lean())?.deliveredAt,
      60_000,
    );
    expect(delivered).toBeInstanceOf(Date);
  }, 180_000);
});
