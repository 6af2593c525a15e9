/**
 * Open311's error format: a list of `{ code, description }`, the HTTP status as each code, one description per
 * problem in the caller's language; `<errors><error><code/><description/></error></errors>` in XML.
 */
import type { ErrorRequestHandler, Request } from 'express';
import { z } from 'zod';
import { message, renderMessage, translate, type Lang } from '../../domain/i18n';
import { requestLanguage } from '../language';
import { HttpProblem, fieldErrorText, problemTitle, problems, unavailableProblem } from '../problem';
import { formatOf, send } from './format';
import { Open311Error } from './schemas';
import { fieldDescriptions, type Descriptions } from './translate';

/** 400 with one description per problem, already in the caller's language. */
export function badRequest(descriptions: Descriptions): HttpProblem {
  return new HttpProblem(400, 'Bad Request', descriptions[0], { descriptions });
}

/** A validation failure as a 400 whose descriptions name the fields as the client knows them. */
export function invalid(error: z.ZodError, lang: Lang, field: (path: string) => string): HttpProblem {
  return badRequest(fieldDescriptions(error, lang, field));
}

/** 404 for a path or method Open311 does not have, or a format other than json and xml. */
export function noResource(req: Request): HttpProblem {
  return problems.notFound(message('open311.error.noResource', { method: req.method, path: req.path }));
}

/** A problem's descriptions: those it carries, one per field error, or its detail (its title without one). */
export function descriptionsOf(problem: HttpProblem, lang: Lang): string[] {
  return (
    (problem.extra.descriptions as string[] | undefined) ??
    problem.fieldErrors?.map((e) =>
      translate(lang, 'problem.detail.field', { field: e.field, message: fieldErrorText(e, lang) }),
    ) ?? [
      problem.detailMessage
        ? renderMessage(problem.detailMessage, lang)
        : (problem.detail ?? problemTitle(problem.status, lang, problem.title)),
    ]
  );
}

/** Every error under /open311, including the body parser's and the rate limit's, in Open311's form and format. */
export const open311Errors: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  let problem: HttpProblem;
  if (error instanceof HttpProblem) problem = error;
  else {
    const status = (error as { status?: unknown }).status;
    problem =
      typeof status === 'number' && status >= 400 && status < 500
        ? new HttpProblem(status, 'Bad Request', (error as Error).message)
        : (unavailableProblem(error) ??
          new HttpProblem(500, 'Internal Server Error', message('problem.detail.internal')));
    if (problem.status === 500) req.log?.error({ err: error }, 'unhandled error');
  }
  if (problem.status === 429 || problem.status === 503)
    res.setHeader('Retry-After', String((problem.extra.retryAfter as number | undefined) ?? 5));
  const descriptions = descriptionsOf(problem, requestLanguage(req));
  send(
    res,
    formatOf(req.path),
    'errors',
    descriptions.map((description) => ({ code: problem.status, description })),
    problem.status,
  );
};

/** A documented refusal, in both formats. */
export function errorsResponse(description: string) {
  return {
    description: `${description}; \`<errors><error><code/><description/></error></errors>\` in XML`,
    content: { 'application/json': { schema: Open311Error }, 'text/xml': { schema: z.string() } },
  };
}
