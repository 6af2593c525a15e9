/**
 * Replays the recorded case histories (test/histories, written by scripts/record-histories.ts) against the workflow
 * bundle the worker runs. A change that would break cases already running — an activity moved, a timer added or
 * removed — fails here before it reaches a server. The last tests prove the net works: a deliberately reordered
 * copy of the workflow must fail replay with a DeterminismViolationError.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  DefaultLogger,
  Runtime,
  Worker,
  bundleWorkflowCode,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import {
  FORBIDDEN_IN_HISTORIES,
  HISTORIES_DIR,
  RECORDING_PETITIONER,
  historyFromJson,
  personalDataIn,
} from '../scripts/record-histories';
import { workflowBundle } from '../worker/worker';
import { PATCHES } from '../workflows/patches';

const REPO = path.resolve(__dirname, '..');
/** One folder per workflow version whose cases may still be open, oldest first by name. */
const sets = readdirSync(HISTORIES_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const latest = sets[sets.length - 1]!;
/** The set recorded just before the one whose name ends in `patch`. */
const setBefore = (patch: string) => sets[sets.findIndex((set) => set.endsWith(patch)) - 1]!;
const files = sets
  .flatMap((set) => readdirSync(path.join(HISTORIES_DIR, set)).map((file) => `${set}/${file}`))
  .filter((file) => file.endsWith('.json'))
  .sort();
const workflowIdOf = (file: string) => `replay-${file.replace('/', '-').replace(/\.json$/, '')}`;
const read = (file: string) => readFileSync(path.join(HISTORIES_DIR, file), 'utf8');
const load = (file: string) => ({ workflowId: workflowIdOf(file), history: historyFromJson(read(file)) });

/** A recorded event, with the attributes the tests below read. */
interface RecordedEvent {
  eventType: string;
  eventTime: string;
  userMetadata?: { summary?: { data?: string } };
  activityTaskScheduledEventAttributes?: { activityType: { name: string } };
  timerStartedEventAttributes?: { timerId: string; startToFireTimeout: string };
  timerCanceledEventAttributes?: { timerId: string };
  workflowExecutionUpdateAcceptedEventAttributes?: {
    protocolInstanceId: string;
    acceptedRequest: { input: { name: string } };
  };
  workflowExecutionUpdateCompletedEventAttributes?: { meta: { updateId: string } };
}
/** The events of each recorded case in a set. */
const historiesOf = (set: string): RecordedEvent[][] =>
  files
    .filter((f) => f.startsWith(`${set}/`))
    .map((file) => (JSON.parse(read(file)) as { events: RecordedEvent[] }).events);

const quietLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (message: string) => console.error(message),
  log: () => undefined,
};

describe('recorded histories', () => {
  it('cover the representative cases in every set', () => {
    for (const set of sets) {
      expect(files).toEqual(
        expect.arrayContaining([
          `${set}/full-cycle-terminated.json`, // (a) transfer … review, re-review, hearing … terminated
          `${set}/not-accepted.json`, // (b)
          `${set}/repeat-merged.json`, // (c)
        ]),
      );
    }
    const full = load(`${latest}/full-cycle-terminated.json`).history;
    const updates = (full.events ?? [])
      .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name)
      .filter((name): name is string => !!name);
    expect(new Set(updates)).toEqual(
      new Set([
        'acceptance',
        'acknowledgement',
        'extension',
        'extension-decision',
        'result',
        'rating',
        'review-request',
        'review-decision',
        'hearing',
      ]),
    );
  });

  it('contain no personal data, not even inside the encoded payloads', () => {
    for (const file of files) expect([file, personalDataIn(read(file))]).toEqual([file, []]);
  });

  it('would reveal personal data hidden in a base64 payload (the check itself works)', () => {
    const payload = Buffer.from(JSON.stringify({ petitioner: RECORDING_PETITIONER.name })).toString('base64');
    const leaky = JSON.stringify({ events: [{ input: { payloads: [{ metadata: {}, data: payload }] } }] });
    expect(leaky).not.toContain(RECORDING_PETITIONER.name);
    expect(personalDataIn(leaky)).toEqual([RECORDING_PETITIONER.name]);
    expect(FORBIDDEN_IN_HISTORIES).toEqual(expect.arrayContaining(Object.values(RECORDING_PETITIONER)));
  });
});

