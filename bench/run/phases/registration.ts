/**
 * Registration cost (issue 17 item 3): a case's registration as the API makes it (registerCase in-process, tracking
 * code noted) against registrationBaseline of bench/baseline-workflows.ts, which does the same durable work and
 * nothing else — started, one MongoDB write through a regular activity (as recordCase is), one timer days away.
 *
 * Each block starts `perBlock` workflows of one side with `concurrency` callers (closed loop on the start), then waits
 * until the workers are idle and reads every history. A workflow is *armed* at its first TimerStarted event (the
 * case's clock loop arming the dispose clock, the baseline's sleep): the event is written when the workflow task
 * that armed the timer completes. Start → armed runs from the caller's clock just before the start call to that
 * event's time on the server (one machine, one clock). A block's rate is its workflows over first start → last
 * armed. The sides alternate, the order rotating between rounds, so a noisy machine moves both alike.
 */
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { IntakeBody } from '../../../api/schemas';
import { caseWorkflowId } from '../../../domain/ids';
import { registrationBaseline } from '../../baseline-workflows';
import { checkBudget, percentile, pool } from '../../stats';
import { fmt, log, median, protoMs, ratio, round, sleep, type HistoryEvent } from '../helpers';
import type { Profile } from '../profiles';
import { drain, intakeBody, registerInProcess, type Bench } from '../requests';
import { BASE_WARM } from '../stack';
import { markdownTable } from '../table';

/** What one workflow's history holds, up to its first timer (to armed) or in all once the workers are idle. */
export interface HistoryCounts {
  events: number;
  workflowTasks: number;
  activities: number;
  /** MarkerRecorded of a local activity. */
  localActivities: number;
  /** MarkerRecorded of a patched() call. */
  patches: number;
  timers: number;
}

export interface RegistrationSide {
  workflows: number;
  armed: number;
  /** Mean over the blocks of workflows / (first start → last armed). */
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Medians per workflow. */
  toArmed: HistoryCounts;
  settled: HistoryCounts;
}

export interface Registration {
  perBlock: number;
  concurrency: number;
  rounds: number;
  case: RegistrationSide;
  minimal: RegistrationSide;
  /** The case's rate against the minimal one's, and the minimal one's against the case's (the "×" of the goal). */
  rateRatio: number;
  p50Ratio: number;
  p99Ratio: number;
  /** Start → armed at a low, even rate (one block a side after the rounds): the latency without a queue, ms. */
  paced?: { perSecond: number; case: Latency; minimal: Latency; p50Ratio: number };
  /** One workflow's events up to its timer, per side (the first of the last block). */
  events: Record<Side, string[]>;
}

type Side = 'case' | 'minimal';

