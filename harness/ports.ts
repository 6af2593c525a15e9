/** Ports on this machine: one that is free, one that must be, and one that answers. */
import net from 'node:net';

export const HOST = '127.0.0.1';

/** A port the OS considers free right now; `avoid` keeps two servers started together from picking the same one. */
export async function freePort(avoid: number[] = []): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, HOST, () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    if (!avoid.includes(port)) return port;
  }
}

export class PortInUseError extends Error {}

/** Fails early and clearly when a port is taken, instead of mistaking another process for the new server. */
export async function assertPortFree(port: number, purpose: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(`port ${port} (${purpose}) is already in use on ${HOST}`)
          : error,
      );
    });
    server.listen(port, HOST, () => server.close(() => resolve()));
  });
}

export function tcpReachable(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: HOST, port });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error(`no answer on ${HOST}:${port}`));
    });
    socket.once('error', (error) => reject(error));
  });
}
