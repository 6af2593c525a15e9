/**
 * Where the worker's workflow threads spend their time, from the CPU profiles of a bench run:
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/run/main.ts --only=mixed --mixed-open=0 \
 *     --mixed-multiples=1 --mixed-seconds=60
 *   npm run bench:profile -- /tmp/prof [/tmp/prof-other …]
 *
 * Node writes one profile per thread. For each thread that ran workflow code (one per worker: the bench's case
 * workers and its trivial ones), it prints the seconds the thread was busy and three parts of them:
 *
 * - the SDK's promise hook (`init` in @temporalio/worker's vm-shared.js) with what it calls, which records a stack
 *   for every promise workflow code makes;
 * - calls into the workflow context (`runInContext`'s own time): every call starts and stops a watchdog thread for
 *   the worker's `isolateExecutionTimeout`;
 * - the workflow bundle's functions with what they call, outside the hook.
 *
 * The busiest thread is the case worker's under load. Sampled profiles: compare runs side by side, not one figure.
 */
import fs from 'node:fs';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ThreadSummary {
  file: string;
  busySeconds: number;
  promiseHookSeconds: number;
  contextCallSeconds: number;
  bundleSeconds: number;
}

const isPromiseHook = (f: CallFrame) => f.functionName === 'init' && f.url.endsWith('vm-shared.js');
const isBundle = (f: CallFrame) => /workflow-bundle-[0-9a-f]+\.js$/.test(f.url);
const IDLE = new Set(['(idle)', '(program)']);

export function summarize(file: string): ThreadSummary | undefined {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  if (!profile.nodes.some((n) => isPromiseHook(n.callFrame))) return undefined;
  // A sample's time is the delta to the next sample.
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0)));
  const within = (id: number, match: (f: CallFrame) => boolean) => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at))
      if (match(byId.get(at)!.callFrame)) return true;
    return false;
  };
  const summary = {
    file: path.basename(file),
    busySeconds: 0,
    promiseHookSeconds: 0,
    contextCallSeconds: 0,
    bundleSeconds: 0,
  };
  for (const [id, micros] of self) {
    const frame = byId.get(id)!.callFrame;
    const seconds = micros / 1e6;
    if (IDLE.has(frame.functionName)) continue;
    summary.busySeconds += seconds;
    if (within(id, isPromiseHook)) summary.promiseHookSeconds += seconds;
    else if (frame.functionName === 'runInContext' && frame.url === '') summary.contextCallSeconds += seconds;
    else if (within(id, isBundle)) summary.bundleSeconds += seconds;
  }
  return summary;
}

function main(): void {
  const dirs = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (dirs.length === 0) throw new Error('usage: npm run bench:profile -- <cpu-prof-dir> […]');
  const s = (x: number) => x.toFixed(2);
  console.log('| profile | thread | busy s | promise hook s | calls into the context s | workflow code s |');
  console.log('|---|---|---|---|---|---|');
  for (const dir of dirs) {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
    const threads = files.map((f) => summarize(path.join(dir, f))).filter((t) => t !== undefined);
    threads.sort((a, b) => b.busySeconds - a.busySeconds);
    for (const t of threads) {
      console.log(
        `| ${dir} | ${t.file} | ${s(t.busySeconds)} | ${s(t.promiseHookSeconds)} | ${s(t.contextCallSeconds)} | ${s(t.bundleSeconds)} |`,
      );
    }
  }
}

if (require.main === module) main();
