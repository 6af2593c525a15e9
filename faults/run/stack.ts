/**
 * The system under test, in one of two shapes: the dev stack's (a Temporal dev server, FerretDB, one worker, one API)
 * or the cluster profile's (PostgreSQL, four Temporal services, FerretDB, two workers, two APIs, mutual TLS). Both
 * run in a temporary folder, and both give the load its API URLs and the reconciliation its connections.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { loadEnv, type Env } from '../../config/env';
import { temporalConnectionOptions } from '../../config/temporal-connection';
import { Child } from '../../dev/children';
import { Cluster, scratchCluster, waitForHealthy } from '../../dev/cluster/cluster';
import { freePort } from '../../harness/ports';
import {
  resolveClusterToolPaths,
  resolveToolPaths,
  startFerretDb,
  startTemporalDevServer,
  type FerretDbServer,
  type TemporalDevServer,
  type ToolPaths,
} from '../../harness/servers';
import { HOST, say } from './common';

interface BaseSystem {
  dir: string;
  /** Settings of the worker and API processes (MONGO_URL, the task queue, the secret…). */
  env: Env;
  /** The load goes round-robin through these. */
  apiUrls: string[];
  /** The worker and API processes, for the report of processes that ended on their own. */
  children: Child[];
  connectTemporal: () => Promise<Connection>;
  stop: () => Promise<void>;
  killApplicationNow: () => void;
}

export interface SingleSystem extends BaseSystem {
  kind: 'single';
  tools: ToolPaths;
  temporalPort: number;
  temporalDb: string;
  temporal: TemporalDevServer;
  ferretPort: number;
  ferretDir: string;
  ferret: FerretDbServer;
  worker: Child;
  api: Child;
}

export interface ClusterSystem extends BaseSystem {
  kind: 'cluster';
  cluster: Cluster;
}

export type System = SingleSystem | ClusterSystem;

function baseSettings(): Record<string, string> {
  return {
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: 'xinfang-faults',
    XINFANG_SECRET: randomBytes(32).toString('hex'),
    XINFANG_ADMIN_KEY: randomBytes(24).toString('hex'),
    LOG_LEVEL: 'warn',
    // The unit's system is the suite's own receiver on this machine.
    XINFANG_WEBHOOK_ALLOW: HOST,
  };
}

export async function startSingleSystem(): Promise<SingleSystem> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'xinfang-faults-'));
  const tools = await resolveToolPaths();
  const temporalPort = await freePort();
  const temporalDb = path.join(dir, 'temporal.sqlite');
  const temporal = await startTemporalDevServer({ bin: tools.temporal, port: temporalPort, dbFile: temporalDb });
  const ferretPort = await freePort();
  const ferretDir = path.join(dir, 'ferretdb');
  const ferret = await startFerretDb({ bin: tools.ferretdb, port: ferretPort, dataDir: ferretDir });
  const apiPort = await freePort();
  const vars = {
    ...baseSettings(),
    TEMPORAL_ADDRESS: temporal.address,
    MONGO_URL: `${ferret.url}xinfang`,
    HOST,
    PORT: String(apiPort),
  };
  const env = loadEnv(vars);
  const worker = new Child({
    name: 'worker',
    script: 'worker/main.ts',
    env: vars,
    logFile: path.join(dir, 'worker.log'),
  });
  const api = new Child({ name: 'api', script: 'api/main.ts', env: vars, logFile: path.join(dir, 'api.log') });
  const system: SingleSystem = {
    kind: 'single',
    dir,
    env,
    apiUrls: [`http://${HOST}:${apiPort}`],
    children: [worker, api],
    tools,
    temporalPort,
    temporalDb,
    temporal,
    ferretPort,
    ferretDir,
    ferret,
    worker,
    api,
    connectTemporal: () => Connection.connect({ address: system.temporal.address }),
    stop: async () => {
      await api.stop();
      await worker.stop();
      await Promise.all([worker.close(), api.close()]);
    },
    killApplicationNow: () => {
      worker.killNow();
      api.killNow();
    },
  };
  return system;
}

export async function startClusterSystem(): Promise<ClusterSystem> {
  const { dataDir: dir, ports } = await scratchCluster('xinfang-faults-cluster-');
  const tools = await resolveClusterToolPaths();
  const cluster = new Cluster({
    tools,
    dataDir: dir,
    ports,
    namespace: 'default',
    taskQueue: 'xinfang-faults',
    appEnv: baseSettings(),
    say: (line) => say(`  ${line}`),
    serverLog: serverLogs(path.join(dir, 'logs')),
  });
  await cluster.startServers();
  const env = loadEnv(cluster.processEnv('admin'));
  return {
    kind: 'cluster',
    dir,
    env,
    apiUrls: cluster.apiUrls,
    get children() {
      return [...cluster.workers, ...cluster.apis];
    },
    cluster,
    connectTemporal: () => Connection.connect(temporalConnectionOptions(env)),
    stop: () => cluster.stop(),
    killApplicationNow: () => cluster.killApplicationNow(),
  };
}

/**
 * Each server's output in `<folder>/<server>.log` (temporal-history.log, postgres.log…), appended across restarts:
 * the run's folder is kept when a check fails, and these say what the servers did meanwhile.
 */
function serverLogs(folder: string): (name: string) => (line: string) => void {
  const files = new Map<string, WriteStream>();
  return (name) => (line) => {
    let file = files.get(name);
    if (!file) files.set(name, (file = createWriteStream(path.join(folder, `${name}.log`), { flags: 'a' })));
    file.write(`${line}\n`);
  };
}

/** Starts the worker and API processes of either shape and waits until every API answers. */
export async function startApplication(system: System): Promise<void> {
  if (system.kind === 'single') {
    system.worker.start();
    system.api.start();
  } else {
    system.cluster.startApplication();
  }
  await Promise.all(system.apiUrls.map((url) => waitForHealthy(url, 120_000)));
}

// ── The unit's own system: a slow webhook receiver ────────────────────────────────────────────────────────

/**
 * Stands for 330100-HB's system. It holds every delivery for a while, so a webhook activity is nearly always in
 * flight, and the mid-activity kill below can wait until one is, rather than hoping.
 */
export interface Receiver {
  url: string;
  inFlight: number;
  /** Delivery ID → times received; retries after a kill may repeat one (webhooks are at least once). */
  received: Map<string, number>;
  close: () => Promise<void>;
}

export async function startReceiver(holdMs: number): Promise<Receiver> {
  const receiver: Receiver = { url: '', inFlight: 0, received: new Map(), close: () => Promise.resolve() };
  const server = http.createServer((req, res) => {
    receiver.inFlight += 1;
    const id = String(req.headers['x-xinfang-delivery'] ?? '');
    req.resume();
    setTimeout(() => {
      receiver.inFlight -= 1;
      receiver.received.set(id, (receiver.received.get(id) ?? 0) + 1);
      res.writeHead(204).end();
    }, holdMs);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, HOST, resolve));
  receiver.url = `http://${HOST}:${port}/xinfang`;
  receiver.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
