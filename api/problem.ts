import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { isGrpcServiceError } from '@temporalio/client';
import type { ZodError, z } from 'zod';
import {
  DEFAULT_LANG,
  isMessageKey,
  message,
  renderMessage,
  translate,
  type Lang,
  type Message,
  type MessageKey,
} from '../domain/i18n';
import { requestLanguage } from './language';
import { redactedUrl } from './redact';

/** The catalogue's title for each status the API answers with (RFC 9457: the status's short summary). */
const TITLES: Record<number, Extract<MessageKey, `problem.title.${string}`>> = {
  400: 'problem.title.badRequest',
  401: 'problem.title.unauthorized',
  403: 'problem.title.forbidden',
  404: 'problem.title.notFound',
  409: 'problem.title.conflict',
  413: 'problem.title.contentTooLarge',
  415: 'problem.title.unsupportedMediaType',
  422: 'problem.title.unprocessable',
  429: 'problem.title.tooManyRequests',
  500: 'problem.title.internal',
  503: 'problem.title.unavailable',
};

/** A field the request got wrong: its path (`body.unitCode`), the rule it broke (zod's issue code or our own), why. */
export interface FieldError {
  field: string;
  rule: string;
  message: string | Message;
}

/**
 * An error that becomes an `application/problem+json` answer (RFC 9457), written in the caller's language
 * (`Accept-Language`, Chinese by default; see renderProblem). The answer's `title` is the catalogue's for the status;
 * `title` here is the English reason phrase, used only for a status the catalogue has no title for. A `detail` given
 * as a catalogue message is rendered in the caller's language; one given as a string is sent as it is. Given as field
 * errors, they are the answer's `errors`, and its detail names each.
 */
export class HttpProblem extends Error {
  /** The detail in the default language, for code that reads it (Open311's error format). */
  readonly detail?: string;
  readonly detailMessage?: Message;
  readonly fieldErrors?: readonly FieldError[];

  constructor(
    readonly status: number,
    readonly title: string,
    detail?: string | Message | readonly FieldError[],
    readonly extra: Record<string, unknown> = {},
  ) {
    const fields = isFieldErrors(detail) ? detail : undefined;
    const single = isFieldErrors(detail) ? undefined : detail;
    const text = fields
      ? fieldsDetail(fields, DEFAULT_LANG)
      : typeof single === 'object'
        ? renderMessage(single, DEFAULT_LANG)
        : single;
    super(text ?? title);
    this.detail = text;
    if (fields) this.fieldErrors = fields;
    if (typeof single === 'object') this.detailMessage = single;
  }

  /** The detail in a language. */
  detailIn(lang: Lang): string | undefined {
    if (this.fieldErrors) return fieldsDetail(this.fieldErrors, lang);
    return this.detailMessage ? renderMessage(this.detailMessage, lang) : this.detail;
  }
}

function isFieldErrors(detail: string | Message | readonly FieldError[] | undefined): detail is readonly FieldError[] {
  return Array.isArray(detail);
}

/** A field error's message in a language. */
export function fieldErrorText(error: FieldError, lang: Lang): string {
  return typeof error.message === 'string' ? error.message : renderMessage(error.message, lang);
}

/** `body.unitCode：须为单位代码…；body.label：…` — each field with why. */
function fieldsDetail(errors: readonly FieldError[], lang: Lang): string {
  const named = errors.map((e) =>
    translate(lang, 'problem.detail.field', { field: e.field, message: fieldErrorText(e, lang) }),
  );
  return named.join(translate(lang, 'problem.detail.fieldsSeparator'));
}

export const problems = {
  unauthorized: (detail: string | Message = message('problem.detail.apiKeyRequired')) =>
    new HttpProblem(401, 'Unauthorized', detail),
  forbidden: (detail: string | Message) => new HttpProblem(403, 'Forbidden', detail),
  notFound: (detail: string | Message = message('problem.detail.notFound')) =>
    new HttpProblem(404, 'Not Found', detail),
  conflict: (detail: string | Message, extra?: Record<string, unknown>) =>
    new HttpProblem(409, 'Conflict', detail, extra),
  businessRule: (detail: string | Message) => new HttpProblem(422, 'Unprocessable Content', detail),
  unavailable: (detail: string | Message, retryAfterSeconds = 5) =>
    new HttpProblem(503, 'Service Unavailable', detail, { retryAfter: retryAfterSeconds }),
};

export function problemTitle(status: number, lang: Lang, fallback: string): string {
  const key = TITLES[status];
  return key ? translate(lang, key) : fallback;
}

/** The problem+json body in a language. */
export function renderProblem(problem: HttpProblem, lang: Lang, instance?: string): Record<string, unknown> {
  return {
    type: 'about:blank',
    title: problemTitle(problem.status, lang, problem.title),
    status: problem.status,
    detail: problem.detailIn(lang),
    instance,
    ...problem.extra,
    ...(problem.fieldErrors && {
      errors: problem.fieldErrors.map((e) => ({ field: e.field, rule: e.rule, message: fieldErrorText(e, lang) })),
    }),
  };
}

export function sendProblem(res: Response, problem: HttpProblem, instance?: string): void {
  if (problem.status === 503 || problem.status === 429) {
    res.setHeader('Retry-After', String((problem.extra.retryAfter as number | undefined) ?? 5));
  }
  const lang = requestLanguage(res.req);
  res.vary('Accept-Language');
  res.setHeader('Content-Language', lang);
  res
    .status(problem.status)
    .type('application/problem+json')
    .json(renderProblem(problem, lang, instance));
}

