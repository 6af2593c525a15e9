/**
 * Real Temporal and MongoDB-compatible servers as child processes, for `npm run dev`, the tests, the benchmark, the
 * fault suite and the scripts.
 * The binaries come from tools/provision.sh (DESIGN.md §8): nothing here downloads anything.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import { Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes';
import { assertPortFree, freePort, HOST, tcpReachable } from './ports';

export interface ToolPaths {
  /** Temporal CLI, whose `server start-dev` is the dev server with the Web UI. */
  temporal: string;
  /** Wrapper that starts the time-skipping test server; takes `<port>`. */
  testServer: string;
  ferretdb: string;
}

export type LogSink = (line: string) => void;

export interface TemporalDevServer {
  /** `host:port` of the gRPC frontend. */
  address: string;
  namespace: string;
  uiUrl: string;
  pid: number | undefined;
  /** SIGTERM, then SIGKILL after 10 s; resolves once the process has exited. */
  stop: () => Promise<void>;
  /** Resolves when the process ends for any reason, with how it ended ("exit code 2", "killed by SIGKILL"). */
  exited: Promise<string>;
}

export interface FerretDbServer {
  /** `mongodb://127.0.0.1:<port>/`, without a database. */
  url: string;
  pid: number | undefined;
  stop: () => Promise<void>;
  exited: Promise<string>;
}

const REPO_ROOT = path.resolve(__dirname, '..');
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;
const PROBE_INTERVAL_MS = 250;
const LOG_LINES_IN_ERRORS = 30;

const TOOL_ENV: Record<keyof ToolPaths, string> = {
  temporal: 'XINFANG_TEMPORAL_BIN',
  testServer: 'XINFANG_TEST_SERVER_BIN',
  ferretdb: 'XINFANG_FERRETDB_BIN',
};

/** Paths of the server binaries: environment variables win, the rest comes from tools/provision.sh. */
export async function resolveToolPaths(): Promise<ToolPaths> {
  const fromEnv = (name: string) => process.env[name] || undefined;
  let printed: Record<string, string> = {};
  if (Object.values(TOOL_ENV).some((name) => !fromEnv(name))) {
    printed = await runProvision();
  }
  const paths = {} as ToolPaths;
  for (const [tool, name] of Object.entries(TOOL_ENV) as [keyof ToolPaths, string][]) {
    const value = fromEnv(name) ?? printed[name];
    if (!value) throw new Error(`tools/provision.sh --print-paths did not print ${name}=…`);
    try {
      await access(value, fsConstants.X_OK);
    } catch {
      throw new Error(`${name}=${value} is not an executable file (unset it, or run \`npm run provision\`)`);
    }
    paths[tool] = value;
  }
  return paths;
}

export interface ClusterToolPaths extends ToolPaths {
  /** Folder with bin/temporal-server, bin/temporal-sql-tool and schema/postgresql/v12 of the same version. */
  temporalServerDir: string;
  temporalUi: string;
  /** PostgreSQL's bin folder (postgres, initdb, pg_isready). */
  postgresBinDir: string;
}

/** The cluster profile's servers, built on first use by `tools/provision.sh --cluster` (a few minutes). */
export async function resolveClusterToolPaths(): Promise<ClusterToolPaths> {
  const printed = await runProvision(['--cluster']);
  const base = await resolveToolPaths();
  const value = (name: string) => {
    const found = process.env[name] || printed[name];
    if (!found) throw new Error(`tools/provision.sh --cluster --print-paths did not print ${name}=…`);
    return found;
  };
  return {
    ...base,
    temporalServerDir: value('XINFANG_TEMPORAL_SERVER_DIR'),
    temporalUi: value('XINFANG_TEMPORAL_UI_BIN'),
    postgresBinDir: value('XINFANG_POSTGRES_BIN_DIR'),
  };
}

/** Builds or finds the cached servers; its progress goes to our stderr so a first, slow build is visible. */
function runProvision(extraArgs: string[] = []): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['tools/provision.sh', '--quiet', ...extraArgs, '--print-paths'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const assignments: Record<string, string> = {};
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^(XINFANG_[A-Z_]+)=(.*)$/.exec(line);
      if (match?.[1] && match[2] !== undefined) assignments[match[1]] = match[2];
      else process.stderr.write(`${line}\n`);
    });
    child.once('error', (error) => reject(new Error(`cannot run tools/provision.sh: ${error.message}`)));
    child.once('close', (code, signal) => {
      if (code === 0) resolve(assignments);
      else reject(new Error(`tools/provision.sh --print-paths failed (${exitDescription(code, signal)}); see above`));
    });
  });
}

