/**
 * The deadlines of an office's acceptance as the `computeDeadlines` activity computes them: the calendar in force
 * loaded from MongoDB (store/calendar.ts), then three periods counted on it. This tree's loading and, with
 * `--before`, another tree's (a worktree of an earlier commit, with node_modules), alternately in one process against
 * one FerretDB holding two admin-loaded years; wall time and this process's CPU time per call, their medians and
 * ratios. A different deadline fails the run; nothing fails on slowness.
 *
 *   npm run bench:calendar                                  (this tree alone, 400 calls; under a minute)
 *   git worktree add /tmp/before <commit> && ln -s "$PWD/node_modules" /tmp/before/node_modules
 *   npm run bench:calendar -- --before=/tmp/before --calls=400
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type mongoose from 'mongoose';
import { computeDeadline, type LegalCalendar } from '../domain/calendar';
import { clockRule, profileForRegion } from '../domain/profiles';
import { loadLegalCalendar } from '../store/calendar';
import { createStore, type Store } from '../store/models';
import { median, option, ratio, round } from './run/helpers';
import { runOnOwnFerretDb } from './run/own-ferretdb';

type Load = (store: Store) => Promise<LegalCalendar>;

const PROFILE = profileForRegion('330106');
const CLOCKS = ['acknowledge', 'objection', 'notify'] as const;

/** One call: the calendar, then the three clocks a transfer starts, from one instant. */
async function deadlines(load: Load, store: Store, startedAt: string): Promise<string> {
  const calendar = await load(store);
  return JSON.stringify(
    CLOCKS.map((clock) => computeDeadline({ clock, rule: clockRule(PROFILE, clock), startedAt }, calendar)),
  );
}

async function main(connection: mongoose.Connection): Promise<void> {
  const calls = option('calls', 400);
  const store = createStore(connection);
  // An office's corrections: two years loaded by an admin on top of the built-in schedule.
  await store.calendarYears.insertMany([
    { _id: 2027, holidays: ['2027-01-01', '2027-02-05', '2027-02-08'], workdays: ['2027-02-06'], source: 'admin' },
    { _id: 2028, holidays: ['2028-01-01'], workdays: [], source: 'admin' },
  ]);
  const beforeDir = process.argv.find((a) => a.startsWith('--before='))?.slice('--before='.length);
  const before: Load | undefined = beforeDir
    ? ((await import(path.resolve(beforeDir, 'store/calendar.ts'))) as { loadLegalCalendar: Load }).loadLegalCalendar
    : undefined;
  const sides = {
    now: { ms: [] as number[], cpu: [] as number[] },
    before: { ms: [] as number[], cpu: [] as number[] },
  };
  let same = 0;
  for (let i = 0; i < calls; i++) {
    const startedAt = new Date(Date.UTC(2026, 11, 1) + i * 3_600_000 * 7).toISOString();
    const answers: Record<string, string> = {};
    for (const side of i % 2 === 0 ? (['now', 'before'] as const) : (['before', 'now'] as const)) {
      const load = side === 'now' ? loadLegalCalendar : before;
      if (!load) continue;
      const cpu = process.cpuUsage();
      const started = performance.now();
      answers[side] = await deadlines(load, store, startedAt);
      sides[side].ms.push(performance.now() - started);
      const used = process.cpuUsage(cpu);
      sides[side].cpu.push((used.user + used.system) / 1000);
    }
    if (before) {
      if (answers.now !== answers.before) throw new Error(`different deadlines from ${startedAt}`);
      same += 1;
    }
  }
  const per = (side: keyof typeof sides) => ({
    msPerCall: round(median(sides[side].ms), 2),
    cpuMsPerCall: round(median(sides[side].cpu), 2),
  });
  console.log(
    JSON.stringify(
      {
        calls,
        beforeTree: beforeDir,
        now: per('now'),
        ...(before
          ? {
              before: per('before'),
              wallRatio: ratio(median(sides.before.ms), median(sides.now.ms)),
              cpuRatio: ratio(median(sides.before.cpu), median(sides.now.cpu)),
              sameDeadlines: same,
            }
          : {}),
      },
      null,
      2,
    ),
  );
}

runOnOwnFerretDb('calendar', main);
