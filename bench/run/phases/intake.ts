/**
 * 1. Intake: POST /v1/cases against a start of the trivial workflow, open loop at fixed rates in alternating blocks,
 * with registerCase() in-process between them to tell the HTTP path's share; then closed loop at saturation.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { closedLoop, merge, openLoop, type Summary } from '../../stats';
import { log, round } from '../helpers';
import type { Profile } from '../profiles';
import { drain, postIntake, rawStart, registerInProcess, type Bench } from '../requests';

export interface IntakeRow {
  rate: number;
  /** POST /v1/cases over HTTP. */
  api: Summary;
  /** registerCase() called in-process: the same case start without HTTP, Express, auth or zod. */
  direct: Summary;
  /** client.workflow.start of the trivial workflow. */
  raw: Summary;
  /** p99 delay of this process's event loop (which runs the API, the workers' activities and the callers), ms. */
  loopDelayP99: Record<IntakeSide, number>;
}

type IntakeSide = 'api' | 'direct' | 'raw';
const INTAKE_ORDERS: IntakeSide[][] = [
  ['api', 'raw', 'direct'],
  ['raw', 'direct', 'api'],
  ['direct', 'api', 'raw'],
];

function intakeSender(s: Bench, side: IntakeSide): () => Promise<boolean> {
  if (side === 'api') return async () => !!(await postIntake(s));
  if (side === 'direct') return async () => (await registerInProcess(s)).created;
  return async () => !!(await rawStart(s));
}

export async function intakeAtRates(s: Bench, p: Profile, rates: number[], seconds: number, rounds: number) {
  const rows: IntakeRow[] = [];
  for (const rate of rates) {
    const blocks: Record<IntakeSide, Awaited<ReturnType<typeof openLoop>>[]> = { api: [], direct: [], raw: [] };
    const drains: number[] = [];
    const delays: Record<IntakeSide, number[]> = { api: [], direct: [], raw: [] };
    for (let r = 0; r < rounds; r++) {
      for (const side of INTAKE_ORDERS[r % INTAKE_ORDERS.length]!) {
        const loop = monitorEventLoopDelay({ resolution: 5 });
        loop.enable();
        blocks[side].push(await openLoop(rate, seconds, intakeSender(s, side)));
        loop.disable();
        delays[side].push(loop.percentile(99) / 1e6);
        drains.push(await drain(s, p.drainCapSeconds * 1000));
      }
    }
    const row: IntakeRow = {
      rate,
      api: merge(blocks.api),
      direct: merge(blocks.direct),
      raw: merge(blocks.raw),
      loopDelayP99: {
        api: round(Math.max(...delays.api)),
        direct: round(Math.max(...delays.direct)),
        raw: round(Math.max(...delays.raw)),
      },
    };
    log(
      `intake ${rate}/s: API ${round(row.api.throughput)}/s p50 ${round(row.api.p50)} p99 ${round(row.api.p99)} ms ` +
        `err ${row.api.errors} | direct p50 ${round(row.direct.p50)} p99 ${round(row.direct.p99)} | ` +
        `raw ${round(row.raw.throughput)}/s p50 ${round(row.raw.p50)} p99 ${round(row.raw.p99)} ms; ` +
        `drained after blocks: ${drains.join(', ')} s; event-loop delay p99 API/direct/raw ` +
        `${row.loopDelayP99.api}/${row.loopDelayP99.direct}/${row.loopDelayP99.raw} ms`,
    );
    rows.push(row);
  }
  return rows;
}

export async function intakeSaturation(s: Bench, p: Profile, rounds: number) {
  const api: Awaited<ReturnType<typeof closedLoop>>[] = [];
  const raw: Awaited<ReturnType<typeof closedLoop>>[] = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? ['api', 'raw'] : ['raw', 'api'];
    for (const side of order) {
      const send = side === 'api' ? async () => !!(await postIntake(s)) : async () => !!(await rawStart(s));
      (side === 'api' ? api : raw).push(await closedLoop(p.saturationRequests, p.saturationConcurrency, send));
      await drain(s, p.drainCapSeconds * 1000);
    }
  }
  const result = { concurrency: p.saturationConcurrency, api: merge(api), raw: merge(raw) };
  log(
    `intake saturation (${p.saturationConcurrency} callers): API ${round(result.api.throughput)}/s ` +
      `raw ${round(result.raw.throughput)}/s`,
  );
  return result;
}
