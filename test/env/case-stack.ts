/** A running case engine for one suite: its own database and task queue on the shared servers. */
import type { Client } from '@temporalio/client';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import type { Express } from 'express';
import pino from 'pino';
import { hashKey } from '../../api/auth';
import { createApp } from '../../api/app';
import { DEMO_DIRECTORY } from '../../domain/directory';
import type { Store } from '../../store/models';
import { Sealer } from '../../store/sealed';
import { createMailer } from '../../worker/mailer';
import { loadDirectory } from '../../worker/seed';
import { createCaseWorker } from '../../worker/worker';
import { connectTestStore, devServerConnection, testSecret, uniqueName } from './servers';

export interface CaseStack {
  app: Express;
  client: Client;
  store: Store;
  sealer: Sealer;
  taskQueue: string;
  worker: Worker;
  /** Bearer keys by name: intake, office, admin, and `dept:<unitCode>` for each unit asked for. */
  keys: Record<string, string>;
  stop(): Promise<void>;
}

let runtimeInstalled = false;

/** Worker logs at WARN, so a passing run stays readable. */
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger((process.env.XINFANG_TEST_WORKER_LOG as 'WARN' | undefined) ?? 'WARN') });
}

export async function startCaseStack(options: { departments?: string[]; smtpUrl?: string } = {}): Promise<CaseStack> {
  quietRuntime();
  const { store, close: closeStore } = await connectTestStore();
  const temporal = await devServerConnection();
  const sealer = new Sealer(testSecret);
  const taskQueue = uniqueName('cases');
  await loadDirectory(store, DEMO_DIRECTORY);

  const keys: Record<string, string> = {};
  const grants: { name: string; role: string; unitCode?: string }[] = [
    { name: 'intake', role: 'intake' },
    { name: 'intake2', role: 'intake' },
    { name: 'office', role: 'office' },
    ...(options.departments ?? []).map((unitCode) => ({ name: `dept:${unitCode}`, role: 'department', unitCode })),
  ];
  for (const grant of grants) {
    const key = uniqueName('key');
    await store.apiKeys.create({
      _id: uniqueName('k'),
      hash: hashKey(key),
      role: grant.role,
      unitCode: grant.unitCode,
    });
    keys[grant.name] = key;
  }
  keys.admin = uniqueName('admin-key-0123456789abcdef');

  const worker = await createCaseWorker({
    connection: temporal.nativeConnection,
    namespace: temporal.namespace,
    taskQueue,
    deps: { store, sealer, sendMail: createMailer(options.smtpUrl) },
  });
  let release!: () => void;
  const running = worker.runUntil(new Promise<void>((resolve) => (release = resolve)));
  const app = createApp({
    client: temporal.client,
    store,
    sealer,
    taskQueue,
    logger: pino({ level: process.env.XINFANG_TEST_LOG ?? 'silent' }),
    adminKey: keys.admin,
  });
  return {
    app,
    client: temporal.client,
    store,
    sealer,
    taskQueue,
    worker,
    keys,
    async stop() {
      release();
      await running;
      await temporal.close();
      await closeStore();
    },
  };
}

/** Polls until `fn` returns a value, or fails after `timeoutMs` with the last error. */
export async function eventually<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > until)
      throw new Error(`condition not met within ${timeoutMs} ms${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
