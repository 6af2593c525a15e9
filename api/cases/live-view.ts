/**
 * A case's live state from its workflow. The workflow is the source of truth on who holds a case: MongoDB's record is
 * its projection, which lags while the store refuses or delays the workflow's writes.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { caseWorkflowId } from '../../domain/ids';
import { caseViewQuery, type CaseView } from '../../workflows/messages';

/** How long a read waits for a worker to answer a case's query before it answers from the record alone. */
export const LIVE_QUERY_TIMEOUT_MS = 2_000;

/**
 * The case's live state from its workflow: null when there is no such workflow, undefined when no worker answers in
 * time (or the query fails otherwise).
 */
export async function liveView(client: Client, caseId: string): Promise<CaseView | null | undefined> {
  const query = client.workflow
    .getHandle(caseWorkflowId(caseId))
    .query(caseViewQuery)
    .catch((error: unknown) => (error instanceof WorkflowNotFoundError ? null : undefined));
  const timeout = new Promise<undefined>((resolve) =>
    setTimeout(() => resolve(undefined), LIVE_QUERY_TIMEOUT_MS).unref(),
  );
  return Promise.race([query, timeout]);
}
