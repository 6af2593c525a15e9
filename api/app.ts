import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { WebhookAllowlist } from '../outbound/webhook-targets';
import type { Store } from '../store/models';
import type { Sealer } from '../store/sealed';
import { PendingNotes } from '../store/tracking-codes';
import { authenticate, KeyRing, requireRole } from './auth';
import { openApiDocument } from './openapi';
import { Petitioners } from './track/petitioners';
import { trackRoutes } from './track/routes';
import { adminRoutes } from './admin/routes';
import { caseRoutes, officeReadRoutes } from './routes';
import { mount } from './route';
import { documentRoutes, probeRoutes, readinessProbe } from './service';
import { open311DiscoveryRouter, open311Errors, open311Router } from './open311/router';
import { DISCOVERY_BASE, OPEN311_BASE } from './open311/route';
import { metricsMiddleware } from './metrics';
import { DEFAULT_RATE_LIMIT, jsonBodiesOnly, parseJson, rateLimit, type RateLimitOptions } from './limits';
import { errorHandler, notFoundHandler } from './problem';
import { redactedUrl } from './redact';

export interface AppDeps {
  client: Client;
  store: Store;
  sealer: Sealer;
  taskQueue: string;
  logger: Logger;
  adminKey?: string;
  /** Per API key, or per IP without one; defaults to DEFAULT_RATE_LIMIT. */
  rateLimit?: RateLimitOptions;
  /** Non-public webhook targets units may be given (`XINFANG_WEBHOOK_ALLOW`); none by default. */
  webhookAllowlist?: WebhookAllowlist;
  /**
   * Express's `trust proxy` (`XINFANG_TRUST_PROXY`): which proxies' X-Forwarded-For names the client, for the rate
   * limit and the PIN throttle. Off by default: the client is the connection's address.
   */
  trustProxy?: boolean | number | string;
  /** The tracking codes and public IDs this replica gave out and has not written yet; createApp makes its own. */
  notes?: PendingNotes;
}

/** The HTTP API, without `listen`: tests and the server both build it from their own dependencies. */
export function createApp(given: AppDeps): Express {
  const deps = { ...given, notes: given.notes ?? new PendingNotes(given.store) };
  const app = express();
  const keys = new KeyRing(deps.store, deps.adminKey);
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', deps.trustProxy ?? false);
  app.use(helmet({ contentSecurityPolicy: false }));
  // Answers carry identities, PINs, keys and replies: no cache, shared or private, keeps any of them. Any answer may
  // be written in the caller's language (deadline texts, problem details, Open311's names), and says it varies so.
  app.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    res.vary('Accept-Language');
    next();
  });
  app.use(
    pinoHttp({
      logger: deps.logger,
      // A caller's request ID is kept only when it is a plain ID: it goes into logs and headers.
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // One short line per request: no headers at all (Authorization, X-Tracking-Pin, cookies), and the URL without
      // tracking codes or the values of secret-bearing query parameters (api_key, pin, tokens).
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: redactedUrl(req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  const metrics = metricsMiddleware();
  app.use(metrics.observe);
  const document = openApiDocument();
  const service = { exposition: metrics.exposition, readiness: readinessProbe(deps), document: () => document };
  mount(app, probeRoutes, service);
  // Probes and scrapes above are never throttled; everything below is, before its body is read.
  app.use(rateLimit(keys, deps, deps.rateLimit ?? DEFAULT_RATE_LIMIT));
  app.use(parseJson('256kb'));
  mount(app, documentRoutes, service);

  app.use(DISCOVERY_BASE, open311DiscoveryRouter(), open311Errors);
  app.use(OPEN311_BASE, open311Router({ ...deps, keys }), open311Errors);
  app.use(jsonBodiesOnly);
  const track = { ...deps, petitioners: new Petitioners(deps) };
  mount(app, trackRoutes, track);
  app.use('/v1', authenticate(keys));
  mount(app, caseRoutes, deps);
  mount(app, officeReadRoutes, deps);
  // Anything under /v1/admin, a path that does not exist included, is for admin keys only: others get 403.
  app.use('/v1/admin', requireRole('admin'));
  mount(app, adminRoutes, { ...deps, keys });

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

/** X-Request-Id values kept as sent: what an ID needs, nothing that could forge a log line or a header. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;
