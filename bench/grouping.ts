/**
 * Grouping a district's week by matter (`groupMatters`, similarity/hotspots.ts), which the hotspot check does at every
 * registration, in memory: this tree's grouping and, with `--before`, another tree's (a worktree of an earlier
 * commit, with node_modules), alternately on the same letters in one process, their answers compared.
 *
 *   npm run bench:grouping                          (1 000, 4 000 and 12 000 letters, this tree alone; about a minute)
 *   git worktree add /tmp/before <commit> && ln -s "$PWD/node_modules" /tmp/before/node_modules
 *   npm run bench:grouping -- --before=/tmp/before --sizes=1000,4000,24000 --rounds=3
 *
 * The letters are varied ones (test/fixtures/petition-generator.ts) in one district over a week, and a tenth as many
 * about one building site (test/fixtures/hotspot-letters.ts), each encoded and decoded as the index stores it.
 * Also the check's grouping as it runs at each registration: the newest case's group with the grouping kept from
 * the check before (`groupOfCase`), one more case a check, over the week's last `--checks` cases (20), on both trees
 * with `--before` (`keptMs`, `keptBeforeMs`), against the week grouped afresh (`nowMs`); with `--out-of-order=N`, each
 * check up to N cases late, so that checks come out of registration order. Times are medians of `--rounds` and of the
 * checks (`keptMeanMs`, `keptBeforeMeanMs`: their means, what a worker spends a check). Nothing fails on slowness; a
 * different grouping fails the run.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { decodeMatter, encodeMatter, matterOf, type Matter } from '../similarity/features';
import { groupMatters, groupOfCase, type MatterGroup } from '../similarity/hotspots';
import { registrationRank } from '../similarity/matter-index';
import { Sealer } from '../store/sealed';
import { siteLetters } from '../test/fixtures/hotspot-letters';
import { generatePetitions, random } from '../test/fixtures/petition-generator';
import { median, numbersOption, option, ratio, round } from './run/helpers';

type Grouping = (matters: Matter[]) => MatterGroup[];

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

const sealer = new Sealer('xinfang-bench-secret-not-for-production-0123456789');
const DISTRICT = '330106';
const WINDOW_END = new Date('2026-11-27T04:00:00.000Z');
const WEEK_MS = 7 * 86_400_000;

/** `size` varied letters and a tenth as many about one site, through one district's week. */
function week(size: number): Matter[] {
  const from = new Date(WINDOW_END.getTime() - WEEK_MS);
  const varied = generatePetitions(size, { regionCodes: [DISTRICT], from, to: WINDOW_END }, size);
  const site = siteLetters(Math.floor(size / 10)).map((letter, i) => ({
    ...letter,
    caseId: `S${String(i).padStart(9, '0')}`,
    kind: 'complaint',
    regionCode: DISTRICT,
    registeredAt: new Date(from.getTime() + Math.floor((i * WEEK_MS) / Math.max(1, size / 10))),
  }));
  return [...varied, ...site].map((letter) => decodeMatter(encodeMatter(matterOf(sealer, letter))));
}

/** What two groupings must agree on: each group's leader, representative and members, in order. */
const answers = (groups: MatterGroup[]) =>
  JSON.stringify(groups.map((g) => [g.leader, g.representative, g.members.map((m) => m.caseId)]));

function timed(grouping: Grouping, matters: Matter[]): { ms: number; groups: MatterGroup[] } {
  const started = performance.now();
  const groups = grouping(matters);
  return { ms: performance.now() - started, groups };
}

type KeptGrouping = typeof groupOfCase;

/**
 * The hotspot check's grouping as it runs at each registration: the group of each of the week's last `checks` cases,
 * with the grouping kept from the check before (`groupOfCase`). In registration order, one more case each check; with
 * `spread`, each check comes that many cases' time late at most (at random), as when registrations queue behind one
 * another and finish out of order, so a check often finds later cases already added. The week's last case must get
 * the group `groupMatters` gave. With two trees' `groupOfCase`, each check is run on both, alternately first, each on
 * its own kept grouping. The milliseconds of each check, per tree.
 */
