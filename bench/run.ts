/**
 * Performance bench: the case engine against a trivial Temporal workflow, measured side by side in one run on the
 * same servers, in alternating blocks, so a noisy machine moves both sides alike. See docs/performance.md.
 *
 *   npm run bench -- --quick     (< 5 min)
 *   npm run bench                (full profile; about an hour here, most of it seeding 50 000 open cases)
 *   npm run bench -- --activities=100 --cache=0    (worker settings other than the defaults, for before/after)
 *
 * Nothing here fails on an absolute time: goals are printed as met or not met, and the run exits 0 unless it broke.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { temporal } from '@temporalio/proto';
import mongoose from 'mongoose';
import pino from 'pino';
import { createApp } from '../api/app';
import { hashKey } from '../store/api-keys';
import { caseStartOptions, petitionerCodes, registerCase } from '../api/intake';
import { IntakeBody } from '../api/schemas';
import { computeDeadline, createLegalCalendar, localDateOf } from '../domain/calendar';
import { localTimeOf, workingDayYears } from '../faults/clock-plan';
import type { ActivityDeps } from '../activities';
import { builtInCalendarYears } from '../domain/calendar-source';
import { DEMO_DIRECTORY } from '../demo/directory';
import { caseNumber, caseWorkflowId, newCaseId } from '../domain/ids';
import { profileForRegion } from '../domain/profiles';
import { resolveToolPaths, startFerretDb, startTemporalDevServer, stopAllServers } from '../dev/servers';
import { createStore, type Store } from '../store/models';
import type { IntakeRecord } from '../store/intake-record';
import { Sealer } from '../store/sealed';
import type { caseWorkflow } from '../workflows';
import type { CaseWorkflowInput } from '../workflows/case-state';
import { createMailer } from '../worker/mailer';
import { loadDirectory } from '../worker/seed';
import { createCaseWorker, WORKER_DEFAULTS, workflowBundle } from '../worker/worker';
import {
  acceptanceUpdate,
  executionReportUpdate,
  resultUpdate,
  supplementUpdate,
  type Actor,
} from '../workflows/messages';
import { quietRuntime } from '../test/env/case-stack';
import { startTimeSkippingStack } from '../test/env/time-skipping';
import { baselineWorkflow, pingUpdate, stopSignal } from './baseline-workflows';
import { highestHeld, mixedLoad, mixedMarkdown, type MixedProfile, type MixedRow, type RegisteredCase } from './mixed';
import { budget, checkBudget, closedLoop, merge, openLoop, percentile, pool, TooSlow, type Summary } from './stats';

// ── Profiles ─────────────────────────────────────────────────────────────────────────────────────────────────

interface Profile {
  name: 'quick' | 'full';
  /** Open-loop arrival rates for intake, per second. */
  intakeRates: number[];
  blockSeconds: number;
  /** Each round runs one API block and one raw block per rate (the order alternates between rounds). */
  rounds: number;
  /** Rounds of the action blocks (each round runs all three sides). */
  actionRounds: number;
  warmupSeconds: number;
  /** Longest wait for the worker to go idle between blocks; a capped drain is reported. */
  drainCapSeconds: number;
  /** Closed-loop intake at saturation: requests per block and callers. */
  saturationRequests: number;
  saturationConcurrency: number;
  /** Action round trips per block, and callers. */
  actionRequests: number;
  actionConcurrency: number;
  actionCases: number;
  /** Cases whose timers fall in the same second, per run. */
  timerCases: number[];
  /** Seconds from the start of a timer run to the instant the timers are due (at least; more for big runs). */
  timerLeadSeconds: number;
  /** Open cases (holding far timers) at which intake and actions are measured again. */
  scaleLevels: number[];
  scaleRate: number;
  lifecycleCases: number;
  /** The mixed office day at multiples of the anchor load (bench/mixed.ts). */
  mixed: MixedProfile;
  /** Longest a phase may run before it is recorded as failed and the run goes on (seconds). */
  phaseBudgetSeconds: Record<Phase, number>;
}

const PHASES = ['intake', 'actions', 'timers', 'mixed', 'scale', 'lifecycle'] as const;
type Phase = (typeof PHASES)[number];

const PROFILES: Record<'quick' | 'full', Profile> = {
  quick: {
    name: 'quick',
    intakeRates: [10, 40],
    blockSeconds: 3,
    rounds: 1,
    actionRounds: 1,
    warmupSeconds: 2,
    drainCapSeconds: 20,
    saturationRequests: 120,
    saturationConcurrency: 16,
    actionRequests: 24,
    actionConcurrency: 4,
    actionCases: 8,
    timerCases: [100],
    timerLeadSeconds: 30,
    scaleLevels: [0, 400],
    scaleRate: 10,
    lifecycleCases: 10,
    mixed: { multiples: [1, 5], backgrounds: [0], stepSeconds: 10, drainCapSeconds: 5 },
    phaseBudgetSeconds: { intake: 75, actions: 60, timers: 90, mixed: 50, scale: 90, lifecycle: 45 },
  },
  full: {
    name: 'full',
    intakeRates: [10, 50, 100, 200, 400],
    blockSeconds: 10,
    rounds: 2,
    actionRounds: 3,
    warmupSeconds: 10,
    drainCapSeconds: 180,
    saturationRequests: 600,
    saturationConcurrency: 32,
    actionRequests: 150,
    actionConcurrency: 4,
    actionCases: 32,
    timerCases: [1000, 5000],
    timerLeadSeconds: 60,
    scaleLevels: [0, 10_000, 50_000],
    scaleRate: 40,
    lifecycleCases: 200,
    mixed: { multiples: [1, 5, 10], backgrounds: [0, 10_000], stepSeconds: 60, drainCapSeconds: 120 },
    phaseBudgetSeconds: {
      intake: 1200,
      actions: 900,
      timers: 2400,
      mixed: 3 * 3600,
      scale: 4 * 3600,
      lifecycle: 600,
    },
  },
};

// ── Small helpers ────────────────────────────────────────────────────────────────────────────────────────────

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number, digits = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : NaN);
const ratio = (a: number, b: number) => round(a / b, 2);
const runStarted = performance.now();
const elapsed = () => `${((performance.now() - runStarted) / 1000).toFixed(0)} s`;
const log = (message: string) => console.log(`[bench ${elapsed()}] ${message}`);

type Long = { toNumber(): number };
function protoMs(t: { seconds?: number | Long | null; nanos?: number | null } | null | undefined): number {
  if (!t) return NaN;
  const s = t.seconds ?? 0;
  return (typeof s === 'number' ? s : s.toNumber()) * 1000 + (t.nanos ?? 0) / 1e6;
}
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

function median(values: number[]): number {
  return percentile(
    values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b),
    50,
  );
}

// ── The stack: servers, workers, API ────────────────────────────────────────────────────────────────────────

const SECRET = 'xinfang-bench-secret-not-for-production-0123456789';
const CASES_WARM = 'bench-cases';
const CASES_COLD = 'bench-cases-cold';
const BASE_WARM = 'bench-baseline';
const BASE_COLD = 'bench-baseline-cold';
/**
 * The "evicted" workers' cache: the smallest the SDK allows besides 0, which local activities cannot run with. With
 * 4 callers round-robin over many workflows, nearly every task finds its workflow evicted and replays its history.
 */
const EVICTING_CACHE = 2;

interface Stack {
  client: Client;
  store: Store;
  sealer: Sealer;
  /** The case workers' activity dependencies; the timer runs set the reminder time. */
  deps: ActivityDeps;
  /** API on the warm case queue, and a second app (same process) on the cache-less queue. */
  apiUrl: string;
  coldApiUrl: string;
  keys: { intake: string; office: string };
  workers: Record<'cases' | 'casesCold' | 'base' | 'baseCold', Worker>;
  mongoUrl: string;
  ferretDir: string;
  testServerBin: string;
  versions: { temporalCli: string; node: string; sdk: string };
  startupMs: Record<string, number>;
  /** Process IDs, for the CPU time each spends (/proc/<pid>/stat). */
  pids: { worker: number; api: number | undefined; temporal: number | undefined; ferretdb: number | undefined };
  stop(): Promise<void>;
}

