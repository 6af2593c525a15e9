/**
 * Issue 12 item 7: webhooks aimed inside. A unit's webhook address is checked when it is saved and again, resolved,
 * at every delivery: loopback in any spelling, private and link-local addresses (cloud metadata included) are
 * refused unless the admin allowlist names them; redirects are never followed; URL credentials are never stored or
 * shown. Real local HTTP receivers stand for the targets.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { WebhookAllowlist, nonPublicKind } from '../outbound/webhook-targets';
import { trusted } from '../store/models';
import { eventually, startCaseStack, transferredReport, type CaseStack } from '../harness/case-stack';

interface Receiver {
  server: Server;
  port: number;
  received: string[];
}

/** A receiver on every local address (IPv4 and IPv6); `answer` decides the response. */
async function receiver(answer: (res: import('node:http').ServerResponse) => void): Promise<Receiver> {
  const received: string[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      received.push(raw);
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '::', resolve));
  return { server, port: (server.address() as AddressInfo).port, received };
}

const UNIT = '330106-JW'; // the discipline unit: reports about 330106-GA are transferred to it

describe('webhook targets', () => {
  let stack: CaseStack;
  let inside: Receiver;
  let allowed: Receiver;
  let redirecting: Receiver;

  beforeAll(async () => {
    inside = await receiver((res) => res.end());
    allowed = await receiver((res) => res.end());
    redirecting = await receiver((res) => {
      res.statusCode = 307;
      res.setHeader('Location', `http://127.0.0.1:${allowed.port}/hook`);
      res.end();
    });
    stack = await startCaseStack({
      departments: [UNIT],
      webhookAllowlist: [`127.0.0.1:${allowed.port}`, `127.0.0.1:${redirecting.port}`],
    });
  });
  afterAll(async () => {
    await stack?.stop();
    for (const r of [inside, allowed, redirecting]) await new Promise((resolve) => r?.server.close(resolve));
  });

  const admin = () => ({
    put: (path: string, body: object) =>
      request(stack.app).put(path).set('Authorization', `Bearer ${stack.keys.admin}`).send(body),
    get: (path: string) => request(stack.app).get(path).set('Authorization', `Bearer ${stack.keys.admin}`),
  });
  const unitBody = (webhookUrl: string) => ({
    name: '西湖区纪委监委',
    level: 'county',
    regionCode: '330106',
    parentCode: '330100-JW',
    role: 'discipline',
    webhookUrl,
  });

  /** Points the unit's webhook at `url` as stored data (as if saved before these checks), then sends it a case. */
  async function deliverTo(url: string): Promise<{ lastError?: string | null; deliveredAt?: Date | null }> {
    await stack.store.units.updateOne({ _id: UNIT }, { $set: { webhookUrl: url, webhookSecret: 'secret-0123456789' } });
    const caseId = await transferredReport(stack);
    return eventually(async () => {
      const doc = await stack.store.outbox.findOne({ caseId, recipient: UNIT, attempts: trusted({ $gte: 1 }) }).lean();
      return doc ?? undefined;
    });
  }

  it('refuses loopback in every spelling at delivery, and reaches an allowlisted target', async () => {
    const port = inside.port;
    for (const url of [
      `http://127.0.0.1:${port}/hook`,
      `http://localhost:${port}/hook`,
      `http://2130706433:${port}/hook`,
      `http://0x7f000001:${port}/hook`,
      `http://127.1:${port}/hook`,
      `http://[::1]:${port}/hook`,
      `http://[::ffff:127.0.0.1]:${port}/hook`,
    ]) {
      const outcome = await deliverTo(url);
      expect([url, outcome.deliveredAt ?? null]).toEqual([url, null]);
      expect(outcome.lastError).toMatch(/是本机环回地址/);
    }
    expect(inside.received).toHaveLength(0);

    const delivered = await deliverTo(`http://127.0.0.1:${allowed.port}/hook`);
    expect(delivered.lastError ?? null).toBeNull();
    expect(delivered.deliveredAt).toBeInstanceOf(Date);
    expect(allowed.received).toHaveLength(1);
  });

  it('never follows a redirect: a 3xx is a failed delivery', async () => {
    const before = allowed.received.length;
    const outcome = await deliverTo(`http://127.0.0.1:${redirecting.port}/hook`);
    expect(redirecting.received).toHaveLength(1);
    expect(outcome.deliveredAt ?? null).toBeNull();
    expect(outcome.lastError).toMatch(/307/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(allowed.received.length).toBe(before);
  });

  it('refuses internal targets when a unit is saved, naming the field', async () => {
    for (const url of [
      'http://2130706433:3000/v1/admin/api-keys',
      'http://0x7f000001/',
      'http://127.1/',
      'http://localhost:3000/',
      'http://[::1]/',
      'http://[::ffff:7f00:1]/',
      'http://10.1.2.3/hook',
      'http://192.168.0.10/hook',
      'http://172.16.5.4/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fe80::1]/hook',
      'http://[fd00::1]/hook',
      'http://0.0.0.0/hook',
    ]) {
      const res = await admin().put(`/v1/admin/units/${UNIT}`, unitBody(url));
      expect([url, res.status]).toEqual([url, 422]);
      expect(res.body.errors?.[0]?.field).toBe('body.webhookUrl');
    }
    await admin()
      .put(`/v1/admin/units/${UNIT}`, unitBody(`http://127.0.0.1:${allowed.port}/hook`))
      .expect(200);
  });

  it('never stores or shows URL credentials', async () => {
    const res = await admin()
      .put(`/v1/admin/units/${UNIT}`, unitBody('https://user:s3cret-pass@hooks.example.org/xinfang'))
      .expect(400);
    expect(res.body.errors[0].field).toBe('body.webhookUrl');
    expect(JSON.stringify(res.body)).not.toContain('s3cret-pass');
    // Stored before this rule: listed without the credentials.
    await stack.store.units.updateOne(
      { _id: UNIT },
      { $set: { webhookUrl: 'https://user:s3cret-pass@hooks.example.org/xinfang' } },
    );
    const listed = await admin().get('/v1/admin/units').expect(200);
    expect(JSON.stringify(listed.body)).not.toContain('s3cret-pass');
    const unit = (listed.body.items as { code: string; webhookUrl?: string }[]).find((u) => u.code === UNIT);
    expect(unit?.webhookUrl).toBe('https://hooks.example.org/xinfang');
  });
});

describe('the webhook address policy', () => {
  it('names what is not public, IPv4-mapped IPv6 included', () => {
    const kinds = Object.fromEntries(
      ['127.0.0.1', '::1', '::ffff:7f00:1', '10.0.0.1', '169.254.169.254', 'fe80::1', '64:ff9b::a00:1', '8.8.8.8'].map(
        (address) => [address, nonPublicKind(address)],
      ),
    );
    expect(kinds).toEqual({
      '127.0.0.1': 'loopback',
      '::1': 'loopback',
      '::ffff:7f00:1': 'loopback',
      '10.0.0.1': 'private',
      '169.254.169.254': 'link-local',
      'fe80::1': 'link-local',
      '64:ff9b::a00:1': 'non-public',
      '8.8.8.8': undefined,
    });
  });

  it('allows what the allowlist names: a host on any port, a host and port, a range', () => {
    const allow = new WebhookAllowlist(['hooks.internal', '127.0.0.1:8080', '10.20.0.0/16']);
    const url = (u: string) => new URL(u);
    expect(allow.names(url('http://hooks.internal:9000/x'), '10.9.9.9')).toBe(true);
    expect(allow.names(url('http://127.0.0.1:8080/x'), '127.0.0.1')).toBe(true);
    expect(allow.names(url('http://127.0.0.1:8081/x'), '127.0.0.1')).toBe(false);
    expect(allow.names(url('http://svc.example:80/x'), '10.20.3.4')).toBe(true);
    expect(allow.names(url('http://svc.example/x'), '10.21.3.4')).toBe(false);
    expect(() => new WebhookAllowlist(['http://x/y'])).toThrow(/not a host/);
  });
});
