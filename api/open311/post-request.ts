/** Registering a request as a case, by an intake front-end's (or the office's) key: Open311's POST requests. */
import { z } from 'zod';
import { message, translate } from '../../domain/i18n';
import type { AppDeps } from '../app';
import type { KeyRing } from '../auth';
import { publicRequestId, registerCase } from '../intake';
import { hasBody } from '../limits';
import { HttpProblem, problems } from '../problem';
import { IdempotencyKey } from '../schemas';
import { safeParseIn } from '../validation';
import { isService } from './catalogue';
import { badRequest, errorsResponse, invalid } from './errors';
import { inBothFormats } from './format';
import { OPEN311_BASE, open311Route } from './route';
import { PostRequestAnswer, PostRequestBody } from './schemas';
import { createdRequest, readRequest, toIntake } from './translate';

export const postRequestRoute = open311Route({
  method: 'post',
  path: `${OPEN311_BASE}/requests.{format}`,
  summary: 'Register a request as a case (intake or office key: api_key field or Bearer)',
  request: {
    headers: z.object({ 'Idempotency-Key': z.string().optional() }),
    body: {
      content: {
        'application/x-www-form-urlencoded': { schema: PostRequestBody },
        'application/json': { schema: PostRequestBody },
      },
    },
  },
  root: 'service_requests',
  answer: PostRequestAnswer,
  responses: {
    201: inBothFormats('Registered; readable by its service_request_id at once', PostRequestAnswer, 'service_requests'),
    200: inBothFormats(
      'Same Idempotency-Key and body: the request registered before',
      PostRequestAnswer,
      'service_requests',
    ),
    400: errorsResponse('A field is missing or invalid, e.g. no jurisdiction_id or attribute[region_code]'),
    401: errorsResponse('No or unknown API key'),
    403: errorsResponse('The key may not register requests'),
    404: errorsResponse('No such format'),
    409: errorsResponse('Idempotency-Key reused with a different body'),
    413: errorsResponse('Body larger than 256 kB'),
    415: errorsResponse('Neither form fields nor JSON'),
    503: errorsResponse('Temporal is unreachable; Retry-After says when to try again'),
  },
  handler: async ({ req, lang, format }, deps: AppDeps & { keys: KeyRing }) => {
    if (hasBody(req) && !req.is(['application/json', 'application/x-www-form-urlencoded'])) {
      throw new HttpProblem(415, 'Unsupported Media Type', message('open311.error.mediaType'));
    }
    const post = readRequest(req.body, lang);
    if (!post.ok) throw badRequest(post.descriptions);
    const { value: fields } = post;
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const key = bearer ?? fields.api_key ?? (typeof req.query.api_key === 'string' ? req.query.api_key : undefined);
    if (!key) throw problems.unauthorized(message('open311.error.apiKeyRequired'));
    const principal = await deps.keys.resolve(key);
    if (!principal) throw problems.unauthorized(message('open311.error.apiKeyUnknown'));
    if (principal.role !== 'intake' && principal.role !== 'office') {
      throw problems.forbidden(message('open311.error.role', { role: principal.role }));
    }
    if (!(await isService(deps.store, fields.service_code))) {
      const noService = translate(lang, 'open311.error.noService', { code: fields.service_code, format });
      throw badRequest([translate(lang, 'problem.detail.field', { field: 'service_code', message: noService })]);
    }
    const idempotencyKey = safeParseIn(IdempotencyKey, req.get('Idempotency-Key'), lang);
    if (!idempotencyKey.success) throw invalid(idempotencyKey.error, lang, () => 'Idempotency-Key');
    const intake = toIntake(fields, lang);
    if (!intake.ok) throw badRequest(intake.descriptions);
    const result = await registerCase(deps, principal, intake.value, idempotencyKey.data);
    const answer = [createdRequest(result, publicRequestId(deps.sealer, result.caseId), lang)];
    return { status: result.created ? 201 : 200, body: answer };
  },
});
