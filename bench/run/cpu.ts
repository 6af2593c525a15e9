/** CPU time of each process of the stack, read from /proc, for the mixed phase's CPU per wall second. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** `postgres`: the PostgreSQL FerretDB stores in with `--store=postgresql`, its postmaster and every backend. */
export type CpuProcess = 'worker' | 'api' | 'temporal' | 'ferretdb' | 'postgres';

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces): [0] is field 3, state. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** utime + stime of a process, or the sum over several, in seconds (NaN when one cannot be read). */
export function cpuSeconds(pid: number | undefined | (number | undefined)[]): number {
  if (Array.isArray(pid)) return pid.length ? pid.reduce<number>((sum, p) => sum + cpuSeconds(p), 0) : NaN;
  const fields = pid ? statFields(pid) : undefined;
  // utime is field 14, stime 15.
  return fields ? (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS : NaN;
}

/**
 * A server that forks a process per connection (PostgreSQL): its own time, its children that ended (cutime +
 * cstime, fields 16–17) and its children still running, in seconds.
 */
function treeCpuSeconds(pid: number | undefined): number {
  const fields = pid ? statFields(pid) : undefined;
  if (!fields) return NaN;
  let sum = (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const child = statFields(Number(entry));
    // ppid is field 4.
    if (child && Number(child[1]) === pid) sum += (Number(child[11]) + Number(child[12])) / CLOCK_TICKS;
  }
  return sum;
}

export function cpuSnapshot(
  pids: Record<Exclude<CpuProcess, 'postgres'>, number | undefined | (number | undefined)[]> & { postgres?: number },
): Record<CpuProcess, number> {
  return {
    worker: cpuSeconds(pids.worker),
    api: cpuSeconds(pids.api),
    temporal: cpuSeconds(pids.temporal),
    ferretdb: cpuSeconds(pids.ferretdb),
    postgres: treeCpuSeconds(pids.postgres),
  };
}
