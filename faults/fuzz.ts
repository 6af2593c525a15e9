/**
 * `npm run test:fuzz [-- --quick]`: schemathesis against the running API, on 127.0.0.1 only.
 *
 * Starts a Temporal dev server and FerretDB in temporary directories, a worker and the API in this process (rate
 * limits raised), seeds the demo directory, an office and an admin key and a few cases, then runs schemathesis twice
 * from /openapi.json: with the office key on everything but /v1/admin, with the admin key on /v1/admin. Checks: no
 * 5xx, and responses that match the document (status codes, content types, schemas). The API counts what it
 * receives, so the figures printed at the end are the server's own.
 *
 * schemathesis comes from PyPI into a virtualenv under ~/.cache/xinfang/schemathesis-<version> (created once).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import pino from 'pino';
import { createApp } from '../api/app';
import { hashKey } from '../store/api-keys';
import { noiseComplaint } from '../harness/case-start';
import { resolveToolPaths, startFerretDb, startTemporalDevServer, stopAllServers } from '../harness/servers';
import { DEMO_DIRECTORY } from '../demo/directory';
import { connectStore } from '../store/models';
import { Sealer } from '../store/sealed';
import { createMailer } from '../worker/mailer';
import { loadDirectory } from '../worker/seed';
import { createCaseWorker } from '../worker/worker';

/** Pinned: the newest 4.x on PyPI when this was written; it installs on Python 3.11. */
export const SCHEMATHESIS_VERSION = '4.32.5';
const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
].join(',');

const quick = process.argv.includes('--quick');
/**
 * Examples per operation and phase: quick ≈ 70 s, full ≈ 4 min. 300 took 14 min: each run slows superlinearly as the
 * cases it registers pile up on the one worker.
 */
const MAX_EXAMPLES = quick ? 30 : 150;
const SEED = Number(process.env.XINFANG_FUZZ_SEED ?? 20261126);

const log = (line: string) => process.stdout.write(`fuzz: ${line}\n`);

