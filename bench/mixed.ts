/**
 * The mixed-load phase of bench/run.ts (`--only=mixed`): an office's day at multiples of a big-city hotline. One open
 * loop sends intakes, office and department actions on cases registered earlier in the run, and petitioner tracking
 * reads, each at an instant scheduled in advance; every latency counts from that intended instant, so a stalled
 * server cannot hide its queueing (no coordinated omission). See docs/performance.md, "Mixed load".
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Client } from '@temporalio/client';
import { hashKey } from '../store/api-keys';
import { caseWorkflowId } from '../domain/ids';
import { CaseUnit } from '../domain/search-attributes';
import { trusted, type Store } from '../store/models';
import { checkBudget, percentile } from './stats';

/**
 * Beijing 12345: about 20 million contacts a year, 0.63 intakes a second, about 6 actions per case over its life.
 * Petitioners' tracking reads are not in the published figures: two per case is assumed.
 */
export const ANCHOR = { intakesPerSecond: 0.63, actionsPerCase: 6, readsPerCase: 2 } as const;

/** Interactive latency goal of the phase (ms): p99 under it, and no errors, for a multiple to count as held. */
export const P99_GOAL_MS = 300;

export interface MixedProfile {
  /** Multiples of the anchor load, run in this order at each background level. */
  multiples: number[];
  /** Open cases (holding far timers) in the background, seeded before the level's steps. */
  backgrounds: number[];
  stepSeconds: number;
  /** Longest wait for the workers to go idle after a step (its registrations land), seconds. */
  drainCapSeconds: number;
}

/** One case's actions in the order a case lives them: office, then its unit. */
const SCRIPT = [
  'acceptance-office',
  'acknowledgement',
  'acceptance-unit',
  'supplement',
  'supplement',
  'result',
] as const;
type ActionOp = (typeof SCRIPT)[number];
const OPS = ['intake', ...new Set(SCRIPT), 'actions', 'track'] as const;
export type MixedOp = (typeof OPS)[number];

export interface OpStats {
  /** Sent in the step; for actions, the instants that found a case ready. */
  n: number;
  errors: number;
  /** Status codes (or `timeout`, `network`) of the errors. */
  errorKinds: Record<string, number>;
  p50: number;
  p99: number;
  max: number;
}

export interface MixedRow {
  multiple: number;
  /** Background level asked for, and the cases actually open when the step began (the action pool included). */
  background: number;
  openAtStart: number;
  seconds: number;
  /** Offered rates per second. */
  rates: { intake: number; actions: number; track: number };
  ops: Record<MixedOp, OpStats>;
  /** Action instants that found no case ready for its next action (not sent, not counted as errors). */
  actionsSkipped: number;
  /** Intended send instant of an intake → its dispose clock started (timeline time, workflow clock), ms. */
  registration: { measured: number; unregistered: number; p50: number; p99: number; max: number };
  /** CPU seconds per wall second of each process over the step (1.0 = one core busy). */
  cpu: Record<CpuProcess, number>;
  /** Seconds the workers took to go idle after the step. */
  drainSeconds: number;
  /** p99 < P99_GOAL_MS for intakes, actions and reads, no errors, no skipped action. */
  held: boolean;
}

export type CpuProcess = 'worker' | 'api' | 'temporal' | 'ferretdb';

export interface RegisteredCase {
  caseId: string;
  trackingCode: string;
  pin: string;
}

export interface MixedContext {
  apiUrl: string;
  keys: { intake: string; office: string };
  store: Store;
  client: Client;
  pids: Record<CpuProcess, number | undefined>;
  log(message: string): void;
  /** Registers one case in-process (registerCase, the API's path without HTTP). */
  register(): Promise<RegisteredCase>;
  /** Waits until the case workers have had nothing in flight for 2 s, or `capMs`; seconds waited. */
  drain(capMs: number): Promise<number>;
  /** Brings the open cases up to `target` (the scale phase's seeding). */
  seed(target: number): Promise<void>;
  openCases(): number;
  /** Counts a case started over HTTP as open. */
  opened(caseId: string): void;
  /** The request body of a fresh intake (fresh subject and phone: no repeat merging). */
  intakeBody(): Record<string, unknown>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number, digits = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : NaN);
