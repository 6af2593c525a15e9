/**
 * NoSQL operator injection and hostile bodies against the main routes: every body, query and path field that reaches
 * MongoDB or Temporal answers 400 problem+json naming the field, or is taken as a literal string that matches nothing.
 * Size, content-type and UTF-8 checks already in api-hygiene.test.ts (POST /v1/cases) are covered here on the other
 * routes that take bodies.
 *
 * Long because it is a list of hostile inputs, route by route, on one shared stack.
 */
import request from 'supertest';
import { eventually, startCaseStack, type CaseStack } from '../harness/case-stack';
import { uniqueName } from '../harness/shared-servers';
import { noiseComplaint } from '../harness/case-start';

const problemJson = /^application\/problem\+json/;

const OPERATORS: [string, unknown][] = [
  ['$gt', { $gt: '' }],
  ['$ne', { $ne: null }],
  ['$where', { $where: '1' }],
  ['$regex', { $regex: '.*' }],
  ['$in', { $in: ['330106', '330100'] }],
];

/** A report, so that its accused units and persons are fields like the others (Art 30: reports only). */
const complaint = {
  ...noiseComplaint,
  kind: 'report',
  petitioner: { ...noiseComplaint.petitioner, email: 'wangwu@example.org', idNumber: '33010619800101123X' },
  accused: { units: ['330106-GA'], persons: ['李四'] },
  representatives: [{ name: '赵六' }],
  receivedAt: '2026-11-20T09:00:00+08:00',
};

/** A valid body for every action, so each field can be swapped for an operator on its own. */
const ACTION_BODIES: Record<string, Record<string, unknown>> = {
  acceptance: { actionId: 'inj-acc-0001', decision: 'accept', mode: 'transfer', unitCode: '330100-HB', note: 'n' },
  acknowledgement: { actionId: 'inj-ack-0001' },
  objection: { actionId: 'inj-obj-0001', reason: 'not ours' },
  'objection-decision': { actionId: 'inj-objd-0001', approve: true, unitCode: '330106-ZJ', reason: 'r' },
  extension: { actionId: 'inj-ext-0001', days: 10, reason: 'r' },
  'extension-decision': { actionId: 'inj-extd-0001', approve: true, days: 10, reason: 'r' },
  result: { actionId: 'inj-res-0001', decision: 'support', factsAndReasons: 'f', legalBasis: 'l' },
  supplement: { actionId: 'inj-sup-0001', content: 'c' },
  hearing: { actionId: 'inj-hear-0001', action: 'start', note: 'n' },
  rating: { actionId: 'inj-rate-0001', rating: 'satisfied', comment: 'c' },
  'review-request': { actionId: 'inj-rev-0001', reason: 'r' },
  'review-decision': { actionId: 'inj-revd-0001', decision: 'explain', factsAndReasons: 'f', legalBasis: 'l' },
  withdrawal: { actionId: 'inj-wd-0001', reason: 'r' },
  designation: { actionId: 'inj-des-0001', unitCode: '330100-HB', reason: 'r', jointConference: true },
  accusation: { actionId: 'inj-accu-0001', units: ['330106-ZJ'], persons: [{ name: '钱七', unitCode: '330106-ZJ' }] },
  recusal: { actionId: 'inj-recu-0001', unitCode: '330106-ZJ', reason: 'r' },
};

/** Every leaf path of a body, as [path, value-setter]: arrays contribute their first element. */
function leafPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.length ? leafPaths(value[0], [...prefix, 0]) : [prefix];
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, child]) => leafPaths(child, [...prefix, key]));
  }
  return [prefix];
}

