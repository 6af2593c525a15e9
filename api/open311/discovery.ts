/** Service discovery (GeoReport v2): where the endpoint is and which formats it speaks, at `/open311/discovery.*`. */
import { z } from 'zod';
import { translator } from '../../domain/i18n';
import { errorsResponse } from './errors';
import { inBothFormats } from './format';
import { DISCOVERY_BASE, open311Route } from './route';
import { Discovery } from './schemas';

/** When this API last changed in a way an Open311 client would notice (the discovery document's changeset). */
const CHANGESET = '2026-12-01T00:00:00Z';

export const discoveryRoute = open311Route({
  method: 'get',
  path: `${DISCOVERY_BASE}/discovery.{format}`,
  summary: 'Service discovery: the endpoint, its specification (GeoReport v2) and formats',
  root: 'discovery',
  answer: Discovery,
  responses: {
    200: inBothFormats('The discovery document', Discovery, 'discovery'),
    404: errorsResponse('No such format'),
  },
  handler: ({ req, lang }, _deps: unknown) => {
    const t = translator(lang);
    const discovery: z.infer<typeof Discovery> = {
      changeset: CHANGESET,
      contact: t('open311.discovery.contact'),
      key_service: t('open311.discovery.keyService'),
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: `${req.protocol}://${req.host}/open311/v2`,
          changeset: CHANGESET,
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    };
    return { body: discovery };
  },
});
