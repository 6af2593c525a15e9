import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

// Checks docker-compose.yml without a Docker engine: `config` only parses, interpolates and validates the file.

const root = path.resolve(__dirname, '..');
const composeFile = path.join(root, 'docker-compose.yml');

interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, unknown> | string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: string[] | Record<string, { condition?: string }>;
}

// `<<` merge keys are YAML 1.1; docker compose resolves them, and so must this parse.
const services: Record<string, Service> = parse(readFileSync(composeFile, 'utf8'), { merge: true }).services;

const searchAttributes = {
  CaseStage: 'Keyword',
  CaseUnit: 'KeywordList',
  CaseKind: 'Keyword',
  CaseRegion: 'Keyword',
  CaseEscalationLevel: 'Int',
  CaseNextDeadline: 'Datetime',
  CaseOverdue: 'Bool',
};

/** The first compose CLI that answers `version`: Compose v2 as a docker plugin, or the standalone v1. */
function findCompose(): [string, ...string[]] | undefined {
  const candidates: [string, ...string[]][] = [['docker', 'compose'], ['docker-compose']];
  return candidates.find(([bin, ...args]) => {
    const probe = spawnSync(bin, [...args, 'version'], { encoding: 'utf8', timeout: 20_000 });
    return probe.status === 0;
  });
}

const compose = findCompose();

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

/** One-shot services are the ones others wait on to finish; every other service runs for good. */
const oneShot = new Set(
  Object.values(services).flatMap((s) =>
    Object.entries(dependsOn(s))
      .filter(([, condition]) => condition === 'service_completed_successfully')
      .map(([name]) => name),
  ),
);
const longRunning = Object.keys(services).filter((name) => !oneShot.has(name));

describe('docker-compose.yml', () => {
  (compose ? it : it.skip)(`passes \`${(compose ?? ['docker compose']).join(' ')} config\``, () => {
    const [bin, ...args] = compose!;
    const result = spawnSync(bin, [...args, '-f', composeFile, 'config', '-q'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('has the Temporal, MongoDB and application services', () => {
    for (const name of ['postgresql', 'temporal', 'temporal-setup', 'temporal-ui', 'mongo', 'worker', 'api']) {
      expect(services).toHaveProperty([name]);
    }
  });

  it('builds worker and api from the same image with different commands', () => {
    const { worker, api } = services as { worker: Service; api: Service };
    expect(worker.build).toBeDefined();
    expect(api.build).toEqual(worker.build);
    expect(api.image).toEqual(worker.image);
    expect(script(worker)).toContain('start:worker');
    expect(script(api)).toContain('start:api');
  });

  it('registers every case search attribute with its type in the setup service', () => {
    const setup = script(services['temporal-setup']!);
    for (const [name, type] of Object.entries(searchAttributes)) {
      expect(setup).toMatch(new RegExp(`--name\\s+${name}\\s+--type\\s+${type}(\\s|$)`));
    }
    expect(dependsOn(services['temporal-setup']!)).toMatchObject({ temporal: 'service_healthy' });
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
    expect(dependsOn(services.api!)).toMatchObject({
      mongo: 'service_healthy',
      'temporal-setup': 'service_completed_successfully',
    });
    expect(dependsOn(services.worker!)).toMatchObject({
      mongo: 'service_healthy',
      'temporal-setup': 'service_completed_successfully',
    });
  });

  it('points api and worker at the compose Temporal and MongoDB', () => {
    for (const name of ['api', 'worker']) {
      const env = environment(services[name]!);
      expect(env).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_NAMESPACE: 'default' });
      expect(env.MONGO_URL).toMatch(/^mongodb:\/\/mongo:27017\//);
      expect(env).toHaveProperty('XINFANG_ADMIN_KEY');
      expect(env).toHaveProperty('XINFANG_SECRET');
    }
    // The API must listen beyond the container's loopback to be reachable through its published port.
    expect(environment(services.api!)).toMatchObject({ HOST: '0.0.0.0', PORT: '3000' });
  });
});