/** Worker settings of the case workers under test; unset means the product's defaults (WORKER_DEFAULTS). */
interface RunSettings {
  maxCachedWorkflows: number;
  maxConcurrentActivities: number;
  /** Temporal server dynamic config (`--dynamic-config=key=value`, repeatable). */
  dynamicConfig: Record<string, string | number | boolean>;
  /** The API in a process of its own, as deployed (default), or in the workers' process (`--api=in-process`). */
  api: 'process' | 'in-process';
}

function runSettings(argv: string[]): RunSettings {
  const flag = (name: string) => {
    const value = argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
    return value === undefined ? undefined : Number(value);
  };
  return {
    maxCachedWorkflows: flag('cache') ?? WORKER_DEFAULTS.maxCachedWorkflows,
    maxConcurrentActivities: flag('activities') ?? WORKER_DEFAULTS.maxConcurrentActivities,
    api: argv.includes('--api=in-process') ? 'in-process' : 'process',
    dynamicConfig: Object.fromEntries(
      argv
        .filter((a) => a.startsWith('--dynamic-config='))
        .map((a) => {
          const [key, value = ''] = a.slice('--dynamic-config='.length).split('=');
          return [key!, value === 'true' ? true : value === 'false' ? false : isNaN(+value) ? value : +value];
        }),
    ),
  };
}

interface Apis {
  /** Base URL per case task queue. */
  urls: Record<string, string>;
  pid: number | undefined;
  stop(): Promise<void>;
}

const API_SETTINGS = { logger: pino({ level: 'silent' }), rateLimit: { perSecond: 1_000_000, burst: 1_000_000 } };

/** One API per case queue in this process: its event loop is the workers'. */
async function startApisInProcess(deps: { client: Client; store: Store; sealer: Sealer }): Promise<Apis> {
  const servers = await Promise.all(
    [CASES_WARM, CASES_COLD].map(async (taskQueue) => {
      const server = createApp({ ...deps, ...API_SETTINGS, taskQueue }).listen(0, '127.0.0.1');
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      return [taskQueue, server] as const;
    }),
  );
  return {
    urls: Object.fromEntries(
      servers.map(([queue, server]) => [queue, `http://127.0.0.1:${(server.address() as AddressInfo).port}`]),
    ),
    pid: process.pid,
    async stop() {
      for (const [, server] of servers) server.closeAllConnections();
      await Promise.all(servers.map(([, server]) => new Promise((r) => server.close(r))));
    },
  };
}

/** The API in a process of its own (bench/api-process.ts), as deployed. */
async function startApiProcess(address: string, namespace: string, mongoUrl: string): Promise<Apis> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'api-process.ts')], {
    cwd: path.resolve(__dirname, '..'),
    env: {
      ...process.env,
      BENCH_TEMPORAL_ADDRESS: address,
      BENCH_NAMESPACE: namespace,
      BENCH_MONGO_URL: mongoUrl,
      BENCH_SECRET: SECRET,
      BENCH_TASK_QUEUES: [CASES_WARM, CASES_COLD].join(','),
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench/api-process.ts exited with ${code} before listening`)));
  });
  const { urls } = JSON.parse(line) as { urls: Record<string, string> };
  return {
    urls,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function startStack(settings: RunSettings): Promise<Stack> {
  const startupMs: Record<string, number> = {};
  let t = performance.now();
  const tools = await resolveToolPaths();
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'xinfang-bench-'));
  const ferretDir = path.join(tmp, 'ferretdb');
  const quiet = () => undefined;
  const [temporalServer, ferret] = await Promise.all([
    startTemporalDevServer({ bin: tools.temporal, log: quiet, dynamicConfig: settings.dynamicConfig }),
    startFerretDb({ bin: tools.ferretdb, dataDir: ferretDir, log: quiet }),
  ]);
  startupMs.servers = performance.now() - t;
  const mongoUrl = ferret.url;
  // Activity retries (FerretDB's SQLite busy under load) are counted, not printed.
  process.env.XINFANG_TEST_WORKER_LOG ??= 'ERROR';
  quietRuntime();
  const connection = await Connection.connect({ address: temporalServer.address });
  const client = new Client({ connection, namespace: temporalServer.namespace });
  const native = await NativeConnection.connect({ address: temporalServer.address });
  const mongo = await mongoose.createConnection(`${mongoUrl}bench`).asPromise();
  const store = createStore(mongo);
  await loadDirectory(store, DEMO_DIRECTORY);
  const sealer = new Sealer(SECRET);
  const keys = { intake: `bench-intake-${randomUUID()}`, office: `bench-office-${randomUUID()}` };
  for (const [role, key] of Object.entries(keys)) {
    await store.apiKeys.create({ _id: `bench-${role}`, hash: hashKey(key), role });
  }

  t = performance.now();
  await workflowBundle();
  startupMs.caseBundle = performance.now() - t;
  t = performance.now();
  const deps: ActivityDeps = { store, sealer, sendMail: createMailer(undefined) };
  const common = { connection: native, namespace: temporalServer.namespace };
  const baselinePath = require.resolve('./baseline-workflows');
  const baseWarm = await Worker.create({ ...common, taskQueue: BASE_WARM, workflowsPath: baselinePath });
  startupMs.baselineBundle = performance.now() - t;
  const { maxCachedWorkflows, maxConcurrentActivities } = settings;
  const workers = {
    cases: await createCaseWorker({
      ...common,
      maxCachedWorkflows,
      maxConcurrentActivities,
      taskQueue: CASES_WARM,
      deps,
    }),
    casesCold: await createCaseWorker({
      ...common,
      maxConcurrentActivities,
      taskQueue: CASES_COLD,
      deps,
      maxCachedWorkflows: EVICTING_CACHE,
    }),
    base: baseWarm,
    baseCold: await Worker.create({
      ...common,
      taskQueue: BASE_COLD,
      workflowsPath: baselinePath,
      maxCachedWorkflows: EVICTING_CACHE,
    }),
  };
  let release!: () => void;
  const stopped = new Promise<void>((resolve) => (release = resolve));
  const running = Promise.all(Object.values(workers).map((w) => w.runUntil(stopped)));

  const apis =
    settings.api === 'process'
      ? await startApiProcess(temporalServer.address, temporalServer.namespace, `${mongoUrl}bench`)
      : await startApisInProcess({ client, store, sealer });

  const temporalCli = execFileSync(tools.temporal, ['--version']).toString().trim();
  const sdk = (
    JSON.parse(readFileSync(require.resolve('@temporalio/worker/package.json'), 'utf8')) as { version: string }
  ).version;
  return {
    client,
    store,
    sealer,
    deps,
    apiUrl: apis.urls[CASES_WARM]!,
    coldApiUrl: apis.urls[CASES_COLD]!,
    keys,
    workers,
    mongoUrl,
    ferretDir,
    testServerBin: tools.testServer,
    versions: { temporalCli, node: process.version, sdk },
    startupMs,
    pids: { worker: process.pid, api: apis.pid, temporal: temporalServer.pid, ferretdb: ferret.pid },
    async stop() {
      await apis.stop();
      release();
      await running.catch(() => undefined);
      await native.close();
      await connection.close();
      await mongo.close();
      await stopAllServers();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

// ── Requests ─────────────────────────────────────────────────────────────────────────────────────────────────

let subjectCounter = 0;
/** A fresh subject and phone each time: the same petitioner and matter would be merged as a repeat (Art 19). */
function intakeBody(extra: Record<string, unknown> = {}) {
  subjectCounter += 1;
  return {
    channel: 'online',
    kind: 'complaint',
    category: 'environment',
    regionCode: '320102',
    subject: `Bench noise complaint ${subjectCounter} ${randomUUID().slice(0, 8)}`,
    content: 'Construction work goes on past midnight at the site next to the school, every night this week.',
    petitioner: { name: '王五', phone: `137${String(subjectCounter).padStart(8, '0')}` },
    ...extra,
  };
}

/** Every case workflow ID the bench started and has not ended, so it can count and end them. */
const openCaseIds = new Set<string>();
const baselineIds = new Set<string>();

async function postIntake(s: Stack, url = s.apiUrl, extra: Record<string, unknown> = {}): Promise<string | undefined> {
  const res = await fetch(`${url}/v1/cases`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${s.keys.intake}`,
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify(intakeBody(extra)),
  });
  const json = (await res.json()) as { caseId?: string };
  if (res.status !== 201 || !json.caseId) return undefined;
  openCaseIds.add(caseWorkflowId(json.caseId));
  return json.caseId;
}

