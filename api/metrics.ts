/** Prometheus metrics for one app: request durations by route pattern, and the process's own metrics. */
import type { Request, RequestHandler } from 'express';
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Requests that matched no route (404s, and answers given before routing: 413, 415, 429) share one label. */
const UNMATCHED = '(unmatched)';

/**
 * Records the route pattern the moment Express picks a route, while `req.baseUrl` still names the router it is
 * mounted on; by the time the response finishes, an error may have unwound `baseUrl` to the app's.
 */
function captureRoutePattern(req: Request): () => string {
  let pattern: string | undefined;
  let route: unknown;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set: (value: { path?: string } | undefined) => {
      route = value;
      if (value?.path !== undefined) {
        const joined = `${req.baseUrl}${value.path}`;
        pattern = joined.length > 1 && joined.endsWith('/') ? joined.slice(0, -1) : joined;
      }
    },
  });
  return () => pattern ?? UNMATCHED;
}

/**
 * A registry per app rather than prom-client's global one, so tests can build several apps in one process. Labels are
 * the matched route pattern (`/v1/cases/:caseId`), never the raw URL, to keep the number of series bounded.
 */
export function metricsMiddleware(): {
  observe: RequestHandler;
  exposition: () => Promise<{ contentType: string; text: string }>;
} {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving an HTTP request to finishing its response, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    observe: (req, res, next) => {
      const routePattern = captureRoutePattern(req);
      const stop = duration.startTimer();
      res.once('finish', () => {
        stop({ method: req.method, route: routePattern(), status: String(res.statusCode) });
      });
      next();
    },
    exposition: async () => ({ contentType: registry.contentType, text: await registry.metrics() }),
  };
}
