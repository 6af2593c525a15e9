import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { caseWorkflowId } from '../domain/ids';
import type { Store } from '../store/models';
import { isDuplicateKey } from '../store/models';
import * as m from '../workflows/messages';
import { HttpProblem, problems } from './problem';
import { TEXT_FIELDS, type ActionName } from './schemas';

const UPDATES: Record<ActionName, m.ActionUpdate> = {
  acceptance: m.acceptanceUpdate,
  acknowledgement: m.acknowledgementUpdate,
  objection: m.objectionUpdate,
  'objection-decision': m.objectionDecisionUpdate,
  extension: m.extensionUpdate,
  'extension-decision': m.extensionDecisionUpdate,
  result: m.resultUpdate,
  supplement: m.supplementUpdate,
  hearing: m.hearingUpdate,
  rating: m.ratingUpdate,
  'review-request': m.reviewRequestUpdate,
  'review-decision': m.reviewDecisionUpdate,
  withdrawal: m.withdrawalUpdate,
  designation: m.designationUpdate,
  accusation: m.accusationUpdate,
  recusal: m.recusalUpdate,
  answer: m.answerUpdate,
  diversion: m.diversionUpdate,
  'execution-report': m.executionReportUpdate,
  'callback-decision': m.callbackDecisionUpdate,
  supervision: m.supervisionUpdate,
  'supervision-reply': m.supervisionReplyUpdate,
  urgency: m.urgencyUpdate,
  'repeat-decision': m.repeatDecisionUpdate,
};

const STATUS_BY_REJECTION: Record<string, number> = {
  [m.REJECTION.forbidden]: 403,
  [m.REJECTION.notFound]: 404,
  [m.REJECTION.conflict]: 409,
  [m.REJECTION.businessRule]: 422,
};

/**
 * Applies an actor's action to a case: its words go to MongoDB under the action ID, the structured rest goes to the
 * workflow as an Update whose validator answers at once with the reason for a refusal.
 */
export async function applyAction(
  deps: { client: Client; store: Store },
  caseId: string,
  action: ActionName,
  actor: m.Actor,
  body: Record<string, unknown> & { actionId: string },
): Promise<m.ActionResult> {
  const texts: Record<string, string> = {};
  const args: Record<string, unknown> = { actor };
  for (const [field, value] of Object.entries(body)) {
    if ((TEXT_FIELDS as readonly string[]).includes(field)) texts[field] = value as string;
    else args[field] = value;
  }
  if (Object.keys(texts).length > 0) {
    try {
      await deps.store.actionTexts.create({
        _id: `${caseId}:${body.actionId}`,
        caseId,
        action,
        texts,
        createdAt: new Date(),
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw problems.unavailable('the case store is unreachable; retry shortly');
    }
  }
  const handle = deps.client.workflow.getHandle(caseWorkflowId(caseId));
  try {
    return await handle.executeUpdate(UPDATES[action], { args: [args as never], updateId: body.actionId });
  } catch (error) {
    const problem = toProblem(error, caseId);
    // A role refusal (an office-only action) must not tell another unit's key that the case exists: for a department
    // that does not hold the case, the answer is the 404 of a case that does not exist.
    if (problem instanceof HttpProblem && problem.status === 403 && actor.role === 'department') {
      const doc = await deps.store.cases
        .findById(caseId, { units: 1 })
        .lean<{ units?: string[] }>()
        .catch(() => null);
      if (!doc || !actor.unitCode || !(doc.units ?? []).includes(actor.unitCode)) {
        throw problems.notFound(`case ${caseId} not found`);
      }
    }
    throw problem;
  }
}

function toProblem(error: unknown, caseId: string): unknown {
  if (error instanceof WorkflowNotFoundError) return problems.notFound(`case ${caseId} not found`);
  // A routing failure inside an update arrives wrapped in the activity's failure: its reason is the answer.
  const cause =
    error instanceof WorkflowUpdateFailedError && error.cause instanceof ActivityFailure
      ? error.cause.cause
      : undefined;
  if (cause instanceof ApplicationFailure) return new HttpProblem(422, 'Unprocessable Content', cause.message);
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const status = STATUS_BY_REJECTION[error.cause.type ?? ''] ?? 422;
    if (status === 404) return problems.notFound(`case ${caseId} not found`);
    return new HttpProblem(
      status,
      status === 403 ? 'Forbidden' : status === 409 ? 'Conflict' : 'Unprocessable Content',
      error.cause.message,
    );
  }
  // A case that has ended no longer takes updates.
  if (error instanceof Error && /workflow execution already completed/i.test(error.message)) {
    return problems.conflict(`case ${caseId} has ended`);
  }
  return error;
}
