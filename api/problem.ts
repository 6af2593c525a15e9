import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { ZodError } from 'zod';
import { redactedUrl } from './redact';

/** An error that becomes an `application/problem+json` answer (RFC 9457). */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
  }
}

export const problems = {
  unauthorized: (detail = 'a valid API key is required: Authorization: Bearer <key>') =>
    new HttpProblem(401, 'Unauthorized', detail),
  forbidden: (detail: string) => new HttpProblem(403, 'Forbidden', detail),
  notFound: (detail = 'not found') => new HttpProblem(404, 'Not Found', detail),
  conflict: (detail: string, extra?: Record<string, unknown>) => new HttpProblem(409, 'Conflict', detail, extra),
  businessRule: (detail: string) => new HttpProblem(422, 'Unprocessable Content', detail),
  unavailable: (detail: string, retryAfterSeconds = 5) =>
    new HttpProblem(503, 'Service Unavailable', detail, { retryAfter: retryAfterSeconds }),
};

export function sendProblem(res: Response, problem: HttpProblem, instance?: string): void {
  if (problem.status === 503 || problem.status === 429) {
    res.setHeader('Retry-After', String((problem.extra.retryAfter as number | undefined) ?? 5));
  }
  res
    .status(problem.status)
    .type('application/problem+json')
    .json({
      type: 'about:blank',
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      instance,
      ...problem.extra,
    });
}

/** Validation failures name each field by its path and the rule it broke. */
export function validationProblem(error: ZodError, location: 'body' | 'query' | 'params' | 'headers'): HttpProblem {
  const errors = error.issues.map((issue) => ({
    field: [location, ...issue.path].join('.'),
    rule: issue.code,
    message: issue.message,
  }));
  const first = errors[0];
  return new HttpProblem(400, 'Bad Request', first ? `${first.field}: ${first.message}` : 'invalid request', {
    errors,
  });
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, problems.notFound(`no route for ${req.method} ${req.path}`), redactedUrl(req.originalUrl));
};

/** Titles of body-parser's statuses: a JSON body in another charset is 415 Unsupported Media Type, not Bad Request. */
const PARSER_TITLES: Record<number, string> = {
  400: 'Bad Request',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
};

export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  if (error instanceof HttpProblem) return sendProblem(res, error, redactedUrl(req.originalUrl));
  const status = (error as { status?: unknown; type?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // body-parser's errors: malformed JSON (400), too large (413), unsupported charset or type (415).
    const message = (error as Error).message;
    return sendProblem(
      res,
      new HttpProblem(status, PARSER_TITLES[status] ?? 'Bad Request', message),
      redactedUrl(req.originalUrl),
    );
  }
  req.log?.error({ err: error }, 'unhandled error');
  sendProblem(
    res,
    new HttpProblem(500, 'Internal Server Error', 'the server failed; the request ID is in X-Request-Id'),
    redactedUrl(req.originalUrl),
  );
};
