/**
 * `node dist/worker/setup-main.js`: prepares the Temporal namespace and search attributes, then exits
 * (docker-compose.yml's one-shot `temporal-setup`). TEMPORAL_RETENTION_DAYS sets a new namespace's retention.
 */
import { Connection } from '@temporalio/client';
import { loadEnv } from '../config/env';
import { temporalConnectionOptions } from '../config/temporal-connection';
import { ensureNamespace, registerSearchAttributes } from './temporal-setup';

async function main(): Promise<void> {
  const env = loadEnv();
  const retentionDays = Number(process.env.TEMPORAL_RETENTION_DAYS || 30);
  const connection = await Connection.connect({ ...temporalConnectionOptions(env), connectTimeout: 10_000 });
  try {
    await ensureNamespace(connection, env.TEMPORAL_NAMESPACE, retentionDays);
    const added = await registerSearchAttributes(connection, env.TEMPORAL_NAMESPACE);
    console.log(
      added.length
        ? `namespace ${env.TEMPORAL_NAMESPACE}: registered ${added.join(', ')}`
        : `namespace ${env.TEMPORAL_NAMESPACE}: every search attribute was already registered`,
    );
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
