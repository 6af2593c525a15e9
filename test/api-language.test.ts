import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { message } from '../domain/i18n';
import { requestLanguage } from '../api/language';
import { parseJson } from '../api/limits';
import { errorHandler, HttpProblem, notFoundHandler, problems, renderProblem, validationProblem } from '../api/problem';
import { IntakeBody, parseRequest } from '../api/schemas';

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
  server.post('/intake', (req, res) => {
    res.json(parseRequest(IntakeBody, req.body, 'body', requestLanguage(req)));
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
  const letter = {
    channel: 'letter',
    kind: 'complaint',
    subject: '夜间施工噪音',
    content: '文三路工地每天施工至午夜。',
    regionCode: '330106',
    category: 'environment',
    petitioner: { name: '张三' },
  };

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

  it('writes the schema’s own messages and zod’s in the caller’s language, with the same field and rule', async () => {
    const badId = { ...letter, petitioner: { name: '张三', idNumber: '12345' } };
    const zh = await request(server).post('/intake').send(badId).expect(400);
    expect(zh.body.errors).toEqual([
      { field: 'body.petitioner.idNumber', rule: 'invalid_format', message: '须为18位公民身份号码' },
    ]);
    expect(zh.body.detail).toBe('body.petitioner.idNumber：须为18位公民身份号码');
    const en = await request(server).post('/intake').set('Accept-Language', 'en').send(badId).expect(400);
    expect(en.body.errors).toEqual([
      {
        field: 'body.petitioner.idNumber',
        rule: 'invalid_format',
        message: 'must be an 18-character resident ID number',
      },
    ]);
    expect(en.body.detail).toBe('body.petitioner.idNumber: must be an 18-character resident ID number');

    // A missing field: zod's own message, from its locale for the caller's language.
    const anonymousLetter = { ...letter, petitioner: undefined };
    const zhMissing = await request(server).post('/intake').send(anonymousLetter).expect(400);
    expect(zhMissing.body.errors).toEqual([
      { field: 'body.petitioner', rule: 'invalid_type', message: expect.stringMatching(/^无效输入/) },
    ]);
    expect(zhMissing.body.detail).toMatch(/^body\.petitioner：无效输入/);
    const enMissing = await request(server)
      .post('/intake')
      .set('Accept-Language', 'en')
      .send(anonymousLetter)
      .expect(400);
    expect(enMissing.body.errors).toEqual([
      { field: 'body.petitioner', rule: 'invalid_type', message: 'Invalid input: expected object, received undefined' },
    ]);
  });

  it('fills a message’s parameters from the issue (a custom rule’s params, a bound’s minimum or maximum)', async () => {
    const group = {
      ...letter,
      channel: 'visit',
      representatives: Array(6).fill({ name: '李四' }),
      receivedAt: '1999-12-31T09:00:00+08:00',
    };
    const zh = await request(server).post('/intake').send(group).expect(400);
    expect(zh.body.errors).toEqual([
      {
        field: 'body.representatives',
        rule: 'too_big',
        message: '多人采用走访形式提出信访事项的，推选的代表不得超过5人（《信访工作条例》第二十条）',
      },
      { field: 'body.receivedAt', rule: 'custom', message: '不得早于2000-01-01T00:00:00+08:00' },
    ]);
    const en = await request(server).post('/intake').set('Accept-Language', 'en').send(group).expect(400);
    expect(en.body.errors.map((e: { message: string }) => e.message)).toEqual([
      'a group petition has at most 5 representatives (Art 20)',
      'must be 2000-01-01T00:00:00+08:00 or later',
    ]);
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
