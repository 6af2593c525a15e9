/**
 * The cluster profile (DESIGN.md §7): PostgreSQL 15, the Temporal server as four processes on it with SQL
 * visibility, its UI, FerretDB, two case workers and two API replicas — each a process of its own, so that the fault
 * suite can kill any one of them. `npm run cluster` (dev/cluster/main.ts), `npm run test:faults -- --cluster` and
 * `npm run bench -- --temporal=cluster` all start it from here.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Child } from '../children';
import { persisted } from '../settings';
import { assertPortFree, freePort } from '../../harness/ports';
import {
  startFerretDb,
  type ClusterToolPaths,
  type FerretDbServer,
  type LaunchedServer,
  type LogSink,
} from '../../harness/servers';
import { ensureNamespace, registerSearchAttributes } from '../../worker/temporal-setup';
import { initPostgres, postgresDataDir, startPostgres, type PostgresServer } from './postgres';
import {
  allocateTemporalPorts,
  applySchema,
  connectFrontend,
  ensureDevCertificates,
  startTemporalService,
  startTemporalUi,
  tlsFiles,
  TEMPORAL_SERVICES,
  type TemporalClusterConfig,
  type TemporalPorts,
  type TemporalService,
} from './temporal';

const HOST = '127.0.0.1';

export interface ClusterOptions {
  tools: ClusterToolPaths;
  /** Holds postgres/, ferretdb/, tls/, ui/, logs/ and the generated database password. */
  dataDir: string;
  ports: { frontend: number; ui: number; ferretdb: number; postgres: number; apis: [number, number] };
  namespace: string;
  taskQueue: string;
  /** Settings every worker and API process gets (XINFANG_SECRET, XINFANG_ADMIN_KEY, LOG_LEVEL…). */
  appEnv: Record<string, string>;
  /** Progress lines ("PostgreSQL ready in 1.2 s"). */
  say: (line: string) => void;
  /** Where each server's output goes (the processes' own log files hold the workers' and APIs'). */
  serverLog?: (name: string) => LogSink | undefined;
}

/**
 * A cluster for one run: a new folder under the system's temporary one (`prefix` names it), open for PostgreSQL,
 * which runs as its own user and must reach its data folder inside it, and a distinct free port for each server.
 */
export async function scratchCluster(prefix: string): Promise<Pick<ClusterOptions, 'dataDir' | 'ports'>> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), prefix));
  await chmod(dataDir, 0o755);
  // Each distinct: a port the OS calls free stays free until something listens on it.
  const taken: number[] = [];
  const next = async () => {
    const port = await freePort(taken);
    taken.push(port);
    return port;
  };
  return {
    dataDir,
    ports: {
      frontend: await next(),
      ui: await next(),
      ferretdb: await next(),
      postgres: await next(),
      apis: [await next(), await next()],
    },
  };
}

export class Cluster {
  postgres!: PostgresServer;
  readonly temporal = {} as Record<TemporalService, LaunchedServer>;
  ui!: LaunchedServer & { url: string };
  ferretdb!: FerretDbServer;
  readonly workers: Child[] = [];
  readonly apis: Child[] = [];
  readonly apiUrls: string[];
  temporalConfig!: TemporalClusterConfig;
  private databasePassword = '';
  private postgresDir: string;

  constructor(readonly options: ClusterOptions) {
    this.apiUrls = options.ports.apis.map((port) => `http://${HOST}:${port}`);
    this.postgresDir = path.join(options.dataDir, 'postgres');
  }

  get frontendAddress(): string {
    return `${HOST}:${this.options.ports.frontend}`;
  }

  get mongoUrl(): string {
    return `${this.ferretdb.url}xinfang`;
  }

  get tls() {
    return this.temporalConfig.tls;
  }

