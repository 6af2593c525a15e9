/**
 * A stand-in for a case workflow that ends while an action's Update is in flight: it accepts the acknowledgement,
 * never answers it, and completes. Bundled and run by test/api-actions.test.ts under a case's workflow ID, so the API
 * meets the failure Temporal gives such an Update ("the Workflow completed before the Update completed").
 */
import { HandlerUnfinishedPolicy } from '@temporalio/common';
import { condition, setHandler } from '@temporalio/workflow';
import { acknowledgementUpdate, type ActionResult } from '../../workflows/messages';

export async function endsDuringUpdate(): Promise<void> {
  let accepted = false;
  setHandler(
    acknowledgementUpdate,
    () => {
      accepted = true;
      return new Promise<ActionResult>(() => undefined);
    },
    // Left unfinished on purpose.
    { unfinishedPolicy: HandlerUnfinishedPolicy.ABANDON },
  );
  await condition(() => accepted);
}
