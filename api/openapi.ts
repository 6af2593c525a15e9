import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { registerRoutes } from './route';
import { ROUTES } from './routes';

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function openApiDocument() {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key from an admin (POST /v1/admin/api-keys); its role decides what it may do.',
  });
  registry.registerComponent('securitySchemes', 'trackingPin', {
    type: 'apiKey',
    in: 'header',
    name: 'X-Tracking-Pin',
    description: 'The PIN given to the petitioner with the tracking code at registration.',
  });
  registerRoutes(registry, ROUTES);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Xinfang case engine',
      version: '1.0.0',
      description: 'Letters-and-visits (信访) cases on Temporal.',
    },
    servers: [{ url: '/' }],
  });
}
