/**
 * The API as a process of its own for the bench, as it is deployed (README "Scaling"): its event loop does not wait
 * behind the workers' activities. One app per case task queue; prints `{"urls": {...}}` on one line once listening,
 * and exits on SIGTERM or when its parent's stdin closes.
 *
 *   BENCH_TEMPORAL_ADDRESS, BENCH_NAMESPACE, BENCH_MONGO_URL, BENCH_SECRET, BENCH_TASK_QUEUES (comma-separated), and
 *   on the cluster TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY, TEMPORAL_TLS_CA, TEMPORAL_TLS_SERVER_NAME as the API reads them
 */
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import pino from 'pino';
import { createApp } from '../api/app';
import { loadEnv } from '../config/env';
import { temporalConnectionOptions } from '../config/temporal-connection';
import { createStore } from '../store/models';
import { Sealer } from '../store/sealed';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const address = env('BENCH_TEMPORAL_ADDRESS');
  const connection = await Connection.connect(
    process.env.TEMPORAL_TLS_CERT
      ? temporalConnectionOptions(
          loadEnv({ ...process.env, TEMPORAL_ADDRESS: address, XINFANG_SECRET: env('BENCH_SECRET') }),
        )
      : { address },
  );
  const client = new Client({ connection, namespace: env('BENCH_NAMESPACE') });
  const mongo = await mongoose.createConnection(env('BENCH_MONGO_URL')).asPromise();
  const deps = {
    client,
    store: createStore(mongo),
    sealer: new Sealer(env('BENCH_SECRET')),
    logger: pino({ level: 'silent' }),
    rateLimit: { perSecond: 1_000_000, burst: 1_000_000 },
  };
  const urls: Record<string, string> = {};
  const servers = await Promise.all(
    env('BENCH_TASK_QUEUES')
      .split(',')
      .map(async (taskQueue) => {
        const server = createApp({ ...deps, taskQueue }).listen(0, '127.0.0.1');
        await new Promise<void>((resolve) => server.once('listening', () => resolve()));
        urls[taskQueue] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        return server;
      }),
  );
  const stop = () => {
    for (const server of servers) server.closeAllConnections();
    void Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
      .then(() => Promise.all([connection.close(), mongo.close()]))
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  console.log(JSON.stringify({ urls }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