/**
 * Validation failures name each field by its path and the rule it broke. A schema's own message is a catalogue key
 * (`invalid('validation.residentId')`), rendered in the caller's language with the issue's parameters; zod's own
 * messages are in the language the request was parsed in (api/validation.ts).
 */
export function validationProblem(error: ZodError, location: 'body' | 'query' | 'params' | 'headers'): HttpProblem {
  const errors = error.issues.map((issue) => ({
    field: [location, ...issue.path].join('.'),
    rule: issue.code,
    message: issueMessage(issue),
  }));
  return new HttpProblem(400, 'Bad Request', errors.length ? errors : message('problem.detail.invalidRequest'));
}

/**
 * An issue's message as text in a language, for an answer that is not problem+json (Open311's error list). Parse with
 * `safeParseIn` (api/validation.ts) for zod's own messages in the same language.
 */
export function issueText(issue: z.core.$ZodIssue, lang: Lang): string {
  const text = issueMessage(issue);
  return typeof text === 'string' ? text : renderMessage(text, lang);
}

/** An issue's message: a catalogue message when the schema gave its key, zod's own text otherwise. */
export function issueMessage(issue: z.core.$ZodIssue): string | Message {
  if (!isMessageKey(issue.message)) return issue.message;
  const params: Record<string, string | number> = {};
  if (issue.code === 'custom') Object.assign(params, issue.params);
  if (issue.code === 'too_small') params.minimum = Number(issue.minimum);
  if (issue.code === 'too_big') params.maximum = Number(issue.maximum);
  return { key: issue.message, params };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(
    res,
    problems.notFound(message('problem.detail.noRoute', { method: req.method, path: req.path })),
    redactedUrl(req.originalUrl),
  );
};

/** body-parser's errors by their `type`, in the catalogue's words; any other keeps body-parser's own message. */
function parserDetail(error: {
  type?: unknown;
  message?: unknown;
  limit?: unknown;
  charset?: unknown;
  encoding?: unknown;
}): string | Message {
  switch (error.type) {
    case 'entity.parse.failed':
      return message('problem.detail.malformedJson', { reason: String(error.message) });
    case 'entity.too.large':
      return message('problem.detail.bodyTooLarge', { limit: Number(error.limit) });
    case 'charset.unsupported':
      return message('problem.detail.unsupportedCharset', { charset: String(error.charset) });
    case 'encoding.unsupported':
      return message('problem.detail.unsupportedEncoding', { encoding: String(error.encoding) });
    default:
      return String(error.message);
  }
}

/**
 * How long a client should wait before retrying while MongoDB or Temporal is unreachable: the driver gives up on
 * server selection after 5 s (store/models.ts), and a Temporal frontend that restarts is back within seconds.
 */
export const UNAVAILABLE_RETRY_AFTER_S = 5;

/** The MongoDB driver's and mongoose's errors that mean the server could not be reached, not that a request failed. */
const MONGO_UNREACHABLE = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoServerClosedError',
]);

/** gRPC statuses of a Temporal frontend that is down, restarting or too slow to answer: UNAVAILABLE, DEADLINE_EXCEEDED. */
const TEMPORAL_UNREACHABLE: number[] = [14, 4];

/** The error, then its causes: the Temporal client wraps gRPC errors in a ServiceError, the driver nests its own. */
function* causes(error: unknown): Generator<Error> {
  const seen = new Set<unknown>();
  for (let e = error; e instanceof Error && !seen.has(e); e = e.cause) {
    seen.add(e);
    yield e;
  }
}

/** Which store a connectivity failure is about, or undefined when the error is of another kind. */
export function unreachableServer(error: unknown): 'mongodb' | 'temporal' | undefined {
  for (const e of causes(error)) {
    if (MONGO_UNREACHABLE.has(e.name)) return 'mongodb';
    // mongoose queues operations while it has no connection and fails them after bufferTimeoutMS.
    if (e.name === 'MongooseError' && /buffering timed out/.test(e.message)) return 'mongodb';
    if (isGrpcServiceError(e) && TEMPORAL_UNREACHABLE.includes(e.code)) return 'temporal';
    // A cluster whose database is restarting cannot read its namespaces and answers NOT_FOUND for them.
    if (e.name === 'NamespaceNotFoundError') return 'temporal';
  }
  return undefined;
}

/** 503 with Retry-After for a MongoDB or Temporal connectivity failure (DESIGN: the client retries, nothing is lost). */
export function unavailableProblem(error: unknown): HttpProblem | undefined {
  const server = unreachableServer(error);
  if (!server) return undefined;
  return problems.unavailable(
    message(server === 'mongodb' ? 'problem.detail.mongoUnreachable' : 'problem.detail.temporalUnreachable'),
    UNAVAILABLE_RETRY_AFTER_S,
  );
}

export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  if (error instanceof HttpProblem) return sendProblem(res, error, redactedUrl(req.originalUrl));
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // body-parser's errors: malformed JSON (400), too large (413), unsupported charset or type (415).
    return sendProblem(
      res,
      new HttpProblem(status, 'Bad Request', parserDetail(error as object)),
      redactedUrl(req.originalUrl),
    );
  }
  const unavailable = unavailableProblem(error);
  if (unavailable) {
    req.log?.warn({ err: error }, 'a server the API needs is unreachable');
    return sendProblem(res, unavailable, redactedUrl(req.originalUrl));
  }
  req.log?.error({ err: error }, 'unhandled error');
  sendProblem(
    res,
    new HttpProblem(500, 'Internal Server Error', message('problem.detail.internal')),
    redactedUrl(req.originalUrl),
  );
};
