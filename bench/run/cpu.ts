/** CPU time of each process of the stack, read from /proc, for the mixed phase's CPU per wall second. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export type CpuProcess = 'worker' | 'api' | 'temporal' | 'ferretdb';

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process, or the sum over several, in seconds (NaN when one cannot be read). */
function cpuSeconds(pid: number | undefined | (number | undefined)[]): number {
  if (Array.isArray(pid)) return pid.length ? pid.reduce<number>((sum, p) => sum + cpuSeconds(p), 0) : NaN;
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

export function cpuSnapshot(
  pids: Record<CpuProcess, number | undefined | (number | undefined)[]>,
): Record<CpuProcess, number> {
  return {
    worker: cpuSeconds(pids.worker),
    api: cpuSeconds(pids.api),
    temporal: cpuSeconds(pids.temporal),
    ferretdb: cpuSeconds(pids.ferretdb),
  };
}
