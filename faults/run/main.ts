/**
 * The fault suite (`npm run test:faults [-- --quick] [-- --cluster]`): real servers and real processes, a steady load
 * through the API, and in turn the faults of faults/run/phases.ts — on the dev stack's shape by default, on the
 * cluster profile's with --cluster. Afterwards every answer the API gave with a 2xx is checked against Temporal and
 * MongoDB: no accepted intake lost, each action applied once, each reply delivered once, no reminder that fell due
 * during the run skipped. Exits 1 on any difference, or when a fault of the plan was never injected.
 */
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stopAllServers } from '../../harness/servers';
import { connectStore } from '../../store/models';
import { seedDemo } from '../../worker/seed';
import { planClockLetters } from '../clock-plan';
import { DEPT, PROFILES, say, sleep, started } from './common';
import { driveClockCase, driveFlowCase, newLedger, type DemoKeys, type Target } from './load';
import { expectedKinds, faultPlan } from './phases';
import { reconcile } from './reconcile';
import { report, type InjectedFault } from './report';
import { startApplication, startClusterSystem, startReceiver, startSingleSystem, type System } from './stack';

const PROFILE = PROFILES[process.argv.includes('--quick') ? 'quick' : 'full'];
const CLUSTER = process.argv.includes('--cluster');
/** About how long the worker and API processes take to answer, so the reminders fall within the first round. */
const APPLICATION_START_MS = 4_000;

let system: System | undefined;

async function main(): Promise<number> {
  say(
    `fault suite, ${PROFILE.name} profile${CLUSTER ? ' on the cluster profile' : ''}: ${PROFILE.flowCases} flow cases ` +
      `and ${PROFILE.clockCases} clock cases over ${PROFILE.loadMs / 1000} s`,
  );
  const sys = CLUSTER ? await startClusterSystem() : await startSingleSystem();
  system = sys;
  process.on('exit', () => sys.killApplicationNow());
  say(`servers up in ${sys.dir}`);
  const { keys: demo } = await seedDemo(sys.env);
  const keyOf = (role: string, unitCode?: string) => demo.find((k) => k.role === role && k.unitCode === unitCode)!.key;
  const keys: DemoKeys = { intake: keyOf('intake'), office: keyOf('office'), dept: keyOf('department', DEPT) };
  const receiver = await startReceiver(2_000);
  {
    const store = connectStore(sys.env.MONGO_URL);
    await store.connection.asPromise();
    await store.units.updateOne(
      { _id: DEPT },
      { $set: { webhookUrl: receiver.url, webhookSecret: randomBytes(16).toString('hex') } },
    );
    await store.connection.close();
  }
  // Reminders land at the office's reminder time on a working day: the suite sets it to an instant a quarter into
  // the first round, and the clock cases' half-time reminders all fall due then; the mid-timer kill spans it.
  const round = PROFILE.loadMs / PROFILE.rounds;
  const plan = planClockLetters(Date.now() + APPLICATION_START_MS + 0.25 * round, PROFILE.clockCases);
  // The worker and API processes inherit this process's environment; the reminders all land at the planned instant.
  process.env.XINFANG_REMINDER_TIME = plan.reminderTime;
  process.env.XINFANG_REMINDER_SPREAD = '0';
  if (plan.years.length) {
    const store = connectStore(sys.env.MONGO_URL);
    await store.connection.asPromise();
    for (const year of plan.years) {
      await store.calendarYears.updateOne(
        { _id: year.year },
        { $set: { holidays: year.holidays, workdays: year.workdays, source: year.source, loadedAt: new Date() } },
        { upsert: true },
      );
    }
    await store.connection.close();
  }
  await startApplication(sys);
  say(`${sys.kind === 'cluster' ? 'workers and API replicas' : 'worker and API'} started; load begins`);

  const ledger = newLedger(sys.apiUrls.length);
  const t0 = Date.now();
  const loadEnd = t0 + PROFILE.loadMs;
  const target: Target = { apiUrls: sys.apiUrls, keys, ledger, hardStop: loadEnd + PROFILE.drainMs, next: 0 };
  const reminderTimes = [...new Set(plan.letters.map((l) => l.reminderAt))];
  say(
    `clock cases: ${plan.letters.length} half-time reminders due at +${((reminderTimes[0]! - t0) / 1000).toFixed(0)} s`,
  );

  const drivers: Promise<void>[] = [];
  const scheduler = (async () => {
    const interval = (PROFILE.loadMs * 0.9) / PROFILE.flowCases;
    for (let n = 0; n < PROFILE.flowCases; n++) {
      await sleep(Math.max(0, t0 + n * interval - Date.now()));
      drivers.push(driveFlowCase(target, n));
    }
  })();
  // Clock cases register at once, so each is recorded well before its reminder falls due.
  for (const [i, letter] of plan.letters.entries()) drivers.push(driveClockCase(target, i, letter));

  const faults = faultPlan(sys, { ledger, profile: PROFILE, t0, reminderTimes, receiver });
  const injected: InjectedFault[] = [];
  for (const fault of faults) {
    await sleep(Math.max(0, fault.at - Date.now()));
    say(`fault ${injected.length + 1}/${faults.length}: ${fault.name}`);
    const began = Date.now();
    await fault.run();
    injected.push({ kind: fault.kind, name: fault.name, recoveredMs: Date.now() - began });
    say(`  recovered in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  }
  await scheduler;
  await Promise.all(drivers);
  const reasons = [...ledger.retryReasons].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} × ${n}`);
  say(`load done: ${ledger.requests} requests (${ledger.retries} retries: ${reasons.join(', ')}); reconciling`);

  const findings = await reconcile(sys, ledger, PROFILE, Date.now());
  say(
    `${findings.activitiesRetried} activities took more than one attempt; ` +
      `the latest reminder fired ${(findings.maxReminderLateMs / 1000).toFixed(1)} s after its due time`,
  );
  await receiver.close();
  await sys.stop();
  await stopAllServers();
  const problems = report({
    system: sys,
    profile: PROFILE,
    ledger,
    findings,
    injected,
    expectedKinds: expectedKinds(sys),
    receiver,
    seconds: (Date.now() - started) / 1000,
  });
  if (problems.length === 0) await rm(sys.dir, { recursive: true, force: true });
  else {
    await writeFile(path.join(sys.dir, 'problems.txt'), `${problems.join('\n')}\n`);
    console.log(`logs kept in ${sys.dir} (problems.txt lists what differed)`);
  }
  return problems.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    await system?.stop().catch(() => undefined);
    await stopAllServers();
    if (system) console.error(`logs kept in ${system.dir}`);
    process.exit(2);
  },
);
