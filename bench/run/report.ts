/**
 * The report of a run: its results as JSON, the goals judged from them, and the markdown written beside the JSON and
 * printed at the end (docs/performance.md quotes it).
 */
import type { Summary } from '../stats';
import type { CaseCost, IntakeCpu } from './cost';
import { fmt, ratio, round } from './helpers';
import type { ActionResultRow } from './phases/actions';
import { BURST_P99_RATIO_GOAL, type BurstRun } from './phases/burst';
import type { IntakeRow } from './phases/intake';
import type { Lifecycle } from './phases/lifecycle';
import { registrationMarkdown, type Registration } from './phases/registration';
import { ANCHOR, highestHeld, P99_GOAL_MS, type MixedRow, type OpStats } from './phases/mixed';
import { SCRIPT } from './phases/mixed-requests';
import type { ScaleRow } from './phases/scale';
import type { TimerRun } from './phases/timers';
import type { RunSettings, Stack } from './stack';
import { markdownTable, type Column } from './table';

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
  /** Absent in runs written before the burst phase existed, or that did not run it. */
  burst?: BurstRun;
  caseCost?: CaseCost;
  intakeCpu: IntakeCpu;
  lifecycle?: Lifecycle;
  /** Absent in runs written before the registration phase existed. */
  registration?: Registration;
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
      `maxConcurrentActivityTaskExecutions ${r.settings.maxConcurrentActivities}, ` +
      `workflowThreadPoolSize ${r.settings.workflowThreads ?? 1}; API ${r.settings.api === 'process' ? 'in a process of its own' : "in the workers' process"}; ` +
      `FerretDB on ${r.settings.store === 'postgresql' ? 'PostgreSQL' : 'SQLite'}. ` +
      `Run took ${r.durationSeconds} s.`,
    '',
  );
  lines.push('### 1. Intake (open loop, alternating blocks; latency from the intended send instant, ms)', '');
  lines.push(
    ...markdownTable(r.intake, [
      ['rate /s', (row) => row.rate],
      ['API thr /s', (row) => fmt(row.api.throughput)],
      ['raw thr /s', (row) => fmt(row.raw.throughput)],
      ['thr ratio', (row) => ratio(row.api.throughput, row.raw.throughput)],
      ['API p50', (row) => fmt(row.api.p50)],
      ['API p95', (row) => fmt(row.api.p95)],
      ['API p99', (row) => fmt(row.api.p99)],
      ['direct p50', (row) => fmt(row.direct.p50)],
      ['direct p99', (row) => fmt(row.direct.p99)],
      ['raw p50', (row) => fmt(row.raw.p50)],
      ['raw p95', (row) => fmt(row.raw.p95)],
      ['raw p99', (row) => fmt(row.raw.p99)],
      ['p99 ratio API/raw', (row) => ratio(row.api.p99, row.raw.p99)],
      [
        'errors API/direct/raw',
        (row) =>
          `${row.api.errors}/${row.direct.errors}/${row.raw.errors} of ${row.api.n}/${row.direct.n}/${row.raw.n}`,
      ],
    ]),
  );
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
    ...markdownTable(r.actions, [
      ['cache', (a) => a.cache],
      ['API p50', (a) => fmt(a.api.p50)],
      ['API p99', (a) => fmt(a.api.p99)],
      ['direct Update p50', (a) => fmt(a.direct.p50)],
      ['direct p99', (a) => fmt(a.direct.p99)],
      ['raw Update p50', (a) => fmt(a.raw.p50)],
      ['raw p99', (a) => fmt(a.raw.p99)],
      ['API/raw p99', (a) => ratio(a.api.p99, a.raw.p99)],
      ['direct/raw p99', (a) => ratio(a.direct.p99, a.raw.p99)],
      ['errors API/direct/raw', (a) => `${a.api.errors}/${a.direct.errors}/${a.raw.errors}`],
    ]),
  );
  lines.push('', '### 3. Timer precision (C1 half-time reminders all due in the same instant; lateness in ms)', '');
  lines.push(
    ...markdownTable(r.timers, [
      ['cases', (t) => t.cases],
      ['started in s', (t) => t.startSeconds],
      ['armed spread', (t) => fmt(t.armedSpreadMs)],
      ['TimerFired p50', (t) => t.fired.p50],
      ['p99', (t) => t.fired.p99],
      ['WFT started p50', (t) => t.taskStarted.p50],
      ['p99', (t) => t.taskStarted.p99],
      ['activity started p50', (t) => t.activityStarted.p50],
      ['p99', (t) => t.activityStarted.p99],
      ['max', (t) => t.activityStarted.max],
      ['measured', (t) => t.measured],
    ]),
  );
  lines.push('', '### 4. Scale (open cases holding far timers)', '');
  lines.push(
    ...markdownTable(r.scale, [
      ['open cases', (row) => row.openCases],
      ['seeded /s', (row) => fmt(row.seedPerSecond)],
      [`intake ${r.scale[0]?.intake.rate ?? ''}/s API p99`, (row) => fmt(row.intake.api.p99)],
      ['raw p99', (row) => fmt(row.intake.raw.p99)],
      ['sat. API /s', (row) => fmt(row.saturation?.api.throughput ?? NaN)],
      ['sat. raw /s', (row) => fmt(row.saturation?.raw.throughput ?? NaN)],
      ['action API p99', (row) => fmt(row.action.api.p99)],
      ['raw p99', (row) => fmt(row.action.raw.p99)],
      ['RSS MB', (row) => row.rssMb],
      ['cached wf', (row) => row.cachedWorkflows],
      ['cases stored', (row) => row.storedCases],
      ['FerretDB MB', (row) => row.ferretDbMb],
    ]),
  );
  lines.push(...mixedMarkdown(r.mixed ?? []));
  if (r.burst) lines.push(...burstMarkdown(r.burst));
  if (r.registration) lines.push(...registrationMarkdown(r.registration));
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
          `${l.perCase.activities} activities, ${fmt(l.perCase.localActivities ?? NaN)} local activities, ` +
          `${fmt(l.perCase.timersStarted ?? NaN)} timers started, ${l.perCase.timersFired} timers fired.`
      : `not run: ${r.lifecycleError ?? ''}`,
    '',
  );
  if (l?.store) {
    lines.push(
      `MongoDB per case: ${l.store.bsonBytes} bytes of BSON (dbStats: dataSize ${l.store.dataSize}, storageSize ` +
        `${l.store.storageSize} bytes).`,
      '',
      ...markdownTable(Object.entries(l.store.collections), [
        ['collection', ([name]) => name],
        ['documents per case', ([, c]) => c.docs],
        ['BSON bytes per case', ([, c]) => c.bytes],
      ]),
      '',
    );
  }
  if (r.errors?.length) lines.push('### Phases that failed', '', ...r.errors.map((e) => `- ${e}`), '');
  const verdict = (met: Goal['met']) => (met === 'untested' ? 'not tested' : met ? 'yes' : '**no**');
  lines.push(
    '### Goals',
    '',
    ...markdownTable(goals, [
      ['goal', (g) => g.goal],
      ['measured', (g) => g.measured],
      ['met', (g) => verdict(g.met)],
    ]),
  );
  return lines.join('\n') + '\n';
}

