/**
 * `npm run dev`: the whole system on one machine (DESIGN.md §7). Starts a Temporal dev server with its UI and
 * FerretDB unless TEMPORAL_ADDRESS / MONGO_URL point elsewhere, then the worker and the API in this process.
 * Data stays in .data/ between runs, so open cases and their clocks survive a restart.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { inspect } from 'node:util';
import { Runtime, type LogLevel } from '@temporalio/worker';
import pino from 'pino';
import pretty from 'pino-pretty';
import { loadEnv, type Env } from '../config/env';
import { startApi } from '../api/run';
import { runWorker } from '../worker/run';
import { seedDemo } from '../worker/seed';
import { printBanner, type DemoKey } from './banner';
import { persisted, portSetting } from './settings';
import { PortInUseError } from '../harness/ports';
import {
  resolveToolPaths,
  startFerretDb,
  startTemporalDevServer,
  stopAllServers,
  type LogSink,
} from '../harness/servers';

const DATA_DIR = path.resolve(__dirname, '..', '.data');
const DATABASE = 'xinfang';

const log = pino(
  { name: 'dev', level: 'info' },
  pretty({ ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss', colorize: process.stdout.isTTY }),
);

/** What runs, in start order; stopped in reverse. */
const running: { name: string; stop: () => Promise<void> }[] = [];
let stopping = false;

async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) {
        log.warn(`${signal} again: exiting without waiting`);
        process.exit(1);
      }
      log.info(`${signal}: stopping (press Ctrl-C again to exit at once)`);
      void shutdown(0);
    });
  }

  await mkdir(DATA_DIR, { recursive: true });
  // Tracking PINs are hashed and intake records sealed with this secret: a new one per run would lock out
  // every petitioner and every case still in flight, so it is generated once and kept.
  const secret =
    process.env.XINFANG_SECRET ||
    (await persisted(path.join(DATA_DIR, 'secret'), () => randomBytes(32).toString('hex'), announce));
  const adminKey =
    process.env.XINFANG_ADMIN_KEY ||
    (await persisted(path.join(DATA_DIR, 'admin-key'), () => randomBytes(32).toString('base64url'), announce));
  const settings: NodeJS.ProcessEnv = { ...process.env, XINFANG_SECRET: secret, XINFANG_ADMIN_KEY: adminKey };
  // A bad setting should fail before any server starts.
  loadEnv(settings);

  let temporalUiUrl: string | undefined;
  if (!process.env.TEMPORAL_ADDRESS || !process.env.MONGO_URL) {
    const servers = await startServers();
    if (servers.temporal) {
      settings.TEMPORAL_ADDRESS = servers.temporal.address;
      temporalUiUrl = servers.temporal.uiUrl;
    }
    if (servers.mongoUrl) settings.MONGO_URL = servers.mongoUrl;
  }
  if (stopping) return;
  const env = loadEnv(settings);

  let demoKeys: DemoKey[] = [];
  if (process.env.XINFANG_DEMO !== '0') {
    log.info('loading the demo directory and demo API keys (XINFANG_DEMO=0 skips this)');
    demoKeys = (await seedDemo(env)).keys;
  }
  if (stopping) return;

  startWorker(env);

  const api = await startApi(env, { logger: log.child({ name: 'api' }) });
  running.push({ name: 'API', stop: () => api.close() });
  if (stopping) return;

  printBanner({
    env,
    apiUrls: [api.url],
    temporalUiUrl,
    adminKey,
    demoKeys,
    footer: 'State is kept in .data/ (delete it to start afresh). Ctrl-C stops everything.',
  });
}

/** Starts the servers not given by the environment, side by side because each takes a moment. */
async function startServers(): Promise<{ temporal?: { address: string; uiUrl: string }; mongoUrl?: string }> {
  const tools = await resolveToolPaths();
  const startingTemporal = process.env.TEMPORAL_ADDRESS ? undefined : startTemporal(tools.temporal);
  const startingFerretDb = process.env.MONGO_URL ? undefined : startMongo(tools.ferretdb);
  const [temporal, mongo] = await Promise.allSettled([startingTemporal, startingFerretDb]);
  // Register whatever did start before reporting a failure, so it is stopped too.
  for (const outcome of [temporal, mongo]) {
    if (outcome.status === 'fulfilled' && outcome.value) running.push(outcome.value.handle);
  }
  for (const outcome of [temporal, mongo]) {
    if (outcome.status === 'rejected') throw outcome.reason;
  }
  return {
    temporal: temporal.status === 'fulfilled' ? temporal.value?.server : undefined,
    mongoUrl: mongo.status === 'fulfilled' ? mongo.value?.url : undefined,
  };
}

async function startTemporal(bin: string) {
  const port = portSetting('TEMPORAL_PORT', 7233);
  const uiPort = portSetting('TEMPORAL_UI_PORT', 8233);
  const dbFile = path.join(DATA_DIR, 'temporal.sqlite');
  log.info(`starting the Temporal dev server on 127.0.0.1:${port} (state in ${path.relative(process.cwd(), dbFile)})`);
  const startedAt = Date.now();
  const server = await startTemporalDevServer({
    bin,
    port,
    uiPort,
    dbFile,
    namespace: process.env.TEMPORAL_NAMESPACE || undefined,
    log: childLog('temporal', temporalLine),
  }).catch(hintOnPortInUse('set TEMPORAL_PORT / TEMPORAL_UI_PORT, or TEMPORAL_ADDRESS to use a running server'));
  log.info(`Temporal dev server ready in ${seconds(startedAt)}`);
  stopStackIfItDies('Temporal dev server', server.exited);
  return { server, handle: { name: 'Temporal dev server', stop: server.stop } };
}

