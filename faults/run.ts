/**
 * The fault suite (`npm run test:faults [-- --quick]`): real servers and real processes, a steady load through the
 * API, and in turn a kill -9 of the worker (mid-activity and mid-timer), a Temporal restart on its persisted
 * database, a FerretDB outage and an API kill. Afterwards every answer the API gave with a 2xx is checked against
 * Temporal and MongoDB: no accepted intake lost, each action applied once, each reply delivered once, no reminder
 * that fell due during the run skipped. Exits 1 on any difference.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Deadline } from '../domain/calendar';
import { profileForRegion } from '../domain/profiles';
import { reminderSchedule } from '../domain/reminders';
import { loadEnv, type Env } from '../config/env';
import {
  resolveToolPaths,
  startFerretDb,
  startTemporalDevServer,
  stopAllServers,
  type FerretDbServer,
  type TemporalDevServer,
  type ToolPaths,
} from '../dev/servers';
import { connectStore, trusted } from '../store/models';
import { seedDemo } from '../worker/seed';
import { Child } from '../dev/children';
import { CLOCK_REGION, planClockLetters, type PlannedLetter } from './clock-plan';

// ── Profiles ────────────────────────────────────────────────────────────────────────────────────────────────

interface Profile {
  name: 'quick' | 'full';
  /** How long new cases keep arriving; faults are injected within this window. */
  loadMs: number;
  /** Cases taken through office acceptance, unit acknowledgement, acceptance and result. */
  flowCases: number;
  /** Cases left with the office whose half-time reminder falls due during the run. */
  clockCases: number;
  /** Rounds of the fault sequence within the load window. */
  rounds: number;
  /** After the load window: how long outstanding requests may still be retried. */
  drainMs: number;
  /** After the drain: how long the engine may take to catch up before reconciling. */
  quiesceMs: number;
}

const PROFILES: Record<Profile['name'], Profile> = {
  quick: {
    name: 'quick',
    loadMs: 90_000,
    flowCases: 40,
    clockCases: 8,
    rounds: 1,
    // An activity attempt cut off by a fault is retried only after its 1-minute StartToClose timeout, and a case's
    // actions are sequential: the drain must outlast one such wait.
    drainMs: 90_000,
    quiesceMs: 30_000,
  },
  full: {
    name: 'full',
    loadMs: 420_000,
    flowCases: 150,
    clockCases: 24,
    rounds: 2,
    drainMs: 120_000,
    quiesceMs: 90_000,
  },
};

const HOST = '127.0.0.1';
const REQUEST_TIMEOUT_MS = 20_000;
const RETRY_PAUSE_MS = 750;
const DEPT = '330100-HB';

// ── Small helpers ───────────────────────────────────────────────────────────────────────────────────────────

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const started = Date.now();
const stamp = () => `[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s]`;
const say = (line: string) => console.log(`${stamp()} ${line}`);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// ── The system under test ───────────────────────────────────────────────────────────────────────────────────

interface System {
  dir: string;
  tools: ToolPaths;
  temporalPort: number;
  temporalDb: string;
  temporal: TemporalDevServer;
  ferretPort: number;
  ferretDir: string;
  ferret: FerretDbServer;
  env: Env;
  apiUrl: string;
  worker: Child;
  api: Child;
}

async function startSystem(): Promise<System> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'xinfang-faults-'));
  const tools = await resolveToolPaths();
  const temporalPort = await freePort();
  const temporalDb = path.join(dir, 'temporal.sqlite');
  const temporal = await startTemporalDevServer({ bin: tools.temporal, port: temporalPort, dbFile: temporalDb });
  const ferretPort = await freePort();
  const ferretDir = path.join(dir, 'ferretdb');
  const ferret = await startFerretDb({ bin: tools.ferretdb, port: ferretPort, dataDir: ferretDir });
  const apiPort = await freePort();
  const vars = {
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: 'xinfang-faults',
    MONGO_URL: `${ferret.url}xinfang`,
    XINFANG_SECRET: randomBytes(32).toString('hex'),
    XINFANG_ADMIN_KEY: randomBytes(24).toString('hex'),
    HOST,
    PORT: String(apiPort),
    LOG_LEVEL: 'warn',
  };
  const env = loadEnv(vars);
  const worker = new Child({
    name: 'worker',
    script: 'worker/main.ts',
    env: vars,
    logFile: path.join(dir, 'worker.log'),
  });
  const api = new Child({ name: 'api', script: 'api/main.ts', env: vars, logFile: path.join(dir, 'api.log') });
  const system = { dir, tools, temporalPort, temporalDb, temporal, ferretPort, ferretDir, ferret, env, worker, api };
  return { ...system, apiUrl: `http://${HOST}:${apiPort}` };
}

