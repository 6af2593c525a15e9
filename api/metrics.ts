import type { RequestHandler } from 'express';

/** Prometheus metrics: filled in by the metrics module. */
export function metricsMiddleware(): { observe: RequestHandler; expose: RequestHandler } {
  return {
    observe: (_req, _res, next) => next(),
    expose: (_req, res) => {
      res.type('text/plain').send('');
    },
  };
}
