import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { ApplicationFailure } from '@temporalio/common';
import { WebhookAllowlist } from '../outbound/webhook-targets';
import { deliverWebhook, signature } from '../activities/webhooks';
import { noiseComplaint } from '../harness/case-start';
import { trusted } from '../store/models';
import { eventually, startCaseStack, transferredReport, type CaseStack } from '../harness/case-stack';
import { uniqueName } from '../harness/shared-servers';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  raw: string;
}

describe('webhooks to a unit system (a real local HTTP receiver)', () => {
  let stack: CaseStack;
  let receiver: Server;
  const received: Received[] = [];
  let answer = 200;
  const secret = 'unit-webhook-secret-0123456789';

  beforeAll(async () => {
    stack = await startCaseStack({ departments: ['330106-JW'], webhookAllowlist: ['127.0.0.1'] });
    receiver = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      req.on('end', () => {
        received.push({ headers: req.headers, raw });
        res.statusCode = answer;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    await stack.store.units.updateOne({ _id: '330106-JW' }, { $set: { webhookUrl: url, webhookSecret: secret } });
  });
  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('POSTs a signed transfer notice that never names the reporter', async () => {
    const reporter = { name: '赵六举报人', phone: '13600000001', idNumber: '330106198001011111' };
    const caseId = await transferredReport(stack, {
      petitioner: reporter,
      accused: { units: ['330106-GA'], persons: ['某警官'] },
    });

    const hook = await eventually(() => Promise.resolve(received.find((r) => r.raw.includes(caseId))));
    expect(hook.headers['x-xinfang-signature']).toBe(signature(secret, hook.raw));
    const body = JSON.parse(hook.raw);
    expect(body).toMatchObject({
      event: 'transferred',
      unitCode: '330106-JW',
      case: { kind: 'report', caseId },
    });
    for (const value of [reporter.name, reporter.phone, reporter.idNumber, '某警官'])
      expect(hook.raw).not.toContain(value);

    const log = await eventually(async () =>
      stack.store.outbox.findOne({ caseId, recipient: '330106-JW', deliveredAt: trusted({ $exists: true }) }).lean(),
    );
    expect(log.deliveries).toHaveLength(1);
    expect(log.deliveries[0]!.status).toBe(200);
  });

  it('does not retry a 4xx answer and records it in the delivery log', async () => {
    answer = 410;
    const before = received.length;
    const caseId = await transferredReport(stack, {
      channel: 'letter',
      subject: uniqueName('refused'),
      content: 'Another report.',
      petitioner: { name: 'x' },
    });
    const log = await eventually(async () => {
      const doc = await stack.store.outbox.findOne({ caseId, recipient: '330106-JW' }).lean();
      return doc?.lastError ? doc : undefined;
    });
    // Give a retry the time it would take, then check there was none.
    await new Promise((r) => setTimeout(r, 6_000));
    const after = await stack.store.outbox.findById(log._id).lean();
    expect(after!.deliveries).toHaveLength(1);
    expect(after!.lastError).toBe('对方答复HTTP 410');
    expect(received.length - before).toBe(1);
  });

  it('fails in the catalogue’s words: Chinese for the operator, the message itself as the detail for the API', async () => {
    const outboxId = uniqueName('not-written');
    const failure = await deliverWebhook(stack.store, outboxId).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({
      message: `通知${outboxId}尚未写入发件箱，稍后重试`,
      nonRetryable: false,
      details: [{ key: 'activity.outboxNotWritten', params: { outboxId } }],
    });
  });

  it('POSTs a problem the office must solve to the petition office of the case’s region', async () => {
    answer = 200;
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/office-hook`;
    await stack.store.units.updateOne({ _id: '330106-XFJ' }, { $set: { webhookUrl: url, webhookSecret: secret } });
    const intake = await request(stack.app)
      .post('/v1/cases')
      .set('Authorization', `Bearer ${stack.keys.intake}`)
      .send({ ...noiseComplaint, subject: uniqueName('problem') })
      .expect(201);
    const caseId = intake.body.caseId as string;
    await eventually(async () => (await stack.store.cases.findById(caseId).lean())?.progressVersion);
    const outboxId = `${caseId}:99.0:problem:office`;
    await stack.store.outbox.create({
      _id: outboxId,
      caseId,
      kind: 'problem',
      recipient: 'office',
      payload: { kind: 'routing', step: 'escalation' },
      createdAt: new Date(),
    });
    expect(
      await deliverWebhook(stack.store, outboxId, { allowlist: new WebhookAllowlist(['127.0.0.1']) }),
    ).toMatchObject({ outcome: 'delivered', status: 200 });
    const hook = received.find((r) => r.raw.includes(outboxId))!;
    expect(JSON.parse(hook.raw)).toMatchObject({
      event: 'problem',
      unitCode: '330106-XFJ',
      detail: { kind: 'routing' },
    });
  });
});
