/**
 * The bench's two profiles: quick (well under 5 min, CI's smoke check) and full (about an hour here), and the phases a run
 * may be limited to with `--only`.
 */
import type { BurstProfile } from './phases/burst';
import type { MixedProfile } from './phases/mixed';
import { numbersOption } from './helpers';

export interface Profile {
  name: 'quick' | 'full';
  /** Open-loop arrival rates for intake, per second. */
  intakeRates: number[];
  blockSeconds: number;
  /** Each round runs one API block and one raw block per rate (the order alternates between rounds). */
  rounds: number;
  /** Rounds of the action blocks (each round runs all three sides). */
  actionRounds: number;
  warmupSeconds: number;
  /** Longest wait for the worker to go idle between blocks; a capped drain is reported. */
  drainCapSeconds: number;
  /** Closed-loop intake at saturation: requests per block and callers. */
  saturationRequests: number;
  saturationConcurrency: number;
  /** Action round trips per block, and callers. */
  actionRequests: number;
  actionConcurrency: number;
  actionCases: number;
  /** Cases whose timers fall in the same second, per run. */
  timerCases: number[];
  /** Seconds from the start of a timer run to the instant the timers are due (at least; more for big runs). */
  timerLeadSeconds: number;
  /** Open cases (holding far timers) at which intake and actions are measured again. */
  scaleLevels: number[];
  scaleRate: number;
  lifecycleCases: number;
  /** Registration cost: workflows per block, callers starting them, rounds (each round one block a side). */
  registration: {
    perBlock: number;
    concurrency: number;
    rounds: number;
    /** Then one block a side at a low even rate, for the latency without a queue. */
    paced: { count: number; perSecond: number };
  };
  /** The mixed office day at multiples of the anchor load (phases/mixed.ts). */
  mixed: MixedProfile;
  /** Reminders and expiries due at one instant under the mixed load (phases/burst.ts). */
  burst: BurstProfile;
  /** Phases this profile runs only when `--only` names them. */
  optInPhases: Phase[];
  /** Longest a phase may run before it is recorded as failed and the run goes on (seconds). */
  phaseBudgetSeconds: Record<Phase, number>;
}

export const PHASES = ['intake', 'registration', 'actions', 'timers', 'mixed', 'burst', 'scale', 'lifecycle'] as const;
export type Phase = (typeof PHASES)[number];

export const PROFILES: Record<'quick' | 'full', Profile> = {
  quick: {
    name: 'quick',
    // 20/s: under this machine's registration rate when idle (~25/s), so the upper block shows the start of a backlog
    // without leaving one for the next phase when the machine is loaded.
    intakeRates: [10, 20],
    blockSeconds: 2,
    rounds: 1,
    actionRounds: 1,
    warmupSeconds: 2,
    drainCapSeconds: 3,
    saturationRequests: 40,
    saturationConcurrency: 16,
    actionRequests: 12,
    actionConcurrency: 4,
    actionCases: 8,
    timerCases: [30],
    timerLeadSeconds: 15,
    scaleLevels: [0, 50],
    scaleRate: 10,
    lifecycleCases: 6,
    registration: { perBlock: 32, concurrency: 16, rounds: 2, paced: { count: 8, perSecond: 1 } },
    mixed: { multiples: [1, 5], backgrounds: [0], stepSeconds: 5, drainCapSeconds: 3 },
    // Small enough for the phase to take about a minute here (30 reminders and 6 expiries took 60 s at load 7): the
    // issue's sizes are the full profile's.
    burst: {
      reminders: 50,
      expiries: 10,
      multiple: 1,
      settleSeconds: 2,
      beforeSeconds: 6,
      duringCapSeconds: 15,
      leadSeconds: 3,
      drainCapSeconds: 10,
      spreadSeconds: 0,
    },
    // Each phase's time in a run on the shared two-core machine at load 8–10, plus a margin (docs/performance.md).
    // Registration takes 40–60 s at load 10 here (4 blocks of 32 workflows, the case side at 3–10 registrations/s):
    // over what the quick profile can spare, so it runs only when asked for (`--quick --only=registration`).
    optInPhases: ['registration'],
    phaseBudgetSeconds: {
      intake: 40,
      registration: 120,
      actions: 30,
      timers: 35,
      mixed: 40,
      burst: 75,
      scale: 60,
      lifecycle: 20,
    },
  },
  full: {
    name: 'full',
    intakeRates: [10, 50, 100, 200, 400],
    blockSeconds: 10,
    rounds: 2,
    actionRounds: 3,
    warmupSeconds: 10,
    drainCapSeconds: 180,
    saturationRequests: 600,
    saturationConcurrency: 32,
    actionRequests: 150,
    actionConcurrency: 4,
    actionCases: 32,
    timerCases: [1000, 5000],
    timerLeadSeconds: 60,
    scaleLevels: [0, 10_000, 50_000],
    scaleRate: 40,
    lifecycleCases: 200,
    registration: { perBlock: 200, concurrency: 16, rounds: 4, paced: { count: 40, perSecond: 1 } },
    optInPhases: [],
    mixed: { multiples: [1, 5, 10], backgrounds: [0, 10_000, 50_000], stepSeconds: 60, drainCapSeconds: 120 },
    // Issue 17 item 2: 5 000 reminders and 1 000 expiries at one instant, the mixed load at 5×.
    burst: {
      reminders: 5000,
      expiries: 1000,
      multiple: 5,
      settleSeconds: 30,
      beforeSeconds: 30,
      duringCapSeconds: 300,
      leadSeconds: 30,
      drainCapSeconds: 120,
      // Every reminder at T; `--burst-spread=600` spreads them over ten minutes (XINFANG_REMINDER_SPREAD's hour, cut).
      spreadSeconds: 0,
    },
    phaseBudgetSeconds: {
      intake: 1200,
      registration: 900,
      actions: 900,
      timers: 2400,
      mixed: 3 * 3600,
      burst: 3600,
      scale: 4 * 3600,
      lifecycle: 600,
    },
  },
};

/** `--<name>=1,2,3` as numbers, or undefined when absent. */

/** The mixed phase's profile, with `--mixed-open=0,10000,50000`, `--mixed-multiples=1,5,10`, `--mixed-seconds=60`. */
export function mixedProfile(p: Profile, argv: string[]): MixedProfile {
  const list = (name: string) => numbersOption(argv, name);
  const seconds = list('mixed-seconds')?.[0];
  return {
    ...p.mixed,
    backgrounds: list('mixed-open') ?? p.mixed.backgrounds,
    multiples: list('mixed-multiples') ?? p.mixed.multiples,
    stepSeconds: seconds ?? p.mixed.stepSeconds,
  };
}

/**
 * The burst phase's profile, with `--burst=<reminders>,<expiries>`, `--burst-multiple=5`, `--burst-seconds=90` (the
 * longest the load runs after the burst's instant, or after the spread's end) and `--burst-spread=60` (the reminders
 * spread over that many seconds after T).
 */
export function burstProfile(p: Profile, argv: string[]): BurstProfile {
  const [reminders, expiries] = numbersOption(argv, 'burst') ?? [];
  return {
    ...p.burst,
    reminders: reminders ?? p.burst.reminders,
    expiries: expiries ?? p.burst.expiries,
    multiple: numbersOption(argv, 'burst-multiple')?.[0] ?? p.burst.multiple,
    duringCapSeconds: numbersOption(argv, 'burst-seconds')?.[0] ?? p.burst.duringCapSeconds,
    spreadSeconds: numbersOption(argv, 'burst-spread')?.[0] ?? p.burst.spreadSeconds,
  };
}
