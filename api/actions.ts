import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { isMessage, message, type Message } from '../domain/i18n';
import { actionTextsId, callerId, caseWorkflowId } from '../domain/ids';
import { CaseStage, CaseUnit } from '../domain/search-attributes';
import { STAGES, type Stage } from '../domain/types';
import type { Store } from '../store/models';
import { isDuplicateKey } from '../store/models';
import { canonical, type Sealer } from '../store/sealed';
import * as m from '../workflows/messages';
import { HttpProblem, problems } from './problem';
import { splitAction, type ActionArgs, type ActionBody, type ActionName } from '../domain/actions';

const STATUS_BY_REJECTION: Record<string, number> = {
  [m.REJECTION.forbidden]: 403,
  [m.REJECTION.notFound]: 404,
  [m.REJECTION.conflict]: 409,
  [m.REJECTION.businessRule]: 422,
};

export interface ActionRequest<N extends ActionName> {
  /** The Update's argument: the structured fields, the actor and the request's digest; never the words. */
  args: ActionArgs<N>;
  /** The words (reasons, facts, legal basis, accused persons' names), kept in MongoDB under `textsId`. */
  texts: Record<string, unknown>;
  textsId: string;
  /**
   * `<actionId>@<digest>`: one Update ID per request, so Temporal's own deduplication by Update ID answers a retry of
   * this request and never a different request that reused the action ID.
   */
  updateId: string;
}

/**
 * One action request as the case workflow receives it. The digest is keyed (the server's secret), so the words it
 * covers cannot be guessed back from workflow history.
 */
export function actionRequest<N extends ActionName>(
  sealer: Sealer,
  caseId: string,
  action: N,
  actor: m.Actor,
  body: ActionBody<N>,
): ActionRequest<N> {
  const caller = callerId(actor);
  const digest = sealer.digest('action', canonical({ caseId, action, caller, body })).subarray(0, 16).toString('hex');
  const { args, words } = splitAction(action, body, actor, digest);
  return {
    args,
    texts: words,
    textsId: actionTextsId(caseId, caller, body.actionId, digest),
    updateId: `${body.actionId}@${digest}`,
  };
}

/**
 * Applies an actor's action to a case. Nothing is written before the caller is known to reach the case: a unit that
 * does not hold it gets the 404 of a case that does not exist. Its words go to MongoDB under its own request; the
 * structured rest goes to the workflow as an Update whose validator answers at once with the reason for a refusal.
 * A 2xx means this request was applied now, or before (`duplicate: true`).
 */
export async function applyAction<N extends ActionName>(
  deps: { client: Client; store: Store; sealer: Sealer },
  caseId: string,
  action: N,
  actor: m.Actor,
  body: ActionBody<N>,
): Promise<m.ActionResult> {
  const request = actionRequest(deps.sealer, caseId, action, actor, body);
  const handle = deps.client.workflow.getHandle(caseWorkflowId(caseId));
  const hasTexts = Object.keys(request.texts).length > 0;
  // A department is let near a case only if its unit holds it, and words are stored only for a case the caller can
  // reach; other callers' refusals come from the workflow (one round trip fewer).
  const [standing, earlier] = await Promise.all([
    actor.role === 'department' || hasTexts ? caseStanding(handle, caseId, actor, action) : undefined,
    earlierAnswer(handle, request.updateId, caseId, actor, action),
  ]);
  if (earlier) return { ...earlier, duplicate: true };
  if (standing?.ended) throw endedProblem(caseId, standing);
  if (hasTexts) {
    try {
      await deps.store.actionTexts.create({
        _id: request.textsId,
        caseId,
        action,
        actionId: body.actionId,
        caller: callerId(actor),
        texts: request.texts,
        createdAt: new Date(),
      });
    } catch (error) {
      // The key names this very request: a document already there holds the same words.
      if (!isDuplicateKey(error)) throw problems.unavailable(message('problem.detail.mongoUnreachable'));
    }
  }
  try {
    return await handle.executeUpdate(m.ACTION_UPDATES[action], { args: [request.args], updateId: request.updateId });
  } catch (error) {
    throw await updateProblem(error, handle, caseId, actor, action);
  }
}

/**
 * The answer to an Update that failed. The case may have ended since it was looked at: before the Update reached it
 * (no such workflow), or while the Update was in flight (accepted, then the workflow completed first). Either way the
 * caller learns that the case has ended, as for an action sent to an ended case.
 */