const errs = (o: OpStats) =>
  (o.errors === 0
    ? '0'
    : `${o.errors} (${Object.entries(o.errorKinds)
        .map(([k, v]) => `${k}×${v}`)
        .join(', ')})`) +
  (o.refused ? ` + ${o.refused} refused` : '') +
  (o.cut ? ` (${o.cut} cut)` : '');

function mixedMarkdown(rows: MixedRow[]): string[] {
  if (rows.length === 0) return [];
  const lines: string[] = [];
  lines.push(
    `### Mixed load (open loop; ${ANCHOR.intakesPerSecond} intakes/s + ${round(ANCHOR.intakesPerSecond * ANCHOR.actionsPerCase, 2)} actions/s + ` +
      `${round(ANCHOR.intakesPerSecond * ANCHOR.readsPerCase, 2)} tracking reads/s per 1×; ms from the intended send instant)`,
    '',
  );
  const ppm = (o: OpStats) => `${fmt(o.p50)}/${fmt(o.p99)}/${fmt(o.max)}`;
  lines.push(
    ...markdownTable(rows, [
      ['load', (r) => `${r.multiple}× (${r.rates.intake}+${r.rates.actions}+${r.rates.track}/s, ${r.seconds} s)`],
      ['open at start', (r) => r.openAtStart],
      ['intake p50/p99/max', (r) => ppm(r.ops.intake)],
      ['actions p50/p99/max', (r) => ppm(r.ops.actions)],
      ['track p50/p99/max', (r) => ppm(r.ops.track)],
      [
        'errors (+ refusals) intake/actions/track',
        (r) =>
          `${errs(r.ops.intake)} / ${errs(r.ops.actions)} / ${errs(r.ops.track)} of ${r.ops.intake.n}/${r.ops.actions.n}/${r.ops.track.n}`,
      ],
      ['skipped', (r) => r.actionsSkipped],
      [
        'registration p50/p99/max',
        (r) =>
          `${fmt(r.registration.p50)}/${fmt(r.registration.p99)}/${fmt(r.registration.max)}` +
          `${r.registration.unregistered ? ` (${r.registration.unregistered} not yet)` : ''}`,
      ],
      [
        'CPU worker/API/Temporal/FerretDB',
        (r) =>
          `${r.cpu.worker}/${r.cpu.api}/${r.cpu.temporal}/${r.cpu.ferretdb}` +
          (Number.isFinite(r.cpu.postgres) ? ` + PostgreSQL ${r.cpu.postgres}` : ''),
      ],
      ['held', (r) => (r.held ? 'yes' : 'no')],
    ]),
  );
  const kinds = [...new Set(SCRIPT)];
  lines.push('', 'Actions by kind (p50/p99 ms, errors + refusals):', '');
  lines.push(
    ...markdownTable(rows, [
      ['load', (r) => `${r.multiple}×`],
      ['open at start', (r) => r.openAtStart],
      ...kinds.map((op): Column<MixedRow> => [
        op,
        (r) => `${fmt(r.ops[op].p50)}/${fmt(r.ops[op].p99)}, ${errs(r.ops[op])}`,
      ]),
    ]),
  );
  const held = highestHeld(rows)
    .map((h) => `${h.multiple ? `${h.multiple}×` : 'none'} at ${h.background} open`)
    .join('; ');
  lines.push(
    '',
    `Highest multiple held (p99 < ${P99_GOAL_MS} ms for intakes, actions and reads; no errors): ${held}.`,
    '',
  );
  lines.push(...commandsMarkdown(rows));
  return lines;
}

