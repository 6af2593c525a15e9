/** The service list and each service's definition: one service per case category (service_code = category). */
import { z } from 'zod';
import { message } from '../../domain/i18n';
import type { Store } from '../../store/models';
import { problems } from '../problem';
import { attributes, serviceCodes, serviceOf } from './catalogue';
import { errorsResponse } from './errors';
import { inBothFormats } from './format';
import { OPEN311_BASE, open311Route } from './route';
import { Service, ServiceDefinition } from './schemas';

export const servicesRoute = open311Route({
  method: 'get',
  path: `${OPEN311_BASE}/services.{format}`,
  summary: 'Services: one per case category (service_code = category)',
  root: 'services',
  answer: z.array(Service),
  responses: {
    200: inBothFormats('The service list', z.array(Service), 'services'),
    404: errorsResponse('No such format'),
  },
  handler: async ({ lang }, deps: { store: Store }) => ({
    body: (await serviceCodes(deps.store)).map((code) => serviceOf(code, lang)),
  }),
});

export const serviceDefinitionRoute = open311Route({
  method: 'get',
  path: `${OPEN311_BASE}/services/{service_code}.{format}`,
  summary: "A service's definition: the attributes a request may carry",
  params: { service_code: z.string().openapi({ example: 'environment' }) },
  root: 'service_definition',
  answer: ServiceDefinition,
  responses: {
    200: inBothFormats('The definition', ServiceDefinition, 'service_definition'),
    404: errorsResponse('No such service or format'),
  },
  handler: async ({ req, lang, format }, deps: { store: Store }) => {
    const code = String(req.params.service_code);
    if (!(await serviceCodes(deps.store)).includes(code)) {
      throw problems.notFound(message('open311.error.noService', { code, format }));
    }
    return { body: { service_code: code, attributes: attributes(lang) } };
  },
});