async function startMongo(bin: string) {
  const port = portSetting('FERRETDB_PORT', 27017);
  const dataDir = path.join(DATA_DIR, 'ferretdb');
  log.info(`starting FerretDB on 127.0.0.1:${port} (data in ${path.relative(process.cwd(), dataDir)}/)`);
  const startedAt = Date.now();
  const server = await startFerretDb({ bin, port, dataDir, log: childLog('ferretdb', ferretDbLine) }).catch(
    hintOnPortInUse('set FERRETDB_PORT, or MONGO_URL to use a running MongoDB'),
  );
  log.info(`FerretDB ready in ${seconds(startedAt)}`);
  stopStackIfItDies('FerretDB', server.exited);
  return { url: `${server.url}${DATABASE}`, handle: { name: 'FerretDB', stop: server.stop } };
}

/** The worker runs in the background; if it ends while nobody asked it to, the stack is broken and stops. */
/** The worker's SDK logs through the same pretty logger as the rest of the stack. */
function installWorkerLogger(): void {
  const workerLog = log.child({ name: 'worker' });
  const write = (level: LogLevel, message: string, meta?: Record<string, unknown>) => {
    const method =
      level === 'TRACE'
        ? 'trace'
        : level === 'DEBUG'
          ? 'debug'
          : level === 'INFO'
            ? 'info'
            : level === 'WARN'
              ? 'warn'
              : 'error';
    workerLog[method](meta ?? {}, message);
  };
  Runtime.install({
    logger: {
      log: write,
      trace: (message, meta) => write('TRACE', message, meta),
      debug: (message, meta) => write('DEBUG', message, meta),
      info: (message, meta) => write('INFO', message, meta),
      warn: (message, meta) => write('WARN', message, meta),
      error: (message, meta) => write('ERROR', message, meta),
    },
  });
}

function startWorker(env: Env): void {
  installWorkerLogger();
  const abort = new AbortController();
  const finished = runWorker(env, abort.signal).then(
    () => {
      if (!stopping) void shutdown(1, new Error('the worker stopped on its own'));
    },
    (error: unknown) => {
      if (stopping) log.error(`worker: ${errorMessage(error)}`);
      else void shutdown(1, new Error(`worker failed: ${errorMessage(error)}`));
    },
  );
  running.push({
    name: 'worker',
    stop: async () => {
      abort.abort();
      await finished;
    },
  });
}

/** Nothing works without its servers, so one that ends on its own takes the stack down with a reason. */
function stopStackIfItDies(name: string, exited: Promise<string>): void {
  void exited.then((how) => {
    if (!stopping) void shutdown(1, new Error(`${name} stopped unexpectedly (${how})`));
  });
}

async function shutdown(code: number, error?: unknown): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (error !== undefined) log.error(errorMessage(error));
  for (let next = running.pop(); next; next = running.pop()) {
    try {
      await next.stop();
      log.info(`stopped ${next.name}`);
    } catch (stopError) {
      log.error(`stopping ${next.name} failed: ${errorMessage(stopError)}`);
    }
  }
  // A server still starting when the signal came is not in `running` yet.
  await stopAllServers();
  process.exit(code);
}

const announce = (file: string) => log.info(`generated ${path.relative(process.cwd(), file)}`);

function hintOnPortInUse(hint: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof PortInUseError) throw new PortInUseError(`${error.message}: ${hint}`);
    throw error;
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : inspect(error);
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/** Shows a server's warnings and errors under its own prefix; its routine output stays out of the way. */
function childLog(prefix: string, select: (line: string) => string | undefined): LogSink {
  return (line) => {
    // Servers being stopped complain about closed connections; that is expected.
    if (stopping) return;
    const shown = select(line);
    if (shown === undefined) return;
    if (/\blevel=(ERROR|DPANIC|PANIC|FATAL)\b|^panic:/.test(line)) log.error(`[${prefix}] ${shown}`);
    else log.warn(`[${prefix}] ${shown}`);
  };
}

const SEVERE = /\blevel=(WARN|ERROR|DPANIC|PANIC|FATAL)\b|^(panic|fatal error):/;

function temporalLine(line: string): string | undefined {
  return SEVERE.test(line) ? line.replace(/^time=\S+\s+/, '') : undefined;
}

/**
 * FerretDB logs every failed command as a wire dump at WARN, and every client disconnect. The useful part is
 * the error message: it is how an unsupported query shows up (DESIGN.md §8).
 */
function ferretDbLine(line: string): string | undefined {
  if (!SEVERE.test(line)) return undefined;
  // endSessions is unsupported and harmless; NamespaceExists is how mongoose learns a collection is already there.
  if (
    /msg="(Request|Response) header|msg="Connection stopped"|no such command: 'endSessions'|NamespaceExists/.test(line)
  ) {
    return undefined;
  }
  const failed = /\\"errmsg\\": \\"(.*?)\\",/.exec(line);
  if (failed?.[1]) return `command failed: ${failed[1].replace(/\\\\/g, '\\')}`;
  return line.replace(/^time=\S+\s+/, '');
}

main().catch((error: unknown) => {
  if (stopping) {
    // A signal arrived mid-start; shutdown() is already stopping what started and will exit.
    return;
  }
  void shutdown(1, new Error(`could not start: ${errorMessage(error)}`));
});
