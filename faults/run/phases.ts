/**
 * The faults, in turn within each round of the load. On the dev stack: the worker killed mid-activity and mid-timer,
 * Temporal restarted, FerretDB stopped, the API killed. On the cluster: the history and the matching service killed,
 * one of the two workers killed (the other carries on alone), one API replica killed, PostgreSQL restarted.
 */
import { waitForHealthy } from '../../dev/cluster/cluster';
import { startFerretDb, startTemporalDevServer } from '../../harness/servers';
import type { TemporalService } from '../../dev/cluster/temporal';
import { say, sleep, type Profile } from './common';
import type { Ledger } from './load';
import type { ClusterSystem, Receiver, SingleSystem, System } from './stack';

export interface Fault {
  at: number;
  /** What is done, for the log. */
  name: string;
  /** What kind of fault, for the report's count per kind ("every fault injected at least once"). */
  kind: string;
  run: () => Promise<void>;
}

export interface PlanContext {
  ledger: Ledger;
  profile: Profile;
  t0: number;
  /** When the planned reminders fall due, one per round first. */
  reminderTimes: number[];
  receiver: Receiver;
}

export function faultPlan(system: System, context: PlanContext): Fault[] {
  const faults = system.kind === 'single' ? singlePlan(system, context) : clusterPlan(system, context);
  return faults.sort((a, b) => a.at - b.at);
}

/** Kinds every run of that shape must inject at least once. */
export function expectedKinds(system: System): string[] {
  return system.kind === 'single'
    ? ['worker killed mid-activity', 'worker killed mid-timer', 'Temporal restarted', 'FerretDB stopped', 'API killed']
    : [
        'history service killed',
        'matching service killed',
        'one worker killed',
        'one API replica killed',
        'PostgreSQL restarted',
      ];
}

async function untilInFlight(count: () => number, what: string): Promise<void> {
  const until = Date.now() + 20_000;
  while (count() === 0 && Date.now() < until) await sleep(20);
  say(`  ${count()} ${what} in flight at the kill`);
}

function singlePlan(sys: SingleSystem, { ledger, profile, t0, reminderTimes, receiver }: PlanContext): Fault[] {
  const faults: Fault[] = [];
  const round = profile.loadMs / profile.rounds;
  for (let r = 0; r < profile.rounds; r++) {
    const at = (fraction: number) => t0 + r * round + fraction * round;
    faults.push({
      at: at(0.1),
      kind: 'worker killed mid-activity',
      name: 'kill -9 worker mid-activity (a webhook delivery in flight), restart after 3 s',
      run: async () => {
        await untilInFlight(() => receiver.inFlight, 'webhook deliveries');
        await sys.worker.stop('SIGKILL');
        await sleep(3_000);
        sys.worker.start();
      },
    });
    // The worker is dead across a reminder's due time: the timer must fire late, not be lost.
    const reminder = reminderTimes[r];
    if (reminder !== undefined)
      faults.push({
        at: reminder - 4_000,
        kind: 'worker killed mid-timer',
        name: `kill -9 worker mid-timer (a reminder due at +${((reminder - t0) / 1000).toFixed(0)} s), restart 10 s later`,
        run: async () => {
          await sys.worker.stop('SIGKILL');
          await sleep(10_000);
          sys.worker.start();
        },
      });
    faults.push({
      at: at(0.45),
      kind: 'Temporal restarted',
      name: 'restart the Temporal dev server on its persisted database (SIGTERM, start on the same port)',
      run: async () => {
        await sys.temporal.stop();
        sys.temporal = await startTemporalDevServer({
          bin: sys.tools.temporal,
          port: sys.temporalPort,
          dbFile: sys.temporalDb,
        });
      },
    });
    faults.push({
      at: at(0.6),
      kind: 'FerretDB stopped',
      name: 'stop FerretDB for 15 s, start it again on the same data directory',
      run: async () => {
        await sys.ferret.stop();
        await sleep(15_000);
        sys.ferret = await startFerretDb({ bin: sys.tools.ferretdb, port: sys.ferretPort, dataDir: sys.ferretDir });
      },
    });
    faults.push({
      at: at(0.85),
      kind: 'API killed',
      name: 'kill -9 the API mid-request, restart it',
      run: async () => {
        await untilInFlight(() => ledger.inFlight, 'requests');
        await sys.api.stop('SIGKILL');
        await sleep(1_000);
        sys.api.start();
        await waitForHealthy(sys.apiUrls[0]!, 60_000);
      },
    });
  }
  return faults;
}

function clusterPlan(sys: ClusterSystem, { ledger, profile, t0, reminderTimes, receiver }: PlanContext): Fault[] {
  const { cluster } = sys;
  const faults: Fault[] = [];
  const round = profile.loadMs / profile.rounds;
  const killService = (service: TemporalService, downMs: number) => async () => {
    await cluster.temporal[service].kill('SIGKILL');
    await sleep(downMs);
    await cluster.startService(service);
  };
  for (let r = 0; r < profile.rounds; r++) {
    const at = (fraction: number) => t0 + r * round + fraction * round;
    faults.push({
      at: at(0.05),
      kind: 'history service killed',
      name: 'kill -9 the Temporal history service, restart it 3 s later on the same ports',
      run: killService('history', 3_000),
    });
    // One worker dies with a webhook delivery in flight and stays down across a reminder's due time: the other
    // worker must pick up both the retried activity and the timer.
    const reminder = reminderTimes[r];
    const worker = cluster.workers[r % cluster.workers.length]!;
    faults.push({
      at: Math.min(at(0.2), (reminder ?? Infinity) - 6_000),
      kind: 'one worker killed',
      name: `kill -9 ${worker.name} mid-activity, leave it down 20 s${
        reminder === undefined ? '' : ` across a reminder due at +${((reminder - t0) / 1000).toFixed(0)} s`
      } (the other worker carries on), restart it`,
      run: async () => {
        await untilInFlight(() => receiver.inFlight, 'webhook deliveries');
        await worker.stop('SIGKILL');
        await sleep(20_000);
        worker.start();
      },
    });
    faults.push({
      at: at(0.45),
      kind: 'matching service killed',
      name: 'kill -9 the Temporal matching service, restart it 3 s later on the same ports',
      run: killService('matching', 3_000),
    });
    faults.push({
      at: at(0.6),
      kind: 'PostgreSQL restarted',
      name: 'restart PostgreSQL (fast shutdown, down 5 s, start on the same data folder)',
      run: async () => {
        await cluster.postgres.stop();
        await sleep(5_000);
        await cluster.startPostgres();
      },
    });
    const api = cluster.apis[r % cluster.apis.length]!;
    faults.push({
      at: at(0.8),
      kind: 'one API replica killed',
      name: `kill -9 ${api.name} mid-request (the other replica answers meanwhile), restart it 5 s later`,
      run: async () => {
        await untilInFlight(() => ledger.inFlight, 'requests');
        await api.stop('SIGKILL');
        await sleep(5_000);
        api.start();
        await waitForHealthy(sys.apiUrls[cluster.apis.indexOf(api)]!, 60_000);
      },
    });
  }
  return faults;
}