describe('replay', () => {
  let current: WorkflowBundleWithSourceMap;
  beforeAll(async () => {
    // The nondeterminism below is on purpose: keep core's warnings about it out of the report.
    Runtime.install({
      logger: new DefaultLogger('ERROR'),
      telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
    });
    current = await workflowBundle();
  });

  it('replays every recorded history with the current workflow code', async () => {
    const outcomes: [string, unknown][] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: current }, files.map(load))) {
      outcomes.push([result.workflowId, result.error]);
    }
    expect(outcomes).toEqual(files.map((file) => [workflowIdOf(file), undefined]));
  });

  it('a case registered since registered-in-one-task arms its clock in its first workflow task, no activity task', () => {
    /** The events up to the dispose clock's timer: how many workflow tasks and activity tasks it took. */
    const registration = (set: string) => {
      const { events } = JSON.parse(read(`${set}/full-cycle-terminated.json`)) as { events: { eventType: string }[] };
      const types = events.map((e) => e.eventType.replace('EVENT_TYPE_', ''));
      const armed = types.slice(0, types.indexOf('TIMER_STARTED') + 1);
      const count = (type: string) => armed.filter((t) => t === type).length;
      return {
        events: armed.length,
        tasks: count('WORKFLOW_TASK_COMPLETED'),
        activities: count('ACTIVITY_TASK_SCHEDULED'),
      };
    };
    // 12 events since every-patch-at-start: one patch marker (and the SDK's upsert of TemporalChangeVersion) where
    // the set before wrote six, each with its upsert (22 events).
    expect(registration(latest)).toEqual({ events: 12, tasks: 1, activities: 0 });
    expect(registration(setBefore(PATCHES.everyPatchAtStart))).toEqual({ events: 22, tasks: 1, activities: 0 });
    // Before: the record, the deadline and the hotspot check each an activity task and a workflow task.
    expect(registration(setBefore(PATCHES.registeredInOneTask))).toMatchObject({ tasks: 5, activities: 3 });
  });

  it('a case since reads-in-task reads its deadlines and the directory in the task of the change, no activity task', () => {
    /** The types of every activity task a set's recorded cases scheduled. */
    const scheduled = (set: string) => {
      const names = new Set<string>();
      for (const events of historiesOf(set)) {
        for (const e of events) {
          const name = e.activityTaskScheduledEventAttributes?.activityType.name;
          if (name) names.add(name);
        }
      }
      return names;
    };
    const reads = [
      'computeDeadlines',
      'findCommonSuperior',
      'findPetitionOffices',
      'findReviewUnit',
      'findUnknownUnits',
      'routeCase',
    ];
    const readsIn = (set: string) => {
      const names = scheduled(set);
      return reads.filter((name) => names.has(name));
    };
    expect(readsIn(latest)).toEqual([]);
    // Before: each a round trip through the server, an activity task and a workflow task, inside the action.
    expect(readsIn(setBefore(PATCHES.readsInTask))).toEqual(reads);
    // Since notices-in-task the deliveries an action ends with run in its task too; see the next test.
    expect([...scheduled(setBefore(PATCHES.noticesInTask))].sort()).toEqual([
      'deliverReply',
      'deliverWebhook',
      'issueNotice',
      'recordService',
    ]);
    // What stays an activity task: the webhooks, delivered by the case's own loop after the action is answered.
    expect([...scheduled(latest)].sort()).toEqual(['deliverWebhook']);
  });

  it('a case since notices-in-task answers every action in the workflow task that took it', () => {
    /** Per set, the actions (Update names) whose answer came in a later workflow task than their acceptance. */
    const answeredLater = (set: string) => {
      const late = new Set<string>();
      for (const events of historiesOf(set)) {
        const open = new Map<string, { name: string; tasks: number }>();
        for (const e of events) {
          const accepted = e.workflowExecutionUpdateAcceptedEventAttributes;
          if (accepted) open.set(accepted.protocolInstanceId, { name: accepted.acceptedRequest.input.name, tasks: 0 });
          if (e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED') for (const u of open.values()) u.tasks += 1;
          const completed = e.workflowExecutionUpdateCompletedEventAttributes?.meta.updateId;
          if (completed && open.has(completed)) {
            if (open.get(completed)!.tasks > 0) late.add(open.get(completed)!.name);
            open.delete(completed);
          }
        }
      }
      return [...late].sort();
    };
    expect(answeredLater(latest)).toEqual([]);
    // Before: an office's transfer, a unit's acceptance and a result waited for their notice's or reply's activity task.
    expect(answeredLater(setBefore(PATCHES.noticesInTask))).toEqual(
      expect.arrayContaining(['acceptance', 'result', 'service']),
    );
  });

  it('a case since clock-timer-kept keeps its clock timer through a change that leaves the next event as it was', () => {
    /** Per set, the clock timers cancelled and started again for the same event (instant and label) in one task. */
    const rearmedForTheSameEvent = (set: string) => {
      let count = 0;
      for (const events of historiesOf(set)) {
        const timers = new Map<string, { at: number; label?: string }>();
        let cancelled: { at: number; label?: string } | undefined;
        for (const e of events) {
          const started = e.timerStartedEventAttributes;
          if (started) {
            // The instant from the event's time: off by the task's own length (tens of milliseconds), where a case's
            // clock events lie a day or a reminder's interval apart.
            const timer = {
              at: Date.parse(e.eventTime) + parseFloat(started.startToFireTimeout) * 1000,
              label: e.userMetadata?.summary?.data,
            };
            timers.set(started.timerId, timer);
            if (cancelled && Math.abs(timer.at - cancelled.at) < 1000 && timer.label === cancelled.label) count += 1;
          }
          const cancel = e.timerCanceledEventAttributes;
          if (cancel) cancelled = timers.get(cancel.timerId);
          if (e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED') cancelled = undefined;
        }
      }
      return count;
    };
    expect(rearmedForTheSameEvent(latest)).toBe(0);
    // Before: a supplement, a service or a clerk's acknowledgement that left the next event as it was still cancelled
    // the loop's timer and started one for the same event (two events and two commands each time).
    // (clock-timer-kept came with every-patch-at-start, in one set.)
    expect(rearmedForTheSameEvent(setBefore(PATCHES.everyPatchAtStart))).toBeGreaterThan(0);
  });

  it('runs cases recorded before a patch down the old path and later ones down the new', () => {
    // Each patch marks the histories of cases that started after it; older sets must not carry it.
    // personalDataIn finds strings anywhere in a history, payloads decoded: here, the patch markers' IDs.
    const marked = (file: string) => personalDataIn(read(file), Object.values(PATCHES));
    expect(marked(`${sets[0]}/full-cycle-terminated.json`)).toEqual([]);
    // `actions-after-registration` is asked only when an action arrives before the registration has finished, which
    // depends on timing (the recorder waits for the record, not for the hotspot check after it).
    // `continue-as-new-carries-webhooks` is asked only when the server suggests continue-as-new, which no recorded
    // case lives long enough to reach.
    // `progress-written-locally` is asked only by cases that ran before `progress-tried-once-in-task` replaced it.
    const offThePath: string[] = [
      PATCHES.actionsAfterRegistration,
      PATCHES.continueAsNewCarriesWebhooks,
      PATCHES.progressWrittenLocally,
    ];
    const onEveryPath = Object.values(PATCHES).filter((id) => !offThePath.includes(id));
    const onThePath = (ids: string[]) => ids.filter((id) => !offThePath.includes(id));
    // Before every-patch-at-start, a case marked each patch on its path as it reached it…
    const later: string[] = [PATCHES.clockTimerKept, PATCHES.everyPatchAtStart];
    expect(onThePath(marked(`${setBefore(PATCHES.everyPatchAtStart)}/full-cycle-terminated.json`))).toEqual(
      onEveryPath.filter((id) => !later.includes(id)),
    );
    // …since, one marker at its start stands for them all: every case of the set carries it and no other.
    for (const file of files.filter((f) => f.startsWith(`${latest}/`))) {
      expect([file, marked(file)]).toEqual([file, [PATCHES.everyPatchAtStart]]);
    }
    const replaced = `${setBefore(PATCHES.progressTriedOnceInTask)}/full-cycle-terminated.json`;
    expect(marked(replaced)).toContain(PATCHES.progressWrittenLocally);
    expect(marked(replaced)).not.toContain(PATCHES.progressTriedOnceInTask);
  });

  describe('a nondeterministic change', () => {
    let tempDir: string;
    let reordered: WorkflowBundleWithSourceMap;
    beforeAll(async () => {
      ({ tempDir, bundle: reordered } = await bundleReorderedCopy());
    });
    afterAll(async () => {
      if (tempDir) await rm(tempDir, { recursive: true, force: true });
    });

    it('fails replay with a DeterminismViolationError at the record write', async () => {
      // The newest cases write their record in a local activity (a marker in the history), older ones in an
      // activity task of their own (PATCHES.registeredInOneTask).
      const before = setBefore(PATCHES.registeredInOneTask);
      for (const [set, named] of [
        [latest, /LocalActivity/],
        [before, /recordCase/],
      ] as const) {
        const { history } = load(`${set}/full-cycle-terminated.json`);
        const replay = Worker.runReplayHistory({ workflowBundle: reordered }, history, 'replay-reordered');
        await expect(replay).rejects.toThrow(DeterminismViolationError);
        await expect(replay).rejects.toThrow(named);
      }
    });

    it('is caught in every recorded history', async () => {
      const errors: [string, string | undefined][] = [];
      for await (const result of Worker.runReplayHistories({ workflowBundle: reordered }, files.map(load))) {
        errors.push([result.workflowId, result.error?.constructor.name]);
      }
      expect(errors).toEqual(files.map((file) => [workflowIdOf(file), DeterminismViolationError.name]));
    });
  });
});

