import express, { type Express } from 'express';
import request from 'supertest';
import type { ZodType } from 'zod';
import { ActionBodies, IntakeBody, type ActionName } from '../api/schemas';
import { ApiKeyBody, CalendarBody, RoutingRules, UnitBody, calendarBodyFor } from '../api/admin/schemas';
import { notFoundHandler } from '../api/problem';
import { ROUTES } from '../api/routes';
import { startCaseStack, type CaseStack } from '../harness/case-stack';

type Json = Record<string, unknown>;
interface Operation {
  summary?: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, { schema?: Json; example?: unknown }> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
}
type Document = Json & { openapi: string; paths: Record<string, Record<string, Operation>>; components?: Json };

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

function operations(doc: Document): { path: string; method: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ path, method, op })),
  );
}

/** A JSON pointer inside the document (`#/components/schemas/Problem`), or undefined when it leads nowhere. */
function resolve(doc: Document, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!node || typeof node !== 'object' || !(key in node)) return undefined;
    node = (node as Json)[key];
  }
  return node;
}

function refsIn(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refsIn(n, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push(value);
      else refsIn(value, found);
    }
  }
  return found;
}

// ── Served: each route of the table answers through its own handler ─────────────────────────────────────────

/** A path of the table with every parameter filled in (values the route refuses are fine: it answered). */
const sampled = (path: string) => path.replace('{format}', 'json').replace(/\{[^}]+\}/g, 'sample');

/**
 * The table's routes that the app answers with a catch-all 404 ("no route for METHOD path": the app's, or Open311's
 * in its own format) instead of a handler of their own. Each is sent with a key that passes authentication where one
 * is needed, and an empty body, so that no probe changes anything. The catch-alls' answers are learnt from paths
 * that exist nowhere, one per family.
 */
async function unservedIn(app: Express, keys: { office: string; admin: string }): Promise<string[]> {
  const send = (method: string, path: string) => {
    const key = path.startsWith('/v1/admin') ? keys.admin : path.startsWith('/v1/') ? keys.office : undefined;
    const req = request(app)[method as 'get'](path);
    return key ? req.set('Authorization', `Bearer ${key}`) : req;
  };
  const families = ['/open311/v2', '/open311', '/v1'];
  // The problem's detail, or Open311's list of errors (the `instance` of a problem hides tracking codes).
  const said = (res: request.Response) =>
    JSON.stringify(Array.isArray(res.body) ? res.body : (res.body as Json).detail);
  const catchAlls = new Map<string, { status: number; text: string }>();
  for (const family of families) {
    const res = await send('get', `${family}/no-such-route`);
    catchAlls.set(family, { status: res.status, text: said(res) });
  }
  const unserved: string[] = [];
  for (const { method, path } of ROUTES) {
    const family = families.find((f) => path.startsWith(`${f}/`)) ?? '/v1';
    const control = catchAlls.get(family)!;
    const expected = control.text
      .replaceAll(`${family}/no-such-route`, sampled(path))
      .replaceAll('/no-such-route', sampled(path).slice(family.length))
      .replaceAll('GET', method.toUpperCase());
    const res = await send(method, sampled(path));
    if (res.status === control.status && said(res) === expected) unserved.push(`${method.toUpperCase()} ${path}`);
  }
  return unserved;
}

