import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { CaseIdParams, IntakeBody, IntakeResponse } from './schemas';
import { registerAdminPaths } from './admin';
import { registerOfficePaths } from './office';
import { registerStatsPaths } from './stats';
import { registerOpen311Paths } from './open311';

const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), rule: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Problem } },
});

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function openApiDocument() {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'apiKey', { type: 'http', scheme: 'bearer' });
  registry.registerPath({
    method: 'post',
    path: '/v1/cases',
    summary: 'Register a case (登记)',
    security: [{ [bearer.name]: [] }],
    request: {
      headers: z.object({ 'Idempotency-Key': z.string().optional() }),
      body: { content: { 'application/json': { schema: IntakeBody } } },
    },
    responses: {
      201: { description: 'Registered', content: { 'application/json': { schema: IntakeResponse } } },
      200: { description: 'Same Idempotency-Key and body: the case registered before', content: { 'application/json': { schema: IntakeResponse } } },
      400: problem('Invalid body: each field and the rule it broke'),
      401: problem('No or unknown API key'),
      403: problem('Role may not register cases'),
      409: problem('Idempotency-Key reused with a different body'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/cases/{caseId}',
    summary: 'A case as the caller may see it',
    security: [{ [bearer.name]: [] }],
    request: { params: CaseIdParams },
    responses: {
      200: { description: 'The case with its deadlines and timeline' },
      404: problem('No such case, or not with the caller'),
    },
  });
  registerOfficePaths(registry);
  registerStatsPaths(registry);
  registerAdminPaths(registry);
  registerOpen311Paths(registry);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Xinfang case engine', version: '1.0.0', description: 'Letters-and-visits (信访) cases on Temporal.' },
    servers: [{ url: '/' }],
  });
}
