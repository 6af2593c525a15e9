/**
 * The shared rate limit (api/limits.ts) under simultaneous first requests: a caller's requests that arrive together
 * at the start of a window share the block the first of them claims, instead of each claiming one, which used all
 * of the window's blocks at once and refused the rest with 429 far below the limit. FerretDB.
 */
import { SharedQuota } from '../api/limits';
import { trusted, type Store } from '../store/models';
import { connectTestStore } from '../harness/shared-servers';

let store: Store;
let close: (() => Promise<void>) | undefined;
beforeAll(async () => {
  ({ store, close } = await connectTestStore());
});
afterAll(async () => {
  await close?.();
});

it('admits simultaneous requests within the quota: one claim serves them all', async () => {
  // 1 000 a second in windows of 1 s: blocks of 100, ten blocks a window.
  const quota = new SharedQuota(store, { perSecond: 1000, burst: 1000 });
  const now = Math.floor(Date.now() / 1000) * 1000 + 10;
  const verdicts = await Promise.all(Array.from({ length: 30 }, () => quota.take('office-key', now)));
  expect(verdicts.filter((v) => !v.allowed)).toHaveLength(0);
  // One block claimed for the thirty (claims left to finish in the background included): the window still has nine
  // blocks for the other replicas.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const claimed = await store.counterSlots.countDocuments({ _id: trusted({ $regex: '^rate:office-key:' }) });
  expect(claimed).toBe(1);
});

it('still refuses past the quota', async () => {
  const quota = new SharedQuota(store, { perSecond: 10, burst: 20 });
  const now = Math.floor(Date.now() / 2000) * 2000 + 10;
  const verdicts = [];
  for (let i = 0; i < 25; i++) verdicts.push(await quota.take('busy-key', now));
  expect(verdicts.filter((v) => v.allowed)).toHaveLength(20);
});

describe('a replica that cannot reach the shared quota', () => {
  // 10 a second in windows of 2 s: 20 a window, in blocks of 2.
  const limit = { perSecond: 10, burst: 20, claimWaitMs: 50 };
  const claimed = (caller: string) =>
    store.counterSlots.countDocuments({ _id: trusted({ $regex: `^rate:${caller}:` }) });
  const takeAll = async (quota: SharedQuota, caller: string, now: number, count: number) => {
    const verdicts = [];
    for (let i = 0; i < count; i++) verdicts.push(await quota.take(caller, now));
    return verdicts;
  };

  it('limits on its own while its claim is slow, and claims from the shared quota again five seconds later', async () => {
    // MongoDB answers the claims only when the test lets it.
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const create = store.counterSlots.create.bind(store.counterSlots);
    const slow = jest.spyOn(store.counterSlots, 'create').mockImplementation((async (...args: unknown[]) => {
      await answered;
      return (create as (...a: unknown[]) => Promise<unknown>)(...args);
    }) as never);
    const caller = `slow-${Date.now()}`;
    const now = Math.floor(Date.now() / 2000) * 2000 + 10;
    try {
      const [a, b] = [new SharedQuota(store, limit), new SharedQuota(store, limit)];
      // Each replica admits a burst of its own (intake keeps working), then refuses with a time to retry.
      for (const replica of [a, b]) {
        const verdicts = await takeAll(replica, caller, now, 25);
        expect(verdicts.filter((v) => v.allowed)).toHaveLength(20);
        expect(verdicts.slice(20)).toEqual(Array(5).fill({ allowed: false, retryAfterSeconds: 1 }));
      }
      expect(slow).toHaveBeenCalledTimes(2);
      answer();
      // The claims left to finish in the background land (b's after a taken slot); until five seconds have passed
      // the replica asks MongoDB nothing more.
      for (const giveUp = Date.now() + 10_000; (await claimed(caller)) < 2 && Date.now() < giveUp;) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await claimed(caller)).toBe(2);
      const asked = slow.mock.calls.length;
      expect((await a.take(caller, now + 4_990)).allowed).toBe(true);
      expect(slow.mock.calls.length).toBe(asked);
      expect((await a.take(caller, now + 5_010)).allowed).toBe(true);
      expect(slow.mock.calls.length).toBe(asked + 1);
      expect(await claimed(caller)).toBe(3);
    } finally {
      answer();
      slow.mockRestore();
    }
  });

  it('limits on its own while MongoDB is disconnected', async () => {
    const away = await connectTestStore();
    await away.close();
    const quota = new SharedQuota(away.store, limit);
    const now = Math.floor(Date.now() / 2000) * 2000 + 10;
    const verdicts = await takeAll(quota, 'away-key', now, 22);
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(20);
    expect(verdicts.slice(20)).toEqual([
      { allowed: false, retryAfterSeconds: 1 },
      { allowed: false, retryAfterSeconds: 1 },
    ]);
    // Tokens come back at the configured rate: one tenth of a second buys one more request.
    expect((await quota.take('away-key', now + 100)).allowed).toBe(true);
    expect((await quota.take('away-key', now + 100)).allowed).toBe(false);
  });
});
