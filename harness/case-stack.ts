/** A running case engine for one suite: its own database and task queue on the shared servers. */
import type { Client } from '@temporalio/client';
import { DefaultLogger, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { WebhookAllowlist } from '../outbound/webhook-targets';
import { hashKey } from '../store/api-keys';
import { createApp, type AppDeps } from '../api/app';
import { DEMO_DIRECTORY } from '../demo/directory';
import type { Store } from '../store/models';
import { Sealer } from '../store/sealed';
import { indexCaseCodes } from '../store/tracking-codes';
import { createMailer } from '../worker/mailer';
import { loadDirectory } from '../worker/seed';
import { createSmsSender } from '../activities/sms';
import { startSmsReceiver, type SmsMessage, type SmsReceiver } from './sms-receiver';
import { createCaseWorker } from '../worker/worker';
import { misconductReport } from './case-start';
import {
  connectTestStore,
  devServerConnection,
  testSecret,
  uniqueName,
  type DevServerConnection,
} from './shared-servers';

export interface CaseStack {
  app: Express;
  client: Client;
  store: Store;
  sealer: Sealer;
  taskQueue: string;
  worker: Worker;
  /** Bearer keys by name: intake, office, admin, and `dept:<unitCode>` for each unit asked for. */
  keys: Record<string, string>;
  /** Another API replica on the same servers and database (its own key cache, limits and throttles in memory). */
  replica(overrides?: Partial<AppDeps>): Express;
  /** The text messages the SMS provider accepted, oldest first (none with `sms: false`). */
  sms: SmsMessage[];
  /** The SMS provider itself (absent with `sms: false`): a test may make it refuse. */
  smsProvider?: SmsReceiver;
  stop(): Promise<void>;
}

let runtimeInstalled = false;

/**
 * Worker logs at WARN, so a passing run stays readable. `shutdownSignals`: the signals on which the SDK shuts the
 * workers down (its default, SIGINT and SIGTERM among them, when not given); a process that handles them itself
 * passes none.
 */
export function quietRuntime(shutdownSignals?: NodeJS.Signals[]): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({
    logger: new DefaultLogger((process.env.XINFANG_TEST_WORKER_LOG as 'WARN' | undefined) ?? 'WARN'),
    ...(shutdownSignals ? { shutdownSignals } : {}),
  });
}

/**
 * A worker for a test's own workflows, bundled from `workflowsPath`, on a task queue of its own on the shared dev
 * server; the caller runs it (`worker.runUntil`) and closes `temporal`.
 */
export async function testWorkflowWorker(
  workflowsPath: string,
  queue: string,
): Promise<{ worker: Worker; taskQueue: string; temporal: DevServerConnection }> {
  quietRuntime();
  const bundle = await bundleWorkflowCode({
    workflowsPath,
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
  });
  const temporal = await devServerConnection();
  const taskQueue = uniqueName(queue);
  const worker = await Worker.create({
    connection: temporal.nativeConnection,
    namespace: temporal.namespace,
    taskQueue,
    workflowBundle: bundle,
  });
  return { worker, taskQueue, temporal };
}

export async function startCaseStack(
  options: {
    departments?: string[];
    smtpUrl?: string;
    webhookAllowlist?: string[];
    sms?: boolean;
    /** A Temporal server of the suite's own (other dynamic config) instead of the shared one. */
    temporal?: { address: string; namespace: string };
  } = {},
): Promise<CaseStack> {
  quietRuntime();
  const { store, close: closeStore } = await connectTestStore();
  const temporal = await devServerConnection(options.temporal);
  const sealer = new Sealer(testSecret);
  const taskQueue = uniqueName('cases');
  await loadDirectory(store, DEMO_DIRECTORY);
  await indexCaseCodes(store);

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

  const webhookAllowlist = new WebhookAllowlist(options.webhookAllowlist);
  // Notices reach the petitioner's phone through an SMS provider here (served when issued), unless `sms: false`.
  const smsReceiver = options.sms === false ? undefined : await startSmsReceiver();
  const worker = await createCaseWorker({
    connection: temporal.nativeConnection,
    namespace: temporal.namespace,
    taskQueue,
    deps: {
      store,
      sealer,
      sendMail: createMailer(options.smtpUrl),
      sendSms: createSmsSender(smsReceiver?.url),
      webhookAllowlist,
    },
  });
  let release!: () => void;
  const running = worker.runUntil(new Promise<void>((resolve) => (release = resolve)));
  const replica = (overrides: Partial<AppDeps> = {}) =>
    createApp({
      client: temporal.client,
      store,
      sealer,
      taskQueue,
      logger: pino({ level: process.env.XINFANG_TEST_LOG ?? 'silent' }),
      adminKey: keys.admin,
      webhookAllowlist,
      // Suites send bursts faster than a client would; the tests of the limit set their own.
      rateLimit: { perSecond: 1_000, burst: 10_000 },
      ...overrides,
    });
  return {
    app: replica(),
    replica,
    client: temporal.client,
    store,
    sealer,
    taskQueue,
    worker,
    keys,
    sms: smsReceiver?.messages ?? [],
    ...(smsReceiver ? { smsProvider: smsReceiver } : {}),
    async stop() {
      release();
      await running;
      await smsReceiver?.close();
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

/**
 * Registers a misconduct report about 330106-GA (the demo routing sends it to the discipline unit 330106-JW) and has
 * the office accept it: 330106-JW receives a transfer notice. Returns the case ID.
 */
export async function transferredReport(stack: CaseStack, petition: Record<string, unknown> = {}): Promise<string> {
  const intake = await request(stack.app)
    .post('/v1/cases')
    .set('Authorization', `Bearer ${stack.keys.intake}`)
    .send({ ...misconductReport, subject: uniqueName('bribery'), ...petition })
    .expect(201);
  await request(stack.app)
    .post(`/v1/cases/${intake.body.caseId}/acceptance`)
    .set('Authorization', `Bearer ${stack.keys.office}`)
    .send({ actionId: uniqueName('accept'), decision: 'accept' })
    .expect(200);
  return intake.body.caseId as string;
}

/** Requests to an app with a bearer key, as one caller makes them. */
export function caller(app: Express, key: string) {
  return {
    post: (path: string, body: object) => request(app).post(path).set('Authorization', `Bearer ${key}`).send(body),
    get: (path: string) => request(app).get(path).set('Authorization', `Bearer ${key}`),
  };
}
