/**
 * Burst isolation (`npm run bench -- --only=burst`): N reminders and M clock expiries fall due at one instant T while
 * the mixed phase's open loop runs, from some seconds before T until the burst has drained. Interactive latency in a
 * window before T is compared with the window from T until the last reminder or expiry is written. See
 * docs/performance.md, "Burst isolation".
 *
 * Reminders are armed as the timer phase arms them (phases/timers.ts). With a spread (`spreadSeconds`, the workers'
 * `XINFANG_REMINDER_SPREAD`), each reminder case lands at its own offset within that many seconds after T instead of
 * at T: the lever is measured by a run with a spread against a run without. A clock's deadline ends at local midnight, so
 * no expiry can be made to fall due at an arbitrary T without changing the engine: the M expiry cases are started
 * with a start delay that ends at T, received long enough ago that their dispose clock has already run out. Each
 * registers and expires at T: the expiry's supervision (its deadline computed, the timeline and notifications
 * written) plus the registration before it, so the figure is an upper bound for expiries alone.
 */
import { caseWorkflowId } from '../../../domain/ids';
import { profileForRegion } from '../../../domain/profiles';
import { trusted } from '../../../store/models';
import { pool } from '../../stats';
import { log, protoMs, ratio, round, sleep } from '../helpers';
import { waitRegistered, type Bench } from '../requests';
import {
  opStats,
  preparePool,
  ratesAt,
  step,
  topUp,
  type MixedProfile,
  type MixedRow,
  type OpStats,
  type Sample,
} from './mixed';
import { armReminders, lateness, reminderEvents, startBenchCases, type LatenessStats } from './timers';

export interface BurstProfile {
  /** Cases whose reminder falls due at T. */
  reminders: number;
  /** Cases whose clock expires at T. */
  expiries: number;
  /** The mixed load's multiple of the anchor. */
  multiple: number;
  /** Seconds of load before the window before T, for the load's queues to settle. */
  settleSeconds: number;
  /** Seconds of load just before T: the window the burst is compared with. */
  beforeSeconds: number;
  /** Longest the load runs after T; a burst that drains later is reported as cut short. */
  duringCapSeconds: number;
  /** Seconds of margin beyond the time the cases take to start (about 5 registrations/s assumed). */
  leadSeconds: number;
  /** Longest wait for the workers to go idle after the load. */
  drainCapSeconds: number;
  /**
   * Seconds after T over which the reminders are spread (0: every one at T). One spread a run: a second burst in the
   * same run would start on a store holding the first one's cases, whose registrations then cost more.
   */
  spreadSeconds: number;
}

/** The goal: interactive p99 during the burst at most this many times the p99 before it. */
export const BURST_P99_RATIO_GOAL = 1.5;

const INTERACTIVE = ['intake', 'actions', 'track'] as const;
type Interactive = (typeof INTERACTIVE)[number];

export interface BurstWindow {
  /** Seconds from T, by intended send instant. */
  from: number;
  to: number;
  ops: Record<Interactive, OpStats>;
}

export interface BurstRun {
  reminders: number;
  /** Seconds after T over which the reminders were spread; absent (0) in runs from before the spread existed. */
  spreadSeconds?: number;
  expiries: number;
  multiple: number;
  rates: MixedRow['rates'];
  /** Seconds to start and register the reminder cases (the expiry cases are only started before T). */
  armSeconds: number;
  /** T − the instant every reminder case was registered (s): negative when they were not in time. */
  slackSeconds: number;
  before: BurstWindow;
  during: BurstWindow;
  /** Action instants of the whole load that found no case ready (not sent). */
  actionsSkipped: number;
  /** The load stopped before the burst had drained: the during window ends with the load. */
  duringCut: boolean;
  /** T → the reminder's write (ms): its p99 and max; `max` is the drain. */
  reminderWrite: LatenessStats & { measured: number };
  /** The reminder's own due instant (T plus its offset in the spread) → its write (ms). */
  reminderLate?: LatenessStats;
  /** T → the last event of the expiry case's history (ms), its supervision written. */
  expiryHandled: LatenessStats & { measured: number };
  /** p99 during ÷ p99 before, per interactive operation. */
  p99Ratio: Record<Interactive, number>;
  /** Worst ratio ≤ BURST_P99_RATIO_GOAL and no errors during the burst. */
  isolated: boolean;
}