function withValue(body: unknown, path: (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = replacement;
  return copy;
}

/** A 400 problem+json whose errors (or detail) name `field`. */
function expectNamed(res: request.Response, field: string): void {
  expect(res.status).toBe(400);
  expect(res.headers['content-type']).toMatch(problemJson);
  expect(res.body).toMatchObject({ status: 400, title: '请求无效' });
  const fields = ((res.body.errors ?? []) as { field: string }[]).map((e) => e.field);
  const named = fields.includes(field) || String(res.body.detail).includes(field);
  if (!named) throw new Error(`expected ${field} to be named, got ${JSON.stringify(res.body)}`);
}

describe('operator injection and hostile input', () => {
  let stack: CaseStack;
  let caseId: string;
  let trackingCode: string;
  let pin: string;

  beforeAll(async () => {
    stack = await startCaseStack({ departments: ['330100-HB'] });
    const intake = await request(stack.app)
      .post('/v1/cases')
      .set('Authorization', `Bearer ${stack.keys.intake}`)
      // Published in the Open311 listing, so a filter that matched everything would show.
      .send({ ...complaint, subject: uniqueName('injection'), publicationConsent: true })
      .expect(201);
    ({ caseId, trackingCode, pin } = intake.body);
    await eventually(async () => (await stack.store.cases.findById(caseId)) !== null);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const as = (key: string) => ({
    get: (path: string) => request(stack.app).get(path).set('Authorization', `Bearer ${key}`),
    post: (path: string, body?: unknown) =>
      request(stack.app)
        .post(path)
        .set('Authorization', `Bearer ${key}`)
        .send(body as object),
    put: (path: string, body?: unknown) =>
      request(stack.app)
        .put(path)
        .set('Authorization', `Bearer ${key}`)
        .send(body as object),
    delete: (path: string) => request(stack.app).delete(path).set('Authorization', `Bearer ${key}`),
  });
  const office = () => as(stack.keys.office!);
  const admin = () => as(stack.keys.admin!);

  describe('JSON bodies', () => {
    it('refuses an operator in every field of POST /v1/cases with 400 naming the field', async () => {
      const paths = leafPaths(complaint);
      expect(paths.length).toBeGreaterThanOrEqual(14);
      for (const path of paths) {
        for (const [, operator] of OPERATORS) {
          const res = await as(stack.keys.intake!).post('/v1/cases', withValue(complaint, path, operator));
          expectNamed(res, ['body', ...path].join('.'));
        }
      }
      // Whole objects replaced by an operator object: still the field, never a registration.
      for (const field of ['petitioner', 'accused', 'representatives']) {
        const res = await as(stack.keys.intake!).post('/v1/cases', { ...complaint, [field]: { $ne: null } });
        expect(res.status).toBe(400);
        expect(res.body.errors.some((e: { field: string }) => e.field.startsWith(`body.${field}`))).toBe(true);
      }
      expect(await stack.store.cases.countDocuments({})).toBe(1);
    });

    it('refuses a body regionCode of {"$gt": ""} with 400 naming body.regionCode', async () => {
      const res = await as(stack.keys.intake!).post('/v1/cases', { ...complaint, regionCode: { $gt: '' } });
      expectNamed(res, 'body.regionCode');
      expect(res.body.errors[0]).toMatchObject({ field: 'body.regionCode', rule: 'invalid_type' });
    });

    it('refuses operator keys, __proto__ and constructor as keys of a body, at the top and nested', async () => {
      for (const key of ['$where', '$set', '__proto__', 'constructor', 'prototype']) {
        // Raw JSON: an object literal with __proto__ would set the prototype instead of sending the key.
        const top = `{${JSON.stringify(complaint).slice(1, -1)},"${key}":{"polluted":true}}`;
        const res = await request(stack.app)
          .post('/v1/cases')
          .set('Authorization', `Bearer ${stack.keys.intake}`)
          .set('Content-Type', 'application/json')
          .send(top);
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(problemJson);
        expect(res.body.detail).toContain(key);
        const nested = JSON.stringify(complaint).replace('"name":"王五"', `"name":"王五","${key}":{"polluted":true}`);
        const inner = await request(stack.app)
          .post('/v1/cases')
          .set('Authorization', `Bearer ${stack.keys.intake}`)
          .set('Content-Type', 'application/json')
          .send(nested);
        expectNamed(inner, 'body.petitioner');
        expect(inner.body.detail).toContain(key);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
      expect(await stack.store.cases.countDocuments({})).toBe(1);
    });

    it('refuses an operator in every field of every action body with 400 naming the field', async () => {
      for (const [action, body] of Object.entries(ACTION_BODIES)) {
        for (const path of leafPaths(body)) {
          const [name, operator] = OPERATORS[path.length % OPERATORS.length]!;
          const res = await office().post(`/v1/cases/${caseId}/${action}`, withValue(body, path, operator));
          try {
            expectNamed(res, ['body', ...path].join('.'));
          } catch (error) {
            throw new Error(`${action} ${path.join('.')} with ${name}: ${(error as Error).message}`, { cause: error });
          }
        }
        const proto = JSON.stringify(body).replace(/^\{/, '{"__proto__":{"stage":"resolved"},');
        const res = await request(stack.app)
          .post(`/v1/cases/${caseId}/${action}`)
          .set('Authorization', `Bearer ${stack.keys.office}`)
          .set('Content-Type', 'application/json')
          .send(proto);
        expect(res.status).toBe(400);
        expect(res.body.detail).toContain('__proto__');
      }
      // Nothing reached the workflow: the case is still as registered.
      const doc = await office().get(`/v1/cases/${caseId}`).expect(200);
      expect(doc.body.stage).toBe('registered');
    });

    it('refuses operators in the admin bodies: API keys, units, routing rules, calendar', async () => {
      expectNamed(await admin().post('/v1/admin/api-keys', { role: { $ne: null }, label: 'x' }), 'body.role');
      expectNamed(
        await admin().post('/v1/admin/api-keys', { role: 'department', unitCode: { $gt: '' }, label: 'x' }),
        'body.unitCode',
      );
      expectNamed(
        await admin().put('/v1/admin/units/330106-INJ', { name: 'n', level: 'county', regionCode: { $gt: '' } }),
        'body.regionCode',
      );
      expectNamed(
        await admin().put('/v1/admin/units/330106-INJ', {
          name: 'n',
          level: 'county',
          regionCode: '330106',
          parentCode: { $ne: null },
        }),
        'body.parentCode',
      );
      expectNamed(
        await admin().put('/v1/admin/routing-rules', { rules: [{ id: 'r1', unitCode: { $ne: null } }] }),
        'body.rules.0.unitCode',
      );
      expectNamed(
        await admin().put('/v1/admin/calendar/2027', { holidays: [{ $gt: '' }], workdays: [] }),
        'body.holidays.0',
      );
      expect(await stack.store.units.exists({ _id: '330106-INJ' })).toBeNull();
    });

    it('takes operator-looking strings as literal text that matches nothing', async () => {
      const literal = '{"$gt": ""}';
      const res = await as(stack.keys.intake!)
        .post('/v1/cases', {
          ...complaint,
          subject: literal,
          content: '{"$where": "1"}',
          petitioner: { name: '$ne' },
          accused: { persons: ['[$ne]'] },
        })
        .expect(201);
      const doc = await eventually(async () => {
        const r = await office().get(`/v1/cases/${res.body.caseId}`);
        return r.status === 200 && !r.body.recordPending ? r : undefined;
      });
      expect(doc.body).toMatchObject({ subject: literal, content: '{"$where": "1"}', petitioner: { name: '$ne' } });
      // Defence in depth: an operator object that reached a store query as a value is sanitized into an equality,
      // which mongoose then refuses to cast for a string path; the query never runs as an operator.
      await expect(stack.store.cases.findOne({ trackingCode: { $ne: null } }).lean()).rejects.toThrow(/Cast to string/);
      await expect(stack.store.cases.countDocuments({ stage: { $ne: 'nothing' } })).rejects.toThrow(/Cast to string/);
      expect(await stack.store.cases.countDocuments({})).toBe(2);
    });
  });

  describe('query strings', () => {
    it('refuses bracketed operator keys on GET /v1/cases instead of listing everything', async () => {
      for (const query of [
        'stage[$ne]=x',
        'stage[$ne]=',
        'unit[$gt]=',
        'unit[$ne]=330100-HB',
        'kind[$in]=complaint',
        'regionCode[$regex]=.*',
        'escalationLevel[$gte]=0',
        'overdue[$ne]=true',
        'from[$gt]=2020-01-01',
        'cursor[$gt]=',
        'limit[$gt]=0',
        '__proto__[stage]=registered',
        '__proto__=x',
        'constructor[prototype]=x',
        '$where=1',
      ]) {
        const res = await office().get(`/v1/cases?${query}`);
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(problemJson);
        expect(res.body.detail).toContain(decodeURIComponent(query.split('=')[0]!));
        expect(res.body).not.toHaveProperty('items');
      }
    });

    it('refuses operator-looking values and repeated parameters on GET /v1/cases, naming the field', async () => {
      const cases: [string, string][] = [
        ['stage', '{"$ne":null}'],
        ['stage', '[$ne]'],
        ['unit', '{"$gt":""}'],
        ['kind', '$ne'],
        ['regionCode', '{"$regex":".*"}'],
        ['escalationLevel', '{"$gte":0}'],
        ['overdue', '{"$ne":true}'],
        ['from', '{"$gt":""}'],
        ['limit', '{"$gt":0}'],
        ['cursor', Buffer.from(JSON.stringify({ t: { $gt: '' }, i: { $ne: null } })).toString('base64url')],
      ];
      for (const [field, value] of cases) {
        expectNamed(await office().get(`/v1/cases?${field}=${encodeURIComponent(value)}`), `query.${field}`);
      }
      expectNamed(await office().get('/v1/cases?stage=registered&stage=resolved'), 'query.stage');
      // A control: the list itself works and holds exactly the cases registered here.
      const all = await office().get('/v1/cases').expect(200);
      expect(all.body.items).toHaveLength(2);
    });

    it('refuses bracketed operators on the inbox and stats queries', async () => {
      const dept = as(stack.keys['dept:330100-HB']!);
      for (const query of ['limit[$gt]=0', 'cursor[$ne]=x', '__proto__[x]=1']) {
        const res = await dept.get(`/v1/units/330100-HB/inbox?${query}`);
        expect(res.status).toBe(400);
        expect(res.body.detail).toContain(query.split('=')[0]);
      }
      for (const query of ['unit[$ne]=x', 'from[$gt]=', 'to[$lt]=2030-01-01']) {
        const res = await office().get(`/v1/stats?${query}`);
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(problemJson);
        expect(res.body.detail).toContain(query.split('=')[0]);
      }
      expectNamed(await office().get(`/v1/stats?unit=${encodeURIComponent('{"$ne":null}')}`), 'query.unit');
    });

    it('treats an Open311 service_code that looks like an operator as a literal that matches nothing', async () => {
      // A complaint to list, with its petitioner's consent (the shared case is a report, which is never listed).
      await request(stack.app)
        .post('/v1/cases')
        .set('Authorization', `Bearer ${stack.keys.intake}`)
        .send({ ...noiseComplaint, subject: uniqueName('listed'), publicationConsent: true })
        .expect(201);
      const listed = await eventually(async () => {
        const res = await request(stack.app).get('/open311/v2/requests.json').expect(200);
        return res.body.length > 0 && res;
      });
      expect(listed.body.length).toBeGreaterThan(0);
      for (const value of ['{"$ne":null}', '{"$gt":""}', '[$ne]']) {
        const res = await request(stack.app)
          .get(`/open311/v2/requests.json?service_code=${encodeURIComponent(value)}`)
          .expect(200);
        expect(res.body).toEqual([]);
      }
      const ids = await request(stack.app).get(
        `/open311/v2/requests.json?service_request_id=${encodeURIComponent('{"$ne":null}')}`,
      );
      expect(ids.status).toBe(400);
    });
  });

  describe('path parameters and the tracking PIN', () => {
    const hostile = ['{"$ne":null}', '{"$gt":""}', '[$ne]', '$where', '__proto__', 'constructor'];

    it('refuses operator-looking case IDs, unit codes and key IDs with 400 naming the parameter', async () => {
      for (const value of hostile) {
        const segment = encodeURIComponent(value);
        expectNamed(await office().get(`/v1/cases/${segment}`), 'params.caseId');
        expectNamed(
          await office().post(`/v1/cases/${segment}/withdrawal`, { actionId: 'inj-wd-0002' }),
          'params.caseId',
        );
        expectNamed(await office().get(`/v1/units/${segment}/inbox`), 'params.unitCode');
        expectNamed(await admin().put(`/v1/admin/units/${segment}`, { name: 'n', level: 'county' }), 'params.unitCode');
      }
      for (const value of ['{"$ne":null}', '[$ne]', '$where']) {
        expectNamed(await admin().delete(`/v1/admin/api-keys/${encodeURIComponent(value)}`), 'params.id');
      }
      // Bytes that are not UTF-8 in a path segment: 400, not a 500.
      const bad = await office().get('/v1/cases/%E0%A4%A');
      expect(bad.status).toBe(400);
      expect(bad.headers['content-type']).toMatch(problemJson);
    });

    it('never authenticates a tracking request with an operator PIN or code', async () => {
      for (const value of ['{"$ne":null}', '{"$gt":""}', '[$ne]', '{"$where":"1"}', '12345', '1234567', '*']) {
        const res = await request(stack.app).get(`/v1/track/${trackingCode}`).set('X-Tracking-Pin', value);
        expectNamed(res, 'headers');
        expect(res.body).not.toHaveProperty('caseNumber');
      }
      for (const value of hostile) {
        const res = await request(stack.app)
          .get(`/v1/track/${encodeURIComponent(value)}`)
          .set('X-Tracking-Pin', pin);
        expectNamed(res, 'params.trackingCode');
      }
      // Operators in the query string are not a way around the header either.
      const query = await request(stack.app).get(`/v1/track/${trackingCode}?pin[$ne]=x&X-Tracking-Pin[$ne]=x`);
      expect(query.status).toBe(400);
      expect(query.body).not.toHaveProperty('caseNumber');
      // An operator body on a petitioner action, with a wrong PIN: refused, and nothing changed.
      const wrongPin = await request(stack.app)
        .post(`/v1/track/${trackingCode}/withdrawal`)
        .set('X-Tracking-Pin', '{"$ne":null}')
        .send({ actionId: { $ne: null } });
      expect(wrongPin.status).toBe(400);
      const rightPin = await request(stack.app)
        .post(`/v1/track/${trackingCode}/withdrawal`)
        .set('X-Tracking-Pin', pin)
        .send({ actionId: { $ne: null } });
      expectNamed(rightPin, 'body.actionId');
      // The right PIN still works: the throttle was not tripped by malformed PINs.
      const ok = await request(stack.app).get(`/v1/track/${trackingCode}`).set('X-Tracking-Pin', pin).expect(200);
      expect(ok.body.stage).toBe('registered');
    });
  });

  describe('sizes, content types and encodings on the other routes', () => {
    const big = { actionId: 'inj-big-0001', reason: 'x'.repeat(300_000) };

    it('answers 413 problem+json to an oversized body on actions, tracking and admin routes', async () => {
      const targets: [string, string, string][] = [
        ['post', `/v1/cases/${caseId}/withdrawal`, stack.keys.office!],
        ['post', `/v1/track/${trackingCode}/withdrawal`, ''],
        ['put', '/v1/admin/units/330106-INJ', stack.keys.admin!],
        ['put', '/v1/admin/routing-rules', stack.keys.admin!],
      ];
      for (const [method, path, key] of targets) {
        let req = method === 'post' ? request(stack.app).post(path) : request(stack.app).put(path);
        if (key) req = req.set('Authorization', `Bearer ${key}`);
        const res = await req
          .set('X-Tracking-Pin', pin)
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(big));
        expect([path, res.status]).toEqual([path, 413]);
        expect(res.headers['content-type']).toMatch(problemJson);
        expect(res.body).toMatchObject({ status: 413, title: '请求内容过大' });
      }
      // Open311 answers in its own error format, with the same status.
      const open311 = await request(stack.app)
        .post('/open311/v2/requests.json')
        .set('Authorization', `Bearer ${stack.keys.intake}`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(big));
      expect(open311.status).toBe(413);
      expect(open311.body).toEqual([{ code: 413, description: expect.any(String) }]);
    });

    it('answers 415 to bodies that are not JSON on actions, tracking and admin routes', async () => {
      const targets: [string, string, string][] = [
        ['post', `/v1/cases/${caseId}/withdrawal`, stack.keys.office!],
        ['post', `/v1/track/${trackingCode}/withdrawal`, ''],
        ['put', '/v1/admin/units/330106-INJ', stack.keys.admin!],
        ['post', '/v1/admin/api-keys', stack.keys.admin!],
      ];
      for (const [method, path, key] of targets) {
        for (const type of [
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/xml',
          'multipart/form-data',
        ]) {
          let req = method === 'post' ? request(stack.app).post(path) : request(stack.app).put(path);
          if (key) req = req.set('Authorization', `Bearer ${key}`);
          const res = await req.set('X-Tracking-Pin', pin).set('Content-Type', type).send('actionId=inj-415-0001');
          expect([path, type, res.status]).toEqual([path, type, 415]);
          expect(res.headers['content-type']).toMatch(problemJson);
          expect(res.body).toMatchObject({ status: 415, title: '不支持的媒体类型' });
        }
      }
      // JSON in a charset other than UTF-8 is refused as a media type too.
      const latin1 = await office()
        .post(`/v1/cases/${caseId}/withdrawal`)
        .set('Content-Type', 'application/json; charset=iso-8859-1')
        .send(JSON.stringify({ actionId: 'inj-415-0002' }));
      expect(latin1.status).toBe(415);
      expect(latin1.headers['content-type']).toMatch(problemJson);
      expect(latin1.body).toMatchObject({ status: 415, title: '不支持的媒体类型' });
    });

    it('answers 400 to bodies that are not UTF-8 or not JSON on actions, tracking and admin routes', async () => {
      const bytes = Buffer.concat([
        Buffer.from('{"actionId": "inj-utf8-0001", "reason": "caf'),
        Buffer.from([0xe9, 0x22, 0x7d]),
      ]);
      const targets: [string, string, string][] = [
        ['post', `/v1/cases/${caseId}/withdrawal`, stack.keys.office!],
        ['post', `/v1/track/${trackingCode}/withdrawal`, ''],
        ['put', '/v1/admin/units/330106-INJ', stack.keys.admin!],
      ];
      for (const [method, path, key] of targets) {
        for (const [body, pattern] of [
          [bytes, /不是有效的UTF-8编码/],
          [Buffer.from('{"actionId": '), /JSON|Unexpected|Expected/],
          [Buffer.from('"just a string"'), /JSON|Unexpected|object|Expected/],
        ] as const) {
          let req = method === 'post' ? request(stack.app).post(path) : request(stack.app).put(path);
          if (key) req = req.set('Authorization', `Bearer ${key}`);
          const res = await req
            .set('X-Tracking-Pin', pin)
            .set('Content-Type', 'application/json')
            .serialize((b: Buffer) => b as unknown as string)
            .send(body);
          expect([path, res.status]).toEqual([path, 400]);
          expect(res.headers['content-type']).toMatch(problemJson);
          expect(res.body.detail).toMatch(pattern);
        }
      }
      const doc = await office().get(`/v1/cases/${caseId}`).expect(200);
      expect(doc.body.stage).toBe('registered');
    });
  });
});
