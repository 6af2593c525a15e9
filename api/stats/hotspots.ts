/**
 * Hotspots (矛盾纠纷排查): open cases about one matter piling up in a region, grouped by the similarity index. No
 * identities.
 */
import { z } from 'zod';
import { invalid } from '../../domain/i18n';
import { profileForRegion } from '../../domain/profiles';
import type { Store } from '../../store/models';
import type { Sealer } from '../../store/sealed';
import { findHotspots } from '../../similarity/hotspots';
import { defineRoute } from '../route';
import { problemResponse, security, wholeNumber } from '../schemas';

const IsoInstant = z.string().openapi({ format: 'date-time' });

export const HotspotsQuery = z
  .object({
    regionPrefix: z
      .string()
      .regex(/^(\d{2}|\d{4}|\d{6})$/, invalid('validation.hotspotRegionPrefix'))
      .openapi({ example: '330106' }),
    windowDays: wholeNumber(1, 90).optional().openapi({
      type: 'integer',
      description: "Days back from now; default: the region's profile (hotspot.windowDays).",
    }),
    minCases: wholeNumber(2, 1000).optional().openapi({
      type: 'integer',
      description: "Smallest group to show; default: the region's profile (hotspot.minCases).",
    }),
  })
  .strict();

const Hotspot = z
  .object({
    count: z.number().int(),
    regionCode: z.string(),
    regionCodes: z.array(z.string()),
    category: z.string(),
    subject: z.string().openapi({ description: 'The subject line of the case most like the whole group.' }),
    representativeCaseId: z.string(),
    caseIds: z.array(z.string()),
    firstRegisteredAt: IsoInstant,
    lastRegisteredAt: IsoInstant,
  })
  .openapi('Hotspot');

const HotspotsResponse = z
  .object({
    regionPrefix: z.string(),
    from: IsoInstant,
    to: IsoInstant,
    minCases: z.number().int(),
    basis: z.string().openapi({ description: "Where the profile's numbers come from." }),
    hotspots: z.array(Hotspot),
  })
  .openapi('Hotspots', {
    example: {
      regionPrefix: '330106',
      from: '2026-11-19T02:00:00.000Z',
      to: '2026-11-26T02:00:00.000Z',
      minCases: 5,
      basis: 'Xinfang default (configurable), not a statutory number',
      hotspots: [
        {
          count: 31,
          regionCode: '330106',
          regionCodes: ['330106'],
          category: 'environment',
          subject: '文三路万科工地夜间施工噪音扰民',
          representativeCaseId: '01KAYQ5J4Q3Z7X9V2N8M6P4R2T',
          caseIds: ['01KAYQ5J4Q3Z7X9V2N8M6P4R2T'],
          firstRegisteredAt: '2026-11-20T01:12:00.000Z',
          lastRegisteredAt: '2026-11-26T01:40:00.000Z',
        },
      ],
    },
  });

const DAY_MS = 86_400_000;

export const hotspotsRoute = defineRoute({
  method: 'get',
  path: '/v1/stats/hotspots',
  roles: ['office'],
  summary: 'Hotspots (矛盾纠纷排查): open cases about one matter piling up in a region',
  description:
    'Groups the open cases registered in the region within the window by matter (the similarity of their request and ' +
    'content), largest first; groups smaller than `minCases` are left out. No identities.',
  tags: ['office'],
  security: security.apiKey,
  request: { query: HotspotsQuery },
  responses: {
    200: { description: 'The groups', content: { 'application/json': { schema: HotspotsResponse } } },
    400: problemResponse('Invalid query: each field and the rule it broke'),
    401: problemResponse('No or unknown API key'),
    403: problemResponse('Only the petition office reads hotspots'),
    429: problemResponse('Too many requests; see Retry-After'),
    503: problemResponse('API keys cannot be checked right now'),
  },
  handler: async ({ query }, deps: { store: Store; sealer: Sealer }) => {
    const rule = profileForRegion(query.regionPrefix.padEnd(6, '0')).hotspot;
    const windowDays = query.windowDays ?? rule.windowDays;
    const minCases = query.minCases ?? rule.minCases;
    const now = new Date();
    const hotspots = await findHotspots(deps, { regionPrefix: query.regionPrefix, windowDays, minCases, now });
    return {
      regionPrefix: query.regionPrefix,
      from: new Date(now.getTime() - windowDays * DAY_MS).toISOString(),
      to: now.toISOString(),
      minCases,
      basis: rule.basis,
      hotspots,
    };
  },
});
