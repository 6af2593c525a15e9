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
 * Also the check's grouping as it runs at each registration: the newest case's group with the first pass kept from
 * the check before (`groupOfCase`), one more case a round (`keptMs`), against the week grouped afresh (`nowMs`).
 * Times are medians of `--rounds`. Nothing fails on slowness; a different grouping fails the run.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { decodeMatter, encodeMatter, matterOf, type Matter } from '../similarity/features';
import { groupMatters, groupOfCase, type MatterGroup } from '../similarity/hotspots';
import { registrationRank } from '../similarity/matter-index';
import { Sealer } from '../store/sealed';
import { siteLetters } from '../test/fixtures/hotspot-letters';
import { generatePetitions } from '../test/fixtures/petition-generator';
import { median, numbersOption, option, ratio, round } from './run/helpers';

type Grouping = (matters: Matter[]) => MatterGroup[];

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

/**
 * The hotspot check's grouping as it runs at each registration: the group of the newest case, with the first pass
 * kept from the check before (`groupOfCase`), one more case each round; the last round's case is the week's last,
 * whose group must be the one `groupMatters` gave.
 */
function keptChecks(matters: Matter[], rounds: number, afresh: MatterGroup[]): number[] {
  const inOrder = [...matters].sort((a, b) => (registrationRank(a) < registrationRank(b) ? -1 : 1));
  const lines = inOrder.map((m) => encodeMatter(m));
  const decoded = new Map(lines.map((line, i) => [line, inOrder[i]!]));
  const decode = (line: string) => decoded.get(line)!;
  const key = `bench:${matters.length}`;
  groupOfCase(key, lines.slice(0, lines.length - rounds), decode, inOrder[lines.length - rounds - 1]!.caseId);
  const ms: number[] = [];
  let mine: MatterGroup | undefined;
  for (let upTo = lines.length - rounds + 1; upTo <= lines.length; upTo++) {
    const started = performance.now();
    mine = groupOfCase(key, lines.slice(0, upTo), decode, inOrder[upTo - 1]!.caseId);
    ms.push(performance.now() - started);
  }
  const last = inOrder.at(-1)!.caseId;
  const expected = afresh.find((g) => g.members.some((m) => m.caseId === last))!;
  if (answers([mine!]) !== answers([expected])) throw new Error(`the kept first pass groups ${last} differently`);
  return ms;
}

async function main(): Promise<void> {
  const sizes = numbersOption(process.argv, 'sizes') ?? [1000, 4000, 12000];
  const rounds = option('rounds', 3);
  const beforeDir = process.argv.find((a) => a.startsWith('--before='))?.slice('--before='.length);
  const before: Grouping | undefined = beforeDir
    ? ((await import(path.resolve(beforeDir, 'similarity/hotspots.ts'))) as { groupMatters: Grouping }).groupMatters
    : undefined;
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
    const kept = keptChecks(matters, rounds, groups);
    const row = {
      letters: matters.length,
      groups: groups.length,
      largest: Math.max(...groups.map((g) => g.members.length)),
      nowMs: round(median(nowMs)),
      ...(before ? { beforeMs: round(median(beforeMs)), ratio: ratio(median(beforeMs), median(nowMs)) } : {}),
      sameAnswers: before ? rounds : undefined,
      keptMs: round(median(kept)),
      afreshOverKept: ratio(median(nowMs), median(kept)),
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  console.log(JSON.stringify({ rounds, before: beforeDir, rows }, null, 2));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
