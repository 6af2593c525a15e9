/** Actions on a case by the office and departments (受理, 签收, 异议, 延期, 处理意见 …), each a Temporal Update. */
import { Router } from 'express';
import type { z } from 'zod';
import { list, message } from '../../domain/i18n';
import type { Client } from '@temporalio/client';
import type { Store } from '../../store/models';
import type { Sealer } from '../../store/sealed';
import type { Actor } from '../../workflows/messages';
import { applyAction } from '../actions';
import { missingUnits, unknownReferences } from '../admin/common';
import { requireRole } from '../auth';
import { requestLanguage } from '../language';
import { problems } from '../problem';
import { ACTION_NAMES, ActionBodies, CaseIdParams, parseRequest, type ActionName } from '../schemas';

export interface CaseActionDeps {
  client: Client;
  store: Store;
  sealer: Sealer;
}

export function caseActionRouter(deps: CaseActionDeps): Router {
  const router = Router();

  router.post('/:caseId/:action', requireRole('office', 'department'), async (req, res) => {
    const lang = requestLanguage(req);
    const { caseId } = parseRequest(CaseIdParams, { caseId: req.params.caseId }, 'params', lang);
    const action = req.params.action as ActionName;
    if (!ACTION_NAMES.includes(action)) {
      const actions = list(ACTION_NAMES, lang);
      throw problems.notFound(message('problem.detail.unknownAction', { action: String(req.params.action), actions }));
    }
    const body = parseRequest(ActionBodies[action], req.body, 'body', lang);
    const { role, unitCode, keyId } = req.principal!;
    const actor = { role: role as 'office' | 'department', unitCode, keyId };
    if (role === 'office') await refuseUnknownUnits(deps.store, unitReferences(body));
    if (action === 'accusation') {
      return res.json(await addAccused(deps, caseId, actor, body as AccusationBody));
    }
    res.json(await applyAction(deps, caseId, action, actor, body));
  });

  return router;
}

/** The unit codes an office action names as a destination: each must be a unit of the directory. */
function unitReferences(body: Record<string, unknown>): { field: string; unitCode: string }[] {
  const references: { field: string; unitCode: string }[] = [];
  if (typeof body.unitCode === 'string') references.push({ field: 'body.unitCode', unitCode: body.unitCode });
  if (Array.isArray(body.coHandlers)) {
    body.coHandlers.forEach((code, i) => references.push({ field: `body.coHandlers.${i}`, unitCode: String(code) }));
  }
  return references;
}

/** 422 naming each field whose unit is not in the directory (a mistyped code would strand the case). */
async function refuseUnknownUnits(store: Store, references: { field: string; unitCode: string }[]): Promise<void> {
  const missing = await missingUnits(store, references);
  if (missing.length) throw unknownReferences(missing);
}

type AccusationBody = z.output<(typeof ActionBodies)['accusation']>;

/**
 * Art 30: further accused of a report. The workflow learns only unit codes (a person's name never enters Temporal);
 * once it has applied the guard, the names join the case record. A retry with the same action ID completes it.
 */
async function addAccused(deps: CaseActionDeps, caseId: string, actor: Actor, body: AccusationBody) {
  // The workflow receives the units (named, and those of the named persons); the names stay in MongoDB.
  const result = await applyAction(deps, caseId, 'accusation', actor, body);
  const { persons } = body;
  await deps.store.cases.updateOne(
    { _id: caseId },
    { $addToSet: { 'accused.units': { $each: body.units }, 'accused.persons': { $each: persons } } },
  );
  return result;
}
