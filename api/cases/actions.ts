/**
 * Actions on a case by the office and departments (受理, 签收, 异议, 延期, 处理意见 …), each a Temporal Update: one route
 * per action of domain/actions.ts, and behind them the 404 of an action that does not exist.
 */
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import { isAction, type ActionBody } from '../../domain/actions';
import { list, message } from '../../domain/i18n';
import type { Store } from '../../store/models';
import type { Sealer } from '../../store/sealed';
import { ACTIONS, actionBody, actionResponses } from '../action-docs';
import { applyAction } from '../actions';
import { missingUnits, unknownReferences } from '../admin/common';
import { problems } from '../problem';
import { defineRoute } from '../route';
import { ACTION_NAMES, CaseIdParams, problemResponse, security, type ActionName } from '../schemas';
import { CASES_PATH } from './paths';

export interface CaseActionDeps {
  client: Client;
  store: Store;
  sealer: Sealer;
}

/** Who may call an action route at all; the workflow refuses an action the caller's role may not take (403). */
const ROLES = ['office', 'department'] as const;

const refusals = {
  401: problemResponse('No or unknown API key'),
  403: problemResponse('The role may not take this action'),
};

/** `POST /v1/cases/{caseId}/<action>`. */
function caseActionRoute(name: ActionName) {
  return defineRoute({
    method: 'post',
    path: `${CASES_PATH}/{caseId}/${name}`,
    summary: ACTIONS[name].summary,
    description:
      `For ${ACTIONS[name].callers}. A Temporal Update: the validator answers at once with 403, 404, 409 or 422. ` +
      'An actionId names one request: send the same request again to learn its outcome, a new actionId for any ' +
      'other. Nothing is stored for a unit that does not hold the case; the words of an action are kept for the ' +
      'caller that sent them.',
    tags: ['actions'],
    security: security.apiKey,
    roles: ROLES,
    request: { params: CaseIdParams, body: actionBody(name) },
    responses: { ...actionResponses, ...refusals },
    handler: async ({ params: { caseId }, body, req }, deps: CaseActionDeps) => {
      const { role, unitCode, keyId } = req.principal!;
      const actor = { role: role as (typeof ROLES)[number], unitCode, keyId };
      if (role === 'office') await refuseUnknownUnits(deps.store, unitReferences(body));
      const result = await applyAction(deps, caseId, name, actor, body);
      if (isAction(name, 'accusation', body)) await addAccusedNames(deps.store, caseId, body);
      return result;
    },
  });
}

/** Any other `POST /v1/cases/{caseId}/{action}`: the 404 naming the actions there are, after the role and the ID. */
const unknownCaseActionRoute = defineRoute({
  method: 'post',
  path: `${CASES_PATH}/{caseId}/{action}`,
  summary: 'An action that does not exist',
  documented: false,
  security: security.apiKey,
  roles: ROLES,
  request: { params: CaseIdParams.extend({ action: z.string() }) },
  responses: { 400: problemResponse('Invalid case ID'), ...refusals, 404: problemResponse('No such action') },
  handler: ({ params: { action }, lang }) => {
    throw problems.notFound(message('problem.detail.unknownAction', { action, actions: list(ACTION_NAMES, lang) }));
  },
});

export const caseActionRoutes = [...ACTION_NAMES.map(caseActionRoute), unknownCaseActionRoute];

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

/**
 * Art 30: further accused of a report. The workflow learns only unit codes (a person's name never enters Temporal);
 * once it has applied the guard, the names join the case record. A retry with the same action ID completes it.
 */
async function addAccusedNames(store: Store, caseId: string, body: ActionBody<'accusation'>): Promise<void> {
  await store.cases.updateOne(
    { _id: caseId },
    { $addToSet: { 'accused.units': { $each: body.units }, 'accused.persons': { $each: body.persons } } },
  );
}
