/**
 * Performance bench: the case engine against a trivial Temporal workflow, measured side by side in one run on the
 * same servers, in alternating blocks, so a noisy machine moves both sides alike. See docs/performance.md.
 *
 *   npm run bench -- --quick     (< 5 min)
 *   npm run bench                (full profile; about an hour here, most of it seeding 50 000 open cases)
 *   npm run bench -- --activities=100 --cache=0    (worker settings other than the defaults, for before/after)
 *   npm run bench -- --quick --only=mixed --out=<dir>    (some phases only; results elsewhere than bench/results)
 *   npm run bench -- --only=burst --burst=2000,400 --burst-multiple=5    (reminders, expiries, load of the burst)
 *   npm run bench -- --only=burst --burst-spread=60                      (the reminders spread over 60 s after T)
 *   npm run bench -- --only=registration --store=postgresql    (FerretDB on a PostgreSQL of its own, not SQLite)
 *   npm run bench -- --report=<results.json>    (the markdown of an earlier run again)
 *
 * The phases are in phases/, one file each, run in this order: intake, registration, actions, timers, mixed, burst, scale,
 * lifecycle. Each
 * is handed the Bench (requests.ts): the stack of stack.ts and the workflows the run has started on it.
 *
 * Nothing here fails on an absolute time: goals are printed as met or not met, and the run exits 0 unless it broke.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { stopAllServers } from '../../harness/servers';
import { budget, TooSlow } from '../stats';
import { caseCost, intakeCpu } from './cost';
import { log, round, runStarted } from './helpers';
import { actionRoundTrips } from './phases/actions';
import { intakeAtRates, intakeSaturation } from './phases/intake';
import { burstIsolation } from './phases/burst';
import { lifecycle } from './phases/lifecycle';
import { registration } from './phases/registration';
import { mixedLoad } from './phases/mixed';
import { scale } from './phases/scale';
import { timerPrecision } from './phases/timers';
import { burstProfile, mixedProfile, PHASES, PROFILES, type Phase, type Profile } from './profiles';
import { goals, markdown, type Results } from './report';
import { drain, endOpenWorkflows, newBench } from './requests';
import { runSettings, startStack } from './stack';

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
  const md = markdown(r, met);
  const out = process.argv.find((a) => a.startsWith('--out='))?.slice('--out='.length);
  const dir = out ? path.resolve(out) : path.resolve(__dirname, '..', 'results');
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
  const md = markdown(results, goals(results));
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
  const want = (phase: Phase) => (only ? only.includes(phase) : !p.optInPhases.includes(phase));
  const settings = runSettings(process.argv);
  log(`profile ${p.name}; settings ${JSON.stringify(settings)}; starting servers`);
  const s = newBench(await startStack(settings));
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
    results.intakeCpu = intakeCpu(s);

    const phase = async (name: Phase, fn: () => Promise<void>) => {
      if (!want(name)) return;
      const t0 = performance.now();
      try {
        // A quick phase stays within its budget and 10 s even when a request hangs: the profile stays under 5 min.
        const grace = p.name === 'quick' ? 10_000 : 30_000;
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
    await phase('registration', async () => {
      await registration(s, p, (r) => (results.registration = r));
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
      await mixedLoad(s, mixedProfile(p, process.argv), (row) => results.mixed!.push(row));
    });
    await phase('burst', async () => {
      await endOpenWorkflows(s);
      results.burst = await burstIsolation(s, burstProfile(p, process.argv));
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
