/** Profiles of the fault suite and the small helpers every part of it uses. */

export interface Profile {
  name: 'quick' | 'full';
  /** How long new cases keep arriving; faults are injected within this window. */
  loadMs: number;
  /** Cases taken through office acceptance, unit acknowledgement, acceptance and result. */
  flowCases: number;
  /** Cases left with the office whose half-time reminder falls due during the run. */
  clockCases: number;
  /** Rounds of the fault sequence within the load window. */
  rounds: number;
  /** After the load window: how long outstanding requests may still be retried. */
  drainMs: number;
  /** After the drain: how long the engine may take to catch up before reconciling. */
  quiesceMs: number;
}

export const PROFILES: Record<Profile['name'], Profile> = {
  quick: {
    name: 'quick',
    loadMs: 90_000,
    flowCases: 40,
    clockCases: 8,
    rounds: 1,
    // An activity attempt cut off by a fault is retried only after its 1-minute StartToClose timeout, and a case's
    // actions are sequential: the drain must outlast one such wait.
    drainMs: 90_000,
    quiesceMs: 30_000,
  },
  full: {
    name: 'full',
    loadMs: 420_000,
    flowCases: 150,
    clockCases: 24,
    rounds: 2,
    drainMs: 120_000,
    quiesceMs: 90_000,
  },
};

export const HOST = '127.0.0.1';
/** The unit whose webhook points at the suite's receiver and that handles the flow cases. */
export const DEPT = '330100-HB';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const started = Date.now();
const stamp = () => `[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s]`;
export const say = (line: string) => console.log(`${stamp()} ${line}`);
