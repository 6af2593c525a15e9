/**
 * The stack under test, all on this machine: the Temporal dev server and FerretDB, the case workers (one with the
 * product's cache, one that evicts) beside the trivial workflow's workers, and the API — in a process of its own by
 * default, as deployed. With `--temporal=cluster` the servers are the cluster profile's instead (DESIGN.md §7): the
 * four Temporal services on PostgreSQL over mutual TLS, and FerretDB; the workers and the API stay the bench's. With
 * `--store=postgresql` the dev server's FerretDB stores in a PostgreSQL of its own instead of SQLite.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import mongoose from 'mongoose';
import pino from 'pino';
import type { ActivityDeps } from '../../activities';
import { baselineActivities } from '../baseline-activities';
import { createApp } from '../../api/app';
import { DEMO_DIRECTORY } from '../../demo/directory';
import { loadEnv } from '../../config/env';
import { temporalConnectionOptions } from '../../config/temporal-connection';
import { Cluster, scratchCluster } from '../../dev/cluster/cluster';
import { initPostgres, postgresDataDir, startPostgres } from '../../dev/cluster/postgres';
import {
  resolveClusterToolPaths,
  resolveToolPaths,
  startFerretDb,
  startTemporalDevServer,
  stopAllServers,
  type ToolPaths,
} from '../../harness/servers';
import { freePort } from '../../harness/ports';
import { hashKey } from '../../store/api-keys';
import { createStore, type Store } from '../../store/models';
import { Sealer } from '../../store/sealed';
import { quietRuntime } from '../../harness/case-stack';
import { createMailer } from '../../worker/mailer';
import { loadDirectory } from '../../worker/seed';
import { createCaseWorker, WORKER_DEFAULTS, workflowBundle } from '../../worker/worker';

const SECRET = 'xinfang-bench-secret-not-for-production-0123456789';
export const CASES_WARM = 'bench-cases';
export const CASES_COLD = 'bench-cases-cold';
export const BASE_WARM = 'bench-baseline';
export const BASE_COLD = 'bench-baseline-cold';
/**
 * The "evicted" workers' cache: the smallest the SDK allows besides 0, which local activities cannot run with. With
 * 4 callers round-robin over many workflows, nearly every task finds its workflow evicted and replays its history.
 */
const EVICTING_CACHE = 2;

export interface Stack {
  client: Client;
  store: Store;
  sealer: Sealer;
  /** The case workers' activity dependencies; the timer runs set the reminder time. */
  deps: ActivityDeps;
  /** API on the warm case queue, and a second app (same process) on the cache-less queue. */
  apiUrl: string;
  coldApiUrl: string;
  keys: { intake: string; office: string };
  workers: Record<'cases' | 'casesCold' | 'base' | 'baseCold', Worker>;
  mongoUrl: string;
  ferretDir: string;
  testServerBin: string;
  versions: { temporalCli: string; node: string; sdk: string };
  startupMs: Record<string, number>;
  /**
   * With `--count-commands`: the MongoDB commands the workers' process has sent since the last `take()`, by command
   * and collection (`find cases`). The bench's own reads on that connection count too (the mixed phase's check that
   * the office can see a case, one `find cases` per action it sends).
   */
  mongoCommands?: CommandCount;
  /** Process IDs, for the CPU time each spends (/proc/<pid>/stat); Temporal is four processes on the cluster. */
  pids: {
    worker: number;
    api: number | undefined;
    temporal: (number | undefined)[];
    ferretdb: number | undefined;
    /** The postmaster of `--store=postgresql`. */
    postgres?: number;
  };
  stop(): Promise<void>;
}

/** Worker settings of the case workers under test; unset means the product's defaults (WORKER_DEFAULTS). */
export interface RunSettings {
  maxCachedWorkflows: number;
  maxConcurrentActivities: number;
  /** Threads of the case workers' workflow code (`--workflow-threads=N`). */
  workflowThreads: number;
  /** Count the MongoDB commands of the workers' process (`--count-commands`; Stack.mongoCommands). */
  countCommands?: boolean;
  /** Temporal server dynamic config (`--dynamic-config=key=value`, repeatable). */
  dynamicConfig: Record<string, string | number | boolean>;
  /** The API in a process of its own, as deployed (default), or in the workers' process (`--api=in-process`). */
  api: 'process' | 'in-process';
  /** The Temporal dev server (default), or the cluster profile's services on PostgreSQL (`--temporal=cluster`). */
  temporal?: 'dev' | 'cluster';
  /**
   * Where the dev server's FerretDB keeps its data: SQLite, one writer at a time (default, as the embedded stack), or
   * PostgreSQL, which takes concurrent writers (`--store=postgresql`).
   */
  store?: 'sqlite' | 'postgresql';
}

