/**
 * Starts the servers the suites share, once per `jest` run: a Temporal dev server (in memory) and FerretDB in a
 * temporary folder. TEMPORAL_ADDRESS / MONGO_URL point the suites at existing servers instead.
 * Suites find them through the XINFANG_TEST_* variables; harness/shared-servers.ts wraps those.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resolveToolPaths, startFerretDb, startTemporalDevServer, stopAllServers } from '../../harness/servers';
import { withDatabase } from '../../harness/shared-servers';
import globalTeardown from './global-teardown';

/** Handles kept between globalSetup and globalTeardown, which jest runs in the same process. */
export interface TestServers {
  stops: (() => Promise<void>)[];
  tempDir?: string;
  logs: WriteStream[];
}

declare global {
  var xinfangTestServers: TestServers | undefined;
}

const OUTPUT_DIR = path.resolve(__dirname, '..', 'output');

export default async function globalSetup(): Promise<void> {
  const servers: TestServers = { stops: [], logs: [] };
  globalThis.xinfangTestServers = servers;
  stopOnSignals();

  const tools = await resolveToolPaths();
  process.env.XINFANG_TEMPORAL_BIN = tools.temporal;
  process.env.XINFANG_TEST_SERVER_BIN = tools.testServer;
  await mkdir(OUTPUT_DIR, { recursive: true });

  const [temporal, mongoUrl] = await Promise.allSettled([
    startTemporal(servers, tools.temporal),
    startMongo(servers, tools.ferretdb),
  ]);
  if (temporal.status === 'rejected' || mongoUrl.status === 'rejected') {
    // Jest skips globalTeardown when setup fails, so stop whichever server did start.
    await globalTeardown();
    throw temporal.status === 'rejected' ? temporal.reason : (mongoUrl as PromiseRejectedResult).reason;
  }
  process.env.XINFANG_TEST_TEMPORAL_ADDRESS = temporal.value.address;
  process.env.XINFANG_TEST_TEMPORAL_NAMESPACE = temporal.value.namespace;
  if (temporal.value.uiUrl) process.env.XINFANG_TEST_TEMPORAL_UI = temporal.value.uiUrl;
  process.env.XINFANG_TEST_MONGO_URL = mongoUrl.value;
}

async function startTemporal(
  servers: TestServers,
  bin: string,
): Promise<{ address: string; namespace: string; uiUrl?: string }> {
  if (process.env.TEMPORAL_ADDRESS) {
    return {
      address: process.env.TEMPORAL_ADDRESS,
      namespace: process.env.TEMPORAL_NAMESPACE || 'default',
      uiUrl: process.env.TEMPORAL_UI_URL,
    };
  }
  const server = await startTemporalDevServer({ bin, log: logFile(servers, 'temporal.log') });
  servers.stops.push(server.stop);
  return server;
}

async function startMongo(servers: TestServers, bin: string): Promise<string> {
  // Without its database: each suite adds its own.
  if (process.env.MONGO_URL) return withDatabase(process.env.MONGO_URL, '');
  await removeAbandonedDataDirs();
  servers.tempDir = await mkdtemp(path.join(os.tmpdir(), `xinfang-test-${process.pid}-`));
  const dataDir = path.join(servers.tempDir, 'ferretdb');
  const server = await startFerretDb({ bin, dataDir, log: logFile(servers, 'ferretdb.log') });
  servers.stops.push(server.stop);
  return server.url;
}

/** Server output goes to test/output/ for when a suite needs explaining; the console stays for jest's report. */
function logFile(servers: TestServers, name: string): (line: string) => void {
  const stream = createWriteStream(path.join(OUTPUT_DIR, name));
  servers.logs.push(stream);
  return (line) => stream.write(`${line}\n`);
}

/**
 * A killed jest runs no globalTeardown, and Node skips 'exit' handlers on a fatal signal: stop the servers,
 * then let the signal take its default course.
 */
function stopOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      void stopAllServers()
        .then(globalTeardown)
        .finally(() => process.kill(process.pid, signal));
    });
  }
}

/** Data folders of earlier runs that were killed outright (SIGKILL leaves no chance to clean up). */
async function removeAbandonedDataDirs(): Promise<void> {
  const tmp = os.tmpdir();
  for (const entry of await readdir(tmp)) {
    const pid = Number(/^xinfang-test-(\d+)-/.exec(entry)?.[1]);
    if (pid && pid !== process.pid && !isAlive(pid)) await rm(path.join(tmp, entry), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