/**
 * Starts `temporal server start-dev` with every search attribute of DESIGN.md §6 registered.
 * Without `dbFile` the server keeps its data in memory and loses it on stop.
 */
export async function startTemporalDevServer(opts: {
  bin: string;
  port?: number;
  uiPort?: number;
  dbFile?: string;
  namespace?: string;
  /** Server dynamic config, e.g. `{ 'system.enableActivityEagerExecution': true }`. */
  dynamicConfig?: Record<string, string | number | boolean>;
  log?: LogSink;
}): Promise<TemporalDevServer> {
  const namespace = opts.namespace ?? 'default';
  const port = opts.port ?? (await freePort());
  await assertPortFree(port, 'Temporal gRPC');
  const uiPort = opts.uiPort ?? (await freePort([port]));
  await assertPortFree(uiPort, 'Temporal UI');
  const address = `${HOST}:${port}`;

  const args = ['server', 'start-dev', '--ip', HOST, '--port', String(port), '--ui-port', String(uiPort)];
  args.push('--log-level', 'warn', '--color', 'never');
  for (const { name, type } of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${name}=${type}`);
  // "default" always exists; any other namespace must be created at launch.
  if (namespace !== 'default') args.push('--namespace', namespace);
  for (const [key, value] of Object.entries(opts.dynamicConfig ?? {})) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }
  if (opts.dbFile) {
    await mkdir(path.dirname(path.resolve(opts.dbFile)), { recursive: true });
    args.push('--db-filename', opts.dbFile);
  }

  const server = await launch('Temporal dev server', opts.bin, args, opts.log, async () => {
    await tcpReachable(port);
    // The port opens before the frontend serves requests; a namespace lookup proves it is usable.
    const connection = await Connection.connect({ address, connectTimeout: 2_000 });
    try {
      await connection.workflowService.describeNamespace({ namespace });
    } finally {
      await connection.close();
    }
  });
  return { address, namespace, uiUrl: `http://${HOST}:${uiPort}`, ...server };
}

/**
 * Starts FerretDB on its SQLite backend with its data in `dataDir`, or, given `postgresqlUrl` (an existing
 * database), on its PostgreSQL backend, which takes concurrent writers.
 */
export async function startFerretDb(opts: {
  bin: string;
  port?: number;
  dataDir: string;
  postgresqlUrl?: string;
  log?: LogSink;
}): Promise<FerretDbServer> {
  const port = opts.port ?? (await freePort());
  await assertPortFree(port, 'FerretDB');
  await mkdir(opts.dataDir, { recursive: true });
  const url = `mongodb://${HOST}:${port}/`;
  // Write transactions take SQLite's write lock when they begin (`_txlock=immediate`) and so wait for it within
  // FerretDB's 10 s busy timeout; a deferred transaction that upgrades from read to write fails at once with
  // SQLITE_BUSY when another writer holds the lock, which under load turned into activity retries.
  const sqliteUrl = `file:${path.resolve(opts.dataDir)}/?_txlock=immediate`;
  const args = ['--listen-addr', `${HOST}:${port}`];
  if (opts.postgresqlUrl) args.push('--handler', 'postgresql', '--postgresql-url', opts.postgresqlUrl);
  else args.push('--state-dir', opts.dataDir, '--sqlite-url', sqliteUrl);
  args.push('--log-level', 'warn');

  const server = await launch('FerretDB', opts.bin, args, opts.log, async () => {
    await tcpReachable(port);
    const connection = mongoose.createConnection(url, { serverSelectionTimeoutMS: 2_000 });
    connection.on('error', () => undefined);
    try {
      await connection.asPromise();
      if (!connection.db) throw new Error('connected without a database handle');
      await connection.db.admin().ping();
    } finally {
      await connection.close();
    }
  });
  return { url, ...server };
}

/** Every server this process started and has not seen exit, with its graceful stop. */
const liveServers = new Map<ChildProcess, () => Promise<void>>();
let refuseToStart = false;

/**
 * For signal handlers, after which the process ends: stops every server this process started, including any
 * still starting, and refuses to start more, since a server spawned after this point would be orphaned.
 */
export async function stopAllServers(): Promise<void> {
  refuseToStart = true;
  await Promise.allSettled([...liveServers.values()].map((stop) => stop()));
}

/** A crashed or exiting parent must not leave servers holding ports and data files. */
function killLiveServers(): void {
  // Only synchronous work is possible in an 'exit' handler, so there is no grace period here.
  for (const child of liveServers.keys()) child.kill('SIGKILL');
}

let deathWrapper: string[] | undefined;

/**
 * SIGKILL skips every handler above: a CI timeout, or tsx escalating when a busy event loop misses its 60 ms to
 * acknowledge Ctrl-C. On Linux, `setpriv --pdeathsig` (util-linux) has the kernel send the server SIGTERM when
 * this process dies, however it dies. It execs the server, so the pid and signals stay the server's own. (The
 * signal follows the spawning thread, which for child_process is always Node's main thread.)
 */
export function parentDeathWrapper(): string[] {
  if (deathWrapper === undefined) {
    const wrapper = ['--pdeathsig', 'TERM', '--'];
    const usable = process.platform === 'linux' && spawnSync('setpriv', [...wrapper, 'true']).status === 0;
    deathWrapper = usable ? ['setpriv', ...wrapper] : [];
  }
  return deathWrapper;
}

/** The parent-death wrapper, and the change of user when one is asked for (setpriv sets the signal after it). */
function wrapper(user: string | undefined): string[] {
  if (user === undefined) return parentDeathWrapper();
  const [, ...deathFlags] = parentDeathWrapper().slice(0, -1);
  return ['setpriv', ...deathFlags, `--reuid=${user}`, `--regid=${user}`, '--init-groups', '--'];
}

export interface LaunchOptions {
  /** The server's whole environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Run as this system user (for PostgreSQL, which refuses to run as root); needs util-linux `setpriv`. */
  user?: string;
  /** What a graceful stop sends (PostgreSQL's fast shutdown is SIGINT; SIGTERM waits for clients to leave). */
  stopSignal?: NodeJS.Signals;
  /** How long to wait for `probe` (default 60 s). */
  readyTimeoutMs?: number;
}

export interface LaunchedServer {
  pid: number | undefined;
  /** The graceful stop, then SIGKILL after 10 s; resolves once the process has exited. */
  stop: () => Promise<void>;
  /** Sends `signal` and resolves once the process has exited (`kill -9` in the fault suite). */
  kill: (signal: NodeJS.Signals) => Promise<void>;
  exited: Promise<string>;
}

/** Spawns a server, keeps its recent output for error messages, and resolves once `probe` succeeds. */
export async function launch(
  name: string,
  bin: string,
  args: string[],
  log: LogSink | undefined,
  probe: () => Promise<void>,
  options: LaunchOptions = {},
): Promise<LaunchedServer> {
  if (refuseToStart) throw new Error(`not starting ${name}: this process is shutting down`);
  const [command, ...commandArgs] = [...wrapper(options.user), bin, ...args] as [string, ...string[]];
  const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env });

  const recentLines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      recentLines.push(line);
      if (recentLines.length > LOG_LINES_IN_ERRORS) recentLines.shift();
      log?.(line);
    });
  }

  let exitInfo: string | undefined;
  const exited = new Promise<void>((resolve) => {
    // 'close' rather than 'exit': by then the last lines of output have been read.
    child.once('close', (code, signal) => {
      exitInfo ??= exitDescription(code, signal);
      resolve();
    });
    child.once('error', (error) => {
      exitInfo = `could not start: ${error.message}`;
      resolve();
    });
  });

  const stop = async (): Promise<void> => {
    if (exitInfo !== undefined) return;
    child.kill(options.stopSignal ?? 'SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };
  const kill = async (signal: NodeJS.Signals): Promise<void> => {
    if (exitInfo !== undefined) return;
    child.kill(signal);
    await exited;
  };
  if (!process.listeners('exit').includes(killLiveServers)) process.on('exit', killLiveServers);
  liveServers.set(child, stop);
  void exited.then(() => liveServers.delete(child));

  const failure = (reason: string) => {
    const output = recentLines.length ? recentLines.join('\n') : '(no output)';
    return new Error(`${name} (${bin} ${args.join(' ')}) ${reason}\nLast output:\n${output}`);
  };

  const readyTimeoutMs = options.readyTimeoutMs ?? READY_TIMEOUT_MS;
  const deadline = Date.now() + readyTimeoutMs;
  let lastProbeError: string;
  for (;;) {
    if (exitInfo !== undefined) throw failure(`exited before it was ready: ${exitInfo}`);
    try {
      await probe();
      return { pid: child.pid, stop, kill, exited: exited.then(() => exitInfo ?? 'exited') };
    } catch (error) {
      lastProbeError = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) {
      await stop();
      throw failure(`was not ready within ${readyTimeoutMs / 1000} s (last check: ${lastProbeError})`);
    }
    await Promise.race([delay(PROBE_INTERVAL_MS), exited]);
  }
}

export function exitDescription(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