export function runSettings(argv: string[]): RunSettings {
  const flag = (name: string) => {
    const value = argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
    return value === undefined ? undefined : Number(value);
  };
  return {
    maxCachedWorkflows: flag('cache') ?? WORKER_DEFAULTS.maxCachedWorkflows,
    maxConcurrentActivities: flag('activities') ?? WORKER_DEFAULTS.maxConcurrentActivities,
    workflowThreads: flag('workflow-threads') ?? WORKER_DEFAULTS.workflowThreads,
    countCommands: argv.includes('--count-commands'),
    api: argv.includes('--api=in-process') ? 'in-process' : 'process',
    temporal: argv.includes('--temporal=cluster') ? 'cluster' : 'dev',
    store: argv.includes('--store=postgresql') ? 'postgresql' : 'sqlite',
    dynamicConfig: Object.fromEntries(
      argv
        .filter((a) => a.startsWith('--dynamic-config='))
        .map((a) => {
          const [key, value = ''] = a.slice('--dynamic-config='.length).split('=');
          return [key!, value === 'true' ? true : value === 'false' ? false : isNaN(+value) ? value : +value];
        }),
    ),
  };
}

interface Apis {
  /** Base URL per case task queue. */
  urls: Record<string, string>;
  pid: number | undefined;
  stop(): Promise<void>;
}

const API_SETTINGS = { logger: pino({ level: 'silent' }), rateLimit: { perSecond: 1_000_000, burst: 1_000_000 } };

/** One API per case queue in this process: its event loop is the workers'. */
async function startApisInProcess(deps: { client: Client; store: Store; sealer: Sealer }): Promise<Apis> {
  const servers = await Promise.all(
    [CASES_WARM, CASES_COLD].map(async (taskQueue) => {
      const server = createApp({ ...deps, ...API_SETTINGS, taskQueue }).listen(0, '127.0.0.1');
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      return [taskQueue, server] as const;
    }),
  );
  return {
    urls: Object.fromEntries(
      servers.map(([queue, server]) => [queue, `http://127.0.0.1:${(server.address() as AddressInfo).port}`]),
    ),
    pid: process.pid,
    async stop() {
      for (const [, server] of servers) server.closeAllConnections();
      await Promise.all(servers.map(([, server]) => new Promise((r) => server.close(r))));
    },
  };
}

/**
 * The API in a process of its own (bench/api-process.ts), as deployed; `tlsEnv` (the cluster's `TEMPORAL_TLS_*`)
 * gives it the certificate to reach the frontend with.
 */
