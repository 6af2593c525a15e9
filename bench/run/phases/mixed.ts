/**
 * The mixed-load phase (`npm run bench -- --only=mixed`): an office's day at multiples of a big-city hotline. One open
 * loop sends intakes, office and department actions on cases registered earlier in the run, and petitioner tracking
 * reads, each at an instant scheduled in advance; every latency counts from that intended instant, so a stalled
 * server cannot hide its queueing (no coordinated omission). See docs/performance.md, "Mixed load".
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { caseWorkflowId } from '../../../domain/ids';
import { trusted } from '../../../store/models';
import { budget, checkBudget, percentile } from '../../stats';
import { cpuSnapshot, type CpuProcess } from '../cpu';
import { log, round, sleep } from '../helpers';
import { cityLetterBody, drain, intakeBody, SEED_BACKLOG, seedOpenCases, type Bench } from '../requests';
import { actionRequest, call, departmentKey, registerForMix, SCRIPT, type RegisteredCase } from './mixed-requests';

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

export const OPS = ['intake', ...new Set(SCRIPT), 'actions', 'track'] as const;
export type MixedOp = (typeof OPS)[number];

export interface OpStats {
  /** Sent in the step; for actions, the instants that found a case ready. */
  n: number;
  /** Answered 409 or 422: the case refused the action, with a reason a person can act on (not an error). */
  refused: number;
  /** Everything else that was not the answer expected: 4xx/5xx, time-outs, network failures. */
  errors: number;
  /** In flight when the phase's budget ran out, and abandoned: neither answered nor counted as errors. */
  cut: number;
  /** Status codes (or `timeout`, `network`) of the errors. */
  errorKinds: Record<string, number>;
  /** The refusals' and errors' reasons as the API gave them, with how often each came (up to five). */
  errorReasons: Record<string, number>;
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
  /**
   * Action instants that found no case ready for its next action — every case waiting on its previous action, or on
   * its registration before the office can see it (not sent, not counted as errors).
   */
  actionsSkipped: number;
  /** Intended send instant of an intake → its dispose clock started (timeline time, workflow clock), ms. */
  registration: { measured: number; unregistered: number; p50: number; p99: number; max: number };
  /** CPU seconds per wall second of each process over the step (1.0 = one core busy). */
  cpu: Record<CpuProcess, number>;
  /** Seconds the workers took to go idle after the step. */
  drainSeconds: number;
  /** With `--count-commands`: the workers' process's MongoDB commands from the step's start until it drained. */
  mongoCommands?: Record<string, number>;
  /** p99 < P99_GOAL_MS for intakes, actions and reads, no errors, no skipped action. */
  held: boolean;
}

// ── The phase ───────────────────────────────────────────────────────────────────────────────────────────────

interface PoolCase extends RegisteredCase {
  /** Index of its next action in SCRIPT. */
  next: number;
}

export interface Sample {
  ok: boolean;
  reason?: string;
  /** From the intended send instant, ms. */
  ms: number;
  kind?: string;
  /** The intended send instant, epoch ms. */
  dueAt: number;
}

/** The case's own answer that it cannot take the action now (wrong stage, a rule): 409 and 422. */
const isRefusal = (kind: string | undefined) => kind === '409' || kind === '422';

export function opStats(samples: Sample[]): OpStats {
  const sorted = samples
    .filter((s) => s.ok)
    .map((s) => s.ms)
    .sort((a, b) => a - b);
  const errorKinds: Record<string, number> = {};
  const errorReasons: Record<string, number> = {};
  let refused = 0;
  let cut = 0;
  for (const s of samples) {
    if (s.ok) continue;
    if (s.kind === 'cut') cut += 1;
    else if (isRefusal(s.kind)) refused += 1;
    else errorKinds[s.kind ?? '?'] = (errorKinds[s.kind ?? '?'] ?? 0) + 1;
    const reason = `${s.kind ?? '?'}: ${s.reason ?? '(no detail)'}`;
    if (reason in errorReasons || Object.keys(errorReasons).length < 5)
      errorReasons[reason] = (errorReasons[reason] ?? 0) + 1;
  }
  return {
    n: samples.length,
    refused,
    errors: samples.length - sorted.length - refused - cut,
    cut,
    errorKinds,
    errorReasons,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? NaN),
  };
}

