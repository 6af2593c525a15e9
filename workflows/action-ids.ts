/**
 * One request per action ID (issue 12): how a case answers an action ID it has applied before. The same request —
 * same action, caller and body — gets the earlier answer, flagged `duplicate`; anything else under that ID is
 * refused, so a 2xx always means "this request was applied". Pure: the workflow's action handlers call it.
 */
import { callerId } from '../domain/ids';
import type { ActionBase, ActionResult, AppliedAction } from './messages';
import { conflict, notFound } from './rule-basics';
import { departmentMayRead, type Rejection, type RuleState } from './rules';

/** What the case keeps of an applied action. */
export function appliedAction(action: string, args: ActionBase, result: ActionResult): AppliedAction {
  return { ...result, action, caller: callerId(args.actor), digest: args.digest };
}

/** The Update an entry applied; entries written before it was kept say it in their message. */
function actionOf(applied: AppliedAction): string {
  return applied.action ?? applied.message.replace(/ applied$/, '');
}

/** Whether `args` is the request that was applied; what an older entry did not keep is not compared. */
export function isSameRequest(applied: AppliedAction, action: string, args: ActionBase): boolean {
  return (
    actionOf(applied) === action &&
    (applied.caller === undefined || applied.caller === callerId(args.actor)) &&
    (applied.digest === undefined || args.digest === undefined || applied.digest === args.digest)
  );
}

/**
 * Why `args` may not use an action ID the case has applied; undefined for the same request. A unit that does not
 * hold the case is told it does not exist, before anything about the earlier use; the 409 names the action that
 * used the ID, never who sent it.
 */
export function reusedActionId(
  state: RuleState,
  applied: AppliedAction,
  action: string,
  args: ActionBase,
): Rejection | undefined {
  if (isSameRequest(applied, action, args)) return undefined;
  if (args.actor.role === 'department' && !departmentMayRead(state, args.actor.unitCode)) {
    return notFound();
  }
  return conflict('rule.actionIdReused', { actionId: args.actionId, used: actionOf(applied), action });
}

/** The earlier answer, for the same request sent again. */
export function duplicateAnswer(applied: AppliedAction): ActionResult {
  return { actionId: applied.actionId, stage: applied.stage, message: applied.message, duplicate: true };
}
