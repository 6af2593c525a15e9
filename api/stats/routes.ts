/** Statistics for the petition office: the rates per unit (三率) and hotspots. */
import type { Store } from '../../store/models';
import type { Sealer } from '../../store/sealed';
import { defineRoute, type Route } from '../route';
import { problemResponse, security } from '../schemas';
import { computeStats, StatsQuery, StatsResponse } from './figures';
import { hotspotsRoute } from './hotspots';

export const statsRoute = defineRoute({
  method: 'get',
  path: '/v1/stats',
  summary: 'Response, on-time, resolution and satisfaction rates per unit (三率), with overdue and escalated counts',
  description:
    'For the petition office and admins. Every rate shows its numerator and denominator; `definitions` says how each is counted.',
  security: security.apiKey,
  roles: ['office', 'admin'],
  request: { query: StatsQuery },
  responses: {
    200: {
      description: 'One entry per unit with activity in the period',
      content: { 'application/json': { schema: StatsResponse } },
    },
    400: problemResponse('Invalid query: each field and the rule it broke'),
    401: problemResponse('No or unknown API key'),
    403: problemResponse('Only office and admin keys read statistics'),
  },
  handler: ({ query, lang }, deps: { store: Store }) => computeStats(deps.store, query, lang),
});

export const statsRoutes: readonly Route<{ store: Store; sealer: Sealer }>[] = [hotspotsRoute, statsRoute];
