/**
 * The worker's start-up, from spawning its process to its first poll of the task queue, two ways in alternation so
 * that a busy machine slows both alike (docs/performance.md "Worker start-up"). Also the CPU time the process used
 * until then, which other jobs on the machine disturb less than the wall-clock time:
 *
 * - source: `node --import tsx worker/main.ts`, how the worker started before the production build; tsx compiles
 *   each module as it loads and webpack bundles the workflow code before the worker polls.
 * - compiled: `node dist/worker/main.js` (`npm run start:worker`), the prebuilt workflow bundle.
 *
 *   npm run bench:startup [-- --runs=5]
 *
 * Builds dist/ as `npm run build` does, then starts its own Temporal dev server and FerretDB in a temporary folder.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os, { hostname } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Connection } from '@temporalio/client';
import { Child } from '../dev/children';
import { resolveToolPaths, startFerretDb, startTemporalDevServer, stopAllServers } from '../harness/servers';
import { buildProduction, DIST_DIR } from '../scripts/build';
import { workflowPollers } from '../worker/pollers';
import { percentile } from './stats';

const VARIANTS = { source: undefined, compiled: DIST_DIR } as const;
type Variant = keyof typeof VARIANTS;
const READY_TIMEOUT_MS = 3 * 60_000;

interface Setup {
  dir: string;
  temporal: Connection;
  settings: Record<string, string>;
}

interface Start {
  /** From spawn to the first poll. */
  ms: number;
  /** User and system CPU of the worker's process (every thread) until then; undefined without Linux's /proc. */
  cpuMs?: number;
}

async function cpuMs(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // After the command name: state is the 1st field, utime the 12th and stime the 13th, in ticks of 10 ms (USER_HZ).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

async function startOnce(setup: Setup, variant: Variant, run: number): Promise<Start> {
  const taskQueue = `startup-${randomBytes(4).toString('hex')}`;
  const worker = new Child({
    name: `worker-${variant}`,
    script: 'worker/main.ts',
    build: VARIANTS[variant],
    env: { ...setup.settings, TEMPORAL_TASK_QUEUE: taskQueue },
    logFile: path.join(setup.dir, `worker-${variant}-${run}.log`),
  });
  const started = performance.now();
  worker.start();
  const identity = `${worker.pid}@${hostname()}`;
  try {
    for (;;) {
      const pollers = await workflowPollers(setup.temporal, setup.settings.TEMPORAL_NAMESPACE!, taskQueue);
      if (pollers.includes(identity)) return { ms: performance.now() - started, cpuMs: await cpuMs(worker.pid!) };
      if (worker.unexpectedExits.length > 0) throw new Error(`the ${variant} worker exited: see ${setup.dir}`);
      if (performance.now() - started > READY_TIMEOUT_MS) throw new Error(`the ${variant} worker did not poll`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await worker.stop();
    await worker.close();
  }
}

async function main(): Promise<void> {
  const runs = Number(process.argv.find((arg) => arg.startsWith('--runs='))?.slice('--runs='.length) ?? 5);
  console.log('building dist/ (npm run build)');
  await buildProduction();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'xinfang-startup-'));
  const tools = await resolveToolPaths();
  const server = await startTemporalDevServer({ bin: tools.temporal });
  const ferret = await startFerretDb({ bin: tools.ferretdb, dataDir: path.join(dir, 'ferretdb') });
  const temporal = await Connection.connect({ address: server.address });
  const setup: Setup = {
    dir,
    temporal,
    settings: {
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_NAMESPACE: server.namespace,
      MONGO_URL: `${ferret.url}xinfang`,
      XINFANG_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'warn',
    },
  };
  const starts: Record<Variant, Start[]> = { source: [], compiled: [] };
  try {
    for (let run = 1; run <= runs; run++) {
      // Alternate which goes first, so neither always follows the other's exit.
      const order: Variant[] = run % 2 ? ['source', 'compiled'] : ['compiled', 'source'];
      for (const variant of order) {
        const start = await startOnce(setup, variant, run);
        starts[variant].push(start);
        console.log(`run ${run} ${variant.padEnd(8)} ${seconds(start.ms)} s, CPU ${seconds(start.cpuMs)} s`);
      }
    }
  } finally {
    await temporal.close();
    await stopAllServers();
    await rm(dir, { recursive: true, force: true });
  }
  const median = (values: (number | undefined)[]) =>
    percentile(
      values.map(Number).sort((a, b) => a - b),
      50,
    );
  console.log(`\n| worker started | runs | to first poll (s) | median | CPU until then (s) | median |`);
  console.log(`|---|---|---|---|---|---|`);
  for (const variant of Object.keys(starts) as Variant[]) {
    const wall = starts[variant].map((start) => start.ms);
    const cpu = starts[variant].map((start) => start.cpuMs);
    const each = (values: (number | undefined)[]) => values.map(seconds).join(', ');
    console.log(
      `| ${variant} | ${runs} | ${each(wall)} | ${seconds(median(wall))} | ${each(cpu)} | ${seconds(median(cpu))} |`,
    );
  }
  const ratio = (pick: (start: Start) => number | undefined) =>
    (median(starts.source.map(pick)) / median(starts.compiled.map(pick))).toFixed(1);
  console.log(`\nsource / compiled medians: ${ratio((s) => s.ms)}× to first poll, ${ratio((s) => s.cpuMs)}× CPU`);
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? '–' : (ms / 1000).toFixed(2);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
