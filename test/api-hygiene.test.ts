import request from 'supertest';
import { startCaseStack, type CaseStack } from '../harness/case-stack';

const problemJson = /^application\/problem\+json/;

describe('HTTP hygiene: limits, content types, probes, metrics, request IDs', () => {
  let stack: CaseStack;
  beforeAll(async () => {
    stack = await startCaseStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const post = (path: string) => request(stack.app).post(path).set('Authorization', `Bearer ${stack.keys.office}`);

  it('answers 413 problem+json to a body over 256 kB', async () => {
    const res = await post('/v1/cases')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ content: 'x'.repeat(300_000) }))
      .expect(413);
    expect(res.headers['content-type']).toMatch(problemJson);
    expect(res.body).toMatchObject({ status: 413, title: '请求内容过大', detail: '请求体超过262144字节的上限' });
    expect(res.headers['content-language']).toBe('zh-CN');
  });

  it('refuses a body that is not JSON with 415, naming the Content-Type header', async () => {
    const res = await post('/v1/cases').set('Content-Type', 'text/plain').send('channel=online').expect(415);
    expect(res.headers['content-type']).toMatch(problemJson);
    expect(res.body).toMatchObject({ status: 415, header: 'Content-Type' });
    expect(res.body.detail).toMatch(/Content-Type请求头为“text\/plain”/);
    const form = await post('/v1/cases').type('form').send({ channel: 'online' }).expect(415);
    expect(form.body.detail).toMatch(/application\/x-www-form-urlencoded/);
  });

  it('answers 400 problem+json to malformed JSON and to bytes that are not UTF-8', async () => {
    const malformed = await post('/v1/cases')
      .set('Content-Type', 'application/json')
      .send('{"channel": "online",')
      .expect(400);
    expect(malformed.headers['content-type']).toMatch(problemJson);
    expect(malformed.body.status).toBe(400);

    const latin1 = Buffer.concat([Buffer.from('{"subject": "caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
    // supertest would JSON-encode a Buffer; send the bytes as they are.
    const invalid = await post('/v1/cases')
      .set('Content-Type', 'application/json')
      .serialize((bytes: Buffer) => bytes as unknown as string)
      .send(latin1)
      .expect(400);
    expect(invalid.headers['content-type']).toMatch(problemJson);
    expect(invalid.body.detail).toBe('请求体不是有效的UTF-8编码');
  });

  it('rate-limits per API key with 429, Retry-After and problem+json; probes are never limited', async () => {
    const app = stack.replica({ rateLimit: { perSecond: 0.2, burst: 3 } });
    const stats = (key: string) => request(app).get('/v1/stats').set('Authorization', `Bearer ${key}`);
    for (let i = 0; i < 3; i++) await stats(stack.keys.office!).expect(200);
    const limited = await stats(stack.keys.office!).expect(429);
    expect(limited.headers['content-type']).toMatch(problemJson);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.body).toMatchObject({ status: 429, title: '请求过于频繁' });
    // Another key has its own bucket; health probes and scrapes are outside the limit.
    await stats(stack.keys.admin!).expect(200);
    await request(app).get('/healthz').expect(200);
    await request(app).get('/metrics').expect(200);

    // Without a key (or with an invented one) the client's address is the caller.
    for (let i = 0; i < 3; i++) await request(app).get('/v1/track/0123456789AB').expect(400);
    await request(app).get('/v1/stats').set('Authorization', 'Bearer invented-key').expect(429);
    const open311 = await request(app).get('/open311/v2/services.json').expect(429);
    expect(open311.body).toEqual([{ code: 429, description: expect.stringMatching(/请\d+秒后重试/) }]);
    expect(Number(open311.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('exposes Prometheus metrics labelled by route pattern, never the raw URL', async () => {
    const caseId = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
    await request(stack.app).get(`/v1/cases/${caseId}`).set('Authorization', `Bearer ${stack.keys.office}`).expect(404);
    const res = await request(stack.app).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(
      /^http_request_duration_seconds_bucket\{le="[^"]+",method="GET",route="\/v1\/cases\/:caseId",status="404"\} 1$/m,
    );
    expect(res.text).toMatch(
      /^http_request_duration_seconds_count\{method="POST",route="\(unmatched\)",status="413"\} 1$/m,
    );
    expect(res.text).not.toContain(caseId);
    expect(res.text).toMatch(/^process_cpu_user_seconds_total \d/m);
  });

  it('answers /healthz, and /readyz with both checks true', async () => {
    const health = await request(stack.app).get('/healthz').expect(200);
    expect(health.body).toEqual({ status: 'ok' });
    const ready = await request(stack.app).get('/readyz').expect(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { mongo: true, temporal: true } });
  });

  it('echoes X-Request-Id, or makes one up', async () => {
    const echoed = await request(stack.app).get('/healthz').set('X-Request-Id', 'req-abc-123').expect(200);
    expect(echoed.headers['x-request-id']).toBe('req-abc-123');
    const made = await request(stack.app).get('/healthz').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const onError = await post('/v1/cases')
      .set('Content-Type', 'text/plain')
      .set('X-Request-Id', 'req-err-9')
      .send('x')
      .expect(415);
    expect(onError.headers['x-request-id']).toBe('req-err-9');
  });
});
