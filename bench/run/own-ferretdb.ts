/** A store bench's FerretDB: its own, in a temporary directory, taken down after the bench whatever happens. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { resolveToolPaths, startFerretDb, stopAllServers } from '../../harness/servers';

/** Runs `bench` against database `name` of a fresh FerretDB, with the server's process ID for its CPU time. */
export function runOnOwnFerretDb(
  name: string,
  bench: (connection: mongoose.Connection, ferretDbPid: number | undefined) => Promise<void>,
  options: mongoose.ConnectOptions = {},
): void {
  const run = async () => {
    const tools = await resolveToolPaths();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), `xinfang-${name}-`));
    const ferret = await startFerretDb({ bin: tools.ferretdb, dataDir });
    const connection = await mongoose.createConnection(`${ferret.url}${name}`, options).asPromise();
    try {
      await bench(connection, ferret.pid);
    } finally {
      await connection.close().catch(() => undefined);
      await stopAllServers();
      await rm(dataDir, { recursive: true, force: true });
    }
  };
  run().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
