/**
 * Changes to the case workflow that open cases must survive, one ID each. A case started before a change replays
 * the old path; `since()` (`patched()`) sends new cases down the new one. See docs/versioning.md for the procedure.
 */
import { patched } from '@temporalio/workflow';

export const PATCHES = {
  /** 2026-11: the review window stated in a reply is computed once, not twice. */
  replyWindowComputedOnce: 'reply-window-computed-once',
  /**
   * 2026-11: each change's projection write (recordProgress) runs as a local activity, inside the workflow task that
   * made the change, instead of an activity task and a second workflow task (docs/performance.md).
   */
  progressWrittenLocally: 'progress-written-locally',
  /**
   * 2026-12: the procedure holds on every path (issue "deadlines, supervision and the whistleblower guard"): guards
   * against accused and recused units at every step and the recall of a guarded holder, disputes decided by an
   * unguarded superior with designation, supervision per clock counted from its last day, extensions only while the
   * clock runs, assignment deadlines from the assignment, the lead waiting for its co-handlers, hearings with a
   * limit, windows judged by their due instant, calendar reloads by each clock's own rule, routing failures that
   * never end a case. Open cases take it on at their next step.
   */
  lawOnEveryPath: 'law-on-every-path',
  /**
   * 2026-12: an action ID names one request. A used ID sent with another action, caller or body is refused (409, or
   * 404 to a unit that does not hold the case) instead of being answered as a duplicate of the earlier action.
   */
  actionIdNamesOneRequest: 'action-id-names-one-request',
  /**
   * 2026-12: every notice to the petitioner is served (送达) and on record: the acceptance notice and each reply are
   * composed and stored by an activity, served by e-mail, SMS, online or by the office (post, in person); the
   * petitioner's windows run from service, an unserved notice is the office's clock, and C2 is met at service.
   */
  noticesServed: 'notices-served',
  /**
   * 2026-12: the not-accepted notice (不予受理告知书), the transfer or assignment notice (转送/交办告知) and the
   * extension notice (延期告知书) are served on record too; a case not accepted stays open until its notice is
   * served or recorded undeliverable.
   */
  everyNoticeServed: 'every-notice-served',
  /**
   * 2026-12: an action delivered together with the case's start waits for the registration (record written, first
   * clock started) instead of running before it; the transfer notice needs the record.
   */
  actionsAfterRegistration: 'actions-after-registration',
  /**
   * 2026-12: continue-as-new no longer waits for the webhook queue to drain; the undelivered entries go to the next
   * run in its state. Before, a unit whose endpoint was down held the case's clock loop until its retries ran out.
   */
  continueAsNewCarriesWebhooks: 'continue-as-new-carries-webhooks',
  /**
   * 2026-12: the reminders of the first clock that fall due between the API's registration and the workflow task
   * that starts the clock are sent, late, instead of counting as passed. Before, a worker or Temporal down at
   * registration could silently drop a reminder (the cluster fault suite found it).
   */
  remindersSinceRegistration: 'reminders-since-registration',
  /**
   * 2026-12: a unit whose objection waits for the office's decision cannot also accept, answer or divert the case
   * (409) until the office decides. Before, a unit could object and accept at once and the case went on with both: in
   * handling with an objection the office was still asked to decide (a race the concurrency test found).
   */
  objectionHoldsCase: 'objection-holds-case',
  /**
   * 2026-12: a registration's record write, first deadline and hotspot check are each tried once as a local activity
   * in the case's first workflow task (then as an activity task, should that attempt fail), instead of three activity
   * tasks and three more workflow tasks before the dispose clock is armed (issue 17 item 3, docs/performance.md
   * "Registration cost").
   */
  registeredInOneTask: 'registered-in-one-task',
  /**
   * 2026-12: each change's projection write (recordProgress) is tried once as a local activity in the workflow task
   * that made the change, then as an activity task, instead of retrying inside that task. Before, a store that
   * refused the write held the task, and with it the queries: the case detail fell back to the record, which still
   * named the unit the case had just left, and showed an accused holder the report it was recalled from.
   */
  progressTriedOnceInTask: 'progress-tried-once-in-task',
  /**
   * 2026-12: a change's reads — its deadlines on the legal calendar, the unit directory (routing, petition offices,
   * unknown units, review unit, common superior, escalation target) and another case's standing — are each tried once
   * as a local activity in the workflow task of the change, then as an activity task, instead of an activity task and
   * another workflow task each (an office's transfer ran nine of them in a row; issue 17, docs/performance.md
   * "Actions in one workflow task").
   */
  readsInTask: 'reads-in-task',
  /**
   * 2026-12: a notice's issue and its service on record (issueNotice, recordService) and a reply's delivery
   * (deliverReply) are each tried once as a local activity in the workflow task of the action, then as an activity
   * task, instead of an activity task and another workflow task each: an office's transfer, a unit's acceptance and a
   * unit's result are answered in the workflow task that took them (issue 17, docs/performance.md "Notices in the
   * action's workflow task").
   */
  noticesInTask: 'notices-in-task',
  /**
   * 2026-12: the clock loop keeps its timer through a change that leaves the case's next clock event at the same
   * instant (a supplement, a service on record, a clerk's acknowledgement of a clock that is not the next), instead
   * of cancelling it and starting one for the same instant: two history events and two commands fewer each time.
   */
  clockTimerKept: 'clock-timer-kept',
  /**
   * 2026-12: a case that starts with this marker takes every patch above from its start, without a marker of its own
   * for each (`TAKEN_AT_START`). Each marker costs a case two history events (the marker and the SDK's upsert of
   * `TemporalChangeVersion`): 12 of the 22 events of a registration's first task, about a tenth of a full cycle.
   */
  everyPatchAtStart: 'every-patch-at-start',
} as const;

export type PatchId = (typeof PATCHES)[keyof typeof PATCHES];

/**
 * The patches a case started with `every-patch-at-start` has taken: every one before it, listed as they stood then.
 * A patch added later is not in it, and asks `patched()` of its own (a case started before it replays its old path).
 */
const TAKEN_AT_START: ReadonlySet<PatchId> = new Set<PatchId>([
  PATCHES.replyWindowComputedOnce,
  PATCHES.progressWrittenLocally,
  PATCHES.lawOnEveryPath,
  PATCHES.actionIdNamesOneRequest,
  PATCHES.noticesServed,
  PATCHES.everyNoticeServed,
  PATCHES.actionsAfterRegistration,
  PATCHES.continueAsNewCarriesWebhooks,
  PATCHES.remindersSinceRegistration,
  PATCHES.objectionHoldsCase,
  PATCHES.registeredInOneTask,
  PATCHES.progressTriedOnceInTask,
  PATCHES.readsInTask,
  PATCHES.noticesInTask,
  PATCHES.clockTimerKept,
]);

/** Whether this run started with `every-patch-at-start` (module state is the workflow's own). */
let everyPatchAtStart = false;

/**
 * Asked once, first thing in a run: a new case (or a case whose first task had not completed) marks it and takes
 * every patch; a case that started before it replays its first task without the marker and asks each patch as before.
 */
export function takePatchesAtStart(): void {
  everyPatchAtStart = patched(PATCHES.everyPatchAtStart);
}

/** Whether the case takes a change: `patched(patch)`, answered without a marker for a case that took them at start. */
export function since(patch: PatchId): boolean {
  return (everyPatchAtStart && TAKEN_AT_START.has(patch)) || patched(patch);
}
