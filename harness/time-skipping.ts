/**
 * A case engine on the Java time-skipping test server, for clocks measured in days and weeks: its own server, its
 * own database with the demo directory, a worker on its own task queue, and `startCase`, which starts `caseWorkflow`
 * the way api/intake.ts `registerCase` does (same workflow ID, input, memo and search attributes).
 *
 * The test server starts at the real current time and its clock only moves forward (`env.sleep`, or awaiting a
 * workflow result). `moveTo` skips to a fixed instant so that a scenario's dates do not depend on the day it runs.
 *
 * Search attributes: the test server refuses to start a workflow with custom search attributes it does not know
 * ("search attribute … is not defined"), and its OperatorService implements AddSearchAttributes but not
 * ListSearchAttributes. The harness therefore registers the attributes of DESIGN.md §6 through
 * `operatorService.addSearchAttributes` before the worker starts (pass `registerSearchAttributes: false` to see the
 * refusal).
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
// Exported by the SDK for code that registers search attributes (test/env.test.ts uses it too).
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createActivities, type CaseActivities } from '../activities';
import { caseStartOptions } from '../api/intake';
import { DEMO_DIRECTORY } from '../demo/directory';
import { caseWorkflowId } from '../domain/ids';
import { profileForRegion } from '../domain/profiles';
import { CASE_SEARCH_ATTRIBUTE_KEYS } from '../domain/search-attributes';
import type { Channel, Kind } from '../domain/types';
import type { Store, TimelineDoc } from '../store/models';
import { Sealer } from '../store/sealed';
import { loadDirectory } from '../worker/seed';
import { createCaseWorker } from '../worker/worker';
import { createSmsSender } from '../activities/sms';
import { startSmsReceiver, type SmsMessage } from './sms-receiver';
import type { caseWorkflow } from '../workflows';
import type { CaseWorkflowInput } from '../workflows/case-state';
import { caseViewQuery, type ActionResult, type Actor, type CaseView } from '../workflows/messages';
import { quietRuntime } from './case-stack';
import { caseStartInput } from './case-start';
import { connectTestStore, testSecret, timeSkippingEnv, uniqueName } from './shared-servers';

export type CaseHandle = WorkflowHandle<typeof caseWorkflow>;

/** An action's arguments without its ID (distributes over unions such as AcceptanceArgs). */
type WithoutActionId<A> = A extends unknown ? Omit<A, 'actionId'> : never;

/** What an intake front-end would send; every field has a default. */
export interface CaseOverrides {
  channel?: Channel;
  kind?: Kind;
  category?: string;
  regionCode?: string;
  /** When the letter arrived (the dispose clock counts from here); defaults to the registration instant. */
  receivedAt?: string;
  /**
   * When the API registered the case, if earlier than the server's time at start: a case whose first workflow task
   * ran late (the worker or Temporal down between the API's answer and the clock's start).
   */
  registeredAt?: string;
  accusedUnits?: string[];
  confidential?: boolean;
  /** An anonymous petition (no name, no way to reach the petitioner): intake's `anonymous: true`. */
  anonymous?: boolean;
  subject?: string;
  /** The petitioner's phone (the repeat key's identity); defaults to the same made-up number for every case. */
  phone?: string;
  /** Same petitioner and matter (api/intake.ts repeatKey): cases that share it are repeats of each other. */
  repeatKey?: string;
  /**
   * False: the profile without its procedures by kind, as a case registered before they existed runs (every kind
   * replied to, rated and reviewable like a complaint).
   */
  procedures?: false;
  /** The timeline entry that shows the case registered; `dispose_clock_started` unless a test expects otherwise. */
  waitFor?: string;
}

export interface StartedCase {
  caseId: string;
  caseNumber: string;
  workflowId: string;
  handle: CaseHandle;
  input: CaseWorkflowInput;
  /** The registration instant (the server's time at start), ISO. */
  registeredAt: string;
}

export interface TimeSkippingStack {
  env: TestWorkflowEnvironment;
  /** The time-skipping client: awaiting `handle.result()` skips time until the workflow completes. */
  client: Client;
  store: Store;
  sealer: Sealer;
  taskQueue: string;
  worker: Worker;
  /** The activities the worker runs, on the same store (call `computeDeadlines` directly). */
  activities: CaseActivities;
  /** Registers a case and waits until its dispose clock runs, as a registered case's first change. */
  startCase(overrides?: CaseOverrides): Promise<StartedCase>;
  /** The server's current time. */
  now(): Promise<Date>;
  /** Skips the server's clock forward to `instant`; refuses to go back. */
  moveTo(instant: string | Date): Promise<void>;
  /** Skips the server's clock forward by `ms`. */
  skip(ms: number): Promise<void>;
  /** Sends an actor's update with a fresh action ID (or the one given). */
  act<A extends { actionId: string; actor: Actor }>(
    handle: CaseHandle,
    update: UpdateDefinition<ActionResult, [A]>,
    args: WithoutActionId<A> & { actionId?: string },
  ): Promise<ActionResult>;
  view(handle: CaseHandle): Promise<CaseView>;
  /** The case's timeline in MongoDB, oldest first. */
  timeline(caseId: string): Promise<TimelineDoc[]>;
  /** The text messages the SMS provider accepted, oldest first (none with `sms: false`). */
  sms: SmsMessage[];
  stop(): Promise<void>;
}

