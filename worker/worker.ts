import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';

export const WORKFLOWS_PATH = require.resolve('../workflows');

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** Bundles the workflow code once per process; every worker in the process shares it. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger });
  return bundle;
}

const quietBundlerLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
  log: () => undefined,
};

export interface CaseWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /**
   * Cached workflow executions; bounds the worker's memory whatever the number of open cases. At least 2: a case's
   * projection writes are local activities, which need the case to stay cached for the length of its workflow task
   * (with no cache, SDK 1.24's core drops their results and the task is retried forever).
   */
  maxCachedWorkflows?: number;
  /** Activities run at once (each is a few MongoDB writes or an HTTP call). */
  maxConcurrentActivities?: number;
}

/**
 * Beyond the cache a task replays its case's history; with 2 000 cached cases the bench's whole process stayed near
 * 2.1 GB at 10 000 and at 50 000 open cases (docs/performance.md). More concurrent activities than the database takes
 * writes at once only queue inside it.
 */
export const WORKER_DEFAULTS = { maxCachedWorkflows: 2000, maxConcurrentActivities: 32 };

export async function createCaseWorker(options: CaseWorkerOptions): Promise<Worker> {
  if (options.maxCachedWorkflows !== undefined && options.maxCachedWorkflows < 2) {
    throw new RangeError(`maxCachedWorkflows must be at least 2 (got ${options.maxCachedWorkflows})`);
  }
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createActivities(options.deps),
    maxCachedWorkflows: options.maxCachedWorkflows ?? WORKER_DEFAULTS.maxCachedWorkflows,
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivities ?? WORKER_DEFAULTS.maxConcurrentActivities,
  });
}
