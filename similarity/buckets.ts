/**
 * Append-only lists of one-line entries that many writers extend at once and readers read by `_id` alone, on MongoDB
 * and on FerretDB, whose updates are a read followed by a write (two concurrent appends to one document would lose
 * one) and whose finds scan the whole collection for any filter but a lone `_id`.
 *
 * An entry's place is a slot, `<key>#<n>`, taken by an insert: a unique `_id` makes taking it atomic on both servers,
 * and slots fill 0, 1, 2… without gaps, since a writer tries slot n + 1 only after slot n turned out taken. Reading a
 * thousand slots one by one would be slow, so every `PAGE_WRITE_EVERY`th writer also rewrites its page, `<key>@<p>`,
 * with every entry of the page up to its own, as does the writer that fills it. Pages lag (by fewer than
 * `PAGE_WRITE_EVERY` entries, or more when a writer crashed between its slot and its page, or two writers raced and
 * the shorter page landed last), never lie: a page always holds a prefix of its slots, so a reader or a writer takes
 * the page and reads on, slot by slot, until a slot is free.
 */
import type { Model } from 'mongoose';
import { isDuplicateKey, type SimilarityIndexDoc } from '../store/models';

/** Entries per page: a page of case entries stays well under a megabyte. */
export const PAGE_SIZE = 1000;

/**
 * Every how many entries a writer rewrites its page (and always when the page fills). A page of a busy region's month
 * is a few hundred kilobytes, rewritten whole: rewriting it at every append cost more than the few slots a reader
 * then reads past it (docs/performance.md, "Appends to one similarity list").
 */
export const PAGE_WRITE_EVERY = 8;

const pageId = (key: string, page: number) => `${key}@${page}`;
const slotId = (key: string, slot: number) => `${key}#${slot}`;

/** The ID an entry starts with: its text up to the first tab. */
export function entryId(line: string): string {
  const tab = line.indexOf('\t');
  return tab < 0 ? line : line.slice(0, tab);
}

type Lists = Model<SimilarityIndexDoc>;

async function pageLines(lists: Lists, key: string, page: number): Promise<string[]> {
  const doc = await lists.findById(pageId(key, page), { entries: 1 }).lean();
  return doc?.entries ? doc.entries.split('\n') : [];
}

async function slotEntry(lists: Lists, key: string, slot: number): Promise<string | undefined> {
  const doc = await lists.findById(slotId(key, slot), { entry: 1 }).lean();
  return doc?.entry ?? undefined;
}

/** How long a reader trusts a full page it read (see `FullPages`), and how many lines it keeps in all. */
export const FULL_PAGE_MEMORY_MS = 10 * 60_000;
const FULL_PAGE_MEMORY_LINES = 100_000;

/**
 * The full pages this process has read, per lists collection. A full page never changes (it holds its slots, and
 * slots are only ever added), so a reader reads it once: a region's week of ten thousand cases is then one page read
 * per registration, not ten. Trusted for `FULL_PAGE_MEMORY_MS`, so an index emptied and rebuilt
 * (scripts/index-cases.ts) is read afresh within minutes; the least recently read pages go first past
 * `FULL_PAGE_MEMORY_LINES`.
 */
class FullPages {
  private readonly pages = new Map<string, { lines: string[]; until: number }>();
  private lineCount = 0;

  get(id: string): string[] | undefined {
    const page = this.pages.get(id);
    if (!page) return undefined;
    this.forget(id);
    if (page.until < Date.now()) return undefined;
    this.keep(id, page);
    return page.lines;
  }

  set(id: string, lines: string[]): void {
    this.forget(id);
    this.keep(id, { lines, until: Date.now() + FULL_PAGE_MEMORY_MS });
    for (const [oldest] of this.pages) {
      if (this.lineCount <= FULL_PAGE_MEMORY_LINES) break;
      this.forget(oldest);
    }
  }

  private keep(id: string, page: { lines: string[]; until: number }): void {
    this.pages.set(id, page);
    this.lineCount += page.lines.length;
  }

  private forget(id: string): void {
    const page = this.pages.get(id);
    if (!page) return;
    this.pages.delete(id);
    this.lineCount -= page.lines.length;
  }
}

const fullPages = new WeakMap<Lists, FullPages>();

/** A page's entries for a reader: from memory when it was full when last read. */
async function readerPageLines(lists: Lists, key: string, page: number, pageSize: number): Promise<string[]> {
  const memory = fullPages.get(lists) ?? fullPages.set(lists, new FullPages()).get(lists)!;
  const id = `${pageId(key, page)}/${pageSize}`;
  const remembered = memory.get(id);
  if (remembered) return remembered;
  const lines = await pageLines(lists, key, page);
  if (lines.length >= pageSize) memory.set(id, lines);
  return lines;
}

/** Every entry of a list, in the order they were appended. */
export async function readList(lists: Lists, key: string, pageSize = PAGE_SIZE): Promise<string[]> {
  const lines: string[] = [];
  for (let page = 0; ; page++) {
    const end = (page + 1) * pageSize;
    lines.push(...(await readerPageLines(lists, key, page, pageSize)).slice(0, end - lines.length));
    while (lines.length < end) {
      const entry = await slotEntry(lists, key, lines.length);
      if (entry === undefined) return lines;
      lines.push(entry);
    }
  }
}

