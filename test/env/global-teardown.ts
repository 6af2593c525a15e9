/** Stops the servers global-setup started and removes their temporary data. */
import { rm } from 'node:fs/promises';

declare global {
  var xinfangTestTeardown: Promise<void> | undefined;
}

/** Idempotent: jest, a failed setup and a signal may each ask, and all wait for the same cleanup. */
export default function globalTeardown(): Promise<void> {
  globalThis.xinfangTestTeardown ??= stopServers();
  return globalThis.xinfangTestTeardown;
}

async function stopServers(): Promise<void> {
  const servers = globalThis.xinfangTestServers;
  if (!servers) return;
  await Promise.allSettled(servers.stops.map((stop) => stop()));
  await Promise.all(servers.logs.map((stream) => new Promise((resolve) => stream.end(resolve))));
  if (servers.tempDir) await rm(servers.tempDir, { recursive: true, force: true });
}
