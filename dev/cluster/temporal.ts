/**
 * The Temporal server of the cluster profile as four processes — frontend, history, matching and worker services —
 * each `temporal-server start --service X` on the one config template deploy/temporal/server.yaml, which the server
 * renders from the environment given here. Also the schema step and the Temporal UI server.
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { stringify } from 'yaml';
import { assertPortFree, freePort, tcpReachable } from '../../harness/ports';
import { launch, type LaunchedServer, type LogSink } from '../../harness/servers';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const DEPLOY_TEMPORAL = path.join(REPO_ROOT, 'deploy', 'temporal');
const HOST = '127.0.0.1';

/** Start order: the worker service last, since it fails on a racing cluster-metadata write otherwise (DESIGN §8). */
export const TEMPORAL_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];

export interface ServicePorts {
  grpc: number;
  membership: number;
  metrics: number;
  pprof: number;
}

export interface TemporalPorts {
  services: Record<TemporalService, ServicePorts>;
  frontendHttp: number;
}

/** Mutual TLS material (deploy/tls/dev-certs.sh): file paths. */
export interface TlsFiles {
  dir: string;
  ca: string;
  /** The name clients verify the frontend's certificate by. */
  serverName: string;
  cert: (name: 'frontend' | 'worker' | 'api' | 'ui' | 'admin' | 'system-worker') => { cert: string; key: string };
}

export interface TemporalClusterConfig {
  serverDir: string;
  ports: TemporalPorts;
  database: { port: number; user: string; password: string };
  tls: TlsFiles;
  log?: (service: string) => LogSink | undefined;
}

/**
 * Ports for every service, the frontend's gRPC port as given, every other one free right now and none of `avoid`
 * (the ports the cluster's other servers are about to listen on).
 */
export async function allocateTemporalPorts(frontendPort: number, avoid: number[] = []): Promise<TemporalPorts> {
  const taken = [frontendPort, ...avoid];
  const next = async () => {
    const port = await freePort(taken);
    taken.push(port);
    return port;
  };
  // The SQL schema keeps membership ports in a smallint column: above 32767 the service cannot join and exits.
  // The OS hands out free ports from 32768 up, so these are picked from a lower range instead.
  const nextMembership = async () => {
    for (;;) {
      const port = 10_000 + randomInt(22_000);
      if (taken.includes(port)) continue;
      try {
        await assertPortFree(port, 'Temporal membership');
      } catch {
        continue;
      }
      taken.push(port);
      return port;
    }
  };
  const services = {} as Record<TemporalService, ServicePorts>;
  for (const service of TEMPORAL_SERVICES) {
    const grpc = service === 'frontend' ? frontendPort : await next();
    services[service] = { grpc, membership: await nextMembership(), metrics: await next(), pprof: await next() };
  }
  return { services, frontendHttp: await next() };
}

export function tlsFiles(dir: string): TlsFiles {
  return {
    dir,
    ca: path.join(dir, 'ca.pem'),
    serverName: 'temporal-frontend',
    cert: (name) => ({ cert: path.join(dir, `${name}.pem`), key: path.join(dir, `${name}.key`) }),
  };
}

/** Makes the development CA and certificates unless they exist (deploy/tls/dev-certs.sh). */
export async function ensureDevCertificates(dir: string): Promise<void> {
  await run('sh', [path.join(REPO_ROOT, 'deploy', 'tls', 'dev-certs.sh'), dir], process.env);
}

/** Creates or upgrades the two databases (deploy/temporal/schema.sh, idempotent). */
export async function applySchema(config: TemporalClusterConfig): Promise<void> {
  await run('sh', [path.join(DEPLOY_TEMPORAL, 'schema.sh')], {
    ...process.env,
    PATH: `${path.join(config.serverDir, 'bin')}:${process.env.PATH ?? ''}`,
    SCHEMA_DIR: path.join(config.serverDir, 'schema', 'postgresql', 'v12'),
    SQL_HOST: HOST,
    SQL_PORT: String(config.database.port),
    SQL_USER: config.database.user,
    SQL_PASSWORD: config.database.password,
  });
}