interface Latency {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

function latency(measured: Measured[]): Latency {
  const lat = measured.map((m) => m.armedAt - m.sentAt).sort((a, b) => a - b);
  return {
    n: lat.length,
    p50: round(percentile(lat, 50)),
    p99: round(percentile(lat, 99)),
    max: round(lat.at(-1) ?? NaN),
  };
}

/** Starts `count` workflows of one side at `perSecond`, evenly spaced whether or not the last one is armed yet. */
async function paced(s: Bench, side: Side, count: number, perSecond: number, minimalIds: string[]) {
  const pending: Promise<Started>[] = [];
  for (let i = 0; i < count; i++) {
    checkBudget();
    pending.push(startOne(s, side, minimalIds));
    await sleep(1000 / perSecond);
  }
  return settle(s, await Promise.all(pending));
}
const ORDERS: Side[][] = [
  ['case', 'minimal'],
  ['minimal', 'case'],
];

interface Started {
  workflowId: string;
  sentAt: number;
}

async function startOne(s: Bench, side: Side, minimalIds: string[]): Promise<Started> {
  if (side === 'case') {
    const sentAt = Date.now();
    const { caseId } = await registerInProcess(s, { asApi: true });
    return { workflowId: caseWorkflowId(caseId), sentAt };
  }
  // The record a case's start carries, sealed the same way (recordCase unseals it before writing).
  const id = randomUUID();
  const sealedRecord = s.sealer.seal({ ...IntakeBody.parse(intakeBody(s)), receivedAt: new Date().toISOString() });
  const workflowId = `registration-baseline-${id}`;
  minimalIds.push(workflowId);
  const sentAt = Date.now();
  await s.client.workflow.start(registrationBaseline, {
    workflowId,
    taskQueue: BASE_WARM,
    args: [{ id, sealedRecord }],
  });
  return { workflowId, sentAt };
}

function counts(events: HistoryEvent[]): HistoryCounts {
  const n = (pred: (e: HistoryEvent) => unknown) => events.filter(pred).length;
  return {
    events: events.length,
    workflowTasks: n((e) => e.workflowTaskCompletedEventAttributes),
    activities: n((e) => e.activityTaskScheduledEventAttributes),
    localActivities: n((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity'),
    patches: n((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch'),
    timers: n((e) => e.timerStartedEventAttributes),
  };
}

/** An event's type, with the activity's type or the marker's name: `ACTIVITY_TASK_SCHEDULED recordCase`. */
function eventName(e: HistoryEvent): string {
  const type = (temporal.api.enums.v1.EventType[e.eventType ?? 0] ?? String(e.eventType)).replace(/^EVENT_TYPE_/, '');
  const detail =
    e.activityTaskScheduledEventAttributes?.activityType?.name ?? e.markerRecordedEventAttributes?.markerName;
  return detail ? `${type} ${detail}` : type;
}

interface Measured {
  /** The events up to the first timer, by name. */
  names: string[];
  sentAt: number;
  armedAt: number;
  toArmed: HistoryCounts;
  settled: HistoryCounts;
}

/** Waits until every workflow of the block has armed its timer and the workers are idle, then reads the histories. */
async function settle(s: Bench, started: Started[]): Promise<Measured[]> {
  const workers = Object.values(s.workers);
  for (;;) {
    checkBudget();
    await drain(s, 120_000, workers);
    const rows = await pool(started, 8, async ({ workflowId, sentAt }) => {
      const events = (await s.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
      const armed = events.findIndex((e) => e.timerStartedEventAttributes);
      if (armed < 0) return undefined;
      return {
        names: events.slice(0, armed + 1).map(eventName),
        sentAt,
        armedAt: protoMs(events[armed]!.eventTime),
        toArmed: counts(events.slice(0, armed + 1)),
        settled: counts(events),
      };
    });
    const done = rows.filter((r) => r !== undefined);
    if (done.length === started.length) return done;
    log(`registration: ${done.length}/${started.length} armed; waiting`);
    await sleep(1000);
  }
}

function summarize(blocks: Measured[][]): RegistrationSide {
  const all = blocks.flat();
  const lat = all.map((m) => m.armedAt - m.sentAt).sort((a, b) => a - b);
  const rates = blocks.map((b) => {
    const first = Math.min(...b.map((m) => m.sentAt));
    const last = Math.max(...b.map((m) => m.armedAt));
    return (b.length * 1000) / (last - first);
  });
  const med = (pick: (m: Measured) => HistoryCounts): HistoryCounts => {
    const of = (k: keyof HistoryCounts) => median(all.map((m) => pick(m)[k]));
    return {
      events: of('events'),
      workflowTasks: of('workflowTasks'),
      activities: of('activities'),
      localActivities: of('localActivities'),
      patches: of('patches'),
      timers: of('timers'),
    };
  };
  return {
    workflows: all.length,
    armed: all.length,
    perSecond: round(rates.reduce((a, b) => a + b, 0) / Math.max(1, rates.length)),
    p50: round(percentile(lat, 50)),
    p99: round(percentile(lat, 99)),
    max: round(lat.at(-1) ?? NaN),
    toArmed: med((m) => m.toArmed),
    settled: med((m) => m.settled),
  };
}

function compare(p: Profile, blocks: Record<Side, Measured[][]>): Registration {
  const { perBlock, concurrency } = p.registration;
  const c = summarize(blocks.case);
  const m = summarize(blocks.minimal);
  return {
    perBlock,
    concurrency,
    rounds: Math.min(blocks.case.length, blocks.minimal.length),
    case: c,
    minimal: m,
    rateRatio: ratio(m.perSecond, c.perSecond),
    p50Ratio: ratio(c.p50, m.p50),
    p99Ratio: ratio(c.p99, m.p99),
    events: { case: blocks.case.at(-1)?.[0]?.names ?? [], minimal: blocks.minimal.at(-1)?.[0]?.names ?? [] },
  };
}

/** `onResult` is handed the comparison after each block that has both sides measured, kept if a later block runs out. */
export async function registration(s: Bench, p: Profile, onResult: (r: Registration) => void): Promise<Registration> {
  const { perBlock, concurrency, rounds } = p.registration;
  const blocks: Record<Side, Measured[][]> = { case: [], minimal: [] };
  const minimalIds: string[] = [];
  let pacedResult: Registration['paced'];
  try {
    // A few of each first, not counted: the minimal workflow's first start loads its code in the worker.
    for (const side of ORDERS[0]!) await settle(s, await pool([1, 2, 3, 4], 4, () => startOne(s, side, minimalIds)));
    for (let r = 0; r < rounds; r++) {
      for (const side of ORDERS[r % ORDERS.length]!) {
        const started = await pool(Array.from({ length: perBlock }), concurrency, () => startOne(s, side, minimalIds));
        const measured = await settle(s, started);
        blocks[side].push(measured);
        const last = summarize([measured]);
        log(
          `registration round ${r + 1} ${side}: ${last.perSecond}/s, start → armed p50 ${last.p50} p99 ${last.p99} ms`,
        );
        if (blocks.case.length && blocks.minimal.length) onResult(compare(p, blocks));
      }
    }
    const { count, perSecond } = p.registration.paced;
    const slow: Partial<Record<Side, Latency>> = {};
    for (const side of ORDERS[rounds % ORDERS.length]!) {
      slow[side] = latency(await paced(s, side, count, perSecond, minimalIds));
      log(`registration paced ${side} (${perSecond}/s): start → armed p50 ${slow[side].p50} p99 ${slow[side].p99} ms`);
    }
    pacedResult = {
      perSecond,
      case: slow.case!,
      minimal: slow.minimal!,
      p50Ratio: ratio(slow.case!.p50, slow.minimal!.p50),
    };
    onResult({ ...compare(p, blocks), paced: pacedResult });
  } finally {
    // The minimal workflows would sleep 60 days; the cases are ended with the others (endOpenWorkflows).
    await pool(minimalIds, 16, (id) =>
      s.client.workflow
        .getHandle(id)
        .terminate('bench: registration phase done')
        .catch(() => undefined),
    );
  }
  const result = { ...compare(p, blocks), paced: pacedResult };
  log(
    `registration: case ${result.case.perSecond}/s p50 ${result.case.p50} p99 ${result.case.p99} ms, ` +
      `minimal ${result.minimal.perSecond}/s p50 ${result.minimal.p50} p99 ${result.minimal.p99} ms; ` +
      `minimal/case rate ${result.rateRatio}×, p50 case/minimal ${result.p50Ratio}×`,
  );
  return result;
}

export function registrationMarkdown(r: Registration): string[] {
  const sides: [string, RegistrationSide][] = [
    ['case (registerCase)', r.case],
    ['minimal (write + timer)', r.minimal],
  ];
  const c = (h: HistoryCounts) =>
    `${h.events} / ${h.workflowTasks} / ${h.activities} / ${h.localActivities} / ${h.patches} / ${h.timers}`;
  return [
    '',
    `### Registration cost (${r.rounds} rounds × ${r.perBlock} workflows a side, ${r.concurrency} callers; start → first timer armed, ms)`,
    '',
    ...markdownTable(sides, [
      ['side', ([name]) => name],
      ['registered /s', ([, x]) => fmt(x.perSecond)],
      ['p50', ([, x]) => fmt(x.p50)],
      ['p99', ([, x]) => fmt(x.p99)],
      ['max', ([, x]) => fmt(x.max)],
      ['to armed: events / WFTs / activities / local / patches / timers', ([, x]) => c(x.toArmed)],
      ['settled: events / WFTs / activities / local / patches / timers', ([, x]) => c(x.settled)],
    ]),
    '',
    `Minimal/case rate: **${r.rateRatio}×**; case/minimal p50 ${r.p50Ratio}×, p99 ${r.p99Ratio}× (goal ≤ 1.5×).`,
    '',
    ...(r.paced
      ? [
          `Paced (${r.paced.case.n} a side at ${r.paced.perSecond}/s, no queue): start → armed p50 / p99 case ` +
            `${fmt(r.paced.case.p50)} / ${fmt(r.paced.case.p99)} ms, minimal ${fmt(r.paced.minimal.p50)} / ` +
            `${fmt(r.paced.minimal.p99)} ms: **${r.paced.p50Ratio}×** at p50.`,
          '',
        ]
      : []),
    `A case's events up to its clock armed: ${(r.events?.case ?? []).map((e, i) => `${i + 1} ${e}`).join(', ')}.`,
    '',
  ];
}
