import { NativeConnection } from '@temporalio/worker';
import type { Env } from '../config/env';
import { temporalConnectionOptions } from '../config/temporal-connection';
import { connectStore } from '../store/models';
import { Sealer } from '../store/sealed';
import { createMailer } from './mailer';
import { createCaseWorker } from './worker';

/** Runs a case worker until `signal` aborts, then drains it and closes its connections. */
export async function runWorker(env: Env, signal: AbortSignal): Promise<void> {
  const connection = await NativeConnection.connect(temporalConnectionOptions(env));
  const store = connectStore(env.MONGO_URL);
  try {
    const worker = await createCaseWorker({
      connection,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      deps: { store, sealer: new Sealer(env.XINFANG_SECRET), sendMail: createMailer(env.SMTP_URL) },
      maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS,
      maxConcurrentActivities: env.WORKER_MAX_CONCURRENT_ACTIVITIES,
    });
    await worker.runUntil(
      new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        signal.addEventListener('abort', () => resolve(), { once: true });
      }),
    );
  } finally {
    await store.connection.close();
    await connection.close();
  }
}