  /** The servers, in dependency order; the worker and API processes are separate (`startApplication`). */
  async startServers(): Promise<void> {
    const { options } = this;
    await mkdir(path.join(options.dataDir, 'logs'), { recursive: true });
    this.databasePassword = await persisted(path.join(options.dataDir, 'postgres-password'), () =>
      randomBytes(18).toString('base64url'),
    );
    this.temporalConfig = {
      serverDir: options.tools.temporalServerDir,
      ports: await this.temporalPorts(),
      database: { port: options.ports.postgres, user: 'temporal', password: this.databasePassword },
      tls: tlsFiles(path.join(options.dataDir, 'tls')),
      log: (service) => options.serverLog?.(`temporal-${service}`),
    };

    await this.step('development certificates', () => ensureDevCertificates(this.temporalConfig.tls.dir));
    const ferretdb = this.step('FerretDB', async () => {
      this.ferretdb = await startFerretDb({
        bin: options.tools.ferretdb,
        port: options.ports.ferretdb,
        dataDir: path.join(options.dataDir, 'ferretdb'),
        log: options.serverLog?.('ferretdb'),
      });
    });
    await this.step('PostgreSQL', async () => {
      const preferred = this.postgresDir;
      this.postgresDir = await postgresDataDir(preferred);
      if (this.postgresDir !== preferred) {
        options.say(
          `  the postgres user cannot reach ${preferred} (a parent folder is private): data in ${this.postgresDir}`,
        );
      }
      if (await initPostgres(this.postgresOptions())) options.say(`  initdb made ${this.postgresDir}`);
      await this.startPostgres();
    });
    await this.step('Temporal schema (temporal-sql-tool)', () => applySchema(this.temporalConfig));
    // One at a time, the worker service last: each process writes the cluster metadata as it starts, and two
    // starting together fail on the version check of that write (DESIGN.md §8).
    await this.step('Temporal history service', () => this.startService('history'));
    await this.step('Temporal matching service', () => this.startService('matching'));
    await this.step('Temporal frontend service', () => this.startService('frontend'));
    await this.step(`namespace ${options.namespace} and search attributes`, () => this.setupNamespace());
    await this.step('Temporal worker service', () => this.startService('worker'));
    await this.step('Temporal membership ring (frontend reaches history and matching)', () => this.waitForRing());
    await this.step('Temporal UI server', async () => {
      this.ui = await startTemporalUi(this.temporalConfig, {
        bin: options.tools.temporalUi,
        port: options.ports.ui,
        dir: path.join(options.dataDir, 'ui'),
        namespace: options.namespace,
        log: options.serverLog?.('temporal-ui'),
      });
    });
    await ferretdb;
  }

  /** Two case workers and two API replicas, as child processes restarted if they end on their own. */
  startApplication(): void {
    const { options } = this;
    for (const n of [1, 2]) {
      const worker = new Child({
        name: `worker-${n}`,
        script: 'worker/main.ts',
        env: this.processEnv('worker'),
        logFile: path.join(options.dataDir, 'logs', `worker-${n}.log`),
      });
      this.workers.push(worker);
      worker.start();
    }
    for (const [i, port] of options.ports.apis.entries()) {
      const api = new Child({
        name: `api-${i + 1}`,
        script: 'api/main.ts',
        env: { ...this.processEnv('api'), HOST, PORT: String(port) },
        logFile: path.join(options.dataDir, 'logs', `api-${i + 1}.log`),
      });
      this.apis.push(api);
      api.start();
    }
  }

  /** The environment of a worker or API process: the frontend over mutual TLS with that role's certificate. */
  processEnv(role: 'worker' | 'api' | 'admin'): Record<string, string> {
    const { cert, key } = this.tls.cert(role);
    return {
      ...this.options.appEnv,
      TEMPORAL_ADDRESS: this.frontendAddress,
      TEMPORAL_NAMESPACE: this.options.namespace,
      TEMPORAL_TASK_QUEUE: this.options.taskQueue,
      TEMPORAL_TLS_CERT: cert,
      TEMPORAL_TLS_KEY: key,
      TEMPORAL_TLS_CA: this.tls.ca,
      TEMPORAL_TLS_SERVER_NAME: this.tls.serverName,
      MONGO_URL: this.mongoUrl,
    };
  }

  async startService(service: TemporalService): Promise<void> {
    this.temporal[service] = await startTemporalService(this.temporalConfig, service);
  }

