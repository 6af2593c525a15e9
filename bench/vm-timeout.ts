/**
 * The price of a call into a workflow context with and without a timeout, side by side in one process.
 *
 * The SDK's reusable context (@temporalio/worker `ReusableVMWorkflowCreator`) enters a workflow's code with
 * `script.runInContext(context, { timeout: isolateExecutionTimeoutMs })`, about three times per activation
 * (activate, unblock conditions, conclude). With a timeout, Node starts a watchdog thread for the call and joins it
 * afterwards, whatever the call does. This calls a one-line function in a context made as the SDK makes it
 * (`microtaskMode: 'afterEvaluate'`), alternately with the SDK's default timeout (5 s) and without one:
 *
 *   npm run bench:vm-timeout [-- --calls=20000 --rounds=7]
 *
 * Medians of `--rounds`; nothing fails on slowness.
 */
import { performance } from 'node:perf_hooks';
import vm from 'node:vm';
import { median, option, ratio, round } from './run/helpers';

const calls = option('calls', 20_000);
const rounds = option('rounds', 7);

const context = vm.createContext({}, { microtaskMode: 'afterEvaluate' });
vm.runInContext('globalThis.activate = () => Promise.resolve(1)', context);
const call = new vm.Script('activate()');

/** Microseconds of wall time and of this process's CPU per call. */
function measure(options: vm.RunningScriptOptions): { wall: number; cpu: number } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < calls; i++) call.runInContext(context, options);
  const used = process.cpuUsage(cpu);
  return { wall: ((performance.now() - start) * 1000) / calls, cpu: (used.user + used.system) / calls };
}

const sides = { timeout: { timeout: 5000 }, none: {} } satisfies Record<string, vm.RunningScriptOptions>;
const results: Record<keyof typeof sides, { wall: number[]; cpu: number[] }> = {
  timeout: { wall: [], cpu: [] },
  none: { wall: [], cpu: [] },
};
measure(sides.none);
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? (['timeout', 'none'] as const) : (['none', 'timeout'] as const);
  for (const side of order) {
    const { wall, cpu } = measure(sides[side]);
    results[side].wall.push(wall);
    results[side].cpu.push(cpu);
  }
}

const med = (side: keyof typeof sides, what: 'wall' | 'cpu') => median(results[side][what]);
console.log(`node ${process.version}, ${calls} calls a round, medians of ${rounds} rounds`);
console.log('| per call | timeout 5 s | no timeout | ratio |');
console.log('|---|---|---|---|');
for (const what of ['wall', 'cpu'] as const) {
  console.log(
    `| ${what} µs | ${round(med('timeout', what), 1)} | ${round(med('none', what), 2)} | ${ratio(med('timeout', what), med('none', what))}× |`,
  );
}
