/**
 * DESIGN.md §3, "Intake survives a MongoDB outage", against a real outage: this suite runs its own FerretDB so it
 * can stop it, registers a case while it is down, and finds the record once it is back.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from '@temporalio/worker';
import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../api/app';
import { hashKey } from '../store/api-keys';
import { resolveToolPaths, startFerretDb, type FerretDbServer } from '../harness/servers';
import { DEMO_DIRECTORY } from '../demo/directory';
import { connectStore, type Store } from '../store/models';
import { Sealer } from '../store/sealed';
import { createMailer } from '../worker/mailer';
import { loadDirectory } from '../worker/seed';
import { createCaseWorker } from '../worker/worker';
import { eventually, quietRuntime } from '../harness/case-stack';
import { noiseComplaint } from '../harness/case-start';
import { devServerConnection, testSecret, uniqueName, type DevServerConnection } from '../harness/shared-servers';

const complaint = noiseComplaint;

describe('intake while MongoDB is down', () => {
  let dir: string;
  let bin: string;
  let port: number;
  let ferret: FerretDbServer | undefined;
  let store: Store;
  let temporal: DevServerConnection;
  let worker: Worker;
  let running: Promise<void>;
  let release: () => void;
  let app: Express;
  const intakeKey = uniqueName('intake-key');

  beforeAll(async () => {
    quietRuntime();
    dir = await mkdtemp(path.join(os.tmpdir(), 'xinfang-mongo-down-'));
    bin = (await resolveToolPaths()).ferretdb;
    ferret = await startFerretDb({ bin, dataDir: path.join(dir, 'ferretdb') });
    port = Number(new URL(ferret.url).port);
    store = connectStore(`${ferret.url}xinfang`);
    await store.connection.asPromise();
    await loadDirectory(store, DEMO_DIRECTORY);
    await store.apiKeys.create({ _id: uniqueName('k'), hash: hashKey(intakeKey), role: 'intake' });

    temporal = await devServerConnection();
    const taskQueue = uniqueName('cases');
    const sealer = new Sealer(testSecret);
    worker = await createCaseWorker({
      connection: temporal.nativeConnection,
      namespace: temporal.namespace,
      taskQueue,
      deps: { store, sealer, sendMail: createMailer(undefined) },
    });
    running = worker.runUntil(new Promise<void>((resolve) => (release = resolve)));
    app = createApp({ client: temporal.client, store, sealer, taskQueue, logger: pino({ level: 'silent' }) });
  });

  afterAll(async () => {
    release?.();
    await running;
    await temporal?.close();
    await store?.connection.close();
    await ferret?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const register = (body: object, idempotencyKey: string) =>
    request(app)
      .post('/v1/cases')
      .set('Authorization', `Bearer ${intakeKey}`)
      .set('Idempotency-Key', idempotencyKey)
      .send(body);

  it('answers 2xx while MongoDB is stopped, and the record appears once it is back', async () => {
    // The key ring checks keys in MongoDB: a key it has seen keeps working through the outage (api/auth.ts).
    const before = await register({ ...complaint, subject: uniqueName('before') }, uniqueName('idem')).expect(201);
    await eventually(async () => (await store.cases.countDocuments({ _id: before.body.caseId })) === 1);

    await ferret!.stop();
    ferret = undefined;
    const subject = uniqueName('during-outage');
    const key = uniqueName('idem');
    const during = await register({ ...complaint, subject }, key);
    expect(during.status).toBe(201);
    const { caseId, trackingCode } = during.body;
    expect(caseId).toEqual(expect.any(String));
    // A retry while still down is answered from Temporal alone, with the same case.
    const retried = await register({ ...complaint, subject }, key).expect(200);
    expect(retried.body.caseId).toBe(caseId);

    // Down long enough for the workflow's first activity to fail and be retried.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    ferret = await startFerretDb({ bin, port, dataDir: path.join(dir, 'ferretdb') });

    const record = await eventually(async () => store.cases.findById(caseId).lean(), 60_000);
    expect(record).toMatchObject({ _id: caseId, subject, trackingCode });
    expect(await store.cases.countDocuments({ subject })).toBe(1);
    // The record written before the outage survived the restart on the same data directory.
    expect(await store.cases.countDocuments({ _id: before.body.caseId })).toBe(1);
    const runs = [];
    for await (const run of temporal.client.workflow.list({ query: `WorkflowId = 'case-${caseId}'` })) runs.push(run);
    expect(runs).toHaveLength(1);
  }, 120_000);
});