export async function burstIsolation(s: Bench, p: BurstProfile): Promise<BurstRun> {
  const { spreadSeconds } = p;
  const rates = ratesAt(p.multiple);
  // The load runs past the spread's end: the burst is then spreadSeconds long at the least.
  const duringCapSeconds = spreadSeconds + p.duringCapSeconds;
  const mixed: MixedProfile = {
    multiples: [p.multiple],
    backgrounds: [0],
    stepSeconds: p.settleSeconds + p.beforeSeconds + duringCapSeconds,
    drainCapSeconds: p.drainCapSeconds,
  };
  const cases = await preparePool(s, mixed);
  await topUp(s, cases, rates, mixed.stepSeconds);
  // The pool registered first: its backlog would otherwise delay the reminder cases and load the window before T.
  const poolIds = cases.ready.map((c) => c.caseId);
  await waitRegistered(s, poolIds, Math.max(p.drainCapSeconds * 1000, poolIds.length * 500));

  // Cases start and register at 3–10 a second on this shared machine while the pool's last registrations finish.
  const lead = p.leadSeconds + p.settleSeconds + p.beforeSeconds + Math.ceil((p.reminders + p.expiries) / 5);
  const burstAt = Math.round(Date.now() / 1000 + lead) * 1000;
  const t0 = Date.now();
  const reminderIds = await armReminders(s, p.reminders, burstAt, spreadSeconds);
  const armSeconds = (Date.now() - t0) / 1000;
  // Received a month ago: the dispose clock (15 days) has run out when the delayed start lets the case register.
  const receivedAt = new Date(burstAt - 30 * 86_400_000).toISOString();
  const expiryProfile = { ...profileForRegion('320102'), reminders: [] };
  const expiryIds = await startBenchCases(s, p.expiries, receivedAt, expiryProfile, Math.max(1, burstAt - Date.now()));
  const slackSeconds = (burstAt - Date.now()) / 1000;
  log(
    `burst: ${p.reminders} reminders (spread over ${spreadSeconds} s) armed in ${round(armSeconds)} s, ${p.expiries} expiries started; ` +
      `T in ${round(slackSeconds)} s`,
  );
  if (slackSeconds < p.settleSeconds + p.beforeSeconds)
    log('burst: WARNING the cases took longer to start than the lead time');

  await sleep(Math.max(0, burstAt - (p.settleSeconds + p.beforeSeconds) * 1000 - Date.now()));
  const { row, samples } = await step(s, mixed, { multiple: p.multiple, background: 0, rates, ...cases });
  const loadEnd = burstAt + duringCapSeconds * 1000;

  const reminders = await remindersWritten(s, reminderIds, burstAt, spreadSeconds * 1000);
  const written = reminders.map((r) => r.written);
  const handled = await expiriesHandled(s, expiryIds, burstAt);
  const reminderWrite = { ...lateness(written), measured: written.filter(Number.isFinite).length };
  const expiryHandled = { ...lateness(handled), measured: handled.filter(Number.isFinite).length };
  const drainedAt = burstAt + Math.max(0, ...[...written, ...handled].filter(Number.isFinite));
  const complete = reminderWrite.measured === p.reminders && expiryHandled.measured === p.expiries;
  const duringCut = !complete || drainedAt > loadEnd;

  const before = window(samples, burstAt, burstAt - p.beforeSeconds * 1000, burstAt);
  const during = window(samples, burstAt, burstAt, duringCut ? loadEnd : drainedAt);
  const p99Ratio = Object.fromEntries(
    INTERACTIVE.map((op) => [op, ratio(during.ops[op].p99, before.ops[op].p99)]),
  ) as Record<Interactive, number>;
  const run: BurstRun = {
    reminders: p.reminders,
    spreadSeconds,
    expiries: p.expiries,
    multiple: p.multiple,
    rates: { intake: round(rates.intake, 2), actions: round(rates.actions, 2), track: round(rates.track, 2) },
    armSeconds: round(armSeconds),
    slackSeconds: round(slackSeconds),
    before,
    during,
    actionsSkipped: row.actionsSkipped,
    duringCut,
    reminderWrite,
    reminderLate: lateness(reminders.map((r) => r.late)),
    expiryHandled,
    p99Ratio,
    isolated:
      !duringCut &&
      INTERACTIVE.every(
        (op) => during.ops[op].n > 0 && during.ops[op].errors === 0 && p99Ratio[op] <= BURST_P99_RATIO_GOAL,
      ),
  };
  log(
    `burst (spread ${spreadSeconds} s): reminders written by T+${reminderWrite.max} ms (${reminderWrite.measured}/${p.reminders}), expiries ` +
      `handled by T+${expiryHandled.max} ms (${expiryHandled.measured}/${p.expiries}); p99 during/before ` +
      INTERACTIVE.map((op) => `${op} ${during.ops[op].p99}/${before.ops[op].p99}`).join(', ') +
      (run.isolated ? '; isolated' : ''),
  );
  return run;
}

/** The interactive operations sent (by intended instant) in [from, to), epoch ms; `from`/`to` reported from T. */
function window(samples: Record<Interactive, Sample[]>, burstAt: number, from: number, to: number): BurstWindow {
  const within = (op: Interactive) => samples[op].filter((x) => x.dueAt >= from && x.dueAt < to);
  return {
    from: round((from - burstAt) / 1000),
    to: round((to - burstAt) / 1000),
    ops: Object.fromEntries(INTERACTIVE.map((op) => [op, opStats(within(op))])) as Record<Interactive, OpStats>,
  };
}

/**
 * Each reminder case's write of its reminder (ms), from its history: from T (`written`) and from its own due instant
 * (`late`); NaN where none was found.
 */
function remindersWritten(
  s: Bench,
  caseIds: string[],
  burstAt: number,
  spreadMs: number,
): Promise<{ written: number; late: number }[]> {
  return pool(caseIds, 8, async (caseId) => {
    const history = await s.client.workflow.getHandle(caseWorkflowId(caseId)).fetchHistory();
    const r = reminderEvents(history.events ?? [], burstAt, spreadMs);
    return r ? { written: r.written - burstAt, late: r.written - r.due } : { written: NaN, late: NaN };
  });
}

/**
 * T → the last event of each expiry case's history, for the cases whose supervision is in MongoDB's timeline (the
 * case goes quiet once the expiry is written; the next supervision step is days away). NaN for the others.
 */
async function expiriesHandled(s: Bench, caseIds: string[], burstAt: number): Promise<number[]> {
  const supervised = await s.store.timeline
    .find({ caseId: trusted({ $in: caseIds }), type: 'overdue_supervised' }, { caseId: 1 })
    .lean<{ caseId: string }[]>();
  const done = new Set(supervised.map((e) => e.caseId));
  return pool(caseIds, 8, async (caseId) => {
    if (!done.has(caseId)) return NaN;
    const history = await s.client.workflow.getHandle(caseWorkflowId(caseId)).fetchHistory();
    return protoMs(history.events?.at(-1)?.eventTime) - burstAt;
  });
}
