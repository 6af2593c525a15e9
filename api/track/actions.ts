/** The petitioner's own actions on the case, through the tracking code and PIN. */
import { Router } from 'express';
import type { Client } from '@temporalio/client';
import { PETITIONER_ACTIONS } from '../../domain/actions';
import { list, message } from '../../domain/i18n';
import type { Store } from '../../store/models';
import type { Sealer } from '../../store/sealed';
import { applyAction } from '../actions';
import { requestLanguage } from '../language';
import { problems } from '../problem';
import { ActionBodies, parseRequest, type ActionName } from '../schemas';
import type { TrackDeps } from './petitioners';

export function trackActionRouter(deps: TrackDeps & { client: Client; store: Store; sealer: Sealer }): Router {
  const router = Router();
  router.post('/:trackingCode/:action', async (req, res) => {
    const action = req.params.action as ActionName;
    const lang = requestLanguage(req);
    if (!(PETITIONER_ACTIONS as readonly string[]).includes(action)) {
      throw problems.notFound(message('problem.detail.petitionerActions', { actions: list(PETITIONER_ACTIONS, lang) }));
    }
    const { caseId } = await deps.petitioners.authenticate(req);
    const body = parseRequest(ActionBodies[action], req.body, 'body', lang);
    const result = await applyAction(deps, caseId, action, { role: 'petitioner' }, body);
    res.json(result);
  });
  return router;
}