export interface TimeSkippingOptions {
  /** Default true; false leaves the server without the custom search attributes of DESIGN.md §6. */
  registerSearchAttributes?: boolean;
  /**
   * Default true: notices reach the petitioner's phone through an SMS provider (a local receiver), so they are served
   * when issued; false leaves the worker without one, and notices wait for service on paper or online.
   */
  sms?: boolean;
}

/** Registers DESIGN.md §6's search attributes through the operator API (the test server implements AddSearchAttributes). */
export async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      CASE_SEARCH_ATTRIBUTE_KEYS.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!]),
    ),
  });
}

export async function startTimeSkippingStack(options: TimeSkippingOptions = {}): Promise<TimeSkippingStack> {
  quietRuntime();
  const env = await timeSkippingEnv();
  const closers: (() => Promise<void>)[] = [() => env.teardown()];
  const stopAll = async () => {
    for (const close of closers.splice(0).reverse()) await close();
  };
  try {
    if (options.registerSearchAttributes ?? true) await registerSearchAttributes(env);
    const { store, close: closeStore } = await connectTestStore();
    closers.push(closeStore);
    await loadDirectory(store, DEMO_DIRECTORY);
    const sealer = new Sealer(testSecret);
    const taskQueue = uniqueName('clocks');
    const smsReceiver = options.sms === false ? undefined : await startSmsReceiver();
    if (smsReceiver) closers.push(() => smsReceiver.close());
    const worker = await createCaseWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      deps: { store, sealer, sendSms: createSmsSender(smsReceiver?.url) },
    });
    let release!: () => void;
    const running = worker.runUntil(new Promise<void>((resolve) => (release = resolve)));
    closers.push(async () => {
      release();
      await running;
    });
    const client = env.client;
    const activities = createActivities({ store, sealer });

    const now = async () => new Date(await env.currentTimeMs());

    const stack: TimeSkippingStack = {
      env,
      sms: smsReceiver?.messages ?? [],
      client,
      store,
      sealer,
      taskQueue,
      worker,
      activities,
      now,
      async moveTo(instant) {
        const target = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
        const current = await env.currentTimeMs();
        if (target < current) {
          throw new Error(
            `cannot move the test server back to ${new Date(target).toISOString()}: it is already ` +
              `${new Date(current).toISOString()} (scenario dates must lie ahead of the real clock)`,
          );
        }
        if (target > current) await env.sleep(target - current);
      },
      async skip(ms) {
        await env.sleep(ms);
      },
      async startCase(overrides = {}) {
        const registered = overrides.registeredAt ? new Date(overrides.registeredAt) : await now();
        const regionCode = overrides.regionCode ?? '320102';
        const current = profileForRegion(regionCode);
        const profile = overrides.procedures === false ? { ...current, procedures: undefined } : current;
        const { caseId, caseNumber, input } = caseStartInput(sealer, {
          registered,
          ...(overrides.receivedAt ? { receivedAt: new Date(overrides.receivedAt) } : {}),
          regionCode,
          profile,
          channel: overrides.channel,
          kind: overrides.kind,
          category: overrides.category,
          subject: overrides.subject ?? uniqueName('subject'),
          content: 'Test letter for the clock suite.',
          phone: overrides.phone,
          accusedUnits: overrides.accusedUnits,
          anonymous: overrides.anonymous,
          confidential: overrides.confidential,
          repeatKey: overrides.repeatKey,
        });
        const workflowId = caseWorkflowId(caseId);
        const handle = await client.workflow.start<typeof caseWorkflow>(
          'caseWorkflow',
          caseStartOptions(input, taskQueue),
        );
        // Registration writes the record, then starts the dispose clock; act only once it has.
        const ready = overrides.waitFor ?? 'dispose_clock_started';
        await waitFor(
          async () => (await store.timeline.exists({ caseId, type: ready })) !== null,
          `case ${caseId} to record ${ready}`,
        );
        return { caseId, caseNumber, workflowId, handle, input, registeredAt: input.ref.registeredAt };
      },
      async act(handle, update, args) {
        const actionId = args.actionId ?? uniqueName('action');
        return handle.executeUpdate(update, { args: [{ ...args, actionId } as never], updateId: actionId });
      },
      view: (handle) => handle.query(caseViewQuery),
      async timeline(caseId) {
        return store.timeline.find({ caseId }).sort({ at: 1, _id: 1 }).lean<TimelineDoc[]>();
      },
      stop: stopAll,
    };
    return stack;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Polls in real time (the server's clock does not move while time skipping is locked). */
async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `2029-03-01T02:00:00.123Z` → `2029-03-01T02:00Z`: instants compared to the minute. */
export function toMinute(instant: string | Date | number): string {
  const iso = new Date(instant).toISOString();
  return `${iso.slice(0, 16)}Z`;
}