const REQUEST_TIMEOUT_MS = 30_000;

// ── CPU of each process from /proc ──────────────────────────────────────────────────────────────────────────

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process, in seconds (NaN when it cannot be read). */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

function cpuSnapshot(pids: MixedContext['pids']): Record<CpuProcess, number> {
  return {
    worker: cpuSeconds(pids.worker),
    api: cpuSeconds(pids.api),
    temporal: cpuSeconds(pids.temporal),
    ferretdb: cpuSeconds(pids.ferretdb),
  };
}

// ── Requests ────────────────────────────────────────────────────────────────────────────────────────────────

interface Outcome {
  ok: boolean;
  kind?: string;
  body?: unknown;
}

async function call(url: string, init: RequestInit, okStatus: number[]): Promise<Outcome> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const body: unknown = await res.json().catch(() => undefined);
    return okStatus.includes(res.status) ? { ok: true, body } : { ok: false, kind: String(res.status), body };
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    return { ok: false, kind: name === 'TimeoutError' ? 'timeout' : 'network' };
  }
}

function actionRequest(ctx: MixedContext, department: string, op: ActionOp, caseId: string) {
  const actionId = `mix-${randomUUID()}`;
  const [path, key, body]: [string, string, Record<string, unknown>] = (() => {
    switch (op) {
      case 'acceptance-office':
        return ['acceptance', ctx.keys.office, { actionId, decision: 'accept' }];
      case 'acknowledgement':
        return ['acknowledgement', department, { actionId }];
      case 'acceptance-unit':
        return ['acceptance', department, { actionId, decision: 'accept' }];
      case 'supplement':
        return ['supplement', ctx.keys.office, { actionId, content: 'A further photo of the site, taken at 01:00.' }];
      case 'result':
        return [
          'result',
          department,
          {
            actionId,
            decision: 'explain',
            factsAndReasons: 'The site works under a night permit until the end of the month; inspected on site.',
            legalBasis: 'Noise Pollution Prevention Law Art 43',
          },
        ];
    }
  })();
  return call(
    `${ctx.apiUrl}/v1/cases/${caseId}/${path}`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    },
    [200],
  );
}

// ── The phase ───────────────────────────────────────────────────────────────────────────────────────────────

interface PoolCase extends RegisteredCase {
  /** Index of its next action in SCRIPT. */
  next: number;
}

/** The department key of the unit that bench intakes are routed to, found by routing one case. */
async function departmentKey(ctx: MixedContext, probe: RegisteredCase): Promise<string> {
  const accepted = await actionRequest(ctx, '', 'acceptance-office', probe.caseId);
  if (!accepted.ok) throw new Error(`mixed: office acceptance of a probe case failed (${accepted.kind})`);
  const description = await ctx.client.workflow.getHandle(caseWorkflowId(probe.caseId)).describe();
  const unitCode = description.typedSearchAttributes.get(CaseUnit)?.[0];
  if (!unitCode) throw new Error('mixed: the probe case was transferred to no unit');
  const key = `bench-dept-${randomUUID()}`;
  await ctx.store.apiKeys.create({ _id: `bench-dept-${unitCode}`, hash: hashKey(key), role: 'department', unitCode });
  ctx.log(`mixed: actions go to unit ${unitCode}`);
  return key;
}

interface Sample {
  ok: boolean;
  /** From the intended send instant, ms. */
  ms: number;
  kind?: string;
  /** The intended send instant, epoch ms. */
  dueAt: number;
}

function opStats(samples: Sample[]): OpStats {
  const sorted = samples
    .filter((s) => s.ok)
    .map((s) => s.ms)
    .sort((a, b) => a - b);
  const errorKinds: Record<string, number> = {};
  for (const s of samples) if (!s.ok) errorKinds[s.kind ?? '?'] = (errorKinds[s.kind ?? '?'] ?? 0) + 1;
  return {
    n: samples.length,
    errors: samples.length - sorted.length,
    errorKinds,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? NaN),
  };
}

