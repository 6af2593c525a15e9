/**
 * What compose and the cluster profile rely on before a worker starts: the namespace and the search attributes
 * (worker/temporal-setup.ts), and mutual TLS to the frontend (deploy/tls/dev-certs.sh, TEMPORAL_TLS_*).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { loadEnv } from '../config/env';
import { temporalConnectionOptions } from '../config/temporal-connection';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes';
import { ensureNamespace, registerSearchAttributes } from '../worker/temporal-setup';
import { devServerConnection, testSecret, uniqueName } from '../harness/shared-servers';

describe('namespace and search-attribute setup', () => {
  let dev: Awaited<ReturnType<typeof devServerConnection>>;
  beforeAll(async () => {
    dev = await devServerConnection();
  });
  afterAll(async () => {
    await dev.close();
  });

  test('creates a namespace, registers every attribute of SEARCH_ATTRIBUTES once, and reruns as a no-op', async () => {
    const namespace = uniqueName('setup');
    await ensureNamespace(dev.connection, namespace, 3);
    const added = await registerSearchAttributes(dev.connection, namespace);
    expect(added.sort()).toEqual(SEARCH_ATTRIBUTES.map((a) => a.name).sort());

    await ensureNamespace(dev.connection, namespace, 3);
    expect(await registerSearchAttributes(dev.connection, namespace)).toEqual([]);
    const { customAttributes } = await dev.connection.operatorService.listSearchAttributes({ namespace });
    for (const { name } of SEARCH_ATTRIBUTES) expect(customAttributes).toHaveProperty([name]);
  });
});

describe('mutual TLS to the Temporal frontend', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'xinfang-tls-'));
    const made = spawnSync('sh', [path.resolve(__dirname, '..', 'deploy', 'tls', 'dev-certs.sh'), dir], {
      encoding: 'utf8',
    });
    expect(made.status).toBe(0);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const settings = (extra: Record<string, string>) => ({
    XINFANG_SECRET: testSecret,
    TEMPORAL_ADDRESS: '127.0.0.1:7233',
    ...extra,
  });

  test('refuses half a TLS setup rather than connecting in clear', () => {
    expect(() => loadEnv(settings({ TEMPORAL_TLS_CERT: path.join(dir, 'api.pem') }))).toThrow(/TEMPORAL_TLS_KEY/);
    expect(() => loadEnv(settings({ TEMPORAL_TLS_CA: path.join(dir, 'ca.pem') }))).toThrow(/TEMPORAL_TLS_CERT/);
    expect(temporalConnectionOptions(loadEnv(settings({})))).toEqual({ address: '127.0.0.1:7233' });
  });

  test('a client with a certificate of the CA gets through; one without is refused', async () => {
    const file = (name: string) => path.join(dir, name);
    const server = tls.createServer(
      {
        cert: readFileSync(file('frontend.pem')),
        key: readFileSync(file('frontend.key')),
        ca: readFileSync(file('ca.pem')),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (socket) => socket.end('hello'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const options = temporalConnectionOptions(
      loadEnv(
        settings({
          TEMPORAL_TLS_CERT: file('worker.pem'),
          TEMPORAL_TLS_KEY: file('worker.key'),
          TEMPORAL_TLS_CA: file('ca.pem'),
          TEMPORAL_TLS_SERVER_NAME: 'temporal-frontend',
        }),
      ),
    );
    const pem = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? new Uint8Array());
    const connect = (withCertificate: boolean) =>
      new Promise<string>((resolve) => {
        const socket = tls.connect({
          host: '127.0.0.1',
          port,
          servername: options.tls!.serverNameOverride,
          ca: pem(options.tls!.serverRootCACertificate),
          ...(withCertificate
            ? { cert: pem(options.tls!.clientCertPair!.crt), key: pem(options.tls!.clientCertPair!.key) }
            : {}),
        });
        let data = '';
        socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
        socket.on('end', () => resolve(data || 'closed'));
        socket.on('error', (error) => resolve(`error: ${error.message}`));
      });
    try {
      expect(await connect(true)).toBe('hello');
      expect(await connect(false)).toMatch(/error|closed/);
    } finally {
      server.close();
    }
  });
});
