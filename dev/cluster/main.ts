/**
 * `npm run cluster`: the production topology on one machine (DESIGN.md §7) — PostgreSQL 15, the Temporal server as
 * frontend, history, matching and worker processes, the Temporal UI, FerretDB, two case workers and two API
 * replicas, with mutual TLS between Xinfang and the frontend. State is kept in .data/cluster/ between runs.
 * The first run builds the servers (`tools/provision.sh --cluster`, a few minutes).
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { loadEnv } from '../../config/env';
import { seedDemo } from '../../worker/seed';
import { printBanner, type DemoKey } from '../banner';
import { resolveClusterToolPaths, stopAllServers } from '../../harness/servers';
import { persisted, portSetting } from '../settings';
import { Cluster } from './cluster';

const DATA_DIR = path.resolve(__dirname, '..', '..', '.data', 'cluster');
const started = Date.now();
const say = (line: string) =>
  console.log(`[cluster ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}`);

let cluster: Cluster | undefined;
let stopping = false;
/** Server errors during start-up are the ring forming; a failure to start says so with the server's output. */
let up = false;

async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(1);
      say(`${signal}: stopping (press Ctrl-C again to exit at once)`);
      void shutdown(0);
    });
  }
  process.on('exit', () => cluster?.killApplicationNow());

  const tools = await resolveClusterToolPaths();
  await mkdir(DATA_DIR, { recursive: true });
  const secret = process.env.XINFANG_SECRET || (await persisted(path.join(DATA_DIR, 'secret'), hex(32)));
  const adminKey =
    process.env.XINFANG_ADMIN_KEY ||
    (await persisted(path.join(DATA_DIR, 'admin-key'), () => randomBytes(32).toString('base64url')));
  const appEnv = { XINFANG_SECRET: secret, XINFANG_ADMIN_KEY: adminKey, LOG_LEVEL: process.env.LOG_LEVEL || 'info' };
  const apiPort = portSetting('PORT', 3000);
  cluster = new Cluster({
    tools,
    dataDir: DATA_DIR,
    ports: {
      frontend: portSetting('TEMPORAL_PORT', 7233),
      ui: portSetting('TEMPORAL_UI_PORT', 8233),
      ferretdb: portSetting('FERRETDB_PORT', 27017),
      postgres: portSetting('POSTGRES_PORT', 5432),
      apis: [apiPort, portSetting('PORT_2', apiPort + 1)],
    },
    namespace: process.env.TEMPORAL_NAMESPACE || 'default',
    taskQueue: process.env.TEMPORAL_TASK_QUEUE || 'xinfang-cases',
    appEnv,
    say,
    serverLog: (name) => (line) => {
      if (
        up &&
        !stopping &&
        /\blevel=(ERROR|DPANIC|PANIC|FATAL)\b|"level":"(error|dpanic|panic|fatal)"|^panic:|FATAL:/.test(line)
      ) {
        say(`[${name}] ${line.slice(0, 400)}`);
      }
    },
  });
  await cluster.startServers();
  if (stopping) return;

  const env = loadEnv(cluster.processEnv('admin'));
  let demoKeys: DemoKey[] = [];
  if (process.env.XINFANG_DEMO !== '0') {
    say('loading the demo directory and demo API keys (XINFANG_DEMO=0 skips this)');
    demoKeys = (await seedDemo(env)).keys;
  }
  say('starting two case workers and two API replicas…');
  cluster.startApplication();
  await cluster.waitForApis();
  say(`everything is up (${((Date.now() - started) / 1000).toFixed(1)} s since start)`);
  up = true;

  const admin = cluster.tls.cert('admin');
  const rel = (file: string) => path.relative(process.cwd(), file);
  printBanner({
    env,
    apiUrls: cluster.apiUrls,
    temporalUiUrl: `${cluster.ui.url}  (write actions off: operators inspect, the API acts)`,
    extraRows: [
      ['Processes', 'Temporal frontend, history, matching, worker; 2 case workers; 2 API replicas; PostgreSQL 15'],
      ['Mutual TLS', `CA and certificates in ${rel(cluster.tls.dir)}/ (server name ${cluster.tls.serverName})`],
      [
        'Temporal CLI',
        `temporal workflow list --address ${cluster.frontendAddress} --tls-cert-path ${rel(admin.cert)} ` +
          `--tls-key-path ${rel(admin.key)} --tls-ca-path ${rel(cluster.tls.ca)} ` +
          `--tls-server-name ${cluster.tls.serverName} --query "CaseStage = 'registered'"`,
      ],
      ['Logs', `${rel(path.join(DATA_DIR, 'logs'))}/ (workers and APIs)`],
    ],
    adminKey,
    demoKeys,
    footer: 'State is kept in .data/cluster/ (delete it to start afresh). Ctrl-C stops everything.',
  });
}

async function shutdown(code: number, error?: unknown): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (error !== undefined) console.error(error instanceof Error ? error.message : error);
  try {
    await cluster?.stop();
  } finally {
    await stopAllServers();
    process.exit(code);
  }
}

function hex(bytes: number): () => string {
  return () => randomBytes(bytes).toString('hex');
}

main().catch((error: unknown) => {
  if (!stopping)
    void shutdown(1, new Error(`could not start: ${error instanceof Error ? error.message : String(error)}`));
});
