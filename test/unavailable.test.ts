/**
 * DESIGN's promise for reads and writes while a server the API needs is away: 503 with Retry-After, not 500. Against
 * real outages: a FerretDB this suite owns and stops, and a Temporal client pointed at a port nobody listens on.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../api/app';
import { hashKey } from '../store/api-keys';
import { freePort } from '../harness/ports';
import { resolveToolPaths, startFerretDb, type FerretDbServer } from '../harness/servers';
import { DEMO_DIRECTORY } from '../demo/directory';
import { newCaseId } from '../domain/ids';
import { connectStore, type Store } from '../store/models';
import { Sealer } from '../store/sealed';
import { loadDirectory } from '../worker/seed';
import { startCaseStack, type CaseStack } from '../harness/case-stack';
import { noiseComplaint } from '../harness/case-start';
import { devServerConnection, testSecret, uniqueName, type DevServerConnection } from '../harness/shared-servers';

const unknownCaseId = () => newCaseId(Date.now(), randomBytes(10));

/** A 503 problem with a Retry-After a client can wait for. */
function expectUnavailable(res: request.Response): void {
  expect({ status: res.status, body: res.body as unknown }).toEqual({
    status: 503,
    body: expect.objectContaining({ status: 503, detail: expect.any(String) }),
  });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
}

describe('while MongoDB is down', () => {
  let dir: string;
  let ferret: FerretDbServer | undefined;
  let store: Store;
  let temporal: DevServerConnection;
  const officeKey = uniqueName('office-key');

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'xinfang-unavailable-'));
    ferret = await startFerretDb({
      bin: (await resolveToolPaths()).ferretdb,
      dataDir: path.join(dir, 'ferretdb'),
    });
    store = connectStore(`${ferret.url}xinfang`);
    await store.connection.asPromise();
    await loadDirectory(store, DEMO_DIRECTORY);
    await store.apiKeys.create({ _id: uniqueName('k'), hash: hashKey(officeKey), role: 'office' });
    temporal = await devServerConnection();
  }, 120_000);

  afterAll(async () => {
    await temporal?.close();
    await store?.connection.close();
    await ferret?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers a case read and the office list 503 with Retry-After', async () => {
    const app = createApp({
      client: temporal.client,
      store,
      sealer: new Sealer(testSecret),
      taskQueue: uniqueName('cases'),
      logger: pino({ level: 'silent' }),
    });
    const office = (url: string) => request(app).get(url).set('Authorization', `Bearer ${officeKey}`);
    const caseId = unknownCaseId();
    // The key ring has seen the key, so it keeps working through the outage (api/auth.ts).
    await office(`/v1/cases/${caseId}`).expect(404);
    await office('/v1/cases').expect(200);

    await ferret!.stop();
    ferret = undefined;
    expectUnavailable(await office(`/v1/cases/${caseId}`));
    expectUnavailable(await office('/v1/cases'));
    const open311 = await request(app).get('/open311/v2/requests.xml');
    expect(open311.status).toBe(503);
    expect(Number(open311.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(open311.text).toMatch(/<errors>\n {2}<error>\n {4}<code>503<\/code>/);
  }, 120_000);
});

describe('while Temporal is unreachable', () => {
  let stack: CaseStack;
  let connection: Connection;

  beforeAll(async () => {
    stack = await startCaseStack();
    // A port nobody listens on: every call fails with gRPC UNAVAILABLE once the client's retries are spent.
    connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
  }, 120_000);

  afterAll(async () => {
    await connection?.close();
    await stack?.stop();
  });

  it('answers intake and a case read 503 with Retry-After', async () => {
    const app = stack.replica({ client: new Client({ connection, namespace: 'default' }) });
    const read = await request(app)
      .get(`/v1/cases/${unknownCaseId()}`)
      .set('Authorization', `Bearer ${stack.keys.office}`);
    expectUnavailable(read);
    const intake = await request(app)
      .post('/v1/cases')
      .set('Authorization', `Bearer ${stack.keys.intake}`)
      .send({ ...noiseComplaint, subject: uniqueName('no temporal') });
    expectUnavailable(intake);
  }, 180_000);

  it('answers intake 503 when the server cannot find the namespace (as a cluster does while its database restarts)', async () => {
    // A Temporal cluster on PostgreSQL answers NOT_FOUND for the namespace while the database is down (the cluster
    // fault suite saw it); here, a namespace that does not exist on the shared dev server gives the same error.
    const app = stack.replica({
      client: new Client({ connection: stack.client.connection, namespace: uniqueName('no-such-namespace') }),
    });
    const intake = await request(app)
      .post('/v1/cases')
      .set('Authorization', `Bearer ${stack.keys.intake}`)
      .send({ ...noiseComplaint, subject: uniqueName('no namespace') });
    expectUnavailable(intake);
  }, 60_000);
});
