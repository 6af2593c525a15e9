import express, { type Express } from 'express';
import request from 'supertest';
import type { ZodType } from 'zod';
import {
  ActionBodies,
  ApiKeyBody,
  CalendarBody,
  IntakeBody,
  RoutingRules,
  UnitBody,
  calendarBodyFor,
  type ActionName,
} from '../api/schemas';
import { expressPath } from '../api/route';
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

// ── Walking Express 5's router ──────────────────────────────────────────────────────────────────────────────────

interface Route {
  path: string;
  methods: Record<string, boolean>;
}
interface Layer {
  route?: Route;
  handle: { stack?: Layer[] };
  path?: string;
  match(path: string): boolean | { path: string };
}

/** Every route handler in the app, mounted routers included, with its methods. */
function allRoutes(stack: Layer[], found: { route: Route; method: string }[] = []) {
  for (const layer of stack) {
    if (layer.route) {
      for (const [method, on] of Object.entries(layer.route.methods))
        if (on) found.push({ route: layer.route, method });
    } else if (layer.handle.stack) {
      allRoutes(layer.handle.stack, found);
    }
  }
  return found;
}

/** The route that would answer `method url`, as Express dispatches: the first match through the mounted routers. */
function dispatch(stack: Layer[], url: string, method: string): Route | undefined {
  for (const layer of stack) {
    const match = layer.match(url);
    if (!match) continue;
    if (layer.route) {
      if (layer.route.methods[method] || layer.route.methods._all) return layer.route;
    } else if (layer.handle.stack) {
      // router 2.3 returns the matched part; earlier versions set `layer.path`.
      const mounted = typeof match === 'object' ? match.path : (layer.path ?? '');
      const route = dispatch(layer.handle.stack, url.slice(mounted.length) || '/', method);
      if (route) return route;
    }
  }
  return undefined;
}

/** Routes the app serves that no documented operation reaches, and documented operations no route serves. */
function compare(app: Express, doc: Document) {
  const stack = (app as unknown as { router: { stack: Layer[] } }).router.stack;
  const reached = new Map<Route, Set<string>>();
  const unserved: string[] = [];
  for (const { path, method } of operations(doc)) {
    const route = dispatch(stack, path.replace(/\{[^}]+\}/g, 'sample'), method);
    if (route) reached.set(route, (reached.get(route) ?? new Set()).add(method));
    else unserved.push(`${method.toUpperCase()} ${path}`);
  }
  const undocumented = allRoutes(stack)
    .filter(({ route, method }) => !reached.get(route)?.has(method))
    .map(({ route, method }) => `${method.toUpperCase()} ${route.path}`);
  return { unserved, undocumented };
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

  it('documents every route the app serves, and serves every route it documents', () => {
    const { unserved, undocumented } = compare(stack.app, doc);
    // The walk sees the routes of the mounted routers, not just the app's own.
    const served = allRoutes((stack.app as unknown as { router: { stack: Layer[] } }).router.stack);
    expect(served.length).toBeGreaterThanOrEqual(27);
    expect(unserved).toEqual([]);
    // Only the route table's fallbacks (the 404 of an unknown action) are served undocumented.
    const fallbacks = ROUTES.filter((route) => !route.documented);
    expect(fallbacks.length).toBeGreaterThan(0);
    expect(undocumented.sort()).toEqual(
      fallbacks.map(({ method, path }) => `${method.toUpperCase()} ${expressPath(path)}`).sort(),
    );
    // The contract's routes, named here so that dropping one from both the app and the document fails too.
    const documented = operations(doc).map(({ path, method }) => `${method.toUpperCase()} ${path}`);
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
        'GET /healthz',
        'GET /readyz',
        'GET /metrics',
        'GET /openapi.json',
        'GET /docs',
      ]),
    );
  });

  it('documents each route of the route table once, and the app serves it', () => {
    const stackOf = (stack.app as unknown as { router: { stack: Layer[] } }).router.stack;
    const documented = operations(doc).map(({ path, method }) => `${method.toUpperCase()} ${path}`);
    const table = ROUTES.filter((route) => route.documented).map(
      ({ method, path }) => `${method.toUpperCase()} ${path}`,
    );
    expect(new Set(table).size).toBe(table.length);
    expect(documented).toEqual(expect.arrayContaining(table));
    const unserved = ROUTES.filter(
      ({ method, path }) => !dispatch(stackOf, path.replace(/\{[^}]+\}/g, 'sample'), method),
    );
    expect(unserved).toEqual([]);
  });

  it('would notice a route added without documentation', () => {
    const app = express();
    const router = express.Router();
    router.get('/documented', (_req, res) => void res.end());
    router.delete('/documented/:id', (_req, res) => void res.end());
    app.use('/v1/things', router);
    app.get('/healthz', (_req, res) => void res.end());
    const partial: Document = {
      openapi: '3.1.0',
      paths: { '/v1/things/documented': { get: {} }, '/v1/gone': { get: {} } },
    };
    expect(compare(app, partial)).toEqual({
      unserved: ['GET /v1/gone'],
      undocumented: ['DELETE /documented/:id', 'GET /healthz'],
    });
  });

  it('serves a docs page that reads the document', async () => {
    const res = await request(stack.app).get('/docs').expect(200).expect('Content-Type', /html/);
    expect(res.text).toContain('/openapi.json');
  });
});