async function rawStart(s: Stack, taskQueue = BASE_WARM): Promise<string> {
  const workflowId = `baseline-${randomUUID()}`;
  await s.client.workflow.start(baselineWorkflow, { workflowId, taskQueue });
  baselineIds.add(workflowId);
  return workflowId;
}

/**
 * Waits until the case workers have had nothing in flight for 2 s (or `capMs` passed): the registrations a block
 * left behind would otherwise be measured as part of the next block.
 */
async function drain(s: Stack, capMs = 60_000): Promise<number> {
  const t0 = performance.now();
  let idleSince: number | undefined;
  while (performance.now() - t0 < capMs) {
    checkBudget();
    const busy = [s.workers.cases, s.workers.casesCold].some((w) => {
      const st = w.getStatus();
      return st.numInFlightActivities > 0 || st.numInFlightWorkflowActivations > 0;
    });
    if (busy) idleSince = undefined;
    else if (idleSince === undefined) idleSince = performance.now();
    else if (performance.now() - idleSince >= 2000) break;
    await sleep(100);
  }
  return round((performance.now() - t0) / 1000);
}

/**
 * Waits until every case has recorded its first change (the dispose clock started, its timer armed). MongoDB is
 * asked only once the workers have gone idle, one read by `_id` per case: polling would load the very server the
 * bench measures.
 */
async function waitRegistered(s: Stack, caseIds: string[], timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    checkBudget();
    await drain(s, Math.max(1000, until - Date.now()));
    const versions = await pool(caseIds, 8, async (id) => {
      const doc = await s.store.cases.findById(id, { progressVersion: 1 }).lean();
      return doc?.progressVersion ?? 0;
    });
    const done = versions.filter((v) => v >= 1).length;
    if (done >= caseIds.length) return;
    if (Date.now() > until) throw new TooSlow(`only ${done} of ${caseIds.length} cases registered in time`);
    await sleep(1000);
  }
}

// ── 1. Intake ────────────────────────────────────────────────────────────────────────────────────────────────

interface IntakeRow {
  rate: number;
  /** POST /v1/cases over HTTP. */
  api: Summary;
  /** registerCase() called in-process: the same case start without HTTP, Express, auth or zod. */
  direct: Summary;
  /** client.workflow.start of the trivial workflow. */
  raw: Summary;
  /** p99 delay of this process's event loop (which runs the API, the workers' activities and the callers), ms. */
  loopDelayP99: Record<IntakeSide, number>;
}

type IntakeSide = 'api' | 'direct' | 'raw';
const INTAKE_ORDERS: IntakeSide[][] = [
  ['api', 'raw', 'direct'],
  ['raw', 'direct', 'api'],
  ['direct', 'api', 'raw'],
];

async function directIntake(s: Stack): Promise<boolean> {
  const principal = { keyId: 'bench-intake', role: 'intake' as const };
  const body = IntakeBody.parse(intakeBody());
  const result = await registerCase(
    { client: s.client, taskQueue: CASES_WARM, sealer: s.sealer },
    principal,
    body,
    randomUUID(),
  );
  openCaseIds.add(caseWorkflowId(result.caseId));
  return result.created;
}

/** A case registered in-process, with what a petitioner tracks it by. */
async function registerForMix(s: Stack): Promise<RegisteredCase> {
  const principal = { keyId: 'bench-intake', role: 'intake' as const };
  const body = IntakeBody.parse(intakeBody());
  const result = await registerCase(
    { client: s.client, taskQueue: CASES_WARM, sealer: s.sealer },
    principal,
    body,
    randomUUID(),
  );
  openCaseIds.add(caseWorkflowId(result.caseId));
  return { caseId: result.caseId, trackingCode: result.trackingCode, pin: result.pin };
}

/** The mixed phase's profile, with `--mixed-open=0,10000,50000`, `--mixed-multiples=1,5,10`, `--mixed-seconds=60`. */
function mixedProfile(p: Profile, argv: string[]): MixedProfile {
  const list = (name: string) =>
    argv
      .find((a) => a.startsWith(`--${name}=`))
      ?.slice(name.length + 3)
      .split(',')
      .map(Number);
  const seconds = list('mixed-seconds')?.[0];
  return {
    ...p.mixed,
    backgrounds: list('mixed-open') ?? p.mixed.backgrounds,
    multiples: list('mixed-multiples') ?? p.mixed.multiples,
    stepSeconds: seconds ?? p.mixed.stepSeconds,
  };
}

function intakeSender(s: Stack, side: IntakeSide): () => Promise<boolean> {
  if (side === 'api') return async () => !!(await postIntake(s));
  if (side === 'direct') return () => directIntake(s);
  return async () => !!(await rawStart(s));
}

async function intakeAtRates(s: Stack, p: Profile, rates: number[], seconds: number, rounds: number) {
  const rows: IntakeRow[] = [];
  for (const rate of rates) {
    const blocks: Record<IntakeSide, Awaited<ReturnType<typeof openLoop>>[]> = { api: [], direct: [], raw: [] };
    const drains: number[] = [];
    const delays: Record<IntakeSide, number[]> = { api: [], direct: [], raw: [] };
    for (let r = 0; r < rounds; r++) {
      for (const side of INTAKE_ORDERS[r % INTAKE_ORDERS.length]!) {
        const loop = monitorEventLoopDelay({ resolution: 5 });
        loop.enable();
        blocks[side].push(await openLoop(rate, seconds, intakeSender(s, side)));
        loop.disable();
        delays[side].push(loop.percentile(99) / 1e6);
        drains.push(await drain(s, p.drainCapSeconds * 1000));
      }
    }
    const row: IntakeRow = {
      rate,
      api: merge(blocks.api),
      direct: merge(blocks.direct),
      raw: merge(blocks.raw),
      loopDelayP99: {
        api: round(Math.max(...delays.api)),
        direct: round(Math.max(...delays.direct)),
        raw: round(Math.max(...delays.raw)),
      },
    };
    log(
      `intake ${rate}/s: API ${round(row.api.throughput)}/s p50 ${round(row.api.p50)} p99 ${round(row.api.p99)} ms ` +
        `err ${row.api.errors} | direct p50 ${round(row.direct.p50)} p99 ${round(row.direct.p99)} | ` +
        `raw ${round(row.raw.throughput)}/s p50 ${round(row.raw.p50)} p99 ${round(row.raw.p99)} ms; ` +
        `drained after blocks: ${drains.join(', ')} s; event-loop delay p99 API/direct/raw ` +
        `${row.loopDelayP99.api}/${row.loopDelayP99.direct}/${row.loopDelayP99.raw} ms`,
    );
    rows.push(row);
  }
  return rows;
}

async function intakeSaturation(s: Stack, p: Profile, rounds: number) {
  const api: Awaited<ReturnType<typeof closedLoop>>[] = [];
  const raw: Awaited<ReturnType<typeof closedLoop>>[] = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? ['api', 'raw'] : ['raw', 'api'];
    for (const side of order) {
      const send = side === 'api' ? async () => !!(await postIntake(s)) : async () => !!(await rawStart(s));
      (side === 'api' ? api : raw).push(await closedLoop(p.saturationRequests, p.saturationConcurrency, send));
      await drain(s, p.drainCapSeconds * 1000);
    }
  }
  const result = { concurrency: p.saturationConcurrency, api: merge(api), raw: merge(raw) };
  log(
    `intake saturation (${p.saturationConcurrency} callers): API ${round(result.api.throughput)}/s ` +
      `raw ${round(result.raw.throughput)}/s`,
  );
  return result;
}

// ── 2. Actions ───────────────────────────────────────────────────────────────────────────────────────────────