describe('the OpenAPI document', () => {
  let stack: CaseStack;
  let doc: Document;
  beforeAll(async () => {
    stack = await startCaseStack();
    const res = await request(stack.app).get('/openapi.json').expect(200).expect('Content-Type', /json/);
    doc = res.body as Document;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('is OpenAPI 3.1 whose references all resolve', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toEqual(expect.objectContaining({ title: expect.any(String), version: expect.any(String) }));
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(20);
    expect(refs.filter((ref) => resolve(doc, ref) === undefined)).toEqual([]);
    const schemes = Object.keys(doc.components?.securitySchemes ?? {});
    expect(schemes).toEqual(expect.arrayContaining(['apiKey', 'trackingPin']));
    for (const { path, method, op } of operations(doc)) {
      const where = `${method.toUpperCase()} ${path}`;
      expect({ where, summary: typeof op.summary }).toEqual({ where, summary: 'string' });
      expect({ where, responses: Object.keys(op.responses ?? {}).length > 0 }).toEqual({ where, responses: true });
      // Ours say who may call them, `[]` for public ones; Open311 follows GeoReport's own api_key convention.
      if (!path.startsWith('/open311/')) {
        expect({ where, security: Array.isArray(op.security) }).toEqual({ where, security: true });
      }
      for (const requirement of op.security ?? []) {
        for (const name of Object.keys(requirement as Json))
          expect({ where, name, known: schemes.includes(name) }).toEqual({ where, name, known: true });
      }
      // Every path parameter is declared, and required.
      for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
        const parameter = op.parameters?.find((p) => p.in === 'path' && p.name === name);
        expect({ where, name, required: parameter?.required }).toEqual({ where, name, required: true });
      }
    }
  });

  it('answers every failure of the /v1 API as problem+json, and gives every JSON body an example', () => {
    for (const { path, method, op } of operations(doc).filter((o) => o.path.startsWith('/v1/'))) {
      const where = `${method.toUpperCase()} ${path}`;
      const failures = Object.entries(op.responses ?? {}).filter(([status]) => /^[45]/.test(status));
      expect({ where, failures: failures.length > 0 }).toEqual({ where, failures: true });
      for (const [status, response] of failures) {
        expect({ where, status, types: Object.keys(response.content ?? {}) }).toEqual({
          where,
          status,
          types: ['application/problem+json'],
        });
      }
      const body = op.requestBody?.content['application/json'];
      if (!body) continue;
      const schema = body.schema?.$ref ? (resolve(doc, body.schema.$ref as string) as Json) : body.schema;
      const example = body.example ?? schema?.example;
      expect({ where, example: example !== undefined }).toEqual({ where, example: true });
    }
  });

  it('has request examples that its own schemas accept', () => {
    const example = (path: string, method = 'post') => {
      const body = doc.paths[path]![method]!.requestBody!.content['application/json']!;
      return body.example ?? (resolve(doc, body.schema!.$ref as string) as Json).example;
    };
    const accepts = (schema: ZodType, value: unknown, where: string) =>
      expect({ where, issues: schema.safeParse(value).error?.issues ?? [] }).toEqual({ where, issues: [] });
    accepts(IntakeBody, example('/v1/cases'), 'POST /v1/cases');
    for (const action of Object.keys(ActionBodies) as ActionName[]) {
      accepts(ActionBodies[action], example(`/v1/cases/{caseId}/${action}`), action);
    }
    for (const action of ['rating', 'review-request', 'withdrawal', 'supplement'] as const) {
      accepts(ActionBodies[action], example(`/v1/track/{trackingCode}/${action}`), `track ${action}`);
    }
    accepts(ApiKeyBody, example('/v1/admin/api-keys'), 'api key');
    accepts(UnitBody, example('/v1/admin/units/{unitCode}', 'put'), 'unit');
    accepts(RoutingRules, example('/v1/admin/routing-rules', 'put'), 'routing rules');
    const calendar = example('/v1/admin/calendar/{year}', 'put') as { holidays: string[] };
    accepts(CalendarBody, calendar, 'calendar');
    accepts(calendarBodyFor(Number(calendar.holidays[0]!.slice(0, 4))), calendar, 'calendar for its year');
  });

  it('documents exactly the route table, whose every route the app serves', async () => {
    const documented = operations(doc).map(({ path, method }) => `${method.toUpperCase()} ${path}`);
    const table = ROUTES.filter((route) => route.documented).map(
      ({ method, path }) => `${method.toUpperCase()} ${path}`,
    );
    expect(new Set(table).size).toBe(table.length);
    expect(documented.sort()).toEqual(table.sort());
    // Only the table's fallbacks (the 404 naming the known actions) are served and not documented.
    expect(ROUTES.filter((route) => !route.documented).map(({ method, path }) => `${method} ${path}`)).toEqual([
      'post /v1/track/{trackingCode}/{action}',
      'post /v1/cases/{caseId}/{action}',
    ]);
    expect(await unservedIn(stack.app, stack.keys as { office: string; admin: string })).toEqual([]);
    // The contract's routes, named here so that dropping one from both the app and the document fails too.
    expect(documented).toEqual(
      expect.arrayContaining([
        'POST /v1/cases',
        'GET /v1/cases',
        'GET /v1/cases/{caseId}',
        ...Object.keys(ActionBodies).map((action) => `POST /v1/cases/{caseId}/${action}`),
        'GET /v1/track/{trackingCode}',
        ...['rating', 'review-request', 'withdrawal', 'supplement'].map((a) => `POST /v1/track/{trackingCode}/${a}`),
        'GET /v1/units/{unitCode}/inbox',
        'GET /v1/stats',
        'POST /v1/admin/api-keys',
        'GET /v1/admin/api-keys',
        'DELETE /v1/admin/api-keys/{id}',
        'PUT /v1/admin/units/{unitCode}',
        'GET /v1/admin/units',
        'PUT /v1/admin/routing-rules',
        'GET /v1/admin/routing-rules',
        'PUT /v1/admin/calendar/{year}',
        'GET /v1/admin/calendar/{year}',
        'GET /open311/v2/requests.{format}',
        'POST /open311/v2/requests.{format}',
        'GET /healthz',
        'GET /readyz',
        'GET /metrics',
        'GET /openapi.json',
        'GET /docs',
      ]),
    );
  });

  it('would notice a route of the table that the app does not serve', async () => {
    // An app with no routes at all, only the catch-all: every route of the table is reported.
    const bare = express();
    bare.use(notFoundHandler);
    const unserved = await unservedIn(bare, { office: 'k', admin: 'k' });
    expect(unserved).toEqual(ROUTES.map(({ method, path }) => `${method.toUpperCase()} ${path}`));
  });

  it('serves a docs page that reads the document', async () => {
    const res = await request(stack.app).get('/docs').expect(200).expect('Content-Type', /html/);
    expect(res.text).toContain('/openapi.json');
  });
});