async function waitForApi(apiUrl: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(`${apiUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`the API did not answer ${apiUrl}/healthz within ${timeoutMs / 1000} s`);
}

// ── The unit's own system: a slow webhook receiver ────────────────────────────────────────────────────────

/**
 * Stands for 330100-HB's system. It holds every delivery for a while, so a webhook activity is nearly always in
 * flight, and the mid-activity kill below can wait until one is, rather than hoping.
 */
interface Receiver {
  url: string;
  inFlight: number;
  /** Delivery ID → times received; retries after a kill may repeat one (webhooks are at least once). */
  received: Map<string, number>;
  close: () => Promise<void>;
}

async function startReceiver(holdMs: number): Promise<Receiver> {
  const receiver: Receiver = { url: '', inFlight: 0, received: new Map(), close: () => Promise.resolve() };
  const server = http.createServer((req, res) => {
    receiver.inFlight += 1;
    const id = String(req.headers['x-xinfang-delivery'] ?? '');
    req.resume();
    setTimeout(() => {
      receiver.inFlight -= 1;
      receiver.received.set(id, (receiver.received.get(id) ?? 0) + 1);
      res.writeHead(204).end();
    }, holdMs);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, HOST, resolve));
  receiver.url = `http://${HOST}:${port}/xinfang`;
  receiver.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

// ── Load: intakes and actions, each retried with its own key until it is answered ───────────────────────────

interface Ledger {
  /** Intakes answered 2xx: Idempotency-Key → caseId. */
  intakes: Map<string, string>;
  /** Actions answered 2xx. */
  actions: { caseId: string; action: string; actionId: string }[];
  /** Cases whose result was answered 2xx: a reply is owed. */
  replied: Set<string>;
  /** Clock cases: caseId → the dispose deadline the API quoted. */
  clockCases: Map<string, Deadline>;
  refused: string[];
  gaveUp: string[];
  /** Cases with an action never answered: described at the end. */
  stuck: Set<string>;

  requests: number;
  retries: number;
  /** Why attempts were retried: `HTTP 503`, `TimeoutError`, `TypeError: fetch failed`… with counts. */
  retryReasons: Map<string, number>;
  /** Steps never sent because the run ended while their case was still on an earlier step. */
  notReached: number;
  /** Requests waiting for an answer right now. */
  inFlight: number;
}

type Answer = { status: number; body: Record<string, unknown> };

/**
 * Sends one logical request until it is answered with something other than a network error, a timeout, a 5xx or
 * a 429, always with the same key, so that a 2xx means exactly one effect.
 */
async function send(
  label: string,
  ledger: Ledger,
  hardStop: number,
  url: string,
  key: string,
  body: object,
  headers: Record<string, string> = {},
): Promise<Answer | undefined> {
  let last = 'never sent';
  let attempt = 0;
  for (; Date.now() < hardStop; attempt++) {
    if (attempt > 0) {
      ledger.retries += 1;
      await sleep(RETRY_PAUSE_MS);
    }
    ledger.requests += 1;
    ledger.inFlight += 1;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await res.text();
      if (res.status >= 500 || res.status === 429) {
        last = `HTTP ${res.status} ${text.slice(0, 200)}`;
        const reason = `${url.includes('/v1/cases/') ? 'action' : 'intake'} HTTP ${res.status}`;
        ledger.retryReasons.set(reason, (ledger.retryReasons.get(reason) ?? 0) + 1);
        continue;
      }
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    } catch (error) {
      // Connection refused (API down), reset (API killed mid-request) or our timeout: the same key again.
      last = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const reason = `${url.includes('/v1/cases/') ? 'action' : 'intake'} ${error instanceof Error ? error.name : 'error'}`;
      ledger.retryReasons.set(reason, (ledger.retryReasons.get(reason) ?? 0) + 1);
    } finally {
      ledger.inFlight -= 1;
    }
  }
  // A step the run's time ran out before is not a request left unanswered: its case was still on an earlier one.
  if (attempt === 0) ledger.notReached += 1;
  else ledger.gaveUp.push(`${label}: ${attempt} attempts, the last: ${last}`);
  return undefined;
}

const complaint = (n: number) => ({
  channel: 'online',
  kind: 'complaint',
  category: 'environment',
  regionCode: '330106',
  subject: `Fault-suite case ${n}: construction noise`,
  content: 'Work goes on past midnight.',
  petitioner: { name: '测试', phone: `1380000${String(n).padStart(4, '0')}` },
});

async function driveFlowCase(sys: System, keys: DemoKeys, ledger: Ledger, n: number, hardStop: number): Promise<void> {
  const idempotencyKey = `faults-flow-${n}-${randomBytes(4).toString('hex')}`;
  const intake = await send(
    `intake ${idempotencyKey}`,
    ledger,
    hardStop,
    `${sys.apiUrl}/v1/cases`,
    keys.intake,
    complaint(n),
    {
      'idempotency-key': idempotencyKey,
    },
  );
  if (!intake) return;
  if (intake.status >= 300) return void ledger.refused.push(`intake ${idempotencyKey}: ${intake.status}`);
  const caseId = String(intake.body.caseId);
  ledger.intakes.set(idempotencyKey, caseId);

  const steps: { action: string; key: string; body: Record<string, unknown> }[] = [
    { action: 'acceptance', key: keys.office, body: { decision: 'accept' } },
    { action: 'acknowledgement', key: keys.dept, body: {} },
    { action: 'acceptance', key: keys.dept, body: { decision: 'accept' } },
    {
      action: 'result',
      key: keys.dept,
      body: {
        decision: 'support',
        factsAndReasons: 'Inspection on site confirmed work after 22:00.',
        legalBasis: 'Noise Pollution Prevention Law Art 43',
      },
    },
  ];
  for (const [i, step] of steps.entries()) {
    const actionId = `faults-${caseId}-${i}-${step.action}`;
    const url = `${sys.apiUrl}/v1/cases/${caseId}/${step.action}`;
    const answer = await send(`${step.action} ${actionId}`, ledger, hardStop, url, step.key, {
      actionId,
      ...step.body,
    });
    if (!answer) return void ledger.stuck.add(caseId);
    if (answer.status >= 300) {
      return void ledger.refused.push(`${step.action} ${actionId}: ${answer.status} ${String(answer.body.detail)}`);
    }
    ledger.actions.push({ caseId, action: step.action, actionId });
    if (step.action === 'result') ledger.replied.add(caseId);
  }
}

async function driveClockCase(
  sys: System,
  keys: DemoKeys,
  ledger: Ledger,
  n: number,
  letter: PlannedLetter,
  hardStop: number,
): Promise<void> {
  const idempotencyKey = `faults-clock-${n}-${randomBytes(4).toString('hex')}`;
  const body = {
    ...complaint(1000 + n),
    regionCode: CLOCK_REGION,
    subject: `Fault-suite clock case ${n}`,
    receivedAt: letter.receivedAt,
  };
  const intake = await send(`intake ${idempotencyKey}`, ledger, hardStop, `${sys.apiUrl}/v1/cases`, keys.intake, body, {
    'idempotency-key': idempotencyKey,
  });
  if (!intake) return;
  if (intake.status >= 300) return void ledger.refused.push(`intake ${idempotencyKey}: ${intake.status}`);
  const caseId = String(intake.body.caseId);
  ledger.intakes.set(idempotencyKey, caseId);
  // The API quotes the dispose deadline from the built-in calendar; the worker counts with the suite's calendar.
  ledger.clockCases.set(caseId, letter.deadline);
}

interface DemoKeys {
  intake: string;
  office: string;
  dept: string;
}

// ── Faults ──────────────────────────────────────────────────────────────────────────────────────────────────

interface Fault {
  at: number;
  name: string;
  run: () => Promise<void>;
}

function faultPlan(
  sys: System,
  ledger: Ledger,
  profile: Profile,
  t0: number,
  reminderTimes: number[],
  receiver: Receiver,
): Fault[] {
  const faults: Fault[] = [];
  const round = profile.loadMs / profile.rounds;
  for (let r = 0; r < profile.rounds; r++) {
    const base = t0 + r * round;
    const at = (fraction: number) => base + fraction * round;
    faults.push({
      at: at(0.1),
      name: 'kill -9 worker mid-activity (a webhook delivery in flight), restart after 3 s',
      run: async () => {
        const until = Date.now() + 20_000;
        while (receiver.inFlight === 0 && Date.now() < until) await sleep(20);
        say(`  ${receiver.inFlight} webhook deliveries in flight at the kill`);
        await sys.worker.stop('SIGKILL');
        await sleep(3_000);
        sys.worker.start();
      },
    });
    // The worker is dead across a reminder's due time: the timer must fire late, not be lost.
    const reminder = reminderTimes[r];
    if (reminder !== undefined)
      faults.push({
        at: reminder - 4_000,
        name: `kill -9 worker mid-timer (a reminder due at +${((reminder - t0) / 1000).toFixed(0)} s), restart 10 s later`,
        run: async () => {
          await sys.worker.stop('SIGKILL');
          await sleep(10_000);
          sys.worker.start();
        },
      });
    faults.push({
      at: at(0.45),
      name: 'restart the Temporal dev server on its persisted database (SIGTERM, start on the same port)',
      run: async () => {
        await sys.temporal.stop();
        sys.temporal = await startTemporalDevServer({
          bin: sys.tools.temporal,
          port: sys.temporalPort,
          dbFile: sys.temporalDb,
        });
      },
    });
    faults.push({
      at: at(0.6),
      name: 'stop FerretDB for 15 s, start it again on the same data directory',
      run: async () => {
        await sys.ferret.stop();
        await sleep(15_000);
        sys.ferret = await startFerretDb({ bin: sys.tools.ferretdb, port: sys.ferretPort, dataDir: sys.ferretDir });
      },
    });
    faults.push({
      at: at(0.85),
      name: 'kill -9 the API mid-request, restart it',
      run: async () => {
        const until = Date.now() + 20_000;
        while (ledger.inFlight === 0 && Date.now() < until) await sleep(20);
        say(`  ${ledger.inFlight} requests in flight at the kill`);
        await sys.api.stop('SIGKILL');
        await sleep(1_000);
        sys.api.start();
        await waitForApi(sys.apiUrl);
      },
    });
  }
  return faults.sort((a, b) => a.at - b.at);
}

// ── Reconciliation ──────────────────────────────────────────────────────────────────────────────────────────

interface Findings {
  casesLost: string[];
  actionsLost: string[];
  duplicates: string[];
  repliesMissing: string[];
  remindersSkipped: string[];
  remindersDue: number;
  activitiesRetried: number;
  stuckCases: string[];
  /** How late the latest reminder fired after its due time (a worker was dead across one of them). */
  maxReminderLateMs: number;
}

async function reconcile(sys: System, ledger: Ledger, until: number): Promise<Findings> {
  const connection = await Connection.connect({ address: sys.temporal.address });
  const client = new Client({ connection, namespace: 'default' });
  const store = connectStore(sys.env.MONGO_URL);
  const findings: Findings = {
    casesLost: [],
    actionsLost: [],
    duplicates: [],
    repliesMissing: [],
    remindersSkipped: [],
    remindersDue: 0,
    activitiesRetried: 0,
    stuckCases: [],
    maxReminderLateMs: 0,
  };
  try {
    await store.connection.asPromise();
    const caseIds = [...new Set(ledger.intakes.values())];
    // Reminders owed: those of each clock case that fell due after its intake and before now.
    const owed = new Map<string, number>();
    for (const [caseId, deadline] of ledger.clockCases) {
      const rules = profileForRegion(CLOCK_REGION).reminders;
      const due = reminderSchedule(deadline, rules).filter(
        (r) => Date.parse(r.at) <= until && Date.parse(r.at) > started,
      );
      owed.set(caseId, due.length);
    }

    // Quiescence: records written, replies delivered and reminders fired, or the deadline passes.
    const quietBy = Date.now() + PROFILE.quiesceMs;
    for (;;) {
      const records = await store.cases.countDocuments({ _id: trusted({ $in: caseIds }) });
      const replies = await store.outbox.countDocuments({
        _id: trusted({ $in: [...ledger.replied].map((id) => `${id}:reply:0`) }),
      });
      const reminders = await store.outbox.countDocuments({
        caseId: trusted({ $in: [...owed.keys()] }),
        kind: 'reminder',
      });
      const owedTotal = [...owed.values()].reduce((a, b) => a + b, 0);
      if (
        (records === caseIds.length && replies === ledger.replied.size && reminders >= owedTotal) ||
        Date.now() > quietBy
      ) {
        say(
          `quiescence: ${records}/${caseIds.length} records, ${replies}/${ledger.replied.size} replies, ${reminders}/${owedTotal} reminders`,
        );
        break;
      }
      await sleep(1_000);
    }

    // Every 2xx intake: exactly one workflow, exactly one record; and nothing on the queue that was not asked for.
    for (const caseId of caseIds) {
      let runs = 0;
      for await (const _ of client.workflow.list({ query: `WorkflowId = 'case-${caseId}'` })) runs += 1;
      if (runs === 0) findings.casesLost.push(`${caseId}: no workflow`);
      if (runs > 1) findings.duplicates.push(`${caseId}: ${runs} workflow executions`);
      const records = await store.cases.countDocuments({ _id: caseId });
      if (records === 0) findings.casesLost.push(`${caseId}: no MongoDB record`);
    }
    let onQueue = 0;
    for await (const _ of client.workflow.list({ query: `TaskQueue = '${sys.env.TEMPORAL_TASK_QUEUE}'` })) onQueue += 1;
    if (onQueue > caseIds.length)
      findings.duplicates.push(`${onQueue} workflows on the task queue for ${caseIds.length} intakes`);
    const records = await store.cases.countDocuments({});
    if (records > caseIds.length) findings.duplicates.push(`${records} case records for ${caseIds.length} intakes`);

    // Every 2xx action: its Update accepted exactly once in the case's history. The histories also show how many
    // activities needed more than one attempt, the trace of the kills and the outage.
    const byCase = new Map<string, string[]>();
    for (const a of ledger.actions) byCase.set(a.caseId, [...(byCase.get(a.caseId) ?? []), a.actionId]);
    for (const caseId of caseIds) {
      const history = await client.workflow.getHandle(`case-${caseId}`).fetchHistory();
      const accepted = new Map<string, number>();
      for (const event of history.events ?? []) {
        const id = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId;
        if (id) accepted.set(id, (accepted.get(id) ?? 0) + 1);
        if ((event.activityTaskStartedEventAttributes?.attempt ?? 1) > 1) findings.activitiesRetried += 1;
      }
      for (const actionId of byCase.get(caseId) ?? []) {
        const times = accepted.get(actionId) ?? 0;
        if (times === 0) findings.actionsLost.push(`${caseId}: ${actionId}`);
        if (times > 1) findings.duplicates.push(`${caseId}: ${actionId} accepted ${times} times`);
      }
    }

    // Cases with an unanswered action: where their workflow stands, for the report.
    for (const caseId of ledger.stuck) {
      const handle = client.workflow.getHandle(`case-${caseId}`);
      const description = await handle.describe();
      const pending = (description.raw.pendingActivities ?? []).map(
        (a) => `${a.activityType?.name} attempt ${a.attempt} (${a.lastFailure?.message ?? 'no failure'})`,
      );
      const events = (await handle.fetchHistory()).events ?? [];
      const tail = events.slice(-8).map((e) => String(e.eventType));
      findings.stuckCases.push(
        `${caseId}: ${description.status.name}, pending [${pending.join('; ')}], last events ${tail.join(' ')}`,
      );
    }

    // Every case whose result was answered 2xx: one reply, and only one.
    for (const caseId of ledger.replied) {
      const replies = await store.outbox.countDocuments({ caseId, kind: 'reply' });
      if (replies === 0) findings.repliesMissing.push(caseId);
      if (replies > 1) findings.duplicates.push(`${caseId}: ${replies} replies`);
    }

    // Every reminder that fell due during the run: sent once (the outbox ID is per clock and reminder).
    for (const [caseId, due] of owed) {
      findings.remindersDue += due;
      const sent = await store.outbox.countDocuments({ caseId, kind: 'reminder' });
      const entries = await store.timeline.countDocuments({ caseId, type: 'reminder' });
      if (sent < due || entries < due)
        findings.remindersSkipped.push(`${caseId}: ${due} due, ${sent} sent, ${entries} in timeline`);
      if (sent > due) findings.duplicates.push(`${caseId}: ${sent} reminders for ${due} due`);
      const deadline = ledger.clockCases.get(caseId)!;
      const half = reminderSchedule(deadline, profileForRegion(CLOCK_REGION).reminders).find((r) =>
        r.key.endsWith('half'),
      );
      const fired = await store.timeline.findOne({ caseId, type: 'reminder' }).lean();
      if (half && fired) {
        findings.maxReminderLateMs = Math.max(findings.maxReminderLateMs, fired.at.getTime() - Date.parse(half.at));
      }
    }
  } finally {
    await store.connection.close();
    await connection.close();
  }
  return findings;
}

// ── Main ────────────────────────────────────────────────────────────────────────────────────────────────────

const PROFILE = PROFILES[process.argv.includes('--quick') ? 'quick' : 'full'];

async function main(): Promise<number> {
  say(
    `fault suite, ${PROFILE.name} profile: ${PROFILE.flowCases} flow cases and ${PROFILE.clockCases} clock cases over ${PROFILE.loadMs / 1000} s`,
  );
  const sys = await startSystem();
  process.on('exit', () => {
    sys.worker.killNow();
    sys.api.killNow();
  });
  say(`servers up in ${sys.dir}`);
  const { keys: demo } = await seedDemo(sys.env);
  const keyOf = (role: string, unitCode?: string) => demo.find((k) => k.role === role && k.unitCode === unitCode)!.key;
  const keys: DemoKeys = { intake: keyOf('intake'), office: keyOf('office'), dept: keyOf('department', DEPT) };
  const receiver = await startReceiver(2_000);
  {
    const store = connectStore(sys.env.MONGO_URL);
    await store.connection.asPromise();
    await store.units.updateOne(
      { _id: DEPT },
      { $set: { webhookUrl: receiver.url, webhookSecret: randomBytes(16).toString('hex') } },
    );
    await store.connection.close();
  }
  sys.worker.start();
  sys.api.start();
  await waitForApi(sys.apiUrl);
  say('worker and API started; load begins');

  const ledger: Ledger = {
    intakes: new Map(),
    actions: [],
    replied: new Set(),
    clockCases: new Map(),
    refused: [],
    gaveUp: [],
    stuck: new Set(),
    requests: 0,
    retries: 0,
    retryReasons: new Map(),
    notReached: 0,
    inFlight: 0,
  };
  const t0 = Date.now();
  const loadEnd = t0 + PROFILE.loadMs;
  const hardStop = loadEnd + PROFILE.drainMs;
  // One mid-timer kill per round lands on the first clock case due in that round; the others spread over the load.
  const round = PROFILE.loadMs / PROFILE.rounds;
  const targets = Array.from({ length: PROFILE.clockCases }, (_, i) => {
    if (i < PROFILE.rounds) return t0 + i * round + 0.25 * round;
    return Math.round(t0 + 30_000 + ((i - PROFILE.rounds) / PROFILE.clockCases) * (PROFILE.loadMs - 30_000));
  });
  const plan = planClockLetters(targets.map(Math.round));
  if (plan.dropped.length) say(`${plan.dropped.length} reminder targets could not be served and are left out`);
  if (plan.years.length) {
    const store = connectStore(sys.env.MONGO_URL);
    await store.connection.asPromise();
    for (const year of plan.years) {
      await store.calendarYears.updateOne(
        { _id: year.year },
        { $set: { holidays: year.holidays, workdays: year.workdays, source: year.source, loadedAt: new Date() } },
        { upsert: true },
      );
    }
    await store.connection.close();
  }
  const reminderTimes = plan.letters.map((l) => l.reminderAt);

  const drivers: Promise<void>[] = [];
  const scheduler = (async () => {
    const interval = (PROFILE.loadMs * 0.9) / PROFILE.flowCases;
    for (let n = 0; n < PROFILE.flowCases; n++) {
      await sleep(Math.max(0, t0 + n * interval - Date.now()));
      drivers.push(driveFlowCase(sys, keys, ledger, n, hardStop));
    }
  })();
  // Clock cases register at once, so each is recorded well before its reminder falls due.
  for (const [i, letter] of plan.letters.entries())
    drivers.push(driveClockCase(sys, keys, ledger, i, letter, hardStop));

  const faults = faultPlan(sys, ledger, PROFILE, t0, reminderTimes, receiver);
  let injected = 0;
  for (const fault of faults) {
    await sleep(Math.max(0, fault.at - Date.now()));
    say(`fault ${injected + 1}/${faults.length}: ${fault.name}`);
    const began = Date.now();
    await fault.run();
    injected += 1;
    say(`  recovered in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  }
  await scheduler;
  await Promise.all(drivers);
  const reasons = [...ledger.retryReasons].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} × ${n}`);
  say(`load done: ${ledger.requests} requests (${ledger.retries} retries: ${reasons.join(', ')}); reconciling`);

  const findings = await reconcile(sys, ledger, Date.now());
  say(
    `${findings.activitiesRetried} activities took more than one attempt; ` +
      `the latest reminder fired ${(findings.maxReminderLateMs / 1000).toFixed(1)} s after its due time`,
  );
  const actionsLost = findings.actionsLost.length;
  const casesLost = findings.casesLost.length;
  const problems = [
    ...findings.casesLost.map((f) => `case lost: ${f}`),
    ...findings.actionsLost.map((f) => `action lost: ${f}`),
    ...findings.duplicates.map((f) => `duplicate: ${f}`),
    ...findings.repliesMissing.map((f) => `reply missing: ${f}`),
    ...findings.remindersSkipped.map((f) => `reminder skipped: ${f}`),
    ...ledger.refused.map((f) => `refused: ${f}`),
  ];
  // A request never answered was never acknowledged: nothing was promised, so it is reported, not failed. Its case
  // is listed with where its workflow stands, so a case that is really stuck shows.
  const warnings = [
    ...ledger.gaveUp.map((f) => `never answered within the run: ${f}`),
    ...findings.stuckCases.map((f) => `case with an unanswered action: ${f}`),
  ];
  for (const line of problems.slice(0, 50)) console.log(`  ${line}`);
  if (problems.length > 50) console.log(`  … and ${problems.length - 50} more`);
  for (const line of warnings.slice(0, 20)) console.log(`  warning: ${line}`);

  // Not a failure of the guarantees, but worth knowing: a process that ended on its own was restarted after 2 s.
  for (const [name, child] of [
    ['worker', sys.worker],
    ['API', sys.api],
  ] as const) {
    for (const exit of child.unexpectedExits)
      console.log(`  note: the ${name} exited on its own (${exit}) and was restarted`);
  }
  const deliveries = [...receiver.received.values()];
  say(
    `webhooks: ${deliveries.length} notifications received by the unit, ` +
      `${deliveries.filter((n) => n > 1).length} of them more than once (at-least-once delivery after a kill)`,
  );
  await receiver.close();
  await sys.api.stop();
  await sys.worker.stop();
  await Promise.all([sys.worker.close(), sys.api.close()]);
  await stopAllServers();
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(
    `faults: cases driven ${ledger.intakes.size}, actions ${ledger.actions.length}, replies ${ledger.replied.size}, ` +
      `reminders due ${findings.remindersDue}, faults injected ${injected}, cases lost ${casesLost}, ` +
      `actions lost ${actionsLost}, duplicates ${findings.duplicates.length}, replies missing ${findings.repliesMissing.length}, ` +
      `reminders skipped ${findings.remindersSkipped.length}, unanswered ${ledger.gaveUp.length}, not reached ${ledger.notReached}, refused ${ledger.refused.length} ` +
      `(${PROFILE.name}, ${seconds} s)`,
  );
  if (problems.length === 0) await rm(sys.dir, { recursive: true, force: true });
  else console.log(`logs kept in ${sys.dir}`);
  return problems.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    await stopAllServers();
    process.exit(2);
  },
);
