/**
 * Issue 12 item 8: keys and PINs never reach the request log. The API's pino output is captured line by line while
 * requests carry secrets in every place a client puts them: query parameters (Open311's api_key, pin, tokens) and
 * headers (Authorization, X-Tracking-Pin, cookies, API-key headers).
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { startCaseStack, type CaseStack } from '../harness/case-stack';

describe('the request log', () => {
  let stack: CaseStack;
  beforeAll(async () => {
    stack = await startCaseStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('keys and PINs in the request log: every secret-bearing query parameter and header is redacted', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const app = stack.replica({ logger: pino({ level: 'info' }, sink) });
    const secrets = {
      apiKey: 'APIKEY-in-the-query-0001',
      pin: '735912',
      headerPin: '482913',
      token: 'TOKEN-in-the-query-0002',
      accessToken: 'ACCESS-TOKEN-0003',
      clientSecret: 'CLIENT-SECRET-0004',
      signature: 'SIGNATURE-0005',
      password: 'PASSWORD-0006',
      bearer: stack.keys.office!,
      cookie: 'COOKIE-SESSION-0007',
      headerKey: 'X-API-KEY-0008',
    };

    await request(app).get(`/open311/v2/requests.json?jurisdiction_id=330106&api_key=${secrets.apiKey}`);
    await request(app).get(`/v1/track/0123456789AB?pin=${secrets.pin}`).set('X-Tracking-Pin', secrets.headerPin);
    const refused = await request(app)
      .get(
        `/v1/stats?token=${secrets.token}&access_token=${secrets.accessToken}&client_secret=${secrets.clientSecret}` +
          `&sig=1&signature=${secrets.signature}&Password=${secrets.password}&unit=330100-HB`,
      )
      .set('Authorization', `Bearer ${secrets.bearer}`)
      .set('Cookie', `session=${secrets.cookie}`)
      .set('X-Api-Key', secrets.headerKey);
    const missing = await request(app).get(`/v1/nowhere?api_key=${secrets.apiKey}`);

    const log = lines.join('');
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const [name, value] of Object.entries(secrets)) expect([name, log.includes(value)]).toEqual([name, false]);
    // What is not secret is still there to read.
    expect(log).toContain('jurisdiction_id=330106');
    expect(log).toContain('unit=330100-HB');
    expect(log).toMatch(/api_key=\[redacted\]/);
    // Nor are they echoed into problem documents.
    for (const res of [refused, missing]) expect(JSON.stringify(res.body)).not.toMatch(/TOKEN|APIKEY|SECRET/);
  });
});