function keptChecks(
  matters: Matter[],
  checks: number,
  afresh: MatterGroup[],
  trees: KeptGrouping[],
  spread: number,
): number[][] {
  const inOrder = [...matters].sort((a, b) => (registrationRank(a) < registrationRank(b) ? -1 : 1));
  const lines = inOrder.map((m) => encodeMatter(m));
  const decoded = new Map(lines.map((line, i) => [line, inOrder[i]!]));
  const decode = (line: string) => decoded.get(line)!;
  const key = `bench:${matters.length}`;
  const ms: number[][] = trees.map(() => []);
  const last = inOrder.at(-1)!.caseId;
  const mine: (MatterGroup | undefined)[] = [];
  for (const grouping of trees)
    grouping(key, lines.slice(0, lines.length - checks), decode, inOrder[lines.length - checks - 1]!.caseId);
  const late = random(17);
  const upTos = Array.from({ length: checks }, (_, k) => lines.length - checks + 1 + k)
    .map((upTo) => ({ upTo, at: upTo + late() * spread }))
    .sort((a, b) => a.at - b.at);
  for (const { upTo } of upTos) {
    const order = upTo % 2 === 0 ? trees.keys() : [...trees.keys()].reverse();
    for (const t of order) {
      const started = performance.now();
      const group = trees[t]!(key, lines.slice(0, upTo), decode, inOrder[upTo - 1]!.caseId);
      ms[t]!.push(performance.now() - started);
      if (upTo === lines.length) mine[t] = group;
    }
  }
  const expected = afresh.find((g) => g.members.some((m) => m.caseId === last))!;
  for (const group of mine)
    if (answers([group!]) !== answers([expected])) throw new Error(`the kept grouping groups ${last} differently`);
  return ms;
}

async function main(): Promise<void> {
  const sizes = numbersOption(process.argv, 'sizes') ?? [1000, 4000, 12000];
  const rounds = option('rounds', 3);
  const beforeDir = process.argv.find((a) => a.startsWith('--before='))?.slice('--before='.length);
  const checks = option('checks', 20);
  const spread = option('out-of-order', 0);
  const beforeModule = beforeDir
    ? ((await import(path.resolve(beforeDir, 'similarity/hotspots.ts'))) as {
        groupMatters: Grouping;
        groupOfCase: KeptGrouping;
      })
    : undefined;
  const before = beforeModule?.groupMatters;
  const rows = [];
  for (const size of sizes) {
    const matters = week(size);
    const [nowMs, beforeMs]: [number[], number[]] = [[], []];
    let groups: MatterGroup[] = [];
    for (let r = 0; r < rounds; r++) {
      // Alternating which goes first, so neither always runs on a warmer heap.
      const sides = r % 2 === 0 ? (['now', 'before'] as const) : (['before', 'now'] as const);
      for (const side of sides) {
        if (side === 'before' && !before) continue;
        const run = timed(side === 'now' ? groupMatters : before!, matters);
        (side === 'now' ? nowMs : beforeMs).push(run.ms);
        if (side === 'now') groups = run.groups;
        else if (answers(run.groups) !== answers(groups))
          throw new Error(`the two trees group ${size} letters differently`);
      }
    }
    const [kept, keptBefore] = keptChecks(
      matters,
      checks,
      groups,
      beforeModule ? [groupOfCase, beforeModule.groupOfCase] : [groupOfCase],
      spread,
    );
    const row = {
      letters: matters.length,
      groups: groups.length,
      largest: Math.max(...groups.map((g) => g.members.length)),
      nowMs: round(median(nowMs)),
      ...(before ? { beforeMs: round(median(beforeMs)), ratio: ratio(median(beforeMs), median(nowMs)) } : {}),
      sameAnswers: before ? rounds : undefined,
      keptMs: round(median(kept!)),
      keptMeanMs: round(mean(kept!)),
      ...(keptBefore
        ? {
            keptBeforeMs: round(median(keptBefore)),
            keptBeforeMeanMs: round(mean(keptBefore)),
            keptRatio: ratio(median(keptBefore), median(kept!)),
          }
        : {}),
      afreshOverKept: ratio(median(nowMs), median(kept!)),
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  console.log(JSON.stringify({ rounds, checks, outOfOrder: spread, before: beforeDir, rows }, null, 2));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
