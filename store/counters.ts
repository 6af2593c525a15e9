/**
 * Counters every API replica shares, in MongoDB, in fixed windows (issue 16 item 2). A counter's events in one window
 * are numbered slots, `<counter>:<series>:<slot>`; taking the next slot is an insert, which a unique `_id` makes
 * atomic on MongoDB and FerretDB alike (FerretDB v1 applies updates as a read followed by a write, so `$inc` would
 * lose counts under concurrency). Slots are only ever added within a window, so a replica remembers how many it knows
 * are taken and reads by `_id` from there: a count costs one read in the usual case. Expired slots are deleted by a
 * sweep (no TTL indexes on FerretDB v1), the same on both servers.
 */
import { isDuplicateKey, trusted, type Store } from './models';

/** How often one process sweeps expired slots. */
const SWEEP_EVERY_MS = 60_000;
/** Above this many remembered series, the memory of slots known taken starts afresh (it is only a shortcut). */
const MAX_REMEMBERED = 10_000;

export class WindowSlots {
  /** Per series: the first slot not known to be taken, and the time of the one before it. */
  private readonly known = new Map<string, { next: number; last?: Date }>();
  private lastSweep = 0;

  constructor(
    private readonly store: Store,
    private readonly counter: string,
  ) {}

  private id(series: string, slot: number): string {
    return `${this.counter}:${series}:${slot}`;
  }

  private remember(series: string, next: number, last: Date | undefined): void {
    if (this.known.size >= MAX_REMEMBERED && !this.known.has(series)) this.known.clear();
    this.known.set(series, { next, last });
  }

  /** How many slots of the series are taken, and when the last was. */
  async read(series: string): Promise<{ count: number; last?: Date }> {
    let { next, last } = this.known.get(series) ?? { next: 0 };
    for (;;) {
      const slot = await this.store.counterSlots.findById(this.id(series, next)).lean();
      if (!slot) break;
      next += 1;
      last = slot.at;
    }
    this.remember(series, next, last);
    return { count: next, last };
  }

  /**
   * Takes the next free slot below `limit`: its number, or undefined when all of them are taken. `expiresAt` is when
   * the slot may be swept away (after its window, and after anything that reads it).
   */
  async take(series: string, at: Date, expiresAt: Date, limit = Number.POSITIVE_INFINITY): Promise<number | undefined> {
    this.sweep(at);
    for (let slot = this.known.get(series)?.next ?? 0; slot < limit; slot++) {
      try {
        await this.store.counterSlots.create({ _id: this.id(series, slot), at, expiresAt });
        this.remember(series, slot + 1, at);
        return slot;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    this.remember(series, limit, this.known.get(series)?.last);
    return undefined;
  }

  /** Deletes expired slots, at most once a minute per process, without holding anyone up. */
  private sweep(now: Date): void {
    if (now.getTime() - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now.getTime();
    this.store.counterSlots
      .deleteMany({ _id: trusted({ $regex: `^${this.counter}:` }), expiresAt: trusted({ $lt: now }) })
      .catch(() => undefined);
  }
}
