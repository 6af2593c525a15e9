/**
 * Evaluated once in the worker's workflow context, before any case runs there (the bundle's `preloadModules`,
 * worker/worker.ts), while the context's built-ins may still be changed: the SDK freezes them after.
 *
 * The SDK records a stack for every promise workflow code makes, for the stack trace query (the Temporal UI's "Stack
 * Trace" tab): an `Error` built in a promise hook, each of its frames mapped through the bundle's source map. Under
 * load that was about 30 % of the case workflow's thread (docs/performance.md, "Stack frames in the workflow
 * context"). V8 captures `Error.stackTraceLimit` frames, 10 unless set; the first is the hook's own, and on Node 20
 * the next is Node's. Five leave three or four frames of where each promise was made (still the case's own `wait` and
 * `runClocks` where it waits), and the top five frames of a failure's stack.
 */
Error.stackTraceLimit = 5;

export {};
