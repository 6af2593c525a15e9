/**
 * `node dist/worker/healthcheck.js`: exits 0 once a worker of this host polls the task queue (the SDK's
 * identity is <pid>@<hostname>), 1 otherwise — docker-compose.yml's health check of the worker container.
 */
import { hostname } from 'node:os';
import { Connection } from '@temporalio/client';
import { loadEnv } from '../config/env';
import { temporalConnectionOptions } from '../config/temporal-connection';
import { workflowPollers } from './pollers';

async function polling(): Promise<boolean> {
  const env = loadEnv();
  const connection = await Connection.connect({ ...temporalConnectionOptions(env), connectTimeout: 5_000 });
  try {
    const pollers = await workflowPollers(connection, env.TEMPORAL_NAMESPACE, env.TEMPORAL_TASK_QUEUE);
    return pollers.some((identity) => identity.endsWith(`@${hostname()}`));
  } finally {
    await connection.close();
  }
}

polling().then(
  (ok) => process.exit(ok ? 0 : 1),
  () => process.exit(1),
);