function burstMarkdown(b: BurstRun): string[] {
  const ppm = (o: OpStats) => `${fmt(o.p50)}/${fmt(o.p99)}/${fmt(o.max)}`;
  const due = b.spreadSeconds ? `due from T over ${b.spreadSeconds} s` : 'due at T';
  return [
    `### Burst isolation (${b.reminders} reminders ${due} and ${b.expiries} expiries at T, under the mixed load at ` +
      `${b.multiple}×: ${b.rates.intake} + ${b.rates.actions} + ${b.rates.track}/s; ms from the intended send instant)`,
    '',
    ...markdownTable(
      [
        { name: 'before', w: b.before },
        { name: b.duringCut ? 'during (cut short)' : 'during', w: b.during },
      ],
      [
        ['window', (x) => `${x.name} (T${x.w.from >= 0 ? '+' : ''}${x.w.from} s to T+${x.w.to} s)`],
        ['intake p50/p99/max', (x) => ppm(x.w.ops.intake)],
        ['actions p50/p99/max', (x) => ppm(x.w.ops.actions)],
        ['track p50/p99/max', (x) => ppm(x.w.ops.track)],
        [
          'errors (+ refusals) intake/actions/track',
          (x) =>
            `${errs(x.w.ops.intake)} / ${errs(x.w.ops.actions)} / ${errs(x.w.ops.track)} of ` +
            `${x.w.ops.intake.n}/${x.w.ops.actions.n}/${x.w.ops.track.n}`,
        ],
      ],
    ),
    '',
    `p99 during ÷ before: intake ${fmt(b.p99Ratio.intake)}×, actions ${fmt(b.p99Ratio.actions)}×, track ` +
      `${fmt(b.p99Ratio.track)}× (goal ≤ ${BURST_P99_RATIO_GOAL}×). Drain: T → reminder written p50/p99/max ` +
      `${fmt(b.reminderWrite.p50)}/${fmt(b.reminderWrite.p99)}/${fmt(b.reminderWrite.max)} ms ` +
      `(${b.reminderWrite.measured} of ${b.reminders})` +
      (b.reminderLate
        ? `, its own due instant → written p50/p99/max ${fmt(b.reminderLate.p50)}/${fmt(b.reminderLate.p99)}/` +
          `${fmt(b.reminderLate.max)} ms`
        : '') +
      `; T → expiry handled p50/p99/max ${fmt(b.expiryHandled.p50)}/` +
      `${fmt(b.expiryHandled.p99)}/${fmt(b.expiryHandled.max)} ms (${b.expiryHandled.measured} of ${b.expiries}). ` +
      `Reminder cases registered in ${b.armSeconds} s, ${b.slackSeconds} s before T; ${b.actionsSkipped} action ` +
      'instants of the load found no case ready.',
    '',
  ];
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
  if (r.registration) {
    const g = r.registration;
    list.push({
      goal: 'registration within 1.5× of a minimal workflow (rate; start → armed p50)',
      measured:
        `${g.rateRatio}× rate (${g.case.perSecond} vs ${g.minimal.perSecond}/s), ${g.p50Ratio}× p50` +
        (g.paced ? `, ${g.paced.p50Ratio}× p50 paced` : ''),
      met: g.rateRatio <= 1.5 && g.p50Ratio <= 1.5,
    });
  }
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
  if (r.burst) {
    const b = r.burst;
    const worst = Math.max(b.p99Ratio.intake, b.p99Ratio.actions, b.p99Ratio.track);
    const errors = b.during.ops.intake.errors + b.during.ops.actions.errors + b.during.ops.track.errors;
    list.push({
      goal:
        `burst: interactive p99 during ≤ ${BURST_P99_RATIO_GOAL}× before, no errors (${b.reminders} reminders` +
        `${b.spreadSeconds ? ` spread over ${b.spreadSeconds} s` : ''} + ` +
        `${b.expiries} expiries at ${b.multiple}×${b.reminders < 5000 ? '; the goal is stated at 5 000 + 1 000 at 5×' : ''})`,
      measured:
        `worst ${fmt(worst)}× (intake ${fmt(b.p99Ratio.intake)}, actions ${fmt(b.p99Ratio.actions)}, track ` +
        `${fmt(b.p99Ratio.track)}), ${errors} errors during; drained in ` +
        `${fmt(Math.max(b.reminderWrite.max, b.expiryHandled.max) / 1000)} s${b.duringCut ? ' (cut short)' : ''}`,
      met: b.isolated,
    });
  }
  return list;
}

/** `--count-commands`: the workers' MongoDB commands of each step, with the intakes and actions it sent. */
function commandsMarkdown(rows: MixedRow[]): string[] {
  const counted = rows.filter((r) => r.mongoCommands);
  if (counted.length === 0) return [];
  const lines = [
    "MongoDB commands of the workers' process, from the step's start until it drained (the bench's check that the office can see a case is one `find cases` per action):",
    '',
  ];
  for (const r of counted) {
    const commands = Object.entries(r.mongoCommands!);
    const total = commands.reduce((sum, [, n]) => sum + n, 0);
    lines.push(
      `- ${r.multiple}× at ${r.openAtStart} open: ${total} commands for ${r.ops.intake.n} intakes and ${r.ops.actions.n} actions; ` +
        commands.map(([key, n]) => `${key} ${n}`).join(', '),
    );
  }
  lines.push('');
  return lines;
}
