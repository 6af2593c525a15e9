/**
 * The petitioner's own actions on the case, through the tracking code and PIN: one route per petitioner action, and
 * behind them the 404 of an action a petitioner cannot take.
 */
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import { PETITIONER_ACTIONS } from '../../domain/actions';
import { list, message } from '../../domain/i18n';
import type { Store } from '../../store/models';
import type { Sealer } from '../../store/sealed';
import { ACTIONS, actionBody, actionResponses } from '../action-docs';
import { applyAction } from '../actions';
import { problems } from '../problem';
import { defineRoute } from '../route';
import { TrackingParams, security } from '../schemas';
import { pin, refusals, type TrackDeps } from './petitioners';

type Deps = TrackDeps & { client: Client; store: Store; sealer: Sealer };

/** `POST /v1/track/{trackingCode}/<action>`. */
function trackActionRoute(name: (typeof PETITIONER_ACTIONS)[number]) {
  const { summary } = ACTIONS[name];
  return defineRoute({
    method: 'post',
    path: `/v1/track/{trackingCode}/${name}`,
    summary: `Petitioner: ${summary.charAt(0).toLowerCase()}${summary.slice(1)}`,
    tags: ['petitioner'],
    security: security.trackingPin,
    request: { params: TrackingParams, headers: pin, body: actionBody(name) },
    responses: { ...actionResponses, ...refusals },
    // The tracking code and PIN before the body: a wrong PIN is refused, and counted, whatever the body says.
    check: async ({ req }, deps: Deps) => void (await deps.petitioners.authenticate(req)),
    handler: async ({ body, req }, deps: Deps) => {
      const { caseId } = await deps.petitioners.authenticate(req);
      return applyAction(deps, caseId, name, { role: 'petitioner' }, body);
    },
  });
}

/** Any other `POST /v1/track/{trackingCode}/{action}`: the 404 naming the petitioner's actions, before the PIN. */
const unknownTrackActionRoute = defineRoute({
  method: 'post',
  path: '/v1/track/{trackingCode}/{action}',
  summary: 'An action a petitioner cannot take',
  documented: false,
  security: security.trackingPin,
  request: { params: z.object({ trackingCode: z.string(), action: z.string() }) },
  responses: { 404: refusals[404] },
  handler: ({ lang }) => {
    throw problems.notFound(message('problem.detail.petitionerActions', { actions: list(PETITIONER_ACTIONS, lang) }));
  },
});

export const trackActionRoutes = [...PETITIONER_ACTIONS.map(trackActionRoute), unknownTrackActionRoute];