/** The environment deploy/temporal/server.yaml is rendered from, for one service's process. */
export function serviceEnvironment(config: TemporalClusterConfig, service: TemporalService): NodeJS.ProcessEnv {
  const { services, frontendHttp } = config.ports;
  const own = services[service];
  const systemWorker = config.tls.cert('system-worker');
  const frontend = config.tls.cert('frontend');
  return {
    PATH: process.env.PATH,
    XF_LOG_LEVEL: 'warn',
    XF_DB_HOST: HOST,
    XF_DB_PORT: String(config.database.port),
    XF_DB_USER: config.database.user,
    XF_DB_PASSWORD: config.database.password,
    XF_BIND_ON_IP: HOST,
    XF_BROADCAST_ADDRESS: HOST,
    XF_FRONTEND_PORT: String(services.frontend.grpc),
    XF_FRONTEND_HTTP_PORT: String(frontendHttp),
    XF_FRONTEND_MEMBERSHIP_PORT: String(services.frontend.membership),
    XF_HISTORY_PORT: String(services.history.grpc),
    XF_HISTORY_MEMBERSHIP_PORT: String(services.history.membership),
    XF_MATCHING_PORT: String(services.matching.grpc),
    XF_MATCHING_MEMBERSHIP_PORT: String(services.matching.membership),
    XF_WORKER_PORT: String(services.worker.grpc),
    XF_WORKER_MEMBERSHIP_PORT: String(services.worker.membership),
    XF_METRICS_PORT: String(own.metrics),
    XF_PPROF_PORT: String(own.pprof),
    XF_DYNAMIC_CONFIG: path.join(DEPLOY_TEMPORAL, 'dynamicconfig.yaml'),
    XF_TLS_CA: config.tls.ca,
    XF_TLS_SERVER_NAME: config.tls.serverName,
    XF_TLS_FRONTEND_CERT: frontend.cert,
    XF_TLS_FRONTEND_KEY: frontend.key,
    XF_TLS_SYSTEM_WORKER_CERT: systemWorker.cert,
    XF_TLS_SYSTEM_WORKER_KEY: systemWorker.key,
  };
}

/** A client connection to the frontend with the given client certificate. */
export function connectFrontend(
  config: TemporalClusterConfig,
  certificate: 'admin' | 'worker' | 'api' = 'admin',
): Promise<Connection> {
  const { cert, key } = config.tls.cert(certificate);
  return Connection.connect({
    address: `${HOST}:${config.ports.services.frontend.grpc}`,
    connectTimeout: 2_000,
    tls: {
      clientCertPair: { crt: readFileSync(cert), key: readFileSync(key) },
      serverRootCACertificate: readFileSync(config.tls.ca),
      serverNameOverride: config.tls.serverName,
    },
  });
}

/** Starts one service's process; ready when it accepts connections (the frontend: when it answers a request). */
export async function startTemporalService(
  config: TemporalClusterConfig,
  service: TemporalService,
): Promise<LaunchedServer> {
  const bin = path.join(config.serverDir, 'bin', 'temporal-server');
  // The config folder holds server.yaml; `--env server` picks it. `--allow-no-auth`: authorization is mutual TLS.
  const args = ['--root', DEPLOY_TEMPORAL, '--config', '.', '--env', 'server', '--allow-no-auth', 'start'];
  args.push('--service', service);
  // The worker service serves no gRPC API: it is up once it listens for its peers.
  const { grpc, membership } = config.ports.services[service];
  const port = service === 'worker' ? membership : grpc;
  return launch(
    `Temporal ${service} service`,
    bin,
    args,
    config.log?.(service),
    async () => {
      await tcpReachable(port);
      if (service !== 'frontend') return;
      const connection = await connectFrontend(config);
      try {
        await connection.workflowService.getSystemInfo({});
      } finally {
        await connection.close();
      }
    },
    { env: serviceEnvironment(config, service), readyTimeoutMs: 120_000 },
  );
}

/**
 * The Temporal UI server (github.com/temporalio/ui-server, the UI the CLI's dev server embeds) against the
 * frontend, over mutual TLS with its own certificate, with write actions off: operators inspect, the API acts.
 */
export async function startTemporalUi(
  config: TemporalClusterConfig,
  opts: { bin: string; port: number; dir: string; namespace: string; log?: LogSink },
): Promise<LaunchedServer & { url: string }> {
  await mkdir(opts.dir, { recursive: true });
  const url = `http://${HOST}:${opts.port}`;
  const { cert, key } = config.tls.cert('ui');
  const uiConfig = {
    temporalGrpcAddress: `${HOST}:${config.ports.services.frontend.grpc}`,
    host: HOST,
    port: opts.port,
    enableUi: true,
    defaultNamespace: opts.namespace,
    notifyOnNewVersion: false,
    disableWriteActions: true,
    cors: { cookieInsecure: true, allowOrigins: [url] },
    tls: {
      caFile: config.tls.ca,
      certFile: cert,
      keyFile: key,
      serverName: config.tls.serverName,
      enableHostVerification: true,
    },
  };
  await writeFile(
    path.join(opts.dir, 'cluster.yaml'),
    `# Written by dev/cluster at each start; edit dev/cluster/temporal.ts instead.\n${stringify(uiConfig)}`,
  );
  const server = await launch(
    'Temporal UI server',
    opts.bin,
    ['--root', opts.dir, '--config', '.', '--env', 'cluster', 'start'],
    opts.log,
    async () => {
      const res = await fetch(`${url}/api/v1/settings`, { signal: AbortSignal.timeout(2_000) });
      if (!res.ok) throw new Error(`GET /api/v1/settings answered ${res.status}`);
    },
  );
  return { ...server, url };
}

function run(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(args[0] ?? bin)} failed (exit code ${code}):\n${output.trim()}`));
    });
  });
}