export async function mixedLoad(
  ctx: MixedContext,
  p: MixedProfile,
  onRow: (row: MixedRow) => void,
): Promise<MixedRow[]> {
  const rows: MixedRow[] = [];
  const pool = await preparePool(ctx, p);
  for (const background of p.backgrounds) {
    await ctx.seed(background);
    for (const multiple of p.multiples) {
      const rates = ratesAt(multiple);
      await topUp(ctx, pool, rates, p.stepSeconds);
      await ctx.drain(p.drainCapSeconds * 1000);
      const { row } = await step(ctx, p, { multiple, background, rates, ...pool });
      rows.push(row);
      onRow(row);
    }
  }
  return rows;
}

interface Pool {
  /** Cases ready for their next action, oldest first; a case goes to the back after each action. */
  ready: PoolCase[];
  /** Every case of the phase, for tracking reads. */
  known: RegisteredCase[];
  department: string;
}

async function preparePool(ctx: MixedContext, p: MixedProfile): Promise<Pool> {
  const probe = await ctx.register();
  await ctx.drain(p.drainCapSeconds * 1000);
  const department = await departmentKey(ctx, probe);
  return { ready: [], known: [probe], department };
}

function ratesAt(multiple: number): MixedRow['rates'] {
  return {
    intake: ANCHOR.intakesPerSecond * multiple,
    actions: ANCHOR.intakesPerSecond * ANCHOR.actionsPerCase * multiple,
    track: ANCHOR.intakesPerSecond * ANCHOR.readsPerCase * multiple,
  };
}

/**
 * Registers enough cases that every action instant of a step finds one ready: each takes SCRIPT.length actions, and
 * the step's own intakes join the queue too late to carry its start.
 */
async function topUp(ctx: MixedContext, pool: Pool, rates: MixedRow['rates'], seconds: number): Promise<void> {
  const needed = Math.ceil((rates.actions * seconds * 1.25) / SCRIPT.length) + 10;
  const missing = Math.max(0, needed - pool.ready.length);
  let done = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (done < missing) {
        checkBudget();
        done += 1;
        const c = await ctx.register();
        pool.ready.push({ ...c, next: 0 });
        pool.known.push(c);
      }
    }),
  );
}

interface StepInput {
  multiple: number;
  background: number;
  rates: MixedRow['rates'];
  ready: PoolCase[];
  known: RegisteredCase[];
  department: string;
}