export async function mixedLoad(s: Bench, p: MixedProfile, onRow: (row: MixedRow) => void): Promise<MixedRow[]> {
  const rows: MixedRow[] = [];
  const pool = await preparePool(s, p);
  for (const background of p.backgrounds) {
    await seedOpenCases(s, background, cityLetterBody, SEED_BACKLOG);
    for (const multiple of p.multiples) {
      const rates = ratesAt(multiple);
      await topUp(s, pool, rates, p.stepSeconds);
      await drain(s, p.drainCapSeconds * 1000);
      const { row } = await step(s, p, { multiple, background, rates, ...pool });
      rows.push(row);
      onRow(row);
    }
  }
  return rows;
}

export interface Pool {
  /** Cases ready for their next action, oldest first; a case goes to the back after each action. */
  ready: PoolCase[];
  /** Every case of the phase, for tracking reads. */
  known: RegisteredCase[];
  department: string;
}

export async function preparePool(s: Bench, p: MixedProfile): Promise<Pool> {
  const probe = await registerForMix(s);
  await drain(s, p.drainCapSeconds * 1000);
  const department = await departmentKey(s, probe);
  return { ready: [], known: [probe], department };
}

export function ratesAt(multiple: number): MixedRow['rates'] {
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
export async function topUp(s: Bench, pool: Pool, rates: MixedRow['rates'], seconds: number): Promise<void> {
  const needed = Math.ceil((rates.actions * seconds * 1.25) / SCRIPT.length) + 10;
  const missing = Math.max(0, needed - pool.ready.length);
  let done = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (done < missing) {
        checkBudget();
        done += 1;
        const c = await registerForMix(s);
        pool.ready.push({ ...c, next: 0 });
        pool.known.push(c);
      }
    }),
  );
}

export interface StepInput {
  multiple: number;
  background: number;
  rates: MixedRow['rates'];
  ready: PoolCase[];
  known: RegisteredCase[];
  department: string;
}

