/**
 * Appends to one similarity list, as a worker registering a busy district's cases makes them: `--entries` case
 * entries (real ones, encoded from generated petitions) appended to one region's month by `--writers` appenders at
 * once in one process (the case worker runs 32 activities at a time), then the list read back `--reads` times, as the
 * hotspot check reads it at each registration. FerretDB's CPU time and the commands sent, per append and per read;
 * then FerretDB's CPU time for each operation on the list's first page and its slots alone.
 *
 *   npm run bench:appends                                  (800 entries, 32 writers, 50 reads; under a minute)
 *   npm run bench:appends -- --entries=2500 --writers=8
 *
 * It calls only `appendToList` and `readList`, so the same file runs against an earlier commit's similarity/buckets.ts
 * (a worktree) for a before/after pair. Nothing fails on slowness.
 */
import { performance } from 'node:perf_hooks';
import mongoose from 'mongoose';
import { appendToList, readList } from '../similarity/buckets';
import { encodeMatter, matterOf } from '../similarity/features';
import { createStore } from '../store/models';
import { Sealer } from '../store/sealed';
import { generatePetitions } from '../test/fixtures/petition-generator';
import { cpuSeconds } from './run/cpu';
import { option, round } from './run/helpers';
import { runOnOwnFerretDb } from './run/own-ferretdb';

const sealer = new Sealer('xinfang-bench-secret-not-for-production-0123456789');

/** The commands a connection sends, by name and collection, with duplicate-key refusals counted apart. */
function countCommands(connection: mongoose.Connection) {
  const counts = new Map<string, number>();
  const client = connection.getClient();
  client.on('commandSucceeded', (event) => {
    const reply = event.reply as { writeErrors?: { code: number }[] };
    const name = reply.writeErrors?.some((e) => e.code === 11000)
      ? `${event.commandName} (duplicate)`
      : event.commandName;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  });
  return {
    take(): Record<string, number> {
      const taken = Object.fromEntries([...counts.entries()].sort());
      counts.clear();
      return taken;
    },
  };
}

async function main(connection: mongoose.Connection, ferretDbPid: number | undefined): Promise<void> {
  const entries = option('entries', 800);
  const writers = option('writers', 32);
  const reads = option('reads', 50);
  const lists = createStore(connection).similarityIndex;
  await lists.init();
  const commands = countCommands(connection);
  const layout = {
    regionCodes: ['330106'],
    from: new Date('2026-11-01T00:00:00.000Z'),
    to: new Date('2026-11-30T00:00:00.000Z'),
  };
  const lines = generatePetitions(entries, layout, 7).map((p) => encodeMatter(matterOf(sealer, p)));
  const key = 'region:330106:2026-11';
  commands.take();

  let next = 0;
  let cpu = cpuSeconds(ferretDbPid);
  let started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (let i = next++; i < lines.length; i = next++) {
        await appendToList(lists, key, lines[i]!, undefined, { fresh: true });
      }
    }),
  );
  const append = {
    ferretDbCpuMsPerAppend: round(((cpuSeconds(ferretDbPid) - cpu) * 1000) / entries, 2),
    appendsPerSecond: round(entries / ((performance.now() - started) / 1000), 1),
    commandsPerAppend: Object.fromEntries(Object.entries(commands.take()).map(([k, n]) => [k, round(n / entries, 2)])),
  };

  cpu = cpuSeconds(ferretDbPid);
  started = performance.now();
  let length = 0;
  for (let r = 0; r < reads; r++) length = (await readList(lists, key)).length;
  const read = {
    entriesRead: length,
    ferretDbCpuMsPerRead: round(((cpuSeconds(ferretDbPid) - cpu) * 1000) / reads, 2),
    msPerRead: round((performance.now() - started) / reads, 2),
    commandsPerRead: Object.fromEntries(Object.entries(commands.take()).map(([k, n]) => [k, round(n / reads, 2)])),
  };
  // One page's operations, each on its own: the list's first page as the appends left it, and its slots.
  const pageId = `${key}@0`;
  const page = await lists.findById(pageId).lean();
  const perOperation = async (run: (i: number) => Promise<unknown>, times = 100) => {
    const before = cpuSeconds(ferretDbPid);
    for (let i = 0; i < times; i++) await run(i);
    return round(((cpuSeconds(ferretDbPid) - before) * 1000) / times, 2);
  };
  const pageOperations = page && {
    pageEntries: page.count,
    pageChars: page.entries?.length,
    ferretDbCpuMs: {
      readPage: await perOperation(() => lists.findById(pageId, { entries: 1 }).lean()),
      readPageCount: await perOperation(() => lists.findById(pageId, { count: 1 }).lean()),
      rewritePage: await perOperation(() =>
        lists.replaceOne({ _id: pageId }, { entries: page.entries, count: page.count }),
      ),
      readSlot: await perOperation((i) => lists.findById(`${key}#${i % entries}`, { entry: 1 }).lean()),
    },
  };
  const averageLine = Math.round(lines.reduce((sum, l) => sum + l.length, 0) / lines.length);
  const result = { entries, writers, reads, averageLineChars: averageLine, append, read, pageOperations };
  console.log(JSON.stringify(result, null, 2));
  if (length !== entries) throw new Error(`the list holds ${length} entries, not ${entries}`);
}

runOnOwnFerretDb('appends', main, { monitorCommands: true });
