/**
 * The report of a run: its results as JSON, the goals judged from them, and the markdown written beside the JSON and
 * printed at the end (docs/performance.md quotes it).
 */
import type { Summary } from '../stats';
import type { CaseCost, IntakeCpu } from './cost';
import { fmt, ratio, round } from './helpers';
import type { ActionResultRow } from './phases/actions';
import type { IntakeRow } from './phases/intake';
import type { Lifecycle } from './phases/lifecycle';
import { ANCHOR, highestHeld, P99_GOAL_MS, type MixedRow, type OpStats } from './phases/mixed';
import { SCRIPT } from './phases/mixed-requests';
import type { ScaleRow } from './phases/scale';
import type { TimerRun } from './phases/timers';
import type { RunSettings, Stack } from './stack';

export interface Results {
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

export interface Goal {
  goal: string;
  measured: string;
  /** 'untested' when the run was too small to decide. */
  met: boolean | 'untested';
}

export function markdown(r: Results, goals: Goal[]): string {
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

const errs = (o: OpStats) =>
  o.errors === 0
    ? '0'
    : `${o.errors} (${Object.entries(o.errorKinds)
        .map(([k, v]) => `${k}×${v}`)
        .join(', ')})`;

function mixedMarkdown(rows: MixedRow[]): string[] {
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

/** Saturation throughput where measured (full profile), else the achieved open-loop rate. */
function scaleThroughput(row: ScaleRow): number {
  return row.saturation?.api.throughput ?? row.intake.api.throughput;
}

export function goals(r: Results): Goal[] {
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
