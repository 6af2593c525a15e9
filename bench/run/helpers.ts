/** The small helpers every part of the bench uses: rounding, the run's log, and times read from Temporal history. */
import { performance } from 'node:perf_hooks';
import type { temporal } from '@temporalio/proto';
import { percentile } from '../stats';

/** A numeric `--name=value` argument of the command line, or `fallback`. */
export function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.slice(name.length + 3)) : fallback;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const round = (x: number, digits = 1) =>
  Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : NaN;
export const ratio = (a: number, b: number) => round(a / b, 2);
/** A figure for the report: rounded, or a dash when there is none. */
export const fmt = (x: number): string => (Number.isFinite(x) ? String(round(x)) : '–');
export const runStarted = performance.now();
const elapsed = () => `${((performance.now() - runStarted) / 1000).toFixed(0)} s`;
export const log = (message: string) => console.log(`[bench ${elapsed()}] ${message}`);

type Long = { toNumber(): number };
export function protoMs(t: { seconds?: number | Long | null; nanos?: number | null } | null | undefined): number {
  if (!t) return NaN;
  const s = t.seconds ?? 0;
  return (typeof s === 'number' ? s : s.toNumber()) * 1000 + (t.nanos ?? 0) / 1e6;
}
export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export function median(values: number[]): number {
  return percentile(
    values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b),
    50,
  );
}

/** `--name=1,2,3` as numbers, or undefined when not given. */
export function numbersOption(argv: string[], name: string): number[] | undefined {
  return argv
    .find((a) => a.startsWith(`--${name}=`))
    ?.slice(name.length + 3)
    .split(',')
    .map(Number);
}
