/**
 * Changes to the case workflow that open cases must survive, one ID each. A case started before a change replays
 * the old path; `patched()` sends new cases down the new one. See docs/versioning.md for the procedure.
 */
export const PATCHES = {
  /** 2026-11: the review window stated in a reply is computed once, not twice. */
  replyWindowComputedOnce: 'reply-window-computed-once',
} as const;