export async function step(
  s: Bench,
  p: MixedProfile,
  input: StepInput,
): Promise<{ row: MixedRow; samples: Record<MixedOp, Sample[]> }> {
  const { multiple, background, rates, ready, known, department } = input;
  const openAtStart = s.openCaseIds.size;
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
  /** Cases whose record the office can read (its lists read MongoDB), so their first action may go. */
  const recorded = new Set<string>();
  const pending: Promise<void>[] = [];
  // Requests still in flight when the budget runs out are abandoned, before the next phase touches their cases.
  const cut = new AbortController();
  const cutTimer = Number.isFinite(budget.deadline)
    ? setTimeout(() => cut.abort(), Math.max(0, budget.deadline - performance.now()))
    : undefined;
  const cpuBefore = cpuSnapshot(s.pids);
  s.mongoCommands?.take();
  const start = performance.now();
  const epochStart = Date.now();

  const send = (kind: Kind, due: number): Promise<void> | undefined => {
    const took = () => performance.now() - due;
    const dueAt = epochStart + (due - start);
    if (kind === 'intake') {
      return call(
        `${s.apiUrl}/v1/cases`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${s.keys.intake}`,
            'content-type': 'application/json',
            'idempotency-key': randomUUID(),
          },
          body: JSON.stringify(intakeBody(s)),
        },
        [201],
        cut.signal,
      ).then((o) => {
        samples.intake.push({ ok: o.ok, ms: took(), kind: o.kind, dueAt });
        const body = o.body as { caseId?: string; trackingCode?: string; pin?: string } | undefined;
        if (o.ok && body?.caseId && body.trackingCode && body.pin) {
          const c = { caseId: body.caseId, trackingCode: body.trackingCode, pin: body.pin };
          intakes.push({ caseId: c.caseId, sentAt: dueAt });
          known.push(c);
          ready.push({ ...c, next: 0 });
          s.openCaseIds.add(caseWorkflowId(c.caseId));
        }
      });
    }
    if (kind === 'track') {
      const c = known[Math.floor(Math.random() * known.length)]!;
      return call(
        `${s.apiUrl}/v1/track/${c.trackingCode}`,
        { headers: { 'x-tracking-pin': c.pin } },
        [200],
        cut.signal,
      ).then((o) => void samples.track.push({ ok: o.ok, ms: took(), kind: o.kind, reason: o.reason, dueAt }));
    }
    return takeReady(s, ready, recorded).then((c) => {
      if (!c) {
        skipped += 1;
        return;
      }
      const op = SCRIPT[c.next]!;
      return actionRequest(s, department, op, c.caseId, cut.signal).then((o) => {
        const sample = { ok: o.ok, ms: took(), kind: o.kind, reason: o.reason, dueAt };
        samples[op].push(sample);
        samples.actions.push(sample);
        // A refused action leaves the case where it was: it leaves the pool rather than fail again.
        if (o.ok && c.next + 1 < SCRIPT.length) ready.push({ ...c, next: c.next + 1 });
      });
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
  clearTimeout(cutTimer);
  const wall = (performance.now() - start) / 1000;
  const cpuAfter = cpuSnapshot(s.pids);
  const drainSeconds = await drain(s, p.drainCapSeconds * 1000);

  // Registration lag: the timeline entry the case writes once its dispose clock runs.
  const entries = await s.store.timeline
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
    ...(s.mongoCommands && { mongoCommands: s.mongoCommands.take() }),
    held: skipped === 0 && interactive.every((o) => o.n > 0 && o.errors === 0 && o.p99 < P99_GOAL_MS),
  };
  log(
    `mixed ${multiple}× over ${openAtStart} open: intake p99 ${ops.intake.p99} ms (${ops.intake.errors} err of ` +
      `${ops.intake.n}), actions p99 ${ops.actions.p99} ms (${ops.actions.errors} err, ${ops.actions.refused} ` +
      `refused of ${ops.actions.n}, ` +
      `${skipped} skipped), track p99 ${ops.track.p99} ms (${ops.track.errors} err); registration p50 ` +
      `${row.registration.p50} p99 ${row.registration.p99} ms; CPU worker ${cpu.worker} API ${cpu.api} temporal ` +
      `${cpu.temporal} ferretdb ${cpu.ferretdb}${Number.isFinite(cpu.postgres) ? ` postgres ${cpu.postgres}` : ''}; ` +
      `drained in ${drainSeconds} s${row.held ? '; held' : ''}`,
  );
  return { row, samples };
}

/** How many not-yet-visible cases an action instant looks past for one the office can see. */
const LOOK_AHEAD = 8;

/**
 * The case first in the queue that its next actor can see: the office accepts a case from its list of registered
 * cases, which is read from MongoDB, so a case whose registration has not written its record yet is not one an
 * office could accept (the Update would wait behind the registration). Cases passed over keep their place.
 */
async function takeReady(s: Bench, ready: PoolCase[], recorded: Set<string>): Promise<PoolCase | undefined> {
  const passed: PoolCase[] = [];
  try {
    for (let c = ready.shift(); c; c = ready.shift()) {
      if (c.next > 0 || recorded.has(c.caseId)) return c;
      if (await s.store.cases.findById(c.caseId, { _id: 1 }).lean()) {
        recorded.add(c.caseId);
        return c;
      }
      passed.push(c);
      if (passed.length >= LOOK_AHEAD) return undefined;
    }
    return undefined;
  } finally {
    ready.unshift(...passed);
  }
}

/** The highest multiple held at each background level (0 when none was). */
export function highestHeld(rows: MixedRow[]): { background: number; multiple: number }[] {
  const levels = [...new Set(rows.map((r) => r.background))];
  return levels.map((background) => ({
    background,
    multiple: Math.max(0, ...rows.filter((r) => r.background === background && r.held).map((r) => r.multiple)),
  }));
}