  async startPostgres(): Promise<void> {
    this.postgres = await startPostgres(this.postgresOptions());
  }

  /** Waits until every API replica answers /healthz. */
  async waitForApis(timeoutMs = 120_000): Promise<void> {
    await Promise.all(this.apiUrls.map((url) => waitForHealthy(url, timeoutMs)));
  }

  /** Stops everything this cluster started, the application first. */
  async stop(): Promise<void> {
    await Promise.all([...this.apis, ...this.workers].map((child) => child.stop()));
    await Promise.all([...this.apis, ...this.workers].map((child) => child.close()));
    await this.ui?.stop();
    for (const service of [...TEMPORAL_SERVICES].reverse()) await this.temporal[service]?.stop();
    await Promise.all([this.postgres?.stop(), this.ferretdb?.stop()]);
  }

  /** Synchronous, for process 'exit': no worker or API may outlive the cluster. */
  killApplicationNow(): void {
    for (const child of [...this.apis, ...this.workers]) child.killNow();
  }

  /**
   * Until the frontend has history and matching in its membership ring it answers "Not enough hosts to serve the
   * request". A history read of a workflow that does not exist reaches a history shard (NotFound once it does), and
   * describing the task queue reaches matching.
   */
  async waitForRing(timeoutMs = 120_000): Promise<void> {
    const connection = await connectFrontend(this.temporalConfig);
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        try {
          await connection.workflowService
            .getWorkflowExecutionHistory({
              namespace: this.options.namespace,
              execution: { workflowId: 'xinfang-ring-probe' },
            })
            .catch((error: { code?: number }) => {
              if (error.code !== 5) throw error;
            });
          await connection.workflowService.describeTaskQueue({
            namespace: this.options.namespace,
            taskQueue: { name: this.options.taskQueue },
          });
          return;
        } catch (error) {
          if (Date.now() > deadline)
            throw new Error(`the Temporal services did not form a ring: ${String(error)}`, { cause: error });
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
    } finally {
      await connection.close();
    }
  }

  /**
   * The ports of a previous run when they are still free: each service then rejoins under the address its old
   * membership row names, rather than the ring waiting for a dead peer's row to expire.
   */
  private async temporalPorts(): Promise<TemporalPorts> {
    const file = path.join(this.options.dataDir, 'temporal-ports.json');
    const { frontend, ui, ferretdb, postgres, apis } = this.options.ports;
    const others = [ui, ferretdb, postgres, ...apis];
    try {
      const saved = JSON.parse(await readFile(file, 'utf8')) as TemporalPorts;
      if (saved.services.frontend.grpc === frontend) {
        const all = [saved.frontendHttp, ...Object.values(saved.services).flatMap((p) => Object.values(p))];
        if (all.some((port) => port !== frontend && others.includes(port))) throw new Error('overlaps');
        await Promise.all(all.map((port) => assertPortFree(port, 'Temporal')));
        return saved;
      }
    } catch {
      // none saved, another frontend port, or one of them is taken now
    }
    const ports = await allocateTemporalPorts(frontend, others);
    await writeFile(file, `${JSON.stringify(ports, null, 2)}\n`);
    return ports;
  }

  private async setupNamespace(): Promise<void> {
    const connection = await connectFrontend(this.temporalConfig);
    try {
      await ensureNamespace(connection, this.options.namespace, 30);
      const added = await registerSearchAttributes(connection, this.options.namespace);
      if (added.length) this.options.say(`  registered ${added.join(', ')}`);
    } finally {
      await connection.close();
    }
  }

  private postgresOptions() {
    return {
      binDir: this.options.tools.postgresBinDir,
      dataDir: this.postgresDir,
      port: this.options.ports.postgres,
      password: this.databasePassword,
      log: this.options.serverLog?.('postgres'),
    };
  }

  private async step(name: string, run: () => Promise<void>): Promise<void> {
    const started = Date.now();
    this.options.say(`starting ${name}…`);
    await run();
    this.options.say(`${name} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

export async function waitForHealthy(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url}/healthz did not answer within ${timeoutMs / 1000} s`);
}