interface ActionResultRow {
  cache: 'warm' | 'evicted';
  /** POST /v1/cases/:id/supplement by the office: text to MongoDB, Update, validator, recordProgress activity. */
  api: Summary;
  /** The same supplement Update sent straight to the case workflow: no HTTP, no action text. */
  direct: Summary;
  /** executeUpdate on the trivial workflow (validator, no activity). */
  raw: Summary;
}

async function actionRoundTrips(s: Stack, p: Profile, cache: 'warm' | 'evicted', rounds: number) {
  const url = cache === 'warm' ? s.apiUrl : s.coldApiUrl;
  const caseIds = (await pool(Array.from({ length: p.actionCases }), 4, () => postIntake(s, url))).filter(
    (id): id is string => !!id,
  );
  await waitRegistered(s, caseIds);
  const baseIds = await pool(Array.from({ length: p.actionCases }), 4, () =>
    rawStart(s, cache === 'warm' ? BASE_WARM : BASE_COLD),
  );
  const office: Actor = { role: 'office' };
  const senders = {
    api: async (i: number) => {
      const caseId = caseIds[i % caseIds.length]!;
      const res = await fetch(`${url}/v1/cases/${caseId}/supplement`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s.keys.office}`, 'content-type': 'application/json' },
        body: JSON.stringify({ actionId: `sup-${randomUUID()}`, content: 'A further photo of the site at 01:00.' }),
      });
      await res.arrayBuffer();
      return res.status === 200;
    },
    direct: async (i: number) => {
      const handle = s.client.workflow.getHandle(caseWorkflowId(caseIds[i % caseIds.length]!));
      const actionId = `sup-${randomUUID()}`;
      await handle.executeUpdate(supplementUpdate, { args: [{ actionId, actor: office }], updateId: actionId });
      return true;
    },
    raw: async (i: number) => {
      const handle = s.client.workflow.getHandle(baseIds[i % baseIds.length]!);
      const actionId = `ping-${randomUUID()}`;
      await handle.executeUpdate(pingUpdate, { args: [{ actionId, role: 'office' }], updateId: actionId });
      return true;
    },
  };
  const blocks: Record<keyof typeof senders, Awaited<ReturnType<typeof closedLoop>>[]> = {
    api: [],
    direct: [],
    raw: [],
  };
  const orders: (keyof typeof senders)[][] = [
    ['api', 'raw', 'direct'],
    ['raw', 'direct', 'api'],
    ['direct', 'api', 'raw'],
  ];
  for (let r = 0; r < rounds; r++) {
    for (const side of orders[r % orders.length]!) {
      blocks[side].push(await closedLoop(p.actionRequests, p.actionConcurrency, senders[side]));
    }
  }
  const row: ActionResultRow = {
    cache,
    api: merge(blocks.api),
    direct: merge(blocks.direct),
    raw: merge(blocks.raw),
  };
  log(
    `actions (${cache}): API p50 ${round(row.api.p50)} p99 ${round(row.api.p99)} | direct p50 ${round(row.direct.p50)} ` +
      `p99 ${round(row.direct.p99)} | raw p50 ${round(row.raw.p50)} p99 ${round(row.raw.p99)} ms; errors ` +
      `${row.api.errors}/${row.direct.errors}/${row.raw.errors}`,
  );
  return { row, caseIds };
}

// ── 3. Timer precision ───────────────────────────────────────────────────────────────────────────────────────

/**
 * The national profile with one reminder only: the fraction of the C1 period, for letters received at `receivedAt`,
 * whose day is the day of `target`. It travels in the workflow input, so no code changes. Reminders land at the
 * reminder time on a working day: the timer run sets the time to `target`'s and makes its day a working day.
 */
function timerProfile(receivedAt: string, target: number): CaseWorkflowInput['profile'] {
  const calendar = createLegalCalendar(builtInCalendarYears());
  const base = profileForRegion('320102');
  const due = Date.parse(
    computeDeadline({ clock: 'dispose', rule: base.clocks.dispose, startedAt: receivedAt }, calendar).dueAt,
  );
  const start = Date.parse(receivedAt);
  return { ...base, reminders: [{ atFraction: (target - start) / (due - start) }] };
}

/** Starts a case the way registerCase does (same options, sealed record and search attributes), with `profile`. */
function timerCaseInput(s: Stack, receivedAt: string, profile: CaseWorkflowInput['profile']): CaseWorkflowInput {
  const registered = new Date();
  const caseId = newCaseId(registered.getTime(), randomBytes(10));
  const number = caseNumber('320102', registered, caseId);
  const codes = petitionerCodes(s.sealer, caseId);
  const record: IntakeRecord = {
    caseNumber: number,
    trackingCode: codes.trackingCode,
    pinHash: codes.pinHash,
    channel: 'letter',
    kind: 'complaint',
    category: 'environment',
    regionCode: '320102',
    profileId: profile.id,
    subject: `Bench timer ${caseId}`,
    content: 'Timer precision case.',
    petitioner: { name: '王五', phone: '13800000000' },
    representatives: [],
    anonymous: false,
    confidential: false,
    accused: { units: [], persons: [] },
    receivedAt,
    registeredAt: registered.toISOString(),
  };
  return {
    ref: {
      caseId,
      caseNumber: number,
      channel: 'letter',
      kind: 'complaint',
      category: 'environment',
      regionCode: '320102',
      profileId: profile.id,
      receivedAt,
      registeredAt: record.registeredAt,
    },
    profile,
    sealedRecord: s.sealer.seal(record),
    intakeDigest: s.sealer.digest('intake', caseId).toString('hex'),
    accusedUnits: [],
    confidential: false,
  };
}

interface TimerRun {
  cases: number;
  startSeconds: number;
  /** Spread of the reminder instants the workflows armed (ms): 0 means all in the same instant. */
  armedSpreadMs: number;
  /** TimerFired event time − reminder instant. */
  fired: LatenessStats;
  /** First WorkflowTaskStarted after TimerFired − reminder instant: the workflow runs its reminder code. */
  taskStarted: LatenessStats;
  /**
   * First ActivityTaskStarted, or MarkerRecorded of a local activity, after TimerFired − reminder instant: the
   * reminder is being written (recordProgress), or (marker) has been written.
   */
  activityStarted: LatenessStats;
  /** Cases whose reminder was found in history. */
  measured: number;
}
interface LatenessStats {
  p50: number;
  p99: number;
  max: number;
}

function lateness(values: number[]): LatenessStats {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), max: round(sorted.at(-1) ?? NaN) };
}

async function timerPrecision(s: Stack, p: Profile, n: number): Promise<TimerRun> {
  // Enough lead to start every case first (~30/s on two cores), plus a margin.
  await drain(s, p.drainCapSeconds * 3000);
  // Every case must be registered (its timer armed) before the instant: ≥ 10 registrations/s here, plus a margin.
  const lead = p.timerLeadSeconds + Math.ceil(n / 10);
  const reminderAt = Math.round(Date.now() / 1000 + lead) * 1000;
  s.deps.reminderTime = localTimeOf(reminderAt);
  for (const year of workingDayYears(localDateOf(new Date(reminderAt).toISOString()), 'benchmark')) {
    await s.store.calendarYears.updateOne(
      { _id: year.year },
      { $set: { holidays: year.holidays, workdays: year.workdays, source: year.source, loadedAt: new Date() } },
      { upsert: true },
    );
  }
  const receivedAt = new Date(Date.now() - 3 * 86_400_000).toISOString();
  const profile = timerProfile(receivedAt, reminderAt);
  const t0 = performance.now();
  const ids = await pool(Array.from({ length: n }), 8, async () => {
    const input = timerCaseInput(s, receivedAt, profile);
    await s.client.workflow.start<typeof caseWorkflow>('caseWorkflow', caseStartOptions(input, CASES_WARM));
    openCaseIds.add(caseWorkflowId(input.ref.caseId));
    return input.ref.caseId;
  });
  await waitRegistered(s, ids, Math.max(60_000, reminderAt - Date.now()));
  const startSeconds = (performance.now() - t0) / 1000;
  log(
    `timers: ${ids.length} cases started in ${round(startSeconds)} s; reminders due in ${round((reminderAt - Date.now()) / 1000)} s`,
  );
  if (Date.now() > reminderAt - 5000) log('timers: WARNING the cases took longer to start than the lead time');
  await sleep(Math.max(0, reminderAt - Date.now()) + 5_000);
  // Wait until every case has written its reminder (the workers go idle), or 60 s more.
  await drain(s, 60_000);
  const fired: number[] = [];
  const task: number[] = [];
  const activity: number[] = [];
  const armed: number[] = [];
  await pool(ids, 8, async (caseId) => {
    const history = await s.client.workflow.getHandle(caseWorkflowId(caseId)).fetchHistory();
    const events = history.events ?? [];
    const byId = new Map(events.map((e) => [Number(e.eventId), e]));
    let best: { index: number; due: number } | undefined;
    events.forEach((e, index) => {
      const attrs = e.timerFiredEventAttributes;
      if (!attrs) return;
      const started = byId.get(Number(attrs.startedEventId))?.timerStartedEventAttributes;
      const startedEvent = byId.get(Number(attrs.startedEventId));
      if (!started || !startedEvent) return;
      const due = protoMs(startedEvent.eventTime) + protoMs(started.startToFireTimeout);
      if (!best || Math.abs(due - reminderAt) < Math.abs(best.due - reminderAt)) best = { index, due };
    });
    if (!best || Math.abs(best.due - reminderAt) > 30_000) return;
    armed.push(best.due);
    const after = events.slice(best.index + 1);
    fired.push(protoMs(events[best.index]!.eventTime) - reminderAt);
    task.push(protoMs(after.find((e) => e.workflowTaskStartedEventAttributes)?.eventTime) - reminderAt);
    // The reminder's write: an activity task started, or (a local activity) the marker of one that completed.
    const write = after.find((e) => e.activityTaskStartedEventAttributes || e.markerRecordedEventAttributes);
    activity.push(protoMs(write?.eventTime) - reminderAt);
  });
  const run: TimerRun = {
    cases: ids.length,
    startSeconds: round(startSeconds),
    armedSpreadMs: armed.length ? round(Math.max(...armed) - Math.min(...armed)) : NaN,
    fired: lateness(fired),
    taskStarted: lateness(task),
    activityStarted: lateness(activity),
    measured: fired.length,
  };
  log(
    `timers ${n}: fired p50 ${run.fired.p50} p99 ${run.fired.p99} | activity started p50 ${run.activityStarted.p50} ` +
      `p99 ${run.activityStarted.p99} ms (measured ${run.measured})`,
  );
  return run;
}

// ── 4. Scale ─────────────────────────────────────────────────────────────────────────────────────────────────

interface ScaleRow {
  openCases: number;
  intake: IntakeRow;
  /** Full profile only. */
  saturation?: { api: Summary; raw: Summary };
  action: ActionResultRow;
  rssMb: number;
  heapMb: number;
  cachedWorkflows: number;
  ferretDbMb: number;
  /** Case documents in MongoDB (open and closed). */
  storedCases: number;
  /** Cases started and registered per second while seeding this level. */
  seedPerSecond: number;
}

function duMb(dir: string): number {
  try {
    return round(Number(execFileSync('du', ['-sk', dir]).toString().split(/\s/)[0]) / 1024);
  } catch {
    return NaN;
  }
}

/** Ends every case and baseline workflow the earlier phases left open, so a scale level starts from a known count. */
async function endOpenWorkflows(s: Stack, keep: string[] = []): Promise<void> {
  const ids = [...openCaseIds].filter((id) => !keep.includes(id));
  await pool(ids, 16, async (id) => {
    await s.client.workflow
      .getHandle(id)
      .terminate('bench: reset open cases')
      .catch(() => undefined);
    openCaseIds.delete(id);
  });
  await pool([...baselineIds], 16, async (id) => {
    await s.client.workflow
      .getHandle(id)
      .signal(stopSignal)
      .catch(() => undefined);
    baselineIds.delete(id);
  });
}

/**
 * Registers cases in-process (registerCase: the API's path without HTTP) until `target` are open, then waits until
 * the workers have registered them all (each holds its dispose clock's timer, days away).
 */
async function seedOpenCases(s: Stack, target: number): Promise<{ seconds: number; perSecond: number }> {
  const missing = target - openCaseIds.size;
  if (missing <= 0) return { seconds: 0, perSecond: NaN };
  const t0 = performance.now();
  let done = 0;
  const step = Math.max(100, Math.round(missing / 10));
  await pool(Array.from({ length: missing }), 16, async () => {
    await directIntake(s);
    done += 1;
    if (done % step === 0) log(`scale: started ${done}/${missing}`);
  });
  const drained = await drain(s, 24 * 3600_000);
  const seconds = (performance.now() - t0) / 1000;
  log(`scale: ${missing} cases started and registered in ${round(seconds)} s (last ${drained} s draining)`);
  return { seconds: round(seconds), perSecond: round(missing / seconds) };
}

/** Measures each level in turn; `onRow` keeps a level's figures even if a later level runs out of budget. */
async function scale(s: Stack, p: Profile, onRow: (row: ScaleRow) => void): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  await endOpenWorkflows(s);
  for (const level of p.scaleLevels) {
    const seeded = await seedOpenCases(s, level);
    const openCases = openCaseIds.size;
    const [intake] = await intakeAtRates(s, p, [p.scaleRate], p.blockSeconds, 1);
    const saturation = await intakeSaturation(s, p, 1);
    const { row: action } = await actionRoundTrips(s, { ...p, actionCases: 8, actionRequests: 20 }, 'warm', 1);
    const mem = process.memoryUsage();
    const row: ScaleRow = {
      openCases,
      intake: intake!,
      saturation,
      action,
      rssMb: round(mem.rss / 2 ** 20),
      heapMb: round(mem.heapUsed / 2 ** 20),
      cachedWorkflows: s.workers.cases.getStatus().numCachedWorkflows,
      ferretDbMb: duMb(s.ferretDir),
      storedCases: await s.store.cases.estimatedDocumentCount(),
      seedPerSecond: seeded.perSecond,
    };
    log(`scale ${openCases} open: RSS ${row.rssMb} MB, cached ${row.cachedWorkflows}, FerretDB ${row.ferretDbMb} MB`);
    rows.push(row);
    onRow(row);
  }
  return rows;
}

// ── Per-case cost and where time goes ────────────────────────────────────────────────────────────────────────

interface CaseCost {
  sample: number;
  historyLength: number;
  stateTransitions: number;
  /** WorkflowExecutionStarted → first WorkflowTaskStarted. */
  toFirstTaskMs: number;
  firstTaskMs: number;
  /** WorkflowExecutionStarted → recordCase ActivityTaskStarted (the first activity). */
  toFirstActivityMs: number;
  firstActivityMs: number;
  /** WorkflowExecutionStarted → the clock timer is armed: registered and waiting. */
  toRegisteredMs: number;
}

async function caseCost(s: Stack, caseIds: string[]): Promise<CaseCost> {
  const rows = await pool(caseIds, 4, async (caseId) => {
    const handle = s.client.workflow.getHandle(caseWorkflowId(caseId));
    const [description, history] = await Promise.all([handle.describe(), handle.fetchHistory()]);
    const events: HistoryEvent[] = history.events ?? [];
    const at = (pred: (e: HistoryEvent) => unknown) => protoMs(events.find(pred)?.eventTime);
    const start = protoMs(events[0]?.eventTime);
    const firstTaskStarted = at((e) => e.workflowTaskStartedEventAttributes);
    const firstTaskDone = at((e) => e.workflowTaskCompletedEventAttributes);
    const actStarted = at((e) => e.activityTaskStartedEventAttributes);
    const actDone = at((e) => e.activityTaskCompletedEventAttributes);
    return {
      historyLength: description.historyLength,
      stateTransitions: Number(description.raw.workflowExecutionInfo?.stateTransitionCount ?? NaN),
      toFirstTaskMs: firstTaskStarted - start,
      firstTaskMs: firstTaskDone - firstTaskStarted,
      toFirstActivityMs: actStarted - start,
      firstActivityMs: actDone - actStarted,
      toRegisteredMs: at((e) => e.timerStartedEventAttributes) - start,
    };
  });
  const med = (k: keyof (typeof rows)[number]) => round(median(rows.map((r) => r[k])));
  return {
    sample: rows.length,
    historyLength: med('historyLength'),
    stateTransitions: med('stateTransitions'),
    toFirstTaskMs: med('toFirstTaskMs'),
    firstTaskMs: med('firstTaskMs'),
    toFirstActivityMs: med('toFirstActivityMs'),
    firstActivityMs: med('firstActivityMs'),
    toRegisteredMs: med('toRegisteredMs'),
  };
}

/** The CPU work of the intake path outside Temporal, per request, in µs (median of 5 batches). */
interface IntakeCpu {
  jsonParseUs: number;
  zodUs: number;
  sealUs: number;
  digestsUs: number;
}

function intakeCpu(sealer: Sealer): IntakeCpu {
  const body = intakeBody();
  const text = JSON.stringify(body);
  const time = (fn: () => unknown, n = 2000) => {
    const batches: number[] = [];
    for (let b = 0; b < 5; b++) {
      const t = performance.now();
      for (let i = 0; i < n; i++) fn();
      batches.push(((performance.now() - t) * 1000) / n);
    }
    return round(median(batches), 2);
  };
  const parsed = IntakeBody.parse(JSON.parse(text));
  return {
    jsonParseUs: time(() => JSON.parse(text)),
    zodUs: time(() => IntakeBody.parse(JSON.parse(text))) - time(() => JSON.parse(text)),
    sealUs: time(() => sealer.seal({ ...parsed, receivedAt: new Date().toISOString() })),
    digestsUs: time(() => {
      for (const label of ['idempotency', 'intake', 'tracking-code', 'pin', 'pin-hash', 'repeat'])
        sealer.digest(label, text);
    }),
  };
}

// ── 5. Lifecycle with time skipping ──────────────────────────────────────────────────────────────────────────

interface Lifecycle {
  cases: number;
  resolved: number;
  seconds: number;
  casesPerSecond: number;
  perCase: { historyEvents: number; workflowTasks: number; activities: number; timersFired: number };
}

async function lifecycle(s: Stack, p: Profile): Promise<Lifecycle> {
  process.env.XINFANG_TEST_SERVER_BIN = s.testServerBin;
  process.env.XINFANG_TEST_MONGO_URL = s.mongoUrl;
  const ts = await startTimeSkippingStack();
  try {
    const office: Actor = { role: 'office' };
    const unit: Actor = { role: 'department', unitCode: '320100-HB' };
    const t0 = performance.now();
    // Drive every case to a delivered reply while time stands still, then await them all: time skips to the end
    // of the rating and review windows.
    const handles = await pool(Array.from({ length: p.lifecycleCases }), 4, async () => {
      const { handle } = await ts.startCase({ regionCode: '320102', category: 'environment' });
      await ts.act(handle, acceptanceUpdate, { actor: office, decision: 'accept' });
      await ts.act(handle, acceptanceUpdate, { actor: unit, decision: 'accept' });
      // Supported, to be carried out within ten days (Art 32), and reported carried out at once.
      const executeBy = localDateOf(new Date(Date.now() + 10 * 86_400_000).toISOString());
      await ts.act(handle, resultUpdate, { actor: unit, decision: 'support', executeBy });
      await ts.act(handle, executionReportUpdate, { actor: unit });
      return handle;
    });
    // One result at a time: the Java test server's time-skipping lock breaks under concurrent result polls
    // ("Unbalanced lock and unlock calls"). Awaiting the first skips time for all of them alike.
    const outcomes: ({ stage: string } | undefined)[] = [];
    for (const h of handles) outcomes.push(await h.result().catch(() => undefined));
    const seconds = (performance.now() - t0) / 1000;
    const counts = await pool(handles.slice(0, 10), 4, async (h: WorkflowHandle) => {
      const events = (await h.fetchHistory()).events ?? [];
      const count = (pred: (e: HistoryEvent) => unknown) => events.filter(pred).length;
      return {
        historyEvents: events.length,
        workflowTasks: count((e) => e.workflowTaskCompletedEventAttributes),
        activities: count((e) => e.activityTaskScheduledEventAttributes),
        timersFired: count((e) => e.timerFiredEventAttributes),
      };
    });
    const med = (k: keyof (typeof counts)[number]) => median(counts.map((c) => c[k]));
    const result: Lifecycle = {
      cases: handles.length,
      resolved: outcomes.filter((o) => o?.stage === 'resolved').length,
      seconds: round(seconds),
      casesPerSecond: round(handles.length / seconds, 2),
      perCase: {
        historyEvents: med('historyEvents'),
        workflowTasks: med('workflowTasks'),
        activities: med('activities'),
        timersFired: med('timersFired'),
      },
    };
    log(`lifecycle: ${result.resolved}/${result.cases} resolved in ${result.seconds} s (${result.casesPerSecond}/s)`);
    return result;
  } finally {
    await ts.stop();
  }
}

// ── Report ───────────────────────────────────────────────────────────────────────────────────────────────────

interface Goal {
  goal: string;
  measured: string;
  /** 'untested' when the run was too small to decide. */
  met: boolean | 'untested';
}

function fmt(x: number): string {
  return Number.isFinite(x) ? String(round(x)) : '–';
}

function markdown(results: Record<string, unknown>, goals: Goal[]): string {
  const r = results as unknown as Results;
  const lines: string[] = [];
  lines.push(`## Bench ${r.profile} profile — ${r.date}`, '');
  lines.push(
    `Machine: ${r.machine.cpus}× ${r.machine.cpuModel}, nproc ${r.machine.nproc}, ${r.machine.memGb} GB; node ${r.versions.node}, ` +
      `${r.versions.temporalCli}, SDK ${r.versions.sdk}. Case workers: maxCachedWorkflows ${r.settings.maxCachedWorkflows}, ` +
      `maxConcurrentActivityTaskExecutions ${r.settings.maxConcurrentActivities}; API ${r.settings.api === 'process' ? 'in a process of its own' : "in the workers' process"}. ` +
      `Run took ${r.durationSeconds} s.`,
    '',
  );
  lines.push('### 1. Intake (open loop, alternating blocks; latency from the intended send instant, ms)', '');
  lines.push(
    '| rate /s | API thr /s | raw thr /s | thr ratio | API p50 | API p95 | API p99 | direct p50 | direct p99 | raw p50 | raw p95 | raw p99 | p99 ratio API/raw | errors API/direct/raw |',
  );
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const row of r.intake) {
    lines.push(
      `| ${row.rate} | ${fmt(row.api.throughput)} | ${fmt(row.raw.throughput)} | ${ratio(row.api.throughput, row.raw.throughput)} | ` +
        `${fmt(row.api.p50)} | ${fmt(row.api.p95)} | ${fmt(row.api.p99)} | ${fmt(row.direct.p50)} | ${fmt(row.direct.p99)} | ` +
        `${fmt(row.raw.p50)} | ${fmt(row.raw.p95)} | ${fmt(row.raw.p99)} | ${ratio(row.api.p99, row.raw.p99)} | ` +
        `${row.api.errors}/${row.direct.errors}/${row.raw.errors} of ${row.api.n}/${row.direct.n}/${row.raw.n} |`,
    );
  }
  const sat = r.saturation;
  if (sat)
    lines.push(
      '',
      `Saturation (closed loop, ${sat.concurrency} callers): API ${fmt(sat.api.throughput)}/s (p50 ${fmt(sat.api.p50)}, p99 ${fmt(sat.api.p99)} ms), ` +
        `raw start ${fmt(sat.raw.throughput)}/s (p50 ${fmt(sat.raw.p50)}, p99 ${fmt(sat.raw.p99)} ms): ratio ${ratio(sat.api.throughput, sat.raw.throughput)}.`,
      '',
    );
  lines.push('### 2. Action round trip (office supplement; closed loop, 4 callers; ms)', '');
  lines.push(
    '| cache | API p50 | API p99 | direct Update p50 | direct p99 | raw Update p50 | raw p99 | API/raw p99 | direct/raw p99 | errors API/direct/raw |',
  );
  lines.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const a of r.actions) {
    lines.push(
      `| ${a.cache} | ${fmt(a.api.p50)} | ${fmt(a.api.p99)} | ${fmt(a.direct.p50)} | ${fmt(a.direct.p99)} | ${fmt(a.raw.p50)} | ` +
        `${fmt(a.raw.p99)} | ${ratio(a.api.p99, a.raw.p99)} | ${ratio(a.direct.p99, a.raw.p99)} | ${a.api.errors}/${a.direct.errors}/${a.raw.errors} |`,
    );
  }
  lines.push('', '### 3. Timer precision (C1 half-time reminders all due in the same instant; lateness in ms)', '');
  lines.push(
    '| cases | started in s | armed spread | TimerFired p50 | p99 | WFT started p50 | p99 | activity started p50 | p99 | max | measured |',
  );
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const t of r.timers) {
    lines.push(
      `| ${t.cases} | ${t.startSeconds} | ${fmt(t.armedSpreadMs)} | ${t.fired.p50} | ${t.fired.p99} | ${t.taskStarted.p50} | ` +
        `${t.taskStarted.p99} | ${t.activityStarted.p50} | ${t.activityStarted.p99} | ${t.activityStarted.max} | ${t.measured} |`,
    );
  }
  lines.push('', '### 4. Scale (open cases holding far timers)', '');
  lines.push(
    `| open cases | seeded /s | intake ${r.scale[0]?.intake.rate ?? ''}/s API p99 | raw p99 | sat. API /s | sat. raw /s | action API p99 | raw p99 | RSS MB | cached wf | cases stored | FerretDB MB |`,
  );
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const row of r.scale) {
    lines.push(
      `| ${row.openCases} | ${fmt(row.seedPerSecond)} | ${fmt(row.intake.api.p99)} | ${fmt(row.intake.raw.p99)} | ${fmt(row.saturation?.api.throughput ?? NaN)} | ` +
        `${fmt(row.saturation?.raw.throughput ?? NaN)} | ${fmt(row.action.api.p99)} | ${fmt(row.action.raw.p99)} | ${row.rssMb} | ` +
        `${row.cachedWorkflows} | ${row.storedCases} | ${row.ferretDbMb} |`,
    );
  }
  lines.push(...mixedMarkdown(r.mixed ?? []));
  const c = r.caseCost;
  if (c)
    lines.push(
      '',
      `Per registered case (median of ${c.sample}): ${c.historyLength} history events, ${fmt(c.stateTransitions)} state transitions; ` +
        `start → first workflow task ${c.toFirstTaskMs} ms, first task ${c.firstTaskMs} ms, start → first activity ` +
        `${c.toFirstActivityMs} ms, first activity (recordCase) ${c.firstActivityMs} ms, start → clock armed ${c.toRegisteredMs} ms.`,
      `Intake CPU outside Temporal per request: JSON.parse ${r.intakeCpu.jsonParseUs} µs, zod ${round(r.intakeCpu.zodUs, 2)} µs, ` +
        `AES-GCM seal ${r.intakeCpu.sealUs} µs, HMAC digests ${r.intakeCpu.digestsUs} µs.`,
      '',
    );
  const l = r.lifecycle;
  lines.push('### 5. Whole lifecycle with time skipping', '');
  lines.push(
    l
      ? `${l.resolved}/${l.cases} cases intake → transfer → accept → result → review window lapsed → resolved in ${l.seconds} s: ` +
          `**${l.casesPerSecond} cases/s**. Per case: ${l.perCase.historyEvents} history events, ${l.perCase.workflowTasks} workflow tasks, ` +
          `${l.perCase.activities} activities, ${l.perCase.timersFired} timers fired.`
      : `not run: ${r.lifecycleError ?? ''}`,
    '',
  );
  if (r.errors?.length) lines.push('### Phases that failed', '', ...r.errors.map((e) => `- ${e}`), '');
  lines.push('### Goals', '', '| goal | measured | met |', '|---|---|---|');
  const verdict = (met: Goal['met']) => (met === 'untested' ? 'not tested' : met ? 'yes' : '**no**');
  for (const g of goals) lines.push(`| ${g.goal} | ${g.measured} | ${verdict(g.met)} |`);
  return lines.join('\n') + '\n';
}

