/** Stops the servers global-setup started and removes their temporary data. */
import { rm } from 'node:fs/promises';

export default async function globalTeardown(): Promise<void> {
  const servers = globalThis.xinfangTestServers;
  if (!servers) return;
  globalThis.xinfangTestServers = undefined;
  await Promise.allSettled(servers.stops.map((stop) => stop()));
  await Promise.all(servers.logs.map((stream) => new Promise((resolve) => stream.end(resolve))));
  if (servers.tempDir) await rm(servers.tempDir, { recursive: true, force: true });
}
