/** Percentiles, open-loop and closed-loop drivers for the bench (bench/run/). */
import { performance } from 'node:perf_hooks';

export interface Summary {
  n: number;
  ok: number;
  errors: number;
  errorRate: number;
  /** Successful completions per second over the block (first send to last completion). */
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export interface Sample {
  ok: boolean;
  /** From the intended send instant (open loop) or the actual send (closed loop) to the answer, ms. */
  ms: number;
  /** performance.now() at completion. */
  doneAt: number;
}

export function summarize(samples: Sample[], startedAt: number): Summary {
  const ok = samples.filter((s) => s.ok);
  const sorted = ok.map((s) => s.ms).sort((a, b) => a - b);
  const end = Math.max(startedAt + 1, ...samples.map((s) => s.doneAt));
  return {
    n: samples.length,
    ok: ok.length,
    errors: samples.length - ok.length,
    errorRate: samples.length ? (samples.length - ok.length) / samples.length : 0,
    throughput: (ok.length * 1000) / (end - startedAt),
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
  };
}

/** Merges several blocks' samples into one summary (throughput is the mean of the blocks'). */
export function merge(blocks: { samples: Sample[]; summary: Summary }[]): Summary {
  const all = blocks.flatMap((b) => b.samples);
  const sorted = all
    .filter((s) => s.ok)
    .map((s) => s.ms)
    .sort((a, b) => a - b);
  const ok = sorted.length;
  return {
    n: all.length,
    ok,
    errors: all.length - ok,
    errorRate: all.length ? (all.length - ok) / all.length : 0,
    throughput: blocks.reduce((sum, b) => sum + b.summary.throughput, 0) / Math.max(1, blocks.length),
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: ok ? sorted[ok - 1]! : NaN,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A phase that ran out of time: reported, never a failure of the run (the machine may just be slow). */
export class TooSlow extends Error {}

/** The running phase's deadline (performance.now() ms); every loop of the bench stops once it has passed. */
export const budget = { phase: '', deadline: Infinity };

export function checkBudget(): void {
  if (performance.now() > budget.deadline) throw new TooSlow(`${budget.phase} ran over its time budget`);
}

/**
 * Open loop: request i is sent at start + i/rate whether or not earlier ones have answered, and its latency counts
 * from that intended instant, so a stalled server cannot hide its queueing (no coordinated omission).
 */
export async function openLoop(
  rate: number,
  seconds: number,
  send: (i: number) => Promise<boolean>,
): Promise<{ samples: Sample[]; summary: Summary }> {
  const total = Math.max(1, Math.round(rate * seconds));
  const start = performance.now();
  const pending: Promise<Sample>[] = [];
  for (let i = 0; i < total; i++) {
    checkBudget();
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    pending.push(
      send(i).then(
        (ok) => ({ ok, ms: performance.now() - due, doneAt: performance.now() }),
        () => ({ ok: false, ms: performance.now() - due, doneAt: performance.now() }),
      ),
    );
  }
  const samples = await Promise.all(pending);
  return { samples, summary: summarize(samples, start) };
}

/** Closed loop: `concurrency` callers, each sending the next request when the last one answered. */
export async function closedLoop(
  count: number,
  concurrency: number,
  send: (i: number) => Promise<boolean>,
): Promise<{ samples: Sample[]; summary: Summary }> {
  const start = performance.now();
  const samples: Sample[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        checkBudget();
        const i = next++;
        const t0 = performance.now();
        const ok = await send(i).catch(() => false);
        samples.push({ ok, ms: performance.now() - t0, doneAt: performance.now() });
      }
    }),
  );
  return { samples, summary: summarize(samples, start) };
}

/**
 * Runs `fn` over `items` with at most `limit` at a time. When one call throws (a phase out of time, most often), the
 * others take no new item and the pool answers only once they have ended: a caller that then closes a connection
 * (the lifecycle phase stops its time-skipping stack) must not leave their calls retrying on it, which the client
 * reports by throwing from a timer and so ends the whole run.
 */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const workers = await Promise.allSettled(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      try {
        while (next < items.length && !failed) {
          checkBudget();
          const i = next++;
          out[i] = await fn(items[i]!, i);
        }
      } catch (error) {
        failed = true;
        throw error;
      }
    }),
  );
  const error = workers.find((w): w is PromiseRejectedResult => w.status === 'rejected');
  if (error) throw error.reason;
  return out;
}