interface Results {
  profile: string;
  date: string;
  durationSeconds: number;
  machine: { nproc: number; cpus: number; cpuModel: string; memGb: number; load: number[] };
  versions: Stack['versions'];
  settings: RunSettings;
  startupMs: Record<string, number>;
  intake: IntakeRow[];
  saturation?: { concurrency: number; api: Summary; raw: Summary };
  actions: ActionResultRow[];
  timers: TimerRun[];
  scale: ScaleRow[];
  /** Absent in runs written before the mixed phase existed. */
  mixed?: MixedRow[];
  caseCost?: CaseCost;
  intakeCpu: IntakeCpu;
  lifecycle?: Lifecycle;
  lifecycleError?: string;
  /** Phases that failed, with why. */
  errors?: string[];
}

/** Saturation throughput where measured (full profile), else the achieved open-loop rate. */
function scaleThroughput(row: ScaleRow): number {
  return row.saturation?.api.throughput ?? row.intake.api.throughput;
}

function goals(r: Results): Goal[] {
  const top = r.intake.at(-1);
  const maxTimer = r.timers.at(-1);
  const scale0 = r.scale[0];
  const scaleN = r.scale.at(-1);
  const list: Goal[] = [];
  // Each goal is judged only from the phases this run measured (`--only`, or a phase cut short).
  if (r.saturation) {
    list.push({
      goal: 'API intake throughput ≥ 0.9× raw start (saturation)',
      measured: `${ratio(r.saturation.api.throughput, r.saturation.raw.throughput)}×`,
      met: r.saturation.api.throughput >= 0.9 * r.saturation.raw.throughput,
    });
  }
  if (top) {
    list.push({
      goal: `API intake throughput ≥ 0.9× raw at ${top.rate}/s (open loop)`,
      measured: `${ratio(top.api.throughput, top.raw.throughput)}×`,
      met: top.api.throughput >= 0.9 * top.raw.throughput,
    });
  }
  list.push(
    ...r.intake.map((row) => ({
      goal: `API intake p99 ≤ 1.3× raw at ${row.rate}/s`,
      measured: `${ratio(row.api.p99, row.raw.p99)}× (${fmt(row.api.p99)} vs ${fmt(row.raw.p99)} ms)`,
      met: row.api.p99 <= 1.3 * row.raw.p99,
    })),
    ...r.actions.map((a) => ({
      goal: `action p99 ≤ 1.3× raw (${a.cache} cache)`,
      measured: `${ratio(a.api.p99, a.raw.p99)}× (${fmt(a.api.p99)} vs ${fmt(a.raw.p99)} ms)`,
      met: a.api.p99 <= 1.3 * a.raw.p99,
    })),
  );
  if (maxTimer) {
    list.push({
      goal: `timer p99 lateness < 2 s (${maxTimer.cases} cases${maxTimer.cases < 5000 ? '; the goal is stated at 5k' : ''})`,
      measured: `${maxTimer.activityStarted.p99} ms to the reminder's write (${maxTimer.fired.p99} ms to TimerFired)`,
      met: maxTimer.activityStarted.p99 < 2000,
    });
  }
  if (scale0 && scaleN && scaleN !== scale0) {
    list.push({
      goal: `intake throughput at ${scaleN.openCases} open ≥ 0.8× at ${scale0.openCases}`,
      measured: `${ratio(scaleThroughput(scaleN), scaleThroughput(scale0))}× (${scaleN.saturation ? 'saturation' : `open loop at ${scaleN.intake.rate}/s`}, API; p99 ${fmt(scale0.intake.api.p99)} → ${fmt(scaleN.intake.api.p99)} ms)`,
      met: scaleThroughput(scaleN) >= 0.8 * scaleThroughput(scale0),
    });
    // Beyond the cache size, more open cases must not mean more memory: compare the levels above the cache.
    const cache = r.settings.maxCachedWorkflows;
    const above = r.scale.filter((row) => row.openCases > cache);
    const first = above[0];
    const last = above.at(-1);
    const levels = r.scale.map((row) => `${row.openCases} open: ${row.rssMb} MB, ${row.cachedWorkflows} cached`);
    list.push({
      goal: `worker RSS bounded by its cache (${cache} workflows), not by the open cases`,
      measured:
        first && last && first !== last
          ? `${levels.join('; ')} (RSS ${ratio(last.rssMb, first.rssMb)}× from ${first.openCases} to ${last.openCases} open)`
          : `${levels.join('; ')}; needs two levels above the cache size`,
      met: first && last && first !== last ? last.rssMb <= 1.25 * first.rssMb : 'untested',
    });
  }
  const mixed = r.mixed ?? [];
  if (mixed.length) {
    const held = highestHeld(mixed);
    const top = held.at(-1)!;
    list.push({
      goal: 'mixed load: 10× the anchor at 50 000 open cases, p99 < 300 ms for intakes, actions and reads, no errors',
      measured: held.map((h) => `${h.multiple ? `${h.multiple}×` : 'none'} held at ${h.background} open`).join('; '),
      met: top.background >= 50_000 ? top.multiple >= 10 : held.some((h) => h.multiple < 10) ? false : 'untested',
    });
  }
  return list;
}

