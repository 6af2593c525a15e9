/** The service's own routes: probes and metrics (never throttled), and the API's description. */
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Store } from '../store/models';
import { defineRoute, SENT, type Route } from './route';
import { problemResponse, security } from './schemas';

const Health = z.object({ status: z.string() }).openapi('Health');
const Readiness = z
  .object({ status: z.enum(['ready', 'not ready']), checks: z.object({ mongo: z.boolean(), temporal: z.boolean() }) })
  .openapi('Readiness');
type Checks = z.infer<typeof Readiness>['checks'];

export interface ServiceDeps {
  /** The Prometheus exposition of this app's registry. */
  exposition: () => Promise<{ contentType: string; text: string }>;
  /** The servers' answers, asked at most once a second. */
  readiness: () => Promise<Checks>;
  /** The OpenAPI document. */
  document: () => object;
}

const READINESS_TTL_MS = 1_000;

/** Probed often and by many: the servers are asked at most once a second. */
export function readinessProbe(deps: { client: Client; store: Store }): () => Promise<Checks> {
  let readiness: { at: number; checks: Promise<Checks> } | undefined;
  return () => {
    if (!readiness || Date.now() - readiness.at >= READINESS_TTL_MS) {
      readiness = { at: Date.now(), checks: readinessChecks(deps) };
    }
    return readiness.checks;
  };
}

async function readinessChecks(deps: { client: Client; store: Store }): Promise<Checks> {
  const checks = { mongo: false, temporal: false };
  await Promise.all([
    deps.store.connection.db
      ?.admin()
      .ping()
      .then(() => (checks.mongo = true))
      .catch(() => undefined),
    deps.client.workflowService
      .getSystemInfo({})
      .then(() => (checks.temporal = true))
      .catch(() => undefined),
  ]);
  return checks;
}

const service = { tags: ['service'], security: security.none };

/** Probes and scrapes: mounted before the rate limit. */
export const probeRoutes: readonly Route<ServiceDeps>[] = [
  defineRoute({
    ...service,
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics',
    responses: { 200: { description: 'Text exposition format', content: { 'text/plain': { schema: z.string() } } } },
    handler: async ({ res }, deps: ServiceDeps) => {
      const { contentType, text } = await deps.exposition();
      res.type(contentType).send(text);
      return SENT;
    },
  }),
  defineRoute({
    ...service,
    method: 'get',
    path: '/healthz',
    summary: 'Liveness: the process answers',
    responses: {
      200: { description: 'Alive', content: { 'application/json': { schema: Health, example: { status: 'ok' } } } },
    },
    handler: () => ({ status: 'ok' }),
  }),
  defineRoute({
    ...service,
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: Temporal answers (intake needs only Temporal)',
    responses: {
      200: { description: 'Ready', content: { 'application/json': { schema: Readiness } } },
      503: { description: 'Temporal is unreachable', content: { 'application/json': { schema: Readiness } } },
    },
    handler: async ({ reply }, deps: ServiceDeps) => {
      const checks = await deps.readiness();
      // Intake needs only Temporal, so the API is ready when Temporal answers.
      return checks.temporal ? { status: 'ready' as const, checks } : reply(503, { status: 'not ready', checks });
    },
  }),
];

/** The description of the API: throttled like the rest. */
const DOCUMENT = '/openapi.json';

export const documentRoutes: readonly Route<ServiceDeps>[] = [
  defineRoute({
    ...service,
    method: 'get',
    path: DOCUMENT,
    summary: 'This document (OpenAPI 3.1)',
    responses: {
      200: {
        description: 'The document',
        content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
      },
      429: problemResponse('Too many requests; see Retry-After'),
    },
    // The document's own type has no index signature; it is a JSON object all the same.
    handler: (_context, deps: ServiceDeps) => deps.document() as Record<string, unknown>,
  }),
  defineRoute({
    ...service,
    method: 'get',
    path: '/docs',
    summary: 'A page listing the operations of this document',
    responses: {
      200: { description: 'HTML', content: { 'text/html': { schema: z.string() } } },
      429: problemResponse('Too many requests; see Retry-After'),
    },
    handler: ({ res }) => {
      res.type('html').send(docsPage);
      return SENT;
    },
  }),
];

const docsPage = `<!doctype html>
<html><head><meta charset="utf-8"><title>Xinfang API</title></head>
<body><h1>Xinfang API</h1><p>The OpenAPI 3.1 document is at <a href="${DOCUMENT}">${DOCUMENT}</a>.</p>
<div id="paths"></div>
<script>
fetch('${DOCUMENT}').then(r => r.json()).then(doc => {
  const list = document.createElement('ul');
  for (const [path, ops] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(ops)) {
    const item = document.createElement('li');
    item.textContent = method.toUpperCase() + ' ' + path + ' — ' + (op.summary || '');
    list.appendChild(item);
  }
  document.getElementById('paths').appendChild(list);
});
</script></body></html>`;
