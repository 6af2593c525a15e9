import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { message } from '../domain/i18n';
import { requestLanguage } from '../api/language';
import { parseJson } from '../api/limits';
import { errorHandler, HttpProblem, notFoundHandler, problems, renderProblem, validationProblem } from '../api/problem';

/** The API's error path on its own: the JSON parser, a few routes that refuse, and the error handler. */
function app(): express.Express {
  const server = express();
  server.use(parseJson('1kb'));
  server.get('/language', (req, res) => {
    res.json({ lang: requestLanguage(req) });
  });
  server.get('/case', () => {
    throw problems.notFound();
  });
  server.post('/validated', (req) => {
    const parsed = z.object({ unitCode: z.string() }).safeParse(req.body);
    if (!parsed.success) throw validationProblem(parsed.error, 'body');
  });
  server.get('/legacy', () => {
    throw new HttpProblem(409, 'Conflict', 'the objection window closed on 2026-03-09');
  });
  server.use(notFoundHandler);
  server.use(errorHandler);
  return server;
}

describe('language negotiation (Accept-Language)', () => {
  const server = app();
  const lang = async (header?: string) => {
    const req = request(server).get('/language');
    return (await (header === undefined ? req : req.set('Accept-Language', header)).expect(200)).body.lang;
  };

  it('answers in Chinese unless English is preferred', async () => {
    expect(await lang()).toBe('zh-CN');
    expect(await lang('*')).toBe('zh-CN');
    expect(await lang('fr-FR, de;q=0.8')).toBe('zh-CN');
    expect(await lang('zh-TW')).toBe('zh-CN');
    expect(await lang('zh-CN, en;q=0.5')).toBe('zh-CN');
    expect(await lang('en')).toBe('en');
    expect(await lang('en-US')).toBe('en');
    expect(await lang('fr, en;q=0.9, zh;q=0.8')).toBe('en');
  });
});

describe('problem details in the caller’s language', () => {
  const server = app();

  it('writes title and detail in Chinese by default and in English on request', async () => {
    const zh = await request(server).get('/case').expect(404);
    expect(zh.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(zh.headers['content-language']).toBe('zh-CN');
    expect(zh.headers.vary).toMatch(/Accept-Language/);
    expect(zh.body).toEqual({ type: 'about:blank', title: '未找到', status: 404, detail: '未找到', instance: '/case' });
    const en = await request(server).get('/case').set('Accept-Language', 'en').expect(404);
    expect(en.headers['content-language']).toBe('en');
    expect(en.body).toMatchObject({ title: 'Not Found', detail: 'not found' });
  });

  it('names an unknown route in either language', async () => {
    expect((await request(server).get('/nowhere').expect(404)).body.detail).toBe('没有 GET /nowhere 这一接口');
    const en = await request(server).get('/nowhere').set('Accept-Language', 'en').expect(404);
    expect(en.body.detail).toBe('no route for GET /nowhere');
  });

  it('names the invalid field in either language, keeping the field path and rule', async () => {
    const zh = await request(server).post('/validated').send({ unitCode: 7 }).expect(400);
    expect(zh.body.title).toBe('请求无效');
    expect(zh.body.detail).toMatch(/^body\.unitCode：/);
    expect(zh.body.errors).toEqual([expect.objectContaining({ field: 'body.unitCode', rule: 'invalid_type' })]);
    const en = await request(server).post('/validated').set('Accept-Language', 'en').send({ unitCode: 7 }).expect(400);
    expect(en.body).toMatchObject({ title: 'Bad Request', detail: expect.stringMatching(/^body\.unitCode: /) });
  });

  it('explains the JSON parser’s refusals', async () => {
    const malformed = await request(server).post('/validated').type('json').send('{"unitCode":').expect(400);
    expect(malformed.body).toMatchObject({
      title: '请求无效',
      detail: expect.stringMatching(/^请求体不是有效的JSON（/),
    });
    const large = await request(server)
      .post('/validated')
      .set('Accept-Language', 'en')
      .type('json')
      .send(JSON.stringify({ unitCode: 'x'.repeat(2_000) }))
      .expect(413);
    expect(large.body).toMatchObject({
      title: 'Content Too Large',
      detail: 'the request body is larger than the limit of 1024 bytes',
    });
  });

  it('keeps a detail given as a plain string as it is, under the catalogue’s title', async () => {
    const zh = await request(server).get('/legacy').expect(409);
    expect(zh.body).toMatchObject({ title: '与案件状态冲突', detail: 'the objection window closed on 2026-03-09' });
    const en = await request(server).get('/legacy').set('Accept-Language', 'en').expect(409);
    expect(en.body.title).toBe('Conflict');
  });

  it('renders a problem in a language without a request, for code that writes problems elsewhere', () => {
    const problem = problems.unavailable(message('problem.detail.internal'), 7);
    expect(problem.detail).toBe('服务器出错；请求编号见响应头 X-Request-Id');
    expect(renderProblem(problem, 'en', '/v1/cases')).toEqual({
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
      detail: 'the server failed; the request ID is in X-Request-Id',
      instance: '/v1/cases',
      retryAfter: 7,
    });
    // A status the catalogue has no title for keeps the title it was given.
    expect(renderProblem(new HttpProblem(418, "I'm a teapot"), 'zh-CN').title).toBe("I'm a teapot");
  });
});