// ── Main ─────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Runs a phase within `ms`: its loops stop at their next step once the time is up (checkBudget), and the phase is
 * reported as cut short even if one long wait inside it has not returned yet.
 */
async function withBudget<T>(name: string, ms: number, fn: () => Promise<T>, graceMs = 30_000): Promise<T> {
  budget.phase = name;
  budget.deadline = performance.now() + ms;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    // A little after the deadline, for a phase caught in one long wait.
    timer = setTimeout(() => reject(new TooSlow(`${name} ran over its time budget of ${ms / 1000} s`)), ms + graceMs);
  });
  try {
    return await Promise.race([fn(), timeout]);
  } finally {
    clearTimeout(timer);
    budget.deadline = Infinity;
  }
}

/** Writes the JSON and markdown of a run, complete or not, and prints the table. */
async function writeResults(results: Partial<Results>, profile: Profile, note?: string): Promise<void> {
  const r = results as Results;
  r.durationSeconds = round((performance.now() - runStarted) / 1000);
  if (note) (r.errors ??= []).push(note);
  const met = goals(r);
  const md = markdown(results, met);
  const out = process.argv.find((a) => a.startsWith('--out='))?.slice('--out='.length);
  const dir = out ? path.resolve(out) : path.resolve(__dirname, 'results');
  await mkdir(dir, { recursive: true });
  const stamp = r.date.replace(/[:]/g, '-').slice(0, 19);
  const base = path.join(dir, `${stamp}-${profile.name}`);
  await writeFile(`${base}.json`, JSON.stringify({ ...r, goals: met }, null, 2) + '\n');
  await writeFile(`${base}.md`, md);
  console.log('\n' + md);
  log(`wrote ${path.relative(process.cwd(), base)}.{json,md}`);
}