/**
 * A copy of workflows/ in a temporary folder (next to links to the rest of the repository), changed the way a
 * careless refactoring would: an activity is scheduled before `recordCase`, as if a deadline were now computed
 * before the record is written. Every history starts with `recordCase`, so replay must refuse each of them.
 */
async function bundleReorderedCopy(): Promise<{ tempDir: string; bundle: WorkflowBundleWithSourceMap }> {
  const tempDir = await mkdtemp(path.join(os.tmpdir(), 'xinfang-reordered-'));
  for (const entry of await readdir(REPO)) {
    if (entry === 'workflows' || entry === '.git') continue;
    await symlink(path.join(REPO, entry), path.join(tempDir, entry));
  }
  await cp(path.join(REPO, 'workflows'), path.join(tempDir, 'workflows'), { recursive: true });

  const casePath = path.join(tempDir, 'workflows', 'case.ts');
  const source = await readFile(casePath, 'utf8');
  // Just before the record is written (after the patch marker a new case records first).
  const anchor = 'await this.lock.run(async () => {\n      const { repeatOf }';
  if (!source.includes(anchor)) throw new Error(`workflows/case.ts no longer contains "${anchor}": update this test`);
  const changed = [
    "import { proxyActivities as reorderedProxy } from '@temporalio/workflow';",
    source.replace(
      anchor,
      anchor.replace(
        '{\n',
        "{\n      await reorderedProxy({ startToCloseTimeout: '1 minute' }).computeDeadlines([]);\n",
      ),
    ),
  ].join('\n');
  await writeFile(casePath, changed);
  const bundle = await bundleWorkflowCode({ workflowsPath: path.join(tempDir, 'workflows'), logger: quietLogger });
  return { tempDir, bundle };
}
