/**
 * `node dist/worker/seed-main.js`: loads the demo directory (units, routing rules) and the demo API keys, then
 * prints the keys and exits (docker-compose.yml's one-shot `seed`, so the README tour works there). Idempotent.
 */
import { loadEnv } from '../config/env';
import { seedDemo } from './seed';

seedDemo(loadEnv()).then(
  ({ keys }) => {
    console.log('demo directory loaded; demo API keys:');
    for (const { role, unitCode, key } of keys)
      console.log(`  ${role.padEnd(11)} ${(unitCode ?? '-').padEnd(10)} ${key}`);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
