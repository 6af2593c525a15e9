/** Registering a case (登记), by an intake or office key; an Idempotency-Key makes a retry find the same case. */
import { z } from 'zod';
import type { IntakeDeps } from '../intake';
import { registerCase } from '../intake';
import { defineRoute } from '../route';
import { CASES_PATH } from './paths';
import { IdempotencyKey, IntakeBody, IntakeResponse, parseRequest, problemResponse, security } from '../schemas';

export const registerCaseRoute = defineRoute({
  method: 'post',
  path: CASES_PATH,
  summary: 'Register a case (登记)',
  tags: ['cases'],
  security: security.apiKey,
  roles: ['intake', 'office'],
  request: {
    headers: z.object({
      'Idempotency-Key': z.string().optional().openapi({ description: 'Same key and body: the same case again, 200.' }),
    }),
    body: IntakeBody,
  },
  responses: {
    201: {
      description: 'Registered',
      headers: { Location: { schema: { type: 'string' }, description: 'The case' } },
      content: { 'application/json': { schema: IntakeResponse } },
    },
    200: {
      description: 'Same Idempotency-Key and body: the case registered before',
      content: { 'application/json': { schema: IntakeResponse } },
    },
    400: problemResponse('Invalid body: each field and the rule it broke'),
    401: problemResponse('No or unknown API key'),
    403: problemResponse('Role may not register cases'),
    409: problemResponse('Idempotency-Key reused with a different body'),
    413: problemResponse('Body larger than 256 kB'),
    422: problemResponse('receivedAt lies in the future'),
    429: problemResponse('Too many requests; see Retry-After'),
    503: problemResponse('Temporal is unreachable; retry after Retry-After'),
  },
  handler: async ({ body, lang, req, reply }, deps: IntakeDeps) => {
    const key = parseRequest(IdempotencyKey, req.get('Idempotency-Key'), 'headers', lang);
    const { created, deadlines, ...registered } = await registerCase(deps, req.principal!, body, key);
    // Each explanation as a plain object: the answer's schema leaves its fields open.
    const answer = {
      ...registered,
      deadlines: deadlines.map((deadline) => ({ ...deadline, explanation: { ...deadline.explanation } })),
    };
    const headers = { Location: `/v1/cases/${answer.caseId}` };
    return created ? reply(201, answer, headers) : reply(200, answer, headers);
  },
});