function run(cmd: string, args: string[]): void {
  const result = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${result.status ?? result.signal})`);
}

/** The schemathesis CLI at the pinned version, installing it into its virtualenv the first time. */
function ensureSchemathesis(): string {
  const venv = path.join(os.homedir(), '.cache', 'xinfang', `schemathesis-${SCHEMATHESIS_VERSION}`);
  const bin = path.join(venv, 'bin', 'schemathesis');
  const installed = () =>
    existsSync(bin) && spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.includes(SCHEMATHESIS_VERSION);
  if (!installed()) {
    log(`installing schemathesis ${SCHEMATHESIS_VERSION} into ${venv}`);
    const python = process.env.PYTHON ?? 'python3';
    run(python, ['-m', 'venv', '--clear', venv]);
    run(path.join(venv, 'bin', 'pip'), [
      'install',
      '--quiet',
      '--disable-pip-version-check',
      `schemathesis==${SCHEMATHESIS_VERSION}`,
    ]);
    if (!installed()) throw new Error(`schemathesis ${SCHEMATHESIS_VERSION} did not install into ${venv}`);
  }
  return bin;
}

interface Tally {
  requests: number;
  serverErrors: { method: string; url: string; status: number }[];
}

interface RunResult {
  exitCode: number;
  testcases: number;
  failures: string[];
}

/** One schemathesis run; its JUnit report names each operation that failed a check. */
async function schemathesis(
  bin: string,
  schemaUrl: string,
  key: string,
  filter: string[],
  reportDir: string,
  name: string,
): Promise<RunResult> {
  const junit = path.join(reportDir, `${name}.xml`);
  const args = [
    'run',
    schemaUrl,
    '--checks',
    CHECKS,
    '--max-examples',
    String(MAX_EXAMPLES),
    '--seed',
    String(SEED),
    '--phases',
    'examples,coverage,fuzzing',
    // One worker: hypothesis's lambda descriptions call ast.parse, which CPython 3.11 breaks across threads.
    '--workers',
    '1',
    '--request-timeout',
    '30',
    '--no-shrink',
    '--header',
    `Authorization: Bearer ${key}`,
    '--report',
    'junit',
    '--report-junit-path',
    junit,
    '--output-truncate',
    'true',
    '--warnings',
    'off',
    ...filter,
  ];
  const child = spawn(bin, args, {
    // Its failure cache (.schemathesis/) goes to the run's temporary directory, not the repository.
    cwd: reportDir,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_TELEMETRY: 'false' },
  });
  const exitCode = await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  const xml = await readFile(junit, 'utf8').catch(() => '');
  const testcases = (xml.match(/<testcase\b/g) ?? []).length;
  const failures: string[] = [];
  for (const match of xml.matchAll(/<testcase\b[^>]*\bname="([^"]*)"[^>]*>([\s\S]*?)<\/testcase>/g)) {
    if (/<(failure|error)\b/.test(match[2]!)) failures.push(match[1]!);
  }
  return { exitCode, testcases, failures };
}

const caseBody = (subject: string, kind: string) => ({
  ...noiseComplaint,
  kind,
  subject,
  // Accused persons belong to reports only (Art 30).
  ...(kind === 'report' ? { accused: { units: [], persons: ['李四'] } } : {}),
});

async function main(): Promise<void> {
  const started = Date.now();
  const bin = ensureSchemathesis();
  const tools = await resolveToolPaths();
  const work = await mkdtemp(path.join(os.tmpdir(), 'xinfang-fuzz-'));
  const reportDir = path.join(work, 'reports');
  await mkdir(reportDir, { recursive: true });
  // Errors only: thousands of fuzzed updates make the worker's warnings (long workflow tasks) drown the report.
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
  });
  const cleanup: (() => Promise<unknown>)[] = [];
  let failed = true;
  try {
    const temporal = await startTemporalDevServer({ bin: tools.temporal });
    cleanup.push(temporal.stop);
    const ferret = await startFerretDb({ bin: tools.ferretdb, dataDir: path.join(work, 'ferretdb') });
    cleanup.push(ferret.stop);

    const store = connectStore(`${ferret.url}xinfang_fuzz`);
    await store.connection.asPromise();
    cleanup.unshift(() => store.connection.close());
    await loadDirectory(store, DEMO_DIRECTORY);
    const officeKey = `xf_fuzz_${randomBytes(18).toString('base64url')}`;
    const adminKey = `xf_fuzz_admin_${randomBytes(18).toString('base64url')}`;
    await store.apiKeys.create({ _id: 'fuzz-office', hash: hashKey(officeKey), role: 'office', label: 'fuzz' });

    const connection = await Connection.connect({ address: temporal.address });
    const nativeConnection = await NativeConnection.connect({ address: temporal.address });
    cleanup.unshift(
      () => connection.close(),
      () => nativeConnection.close(),
    );
    const client = new Client({ connection, namespace: temporal.namespace });
    const sealer = new Sealer(randomBytes(32).toString('hex'));
    const taskQueue = 'fuzz-cases';
    const worker = await createCaseWorker({
      connection: nativeConnection,
      namespace: temporal.namespace,
      taskQueue,
      deps: { store, sealer, sendMail: createMailer(undefined) },
    });
    let release!: () => void;
    const running = worker.runUntil(new Promise<void>((resolve) => (release = resolve)));
    cleanup.unshift(async () => {
      release();
      await running;
    });

    const tally: Tally = { requests: 0, serverErrors: [] };
    const api = createApp({
      client,
      store,
      sealer,
      taskQueue,
      logger: pino({ level: process.env.XINFANG_FUZZ_LOG ?? 'silent' }),
      adminKey,
      rateLimit: { perSecond: 100_000, burst: 100_000 },
    });
    const server = await new Promise<import('node:http').Server>((resolve) => {
      // A wrapper that counts every request and every 5xx the API answers.
      const s = api.listen(0, '127.0.0.1', () => resolve(s));
    });
    server.prependListener('request', (req, res) => {
      tally.requests += 1;
      res.on('finish', () => {
        if (res.statusCode >= 500)
          tally.serverErrors.push({ method: req.method!, url: req.url!, status: res.statusCode });
      });
    });
    cleanup.unshift(() => new Promise((resolve) => server.close(resolve)));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    log(`API at ${base}, schemathesis ${SCHEMATHESIS_VERSION}, ${MAX_EXAMPLES} examples per operation`);

    // A few real cases, so that list, inbox and stats answers have items to conform.
    for (const [i, kind] of ['complaint', 'report', 'suggestion'].entries()) {
      const res = await fetch(`${base}/v1/cases`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${officeKey}` },
        body: JSON.stringify(caseBody(`fuzz seed case ${i}`, kind)),
      });
      if (res.status !== 201) throw new Error(`seeding a case: ${res.status} ${await res.text()}`);
    }
    const seedRequests = tally.requests;

    const schemaUrl = `${base}/openapi.json`;
    const office = await schemathesis(
      bin,
      schemaUrl,
      officeKey,
      ['--exclude-path-regex', '^/v1/admin'],
      reportDir,
      'office',
    );
    const admin = await schemathesis(
      bin,
      schemaUrl,
      adminKey,
      ['--include-path-regex', '^/v1/admin'],
      reportDir,
      'admin',
    );

    const requests = tally.requests - seedRequests;
    const violations = [...office.failures, ...admin.failures];
    for (const e of tally.serverErrors) log(`5xx: ${e.status} ${e.method} ${e.url}`);
    for (const f of violations) log(`failed: ${f}`);
    log(`operations tested ${office.testcases + admin.testcases}, ${Math.round((Date.now() - started) / 1000)} s`);
    log(`requests sent ${requests}, 5xx ${tally.serverErrors.length}, schema violations ${violations.length}`);
    failed =
      tally.serverErrors.length > 0 ||
      violations.length > 0 ||
      office.exitCode !== 0 ||
      admin.exitCode !== 0 ||
      office.testcases === 0 ||
      admin.testcases === 0;
    if (failed && violations.length === 0 && tally.serverErrors.length === 0) {
      log(`schemathesis exited ${office.exitCode} (office) and ${admin.exitCode} (admin)`);
    }
  } finally {
    for (const step of cleanup) await step().catch(() => undefined);
    await stopAllServers();
    // On failure the JUnit reports stay, with each failing request and answer.
    if (failed) log(`reports kept in ${reportDir}`);
    else await rm(work, { recursive: true, force: true }).catch(() => undefined);
  }
  process.exit(failed ? 1 : 0);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stopAllServers().finally(() => process.exit(130));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`fuzz: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  void stopAllServers().finally(() => process.exit(1));
});
