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
