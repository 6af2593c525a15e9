/**
 * Issue 13 item 7: the production build runs on its own. scripts/build.ts (`npm run build`) builds into a folder of
 * test/output/, inside the repository so that the compiled code finds node_modules as dist/ does; the compiled seed,
 * worker and API then run with plain node (no tsx, no webpack at start-up) against the test servers, and a case
 * registered through the compiled API reaches its workflow and its record. The compiled health check of the worker
 * container sees the worker poll.
 */
import { execFile } from 'node:child_process';
import { rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { Child } from '../dev/children';
import { freePort } from '../harness/ports';
import { buildProduction } from '../scripts/build';
import { PREBUILT_BUNDLE_FILE } from '../worker/worker';
import { workflowPollers } from '../worker/pollers';
import { eventually } from '../harness/case-stack';
import { noiseComplaint } from '../harness/case-start';
import { connectTestStore, testMongoUrl, testSecret, uniqueName } from '../harness/shared-servers';

const OUTPUT_DIR = path.resolve(__dirname, 'output');
// tsc over the production folders and webpack over the workflows: about a minute on a busy 2-core machine.
const BUILD_TIMEOUT_MS = 10 * 60_000;
const START_TIMEOUT_MS = 2 * 60_000;

const run = promisify(execFile);

describe('the production build', () => {
  const build = path.join(OUTPUT_DIR, uniqueName('build'));
  let database: Awaited<ReturnType<typeof connectTestStore>>;
  let temporal: Connection;
  let settings: Record<string, string>;
  let apiUrl: string;
  const children: Child[] = [];

  const child = (name: string) =>
    new Child({
      name,
      script: `${name}/main.ts`,
      build,
      env: settings,
      logFile: path.join(OUTPUT_DIR, `production-build-${name}.log`),
    });

  beforeAll(async () => {
    await buildProduction(build);
    database = await connectTestStore();
    temporal = await Connection.connect({ address: process.env.XINFANG_TEST_TEMPORAL_ADDRESS });
    const port = await freePort();
    apiUrl = `http://127.0.0.1:${port}`;
    settings = {
      TEMPORAL_ADDRESS: process.env.XINFANG_TEST_TEMPORAL_ADDRESS!,
      TEMPORAL_NAMESPACE: process.env.XINFANG_TEST_TEMPORAL_NAMESPACE!,
      TEMPORAL_TASK_QUEUE: uniqueName('cases'),
      MONGO_URL: testMongoUrl(database.dbName),
      XINFANG_SECRET: testSecret,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
    };
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    for (const started of children.reverse()) {
      await started.stop();
      await started.close();
    }
    await temporal?.close();
    await database?.close();
    await rm(build, { recursive: true, force: true });
  });

  /** A compiled entry point run to its end, as compose's one-shot services run. */
  const runCompiled = (script: string) =>
    run(process.execPath, [path.join(build, script)], { env: { ...process.env, ...settings }, timeout: 60_000 });

  it(
    'seeds, starts the worker and the API with plain node, and runs a case through them',
    async () => {
      // The seed reads demo/directory.json, which must have come along into the build.
      const seeded = await runCompiled('worker/seed-main.js');
      const key = (role: string) => new RegExp(`^\\s+${role}\\s+-\\s+(xf_demo_\\S+)$`, 'm').exec(seeded.stdout)?.[1];
      const [intakeKey, officeKey] = [key('intake'), key('office')];
      expect({ intakeKey, officeKey }).toEqual({ intakeKey: expect.any(String), officeKey: expect.any(String) });

      const worker = child('worker');
      const api = child('api');
      children.push(worker, api);
      worker.start();
      api.start();

      const identity = `${worker.pid}@${hostname()}`;
      await eventually(async () => {
        const pollers = await workflowPollers(temporal, settings.TEMPORAL_NAMESPACE!, settings.TEMPORAL_TASK_QUEUE!);
        return pollers.includes(identity);
      }, START_TIMEOUT_MS);
      await eventually(async () => (await fetch(`${apiUrl}/readyz`)).ok, START_TIMEOUT_MS);
      // The worker container's health check (docker-compose.yml) sees it too: exit status 0, or run() rejects.
      await runCompiled('worker/healthcheck.js');

      const registered = await fetch(`${apiUrl}/v1/cases`, {
        method: 'POST',
        headers: { authorization: `Bearer ${intakeKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(noiseComplaint),
      });
      expect(registered.status).toBe(201);
      const { caseId } = (await registered.json()) as { caseId: string };

      // The record and its timeline are written by the compiled worker's activities as the workflow starts its clock.
      const detail = await eventually(async () => {
        const res = await fetch(`${apiUrl}/v1/cases/${caseId}`, { headers: { authorization: `Bearer ${officeKey}` } });
        const body = (await res.json()) as { recordPending?: boolean; timeline?: { type: string }[] };
        return res.ok && !body.recordPending && (body.timeline?.length ?? 0) >= 2 ? body : undefined;
      }, START_TIMEOUT_MS);
      expect(detail).toMatchObject({ caseId, stage: 'registered', subject: noiseComplaint.subject });
      expect(detail.timeline!.map((event) => event.type)).toEqual(['registered', 'dispose_clock_started']);
      expect({ worker: worker.unexpectedExits, api: api.unexpectedExits }).toEqual({ worker: [], api: [] });
    },
    3 * START_TIMEOUT_MS,
  );

  it('refuses to start a worker without its prebuilt workflow bundle rather than bundling', async () => {
    const bundle = path.join(build, PREBUILT_BUNDLE_FILE);
    await rename(bundle, `${bundle}.moved`);
    try {
      await expect(
        runCompiled('worker/main.js').catch((error: { code?: number; stderr?: string }) => {
          throw new Error(`exit ${error.code}: ${error.stderr}`);
        }),
      ).rejects.toThrow(/^exit 1:[\s\S]*the workflow bundle \S+workflow-bundle\.js is missing/);
    } finally {
      await rename(`${bundle}.moved`, bundle);
    }
  }, 90_000);
});