/** `--report=<results.json>`: writes the markdown of an earlier run again (its goals judged by this code). */
async function report(file: string): Promise<void> {
  const results = JSON.parse(await readFile(file, 'utf8')) as Results;
  const md = markdown(results as unknown as Record<string, unknown>, goals(results));
  await writeFile(file.replace(/\.json$/, '.md'), md);
  console.log(md);
}

async function main(): Promise<void> {
  const reportFile = process.argv.find((a) => a.startsWith('--report='))?.slice('--report='.length);
  if (reportFile) return report(reportFile);
  const p = process.argv.includes('--quick') ? PROFILES.quick : PROFILES.full;
  const only = process.argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const unknown = only?.filter((name) => !(PHASES as readonly string[]).includes(name));
  if (unknown?.length) throw new Error(`unknown phase(s) ${unknown.join(', ')}; phases: ${PHASES.join(', ')}`);
  const want = (phase: Phase) => !only || only.includes(phase);
  const settings = runSettings(process.argv);
  log(`profile ${p.name}; settings ${JSON.stringify(settings)}; starting servers`);
  const s = await startStack(settings);
  const results: Partial<Results> = {
    profile: p.name,
    date: new Date().toISOString(),
    machine: {
      nproc: Number(execFileSync('nproc').toString().trim()),
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memGb: round(os.totalmem() / 2 ** 30),
      load: os.loadavg().map((x) => round(x, 2)),
    },
    versions: s.versions,
    settings,
    startupMs: Object.fromEntries(Object.entries(s.startupMs).map(([k, v]) => [k, round(v)])),
    intake: [],
    actions: [],
    timers: [],
    scale: [],
    mixed: [],
  };
  // Ctrl-C or SIGTERM: keep what was measured so far, then stop the servers.
  const onSignal = (signal: string) => {
    void writeResults(results, p, `interrupted by ${signal}`)
      .catch((error: unknown) => console.error(error))
      .finally(() => void stopAllServers().finally(() => process.exit(130)));
  };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  /** Phases that failed for a reason other than time: the run then exits 2. */
  const broken: string[] = [];
  try {
    log(`stack up (${JSON.stringify(results.startupMs)}); warm-up`);
    await intakeAtRates(s, p, [10], p.warmupSeconds, 1);
    await actionRoundTrips(s, { ...p, actionCases: 4, actionRequests: 8 }, 'warm', 1);
    results.intakeCpu = intakeCpu(s.sealer);

    const phase = async (name: Phase, fn: () => Promise<void>) => {
      if (!want(name)) return;
      const t0 = performance.now();
      try {
        // The quick mixed phase stays within a minute even when a request hangs.
        const grace = name === 'mixed' && p.name === 'quick' ? 10_000 : 30_000;
        await withBudget(name, p.phaseBudgetSeconds[name] * 1000, fn, grace);
        log(`${name} done in ${round((performance.now() - t0) / 1000)} s`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        (results.errors ??= []).push(`${name}: ${message}`);
        if (!(error instanceof TooSlow)) broken.push(name);
        log(`${name} ${error instanceof TooSlow ? 'stopped' : 'failed'}: ${message}`);
      }
    };
    await phase('intake', async () => {
      results.intake = await intakeAtRates(s, p, p.intakeRates, p.blockSeconds, p.rounds);
      results.saturation = await intakeSaturation(s, p, p.rounds);
    });
    await phase('actions', async () => {
      await drain(s, p.drainCapSeconds * 1000);
      const warm = await actionRoundTrips(s, p, 'warm', p.actionRounds);
      results.actions!.push(warm.row);
      results.caseCost = await caseCost(s, [...warm.caseIds].slice(0, 8));
      const cold = await actionRoundTrips(s, p, 'evicted', p.actionRounds);
      results.actions!.push(cold.row);
    });
    await phase('timers', async () => {
      await endOpenWorkflows(s);
      for (const n of p.timerCases) results.timers!.push(await timerPrecision(s, p, n));
    });
    await phase('mixed', async () => {
      await endOpenWorkflows(s);
      await mixedLoad(
        {
          apiUrl: s.apiUrl,
          keys: s.keys,
          store: s.store,
          client: s.client,
          pids: s.pids,
          log,
          register: () => registerForMix(s),
          drain: (capMs) => drain(s, capMs),
          seed: async (target) => void (await seedOpenCases(s, target)),
          openCases: () => openCaseIds.size,
          opened: (caseId) => void openCaseIds.add(caseWorkflowId(caseId)),
          intakeBody: () => intakeBody(),
        },
        mixedProfile(p, process.argv),
        (row) => results.mixed!.push(row),
      );
    });
    await phase('scale', async () => {
      await scale(s, p, (row) => results.scale!.push(row));
    });
    await phase('lifecycle', async () => {
      try {
        results.lifecycle = await lifecycle(s, p);
      } catch (error) {
        results.lifecycleError = error instanceof Error ? error.message : String(error);
        throw error;
      }
    });
  } finally {
    await s.stop().catch((error: unknown) => log(`stop: ${String(error)}`));
  }
  if (results.errors?.length) log(`phases cut short or failed: ${results.errors.join('; ')}`);
  await writeResults(results, p);
  if (broken.length) {
    log(`broken: ${broken.join(', ')} (a phase that runs out of time is reported, not counted as broken)`);
    process.exitCode = 2;
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  async (error: unknown) => {
    console.error(error);
    await stopAllServers();
    process.exit(1);
  },
);