async function startApiProcess(
  address: string,
  namespace: string,
  mongoUrl: string,
  tlsEnv: Record<string, string> = {},
): Promise<Apis> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'api-process.ts')], {
    cwd: path.resolve(__dirname, '../..'),
    env: {
      ...process.env,
      ...tlsEnv,
      BENCH_TEMPORAL_ADDRESS: address,
      BENCH_NAMESPACE: namespace,
      BENCH_MONGO_URL: mongoUrl,
      BENCH_SECRET: SECRET,
      BENCH_TASK_QUEUES: [CASES_WARM, CASES_COLD].join(','),
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench/api-process.ts exited with ${code} before listening`)));
  });
  const { urls } = JSON.parse(line) as { urls: Record<string, string> };
  return {
    urls,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The servers the bench runs against, whichever the topology. */
interface Servers {
  tools: ToolPaths;
  tmp: string;
  namespace: string;
  /** The frontend's address and, on the cluster, its mutual TLS. */
  temporal: ReturnType<typeof temporalConnectionOptions>;
  /** The `TEMPORAL_TLS_*` settings a separate API process needs (none on the dev server). */
  tlsEnv: Record<string, string>;
  mongoUrl: string;
  ferretDir: string;
  version: string;
  pids: { temporal: (number | undefined)[]; ferretdb: number | undefined; postgres?: number };
  stop(): Promise<void>;
}

async function startDevServers(settings: RunSettings): Promise<Servers> {
  const clusterTools = settings.store === 'postgresql' ? await resolveClusterToolPaths() : undefined;
  const tools = clusterTools ?? (await resolveToolPaths());
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'xinfang-bench-'));
  const ferretDir = path.join(tmp, 'ferretdb');
  const quiet = () => undefined;
  const postgres = clusterTools && (await startStorePostgres(clusterTools.postgresBinDir, tmp));
  const [temporalServer, ferret] = await Promise.all([
    startTemporalDevServer({ bin: tools.temporal, log: quiet, dynamicConfig: settings.dynamicConfig }),
    startFerretDb({ bin: tools.ferretdb, dataDir: ferretDir, postgresqlUrl: postgres?.url, log: quiet }),
  ]);
  return {
    tools,
    tmp,
    namespace: temporalServer.namespace,
    temporal: { address: temporalServer.address },
    tlsEnv: {},
    mongoUrl: ferret.url,
    ferretDir,
    version: execFileSync(tools.temporal, ['--version']).toString().trim(),
    pids: { temporal: [temporalServer.pid], ferretdb: ferret.pid, postgres: postgres?.pid },
    async stop() {
      await stopAllServers();
      // A folder of its own under /var/tmp when the postgres user cannot reach `tmp` (see postgresDataDir).
      if (postgres && !postgres.dataDir.startsWith(tmp)) {
        await rm(path.dirname(postgres.dataDir), { recursive: true, force: true });
      }
    },
  };
}

/** A PostgreSQL of the run's own for FerretDB's data, in `tmp` or, should its user not reach that, under /var/tmp. */
async function startStorePostgres(
  binDir: string,
  tmp: string,
): Promise<{ url: string; dataDir: string; pid: number | undefined }> {
  const options = {
    binDir,
    dataDir: await postgresDataDir(path.join(tmp, 'postgres')),
    port: await freePort(),
    password: randomBytes(18).toString('base64url'),
    log: () => undefined,
  };
  await initPostgres(options);
  const { pid } = await startPostgres(options);
  const password = encodeURIComponent(options.password);
  const url = `postgres://temporal:${password}@127.0.0.1:${options.port}/postgres`;
  return { url, dataDir: options.dataDir, pid };
}

/** The cluster profile's servers (dev/cluster/cluster.ts), without its workers and APIs: the bench brings its own. */
async function startClusterServers(): Promise<Servers> {
  const tools = await resolveClusterToolPaths();
  const { dataDir: tmp, ports } = await scratchCluster('xinfang-bench-cluster-');
  const cluster = new Cluster({
    tools,
    dataDir: tmp,
    ports,
    namespace: 'default',
    taskQueue: CASES_WARM,
    appEnv: { XINFANG_SECRET: SECRET },
    say: (line) => console.error(`[bench] cluster: ${line.trim()}`),
  });
  await cluster.startServers();
  const env = loadEnv(cluster.processEnv('admin'));
  const { TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY, TEMPORAL_TLS_CA, TEMPORAL_TLS_SERVER_NAME } = env;
  return {
    tools,
    tmp,
    namespace: 'default',
    temporal: temporalConnectionOptions(env),
    tlsEnv: Object.fromEntries(
      Object.entries({ TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY, TEMPORAL_TLS_CA, TEMPORAL_TLS_SERVER_NAME }).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      ),
    ),
    mongoUrl: cluster.ferretdb.url,
    ferretDir: path.join(tmp, 'ferretdb'),
    version: `Temporal Server ${path.basename(tools.temporalServerDir).replace(/^temporal-server-v/, '')} cluster (history, matching, frontend, worker on PostgreSQL, mutual TLS)`,
    pids: { temporal: Object.values(cluster.temporal).map((s) => s.pid), ferretdb: cluster.ferretdb.pid },
    stop: () => cluster.stop(),
  };
}

