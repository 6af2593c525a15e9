import type { Connection } from '@temporalio/client';

/**
 * The identities of the workers polling a task queue for workflow tasks (the SDK's default identity is
 * `<pid>@<hostname>`): a worker is ready once it is among them.
 */
export async function workflowPollers(connection: Connection, namespace: string, taskQueue: string): Promise<string[]> {
  const { pollers } = await connection.workflowService.describeTaskQueue({
    namespace,
    taskQueue: { name: taskQueue },
    // TASK_QUEUE_TYPE_WORKFLOW
    taskQueueType: 1,
  });
  return (pollers ?? []).flatMap((poller) => (poller.identity ? [poller.identity] : []));
}
