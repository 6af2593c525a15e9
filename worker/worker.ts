import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  NativeConnection,
  Worker,
  bundleWorkflowCode,
  type BundleOptions,
  type WorkflowBundleOption,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';

export const WORKFLOWS_PATH = require.resolve('../workflows');

/**
 * What `npm run build` (scripts/build.ts) and a worker run from source both bundle. `workflows/preload` sets the
 * workflow context's stack depth before any case runs.
 */
export const WORKFLOW_BUNDLE_OPTIONS: BundleOptions = {
  workflowsPath: WORKFLOWS_PATH,
  preloadModules: [require.resolve('../workflows/preload')],
  logger: {
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: (message: string) => console.warn(message),
    error: (message: string) => console.error(message),
    log: () => undefined,
  },
};

/** The prebuilt bundle's name in the build's root folder, beside its `worker/`. */
export const PREBUILT_BUNDLE_FILE = 'workflow-bundle.js';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** Bundles the workflow code once per process; every worker in the process shares it. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode(WORKFLOW_BUNDLE_OPTIONS);
  return bundle;
}

/**
 * The compiled worker (dist/worker/worker.js) loads the bundle `npm run build` wrote beside it: webpack then never
 * runs at start-up, which cost seconds of CPU on every start (docs/performance.md, "Worker start-up"). Run from
 * source (the dev stack, the tests), the worker bundles the workflow code it was started with.
 */
function caseWorkflowBundle(): Promise<WorkflowBundleOption> | WorkflowBundleOption {
  if (path.extname(__filename) !== '.js') return workflowBundle();
  const codePath = path.resolve(__dirname, '..', PREBUILT_BUNDLE_FILE);
  if (!existsSync(codePath)) {
    throw new Error(`the workflow bundle ${codePath} is missing: \`npm run build\` writes it with the compiled code`);
  }
  return { codePath };
}

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
  /** Threads that run the cases' workflow code; the SDK's default is one. */
  workflowThreads?: number;
}

/**
 * Beyond the cache a task replays its case's history; with 2 000 cached cases the bench's whole process stayed near
 * 2.1 GB at 10 000 and at 50 000 open cases (docs/performance.md). More concurrent activities than the database takes
 * writes at once only queue inside it.
 */
export const WORKER_DEFAULTS = { maxCachedWorkflows: 2000, maxConcurrentActivities: 32, workflowThreads: 1 };

export async function createCaseWorker(options: CaseWorkerOptions): Promise<Worker> {
  if (options.maxCachedWorkflows !== undefined && options.maxCachedWorkflows < 2) {
    throw new RangeError(`maxCachedWorkflows must be at least 2 (got ${options.maxCachedWorkflows})`);
  }
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: await caseWorkflowBundle(),
    activities: createActivities(options.deps),
    maxCachedWorkflows: options.maxCachedWorkflows ?? WORKER_DEFAULTS.maxCachedWorkflows,
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivities ?? WORKER_DEFAULTS.maxConcurrentActivities,
    workflowThreadPoolSize: options.workflowThreads ?? WORKER_DEFAULTS.workflowThreads,
  });
}