/**
 * Per lists collection, the page where this process last appended to each list past its first page. Pages fill in
 * order and never empty, so every page before it is full, and an entry no earlier attempt can have written is not
 * in them: a fresh append starts there instead of reading the list from its first page.
 */
const openPages = new WeakMap<Lists, Map<string, number>>();

/** Per lists collection, the last append of this process to each list, while it runs (see `appendToList`). */
const appending = new WeakMap<Lists, Map<string, Promise<unknown>>>();

/**
 * Appends `line` unless an entry with its ID is already there (a retried activity), then brings the line's page up
 * to date if the line is an eighth one or fills it (`PAGE_WRITE_EVERY`). Returns whether this call added it (false
 * when an earlier attempt did). `fresh` says no earlier attempt can have appended it (the registration that wrote the
 * case record): the full pages this process has seen are then not read.
 *
 * A process appends to one list one entry at a time, in call order: registrations running side by side in one worker
 * would otherwise all try the same free slot, and each would take one only after every slot taken before it had
 * refused it, a write each. Only writers in other processes still race, and the slots settle it.
 */
export function appendToList(
  lists: Lists,
  key: string,
  line: string,
  pageSize = PAGE_SIZE,
  options: { fresh?: boolean } = {},
): Promise<boolean> {
  const running = appending.get(lists) ?? appending.set(lists, new Map()).get(lists)!;
  const append = () => appendNow(lists, key, line, pageSize, options);
  const result = (running.get(key) ?? Promise.resolve()).then(append, append);
  const done = result.catch(() => undefined);
  running.set(key, done);
  void done.then(() => {
    if (running.get(key) === done) running.delete(key);
  });
  return result;
}

async function appendNow(
  lists: Lists,
  key: string,
  line: string,
  pageSize: number,
  { fresh = false }: { fresh?: boolean },
): Promise<boolean> {
  const id = entryId(line);
  const seen = openPages.get(lists) ?? openPages.set(lists, new Map()).get(lists)!;
  let page = (fresh ? (seen.get(key) ?? 0) : 0) - 1;
  let known: string[] = [];
  /** Moves to the next page that is not full, looking for the entry on the way; false when it is there already. */
  const toOpenPage = async (): Promise<boolean> => {
    do {
      page += 1;
      known = await pageLines(lists, key, page);
      if (known.some((entry) => entryId(entry) === id)) return false;
    } while (known.length >= pageSize);
    return true;
  };
  if (!(await toOpenPage())) return false;
  // Take the first free slot after the page's entries. The slots a page lags behind are read on the way, not tried
  // with an insert each; they may hold ours.
  let own = line;
  let added = true;
  for (;;) {
    const slot = page * pageSize + known.length;
    let taken = await slotEntry(lists, key, slot);
    if (taken === undefined) {
      try {
        await lists.create({ _id: slotId(key, slot), entry: line });
        break;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      taken = await slotEntry(lists, key, slot);
      if (taken === undefined) throw new Error(`slot ${slotId(key, slot)} was taken and is gone`);
    }
    if (entryId(taken) === id) {
      [own, added] = [taken, false];
      break;
    }
    known.push(taken);
    if (known.length === pageSize) {
      // The page is complete: mend it if it lagged, and go on in the next one that has room.
      await writePage(lists, key, page, known);
      if (!(await toOpenPage())) return false;
    }
  }
  const lines = [...known, own];
  if (lines.length === pageSize || lines.length % PAGE_WRITE_EVERY === 0) await writePage(lists, key, page, lines);
  // Only lists past their first page are remembered: a petitioner's list rarely is, a region's month often.
  if (page > 0 && page > (seen.get(key) ?? 0)) seen.set(key, page);
  return added;
}

/**
 * Writes a page. It always holds more than the page held when the writer read it (the entries the writer read past it,
 * and its own); another writer may have written a longer page since: both are prefixes of the same slots, and the
 * shorter lags, which readers read past.
 */
async function writePage(lists: Lists, key: string, page: number, lines: string[]): Promise<void> {
  try {
    await lists.replaceOne(
      { _id: pageId(key, page) },
      { entries: lines.join('\n'), count: lines.length },
      { upsert: true },
    );
  } catch (error) {
    // Another writer created the page first: its page is a valid prefix too, and readers read past it.
    if (!isDuplicateKey(error)) throw error;
  }
}

/**
 * Writes whole lists at once, as pages only: for filling an empty index (a backfill of cases recorded before the
 * index existed, or a benchmark's seed). Appends that come later take the slots after the pages, as usual.
 */
export async function loadLists(lists: Lists, entries: Map<string, string[]>): Promise<void> {
  const pages: { _id: string; entries: string; count: number }[] = [];
  for (const [key, lines] of entries) {
    for (let page = 0; page * PAGE_SIZE < lines.length; page++) {
      const slice = lines.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
      pages.push({ _id: pageId(key, page), entries: slice.join('\n'), count: slice.length });
    }
  }
  for (let i = 0; i < pages.length; i += 200) await lists.insertMany(pages.slice(i, i + 200), { ordered: false });
}
