import { Client, Connection } from '@temporalio/client';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { WebhookAllowlist } from '../outbound/webhook-targets';
import type { Env } from '../config/env';
import { temporalConnectionOptions } from '../config/temporal-connection';
import { connectStore } from '../store/models';
import { Sealer } from '../store/sealed';
import { createApp } from './app';

/** Starts the API on env.PORT; `close` stops accepting, lets requests finish, and closes connections. */
export async function startApi(
  env: Env,
  options: { logger?: Logger } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const logger =
    options.logger ?? pino({ level: env.LOG_LEVEL, redact: ['petitioner', '*.petitioner', 'pin', '*.pin'] });
  const connection = await Connection.connect(temporalConnectionOptions(env));
  const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
  const store = connectStore(env.MONGO_URL);
  const app = createApp({
    client,
    store,
    sealer: new Sealer(env.XINFANG_SECRET),
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    logger,
    adminKey: env.XINFANG_ADMIN_KEY,
    webhookAllowlist: new WebhookAllowlist(env.XINFANG_WEBHOOK_ALLOW),
    trustProxy: env.XINFANG_TRUST_PROXY,
  });
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(env.PORT, env.HOST, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${port}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.connection.close();
      await connection.close();
    },
  };
}
