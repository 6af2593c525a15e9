import { NativeConnection } from '@temporalio/worker';
import { WebhookAllowlist } from '../outbound/webhook-targets';
import type { Env } from '../config/env';
import { temporalConnectionOptions } from '../config/temporal-connection';
import { connectStore } from '../store/models';
import { Sealer } from '../store/sealed';
import { indexCaseCodes } from '../store/tracking-codes';
import { createSmsSender } from '../activities/sms';
import { createMailer } from './mailer';
import { createCaseWorker } from './worker';

/** Runs a case worker until `signal` aborts, then drains it and closes its connections. */
export async function runWorker(env: Env, signal: AbortSignal): Promise<void> {
  const connection = await NativeConnection.connect(temporalConnectionOptions(env));
  const store = connectStore(env.MONGO_URL);
  // Once per database and index: the tracking codes and public IDs of records written before the index existed.
  indexCaseCodes(store).catch((error: unknown) =>
    console.error(`case codes not indexed yet (retried at the next start): ${String(error)}`),
  );
  try {
    const worker = await createCaseWorker({
      connection,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      deps: {
        store,
        sealer: new Sealer(env.XINFANG_SECRET),
        sendMail: createMailer(env.SMTP_URL),
        sendSms: createSmsSender(env.XINFANG_SMS_URL),
        webhookAllowlist: new WebhookAllowlist(env.XINFANG_WEBHOOK_ALLOW),
        reminderTime: env.XINFANG_REMINDER_TIME,
        reminderSpread: env.XINFANG_REMINDER_SPREAD * 60,
      },
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