async function step(
  ctx: MixedContext,
  p: MixedProfile,
  input: StepInput,
): Promise<{ row: MixedRow; samples: Record<MixedOp, Sample[]> }> {
  const { multiple, background, rates, ready, known, department } = input;
  const openAtStart = ctx.openCases();
  // The schedule, fixed in advance: each stream evenly spaced at its rate, offset so the streams interleave.
  type Kind = 'intake' | 'action' | 'track';
  const schedule: { at: number; kind: Kind }[] = [];
  const add = (kind: Kind, rate: number, offset: number) => {
    const n = Math.floor(rate * p.stepSeconds);
    for (let i = 0; i < n; i++) schedule.push({ at: ((i + offset) * 1000) / rate, kind });
  };
  add('intake', rates.intake, 0);
  add('action', rates.actions, 0.37);
  add('track', rates.track, 0.71);
  schedule.sort((a, b) => a.at - b.at);

  const samples = Object.fromEntries(OPS.map((op) => [op, []])) as unknown as Record<MixedOp, Sample[]>;
  /** Intake: case ID and the intended send instant (epoch ms), for the registration lag. */
  const intakes: { caseId: string; sentAt: number }[] = [];
  let skipped = 0;
  const pending: Promise<void>[] = [];
  const cpuBefore = cpuSnapshot(ctx.pids);
  const start = performance.now();
  const epochStart = Date.now();

  const send = (kind: Kind, due: number): Promise<void> | undefined => {
    const took = () => performance.now() - due;
    const dueAt = epochStart + (due - start);
    if (kind === 'intake') {
      return call(
        `${ctx.apiUrl}/v1/cases`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${ctx.keys.intake}`,
            'content-type': 'application/json',
            'idempotency-key': randomUUID(),
          },
          body: JSON.stringify(ctx.intakeBody()),
        },
        [201],
      ).then((o) => {
        samples.intake.push({ ok: o.ok, ms: took(), kind: o.kind, dueAt });
        const body = o.body as { caseId?: string; trackingCode?: string; pin?: string } | undefined;
        if (o.ok && body?.caseId && body.trackingCode && body.pin) {
          const c = { caseId: body.caseId, trackingCode: body.trackingCode, pin: body.pin };
          intakes.push({ caseId: c.caseId, sentAt: dueAt });
          known.push(c);
          ready.push({ ...c, next: 0 });
          ctx.opened(c.caseId);
        }
      });
    }
    if (kind === 'track') {
      const c = known[Math.floor(Math.random() * known.length)]!;
      return call(`${ctx.apiUrl}/v1/track/${c.trackingCode}`, { headers: { 'x-tracking-pin': c.pin } }, [200]).then(
        (o) => void samples.track.push({ ok: o.ok, ms: took(), kind: o.kind, dueAt }),
      );
    }
    const c = ready.shift();
    if (!c) {
      skipped += 1;
      return undefined;
    }
    const op = SCRIPT[c.next]!;
    return actionRequest(ctx, department, op, c.caseId).then((o) => {
      const sample = { ok: o.ok, ms: took(), kind: o.kind, dueAt };
      samples[op].push(sample);
      samples.actions.push(sample);
      // A refused action leaves the case where it was: it leaves the pool rather than fail again.
      if (o.ok && c.next + 1 < SCRIPT.length) ready.push({ ...c, next: c.next + 1 });
    });
  };

  for (const { at, kind } of schedule) {
    checkBudget();
    const due = start + at;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const sent = send(kind, due);
    if (sent) pending.push(sent);
  }
  await Promise.all(pending);
  const wall = (performance.now() - start) / 1000;
  const cpuAfter = cpuSnapshot(ctx.pids);
  const drainSeconds = await ctx.drain(p.drainCapSeconds * 1000);

  // Registration lag: the timeline entry the case writes once its dispose clock runs.
  const entries = await ctx.store.timeline
    .find(
      { caseId: trusted({ $in: intakes.map((i) => i.caseId) }), type: 'dispose_clock_started' },
      { caseId: 1, at: 1 },
    )
    .lean<{ caseId: string; at: Date }[]>();
  const armedAt = new Map(entries.map((e) => [e.caseId, new Date(e.at).getTime()]));
  const lags = intakes
    .map((i) => (armedAt.get(i.caseId) ?? NaN) - i.sentAt)
    .filter((x) => Number.isFinite(x))
    .sort((a, b) => a - b);

  const ops = Object.fromEntries(OPS.map((op) => [op, opStats(samples[op])])) as Record<MixedOp, OpStats>;
  const cpu = Object.fromEntries(
    (Object.keys(cpuBefore) as CpuProcess[]).map((k) => [k, round((cpuAfter[k] - cpuBefore[k]) / wall, 2)]),
  ) as Record<CpuProcess, number>;
  const interactive = [ops.intake, ops.actions, ops.track];
  const row: MixedRow = {
    multiple,
    background,
    openAtStart,
    seconds: round(wall),
    rates: { intake: round(rates.intake, 2), actions: round(rates.actions, 2), track: round(rates.track, 2) },
    ops,
    actionsSkipped: skipped,
    registration: {
      measured: lags.length,
      unregistered: intakes.length - lags.length,
      p50: round(percentile(lags, 50)),
      p99: round(percentile(lags, 99)),
      max: round(lags.at(-1) ?? NaN),
    },
    cpu,
    drainSeconds,
    held: skipped === 0 && interactive.every((o) => o.n > 0 && o.errors === 0 && o.p99 < P99_GOAL_MS),
  };
  ctx.log(
    `mixed ${multiple}× over ${openAtStart} open: intake p99 ${ops.intake.p99} ms (${ops.intake.errors} err of ` +
      `${ops.intake.n}), actions p99 ${ops.actions.p99} ms (${ops.actions.errors} err of ${ops.actions.n}, ` +
      `${skipped} skipped), track p99 ${ops.track.p99} ms (${ops.track.errors} err); registration p50 ` +
      `${row.registration.p50} p99 ${row.registration.p99} ms; CPU worker ${cpu.worker} API ${cpu.api} temporal ` +
      `${cpu.temporal} ferretdb ${cpu.ferretdb}; drained in ${drainSeconds} s${row.held ? '; held' : ''}`,
  );
  return { row, samples };
}

// ── Report ──────────────────────────────────────────────────────────────────────────────────────────────────

const fmt = (x: number) => (Number.isFinite(x) ? String(round(x)) : '–');
const errs = (o: OpStats) =>
  o.errors === 0
    ? '0'
    : `${o.errors} (${Object.entries(o.errorKinds)
        .map(([k, v]) => `${k}×${v}`)
        .join(', ')})`;

/** The highest multiple held at each background level (0 when none was). */
export function highestHeld(rows: MixedRow[]): { background: number; multiple: number }[] {
  const levels = [...new Set(rows.map((r) => r.background))];
  return levels.map((background) => ({
    background,
    multiple: Math.max(0, ...rows.filter((r) => r.background === background && r.held).map((r) => r.multiple)),
  }));
}

export function mixedMarkdown(rows: MixedRow[]): string[] {
  if (rows.length === 0) return [];
  const lines: string[] = [];
  lines.push(
    `### Mixed load (open loop; ${ANCHOR.intakesPerSecond} intakes/s + ${round(ANCHOR.intakesPerSecond * ANCHOR.actionsPerCase, 2)} actions/s + ` +
      `${round(ANCHOR.intakesPerSecond * ANCHOR.readsPerCase, 2)} tracking reads/s per 1×; ms from the intended send instant)`,
    '',
  );
  lines.push(
    '| load | open at start | intake p50/p99/max | actions p50/p99/max | track p50/p99/max | errors intake/actions/track | skipped | registration p50/p99/max | CPU worker/API/Temporal/FerretDB | held |',
  );
  lines.push('|---|---|---|---|---|---|---|---|---|---|');
  const ppm = (o: OpStats) => `${fmt(o.p50)}/${fmt(o.p99)}/${fmt(o.max)}`;
  for (const r of rows) {
    lines.push(
      `| ${r.multiple}× (${r.rates.intake}+${r.rates.actions}+${r.rates.track}/s, ${r.seconds} s) | ${r.openAtStart} | ` +
        `${ppm(r.ops.intake)} | ${ppm(r.ops.actions)} | ${ppm(r.ops.track)} | ` +
        `${errs(r.ops.intake)} / ${errs(r.ops.actions)} / ${errs(r.ops.track)} of ${r.ops.intake.n}/${r.ops.actions.n}/${r.ops.track.n} | ` +
        `${r.actionsSkipped} | ${fmt(r.registration.p50)}/${fmt(r.registration.p99)}/${fmt(r.registration.max)}` +
        `${r.registration.unregistered ? ` (${r.registration.unregistered} not yet)` : ''} | ` +
        `${r.cpu.worker}/${r.cpu.api}/${r.cpu.temporal}/${r.cpu.ferretdb} | ${r.held ? 'yes' : 'no'} |`,
    );
  }
  lines.push('', 'Actions by kind (p50/p99 ms, errors):', '');
  lines.push(`| load | open at start | ${SCRIPT.filter((op, i) => SCRIPT.indexOf(op) === i).join(' | ')} |`);
  lines.push(`|---|---|${[...new Set(SCRIPT)].map(() => '---|').join('')}`);
  for (const r of rows) {
    lines.push(
      `| ${r.multiple}× | ${r.openAtStart} | ${[...new Set(SCRIPT)]
        .map((op) => `${fmt(r.ops[op].p50)}/${fmt(r.ops[op].p99)}, ${errs(r.ops[op])}`)
        .join(' | ')} |`,
    );
  }
  const held = highestHeld(rows)
    .map((h) => `${h.multiple ? `${h.multiple}×` : 'none'} at ${h.background} open`)
    .join('; ');
  lines.push(
    '',
    `Highest multiple held (p99 < ${P99_GOAL_MS} ms for intakes, actions and reads; no errors): ${held}.`,
    '',
  );
  return lines;
}