export async function startStack(settings: RunSettings): Promise<Stack> {
  if (settings.temporal === 'cluster' && settings.store === 'postgresql') {
    throw new Error("--store=postgresql is for the dev server's stack; the cluster profile brings its own FerretDB");
  }
  const startupMs: Record<string, number> = {};
  let t = performance.now();
  const servers = settings.temporal === 'cluster' ? await startClusterServers() : await startDevServers(settings);
  const { tools, tmp, namespace, mongoUrl, ferretDir } = servers;
  startupMs.servers = performance.now() - t;
  // Activity retries (FerretDB's SQLite busy under load) are counted, not printed.
  process.env.XINFANG_TEST_WORKER_LOG ??= 'ERROR';
  // The bench handles SIGINT and SIGTERM itself (bench/run/main.ts): it writes what it measured, then stops. The
  // SDK's own handlers would shut the workers down under it, and their runs would reject before the results are out.
  quietRuntime([]);
  const connection = await Connection.connect(servers.temporal);
  const client = new Client({ connection, namespace });
  const native = await NativeConnection.connect(servers.temporal);
  const mongo = await mongoose
    .createConnection(`${mongoUrl}bench`, { monitorCommands: settings.countCommands === true })
    .asPromise();
  const mongoCommands = settings.countCommands ? countCommands(mongo) : undefined;
  const store = createStore(mongo);
  await loadDirectory(store, DEMO_DIRECTORY);
  const sealer = new Sealer(SECRET);
  const keys = { intake: `bench-intake-${randomUUID()}`, office: `bench-office-${randomUUID()}` };
  for (const [role, key] of Object.entries(keys)) {
    await store.apiKeys.create({ _id: `bench-${role}`, hash: hashKey(key), role });
  }

  t = performance.now();
  await workflowBundle();
  startupMs.caseBundle = performance.now() - t;
  t = performance.now();
  const deps: ActivityDeps = { store, sealer, sendMail: createMailer(undefined) };
  const common = { connection: native, namespace };
  const baselinePath = require.resolve('../baseline-workflows');
  const { maxCachedWorkflows, maxConcurrentActivities, workflowThreads } = settings;
  // The registration phase's minimal workflow writes through an activity: as many at a time as a case worker runs.
  const baseActivities = baselineActivities({ mongo, sealer });
  const baseWarm = await Worker.create({
    ...common,
    taskQueue: BASE_WARM,
    workflowsPath: baselinePath,
    activities: baseActivities,
    maxConcurrentActivityTaskExecutions: maxConcurrentActivities,
  });
  startupMs.baselineBundle = performance.now() - t;
  const workers = {
    cases: await createCaseWorker({
      ...common,
      maxCachedWorkflows,
      maxConcurrentActivities,
      workflowThreads,
      taskQueue: CASES_WARM,
      deps,
    }),
    casesCold: await createCaseWorker({
      ...common,
      maxConcurrentActivities,
      taskQueue: CASES_COLD,
      deps,
      maxCachedWorkflows: EVICTING_CACHE,
    }),
    base: baseWarm,
    baseCold: await Worker.create({
      ...common,
      taskQueue: BASE_COLD,
      workflowsPath: baselinePath,
      activities: baseActivities,
      maxCachedWorkflows: EVICTING_CACHE,
    }),
  };
  let release!: () => void;
  const stopped = new Promise<void>((resolve) => (release = resolve));
  const running = Promise.all(Object.values(workers).map((w) => w.runUntil(stopped)));

  const apis =
    settings.api === 'process'
      ? await startApiProcess(servers.temporal.address, namespace, `${mongoUrl}bench`, servers.tlsEnv)
      : await startApisInProcess({ client, store, sealer });

  const sdk = (
    JSON.parse(readFileSync(require.resolve('@temporalio/worker/package.json'), 'utf8')) as { version: string }
  ).version;
  return {
    mongoCommands,
    client,
    store,
    sealer,
    deps,
    apiUrl: apis.urls[CASES_WARM]!,
    coldApiUrl: apis.urls[CASES_COLD]!,
    keys,
    workers,
    mongoUrl,
    ferretDir,
    testServerBin: tools.testServer,
    versions: { temporalCli: servers.version, node: process.version, sdk },
    startupMs,
    pids: { worker: process.pid, api: apis.pid, ...servers.pids },
    async stop() {
      await apis.stop();
      release();
      await running.catch(() => undefined);
      await native.close();
      await connection.close();
      await mongo.close();
      await servers.stop();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

export interface CommandCount {
  /** The commands sent since the last take, most first; counting starts again from zero. */
  take(): Record<string, number>;
}

/** Counts the commands sent on `connection` by command and collection, as they start. */
function countCommands(connection: mongoose.Connection): CommandCount {
  const counts = new Map<string, number>();
  connection.getClient().on('commandStarted', (event) => {
    const target: unknown = event.command[event.commandName];
    const key = typeof target === 'string' ? `${event.commandName} ${target}` : event.commandName;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  return {
    take() {
      const taken = Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]));
      counts.clear();
      return taken;
    },
  };
}