async function updateProblem(
  error: unknown,
  handle: WorkflowHandle,
  caseId: string,
  actor: m.Actor,
  action: ActionName,
): Promise<unknown> {
  if (error instanceof WorkflowNotFoundError || completedFirst(error)) {
    const now = await caseStanding(handle, caseId, actor, action);
    if (now.ended) return endedProblem(caseId, now);
  }
  return toProblem(error, caseId);
}

/** Temporal's failure of an accepted Update whose workflow completed before the Update did. */
function completedFirst(error: unknown): boolean {
  return (
    error instanceof WorkflowUpdateFailedError &&
    error.cause instanceof ApplicationFailure &&
    error.cause.type === 'AcceptedUpdateCompletedWorkflow'
  );
}

interface CaseStanding {
  ended: boolean;
  stage?: string;
  status: string;
}

/**
 * Whether the caller can reach the case at all, from the workflow's own description (no worker needed): the 404 of
 * a missing case when it does not exist, or when a department's unit does not hold it — for an ended case, did not
 * hold it when it ended.
 */
async function caseStanding(
  handle: WorkflowHandle,
  caseId: string,
  actor: m.Actor,
  action: ActionName,
): Promise<CaseStanding> {
  let description;
  try {
    description = await handle.describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw caseNotFound(caseId);
    throw error;
  }
  const units = description.typedSearchAttributes.get(CaseUnit) ?? [];
  if (
    actor.role === 'department' &&
    !(actor.unitCode && units.includes(actor.unitCode)) &&
    !(action === 'designation' && (await designates(handle, actor.unitCode)))
  ) {
    throw caseNotFound(caseId);
  }
  const status = description.status.name;
  return { ended: status !== 'RUNNING', stage: description.typedSearchAttributes.get(CaseStage), status };
}

/** Art 24: the common superior of a dispute does not hold the case, yet designates its lead. */
async function designates(handle: WorkflowHandle, unitCode: string | undefined): Promise<boolean> {
  if (!unitCode) return false;
  const view = await handle.query(m.caseViewQuery).catch(() => undefined);
  return view?.dispute?.superior === unitCode;
}

/** The answer Temporal keeps for this very request (same Update ID), if it was sent before. */
async function earlierAnswer(
  handle: WorkflowHandle,
  updateId: string,
  caseId: string,
  actor: m.Actor,
  action: ActionName,
): Promise<m.ActionResult | undefined> {
  try {
    return await handle.getUpdateHandle<m.ActionResult>(updateId).result();
  } catch (error) {
    // Never sent (or refused by the validator, which keeps nothing): send it now.
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw await updateProblem(error, handle, caseId, actor, action);
  }
}

const caseNotFound = (caseId: string): HttpProblem => problems.notFound(message('action.caseNotFound', { caseId }));

function endedProblem(caseId: string, standing: CaseStanding): HttpProblem {
  const ending = standing.status === 'COMPLETED' ? (standing.stage ?? 'closed') : standing.status.toLowerCase();
  // A stage by its name in the catalogue; a workflow status (failed, terminated, timed_out) as Temporal says it.
  const named = (STAGES as readonly string[]).includes(ending) ? message(`stage.${ending as Stage}`) : ending;
  return problems.conflict(message('action.caseEnded', { caseId, ending: named }), { stage: ending });
}

/** A refusal's reason: the catalogue message in the failure's details, rendered per caller, else its message. */
function reasonOf(failure: ApplicationFailure): string | Message {
  const [detail] = failure.details ?? [];
  return isMessage(detail) ? detail : failure.message;
}

function toProblem(error: unknown, caseId: string): unknown {
  if (error instanceof WorkflowNotFoundError) return caseNotFound(caseId);
  // A routing failure inside an update arrives wrapped in the activity's failure: its reason is the answer.
  const cause =
    error instanceof WorkflowUpdateFailedError && error.cause instanceof ActivityFailure
      ? error.cause.cause
      : undefined;
  if (cause instanceof ApplicationFailure) return new HttpProblem(422, 'Unprocessable Content', reasonOf(cause));
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const status = STATUS_BY_REJECTION[error.cause.type ?? ''] ?? 422;
    if (status === 404) return caseNotFound(caseId);
    return new HttpProblem(
      status,
      status === 403 ? 'Forbidden' : status === 409 ? 'Conflict' : 'Unprocessable Content',
      reasonOf(error.cause),
    );
  }
  return error;
}
