/**
 * One case, from registration to its end, as the 2022 regulation (信访工作条例) sets it out. Every decision and
 * clock lives here; MongoDB receives a projection through activities. See DESIGN.md §4. The steps of the procedure
 * are in transfer.ts (Art 22–24), guards.ts (Art 28, 30), handling.ts (Art 24, 34), reply.ts (Art 32, 35, 36) and
 * supervision.ts (Art 40).
 *
 * Over 400 lines because the class holds the state every step shares (the lock, the clocks, the patch flags) and
 * the message handlers that route to the steps; the steps themselves live in the files above.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { translate } from '../domain/i18n';
import { caseWorkflowId } from '../domain/ids';
import type { Stage } from '../domain/types';
import { nextEvent } from './clocks';
import {
  ClockTimer,
  Lock,
  guarded,
  now,
  record,
  stepInTask,
  rejection,
  runWebhooks,
  standing,
  startClock,
} from './case-effects';
import { initialState, type CaseOutcome, type CaseState, type CaseWorkflowInput } from './case-state';
import { businessFailure, type CaseContext, type Notifications, type TimelineEntries } from './context';
import { addAccused, recuse } from './guards';
import { decideExtension, requestExtension, result } from './handling';
import { appliedAction, duplicateAnswer, reusedActionId } from './action-ids';
import * as m from './messages';
import { PATCHES, since, takePatchesAtStart } from './patches';
import * as rules from './rules';
import * as checks from './procedure-rules';
import { answer, decideCallback, decideRepeat, divert, markUrgent } from './kinds';
import { decideReview, hearing, rate, reportExecution, requestReview } from './reply';
import { awaitsServiceAfterEnd, issueOnRecord, openedOnline, petitionOffice, recordServiceAction } from './service';
import { fire, problem, recomputeAll, replyToSupervision, supervise } from './supervision';
import { acceptance, acknowledge, decideObjection, designate, object } from './transfer';

export async function caseWorkflow(input: CaseWorkflowInput): Promise<CaseOutcome> {
  takePatchesAtStart();
  const state = input.state ?? initialState();
  const procedure = new CaseProcedure(input, state);
  procedure.registerHandlers();
  let clocksDone = false;
  const webhooks = runWebhooks(state, () => clocksDone);
  if (!input.state) await procedure.register();
  procedure.registered = true;
  await procedure.runClocks();
  clocksDone = true;
  await webhooks;
  await condition(allHandlersFinished);
  return { caseId: input.ref.caseId, stage: state.stage, decision: state.decision, rating: state.rating };
}

class CaseProcedure implements CaseContext {
  private readonly lock = new Lock(condition);
  private readonly clockTimer = new ClockTimer();
  /** Bumped by every change, so the clock loop knows to look again. */
  private changes = 0;
  /** Set once `since(lawOnEveryPath)` has said yes; validators read it, workflow code asks through `law()`. */
  private lawApplies = false;
  /** The record is written and the first clock runs (or the case continued as new, registered long ago). */
  registered = false;

  constructor(
    readonly input: CaseWorkflowInput,
    readonly state: CaseState,
  ) {}

  /** Set once `since(noticesServed)` has said yes (only profiles with `service` ask). */
  private servesApplies = false;

  serves(): boolean {
    if (!this.servesApplies) this.servesApplies = !!this.input.profile.service && since(PATCHES.noticesServed);
    return this.servesApplies;
  }

  /** Set once `since(everyNoticeServed)` has said yes, for a case that serves its notices at all. */
  private servesAllApplies = false;

  servesAll(): boolean {
    if (!this.servesAllApplies) this.servesAllApplies = this.serves() && since(PATCHES.everyNoticeServed);
    return this.servesAllApplies;
  }

  /**
   * An ended case stays open while the notice that ended it (不予受理告知书) is being issued, and until it is served or
   * recorded undeliverable (patch `every-notice-served`).
   */
  private ended(): boolean {
    if (!rules.isEnded(this.state.stage)) return false;
    if (!this.servesAllApplies) return true;
    return allHandlersFinished() && !this.state.notices?.some(awaitsServiceAfterEnd);
  }

  law(): boolean {
    if (!this.lawApplies) this.lawApplies = since(PATCHES.lawOnEveryPath);
    return this.lawApplies;
  }

  /** Set once `since(objectionHoldsCase)` has said yes; validators read it through `ruleState()`. */
  private objectionHoldsApplies = false;

  private objectionHolds(): boolean {
    if (!this.objectionHoldsApplies) this.objectionHoldsApplies = since(PATCHES.objectionHoldsCase);
    return this.objectionHoldsApplies;
  }

  guarded(): string[] {
    return guarded(this.input, this.state);
  }

  accused(): string[] {
    return [...new Set([...this.input.accusedUnits, ...(this.state.addedAccused ?? [])])];
  }

  ruleState(): rules.RuleState {
    const { ref, profile } = this.input;
    return {
      ...this.state,
      kind: ref.kind,
      receivedAt: ref.receivedAt,
      accusedUnits: this.accused(),
      profile,
      now: Date.now(),
      law: this.lawApplies,
      objectionHolds: this.objectionHoldsApplies,
    };
  }

  // ── Registration (Art 22) ────────────────────────────────────────────────────────────────────────────────

  async register(): Promise<void> {
    const { ref, sealedRecord } = this.input;
    this.law();
    this.objectionHolds();
    this.serves();
    // The record, the first deadline and the hotspot check in the first workflow task: the clock is armed without a
    // round trip through the server (the old path: an activity task and a workflow task for each).
    const inTask = since(PATCHES.registeredInOneTask);
    // Holding the lock from the start: an action that arrives while the record is being written waits for it.
    await this.lock.run(async () => {
      const { repeatOf } = sealedRecord
        ? await stepInTask(inTask, 'recordCase', translate('zh-CN', 'summary.recordCase'), [
            { caseId: ref.caseId, sealedRecord },
          ])
        : {};
      // Art 19: the same matter while a case is open is a supplement to it, not a new case. If that case ended in
      // the meantime, the signal fails and this one goes on as a case of its own. A repeat while the earlier case is
      // overdue is not merged: the petitioner may go one level up; it is recorded.
      const overdueEarlier = repeatOf?.open && repeatOf.overdue;
      if (repeatOf?.open && !overdueEarlier && (await this.attachTo(repeatOf.caseId))) {
        return this.end('merged', [{ type: 'merged', detail: { into: repeatOf.caseId } }]);
      }
      if (repeatOf?.stage === 'terminated') {
        // Art 36: after re-review the same facts and reasons are not accepted again; the petitioner is told in a
        // notice of its own (不再受理告知书), and the case stays open until it is served.
        const serves = this.servesAll();
        await this.end(
          'not_accepted',
          [{ type: 'not_accepted', detail: { reason: 'terminated_same_matter', earlierCase: repeatOf.caseId } }],
          [{ kind: 'not_accepted', recipient: 'petitioner', detail: { reason: 'terminated_same_matter' } }],
        );
        if (!serves) return;
        const office = await petitionOffice(this);
        return issueOnRecord(this, 'not_accepted_again', office, { earlierCaseId: repeatOf.caseId });
      }
      if (this.input.urgent && this.input.profile.urgent) this.state.urgent = true;
      try {
        // The API registered the case before this task ran (later still when a worker or Temporal was down): the
        // reminders due since then are the office's and are sent, late; those of a back-dated receipt are not.
        const remindersDueSince = since(PATCHES.remindersSinceRegistration) ? Date.parse(ref.registeredAt) : undefined;
        await startClock(this.input, this.state, {
          clock: 'dispose',
          holder: 'office',
          startedAt: ref.receivedAt,
          remindersDueSince,
          inTask,
        });
      } catch (error) {
        // A receipt no calendar can count from: the case stays registered and the office is told, lock released.
        const reason = businessFailure(error);
        if (reason === undefined) throw error;
        return problem(this, 'deadline', { clock: 'dispose', reason });
      }
      await this.change(
        [
          { type: 'dispose_clock_started' },
          ...(overdueEarlier
            ? [{ type: 'repeat_of_overdue_case' as const, detail: { earlierCase: repeatOf.caseId } }]
            : []),
        ],
        [{ kind: 'new_case', recipient: 'office' }],
      );
      if (this.state.urgent) await markUrgent(this, true);
      if (this.input.profile.procedures) await this.watchForHotspot(inTask);
    });
  }

  /** 矛盾纠纷排查: letters piling up about one matter in one region warn the office once, before a group forms. */
  private async watchForHotspot(inTask: boolean): Promise<void> {
    const hotspot = await stepInTask(inTask, 'checkHotspot', translate('zh-CN', 'summary.checkHotspot'), [
      this.input.ref.caseId,
    ]);
    if (!hotspot) return;
    await this.change([{ type: 'hotspot', detail: hotspot }]);
    this.state.webhookQueue.push({ outboxId: hotspot.alertKey, unitCode: 'office' });
  }

  private async attachTo(caseId: string): Promise<boolean> {
    try {
      await getExternalWorkflowHandle(caseWorkflowId(caseId)).signal(m.supplementAttachedSignal, {
        fromCaseId: this.input.ref.caseId,
      });
      return true;
    } catch {
      return false;
    }
  }

  // ── The clock loop: reminders, expiries, supervision ─────────────────────────────────────────────────────

  async runClocks(): Promise<void> {
    while (!this.ended()) {
      if (workflowInfo().continueAsNewSuggested) {
        if (since(PATCHES.continueAsNewCarriesWebhooks)) {
          // Undelivered webhooks go on in the next run (state.webhookQueue): a unit whose endpoint is down must not
          // hold up every clock of the case. The one in flight is sent again there (receivers dedupe by its ID).
          await condition(allHandlersFinished);
        } else {
          await condition(() => allHandlersFinished() && this.state.webhookQueue.length === 0);
        }
        await continueAsNew<typeof import('./index').caseWorkflow>({
          ...this.input,
          sealedRecord: undefined,
          state: this.state,
        });
      }
      const seen = this.changes;
      const event = nextEvent(this.state.clocks, this.input.profile.reminders);
      const changed = () => this.changes !== seen || this.ended();
      if (!event) {
        this.clockTimer.cancel();
        await condition(changed);
        continue;
      }
      const wait = event.at - Date.now();
      if (wait > 0) {
        const changedFirst = since(PATCHES.clockTimerKept)
          ? await this.clockTimer.wait(event.at, event.label, changed)
          : await condition(changed, wait, { summary: event.label });
        if (changedFirst) continue;
      } else {
        this.clockTimer.cancel();
      }
      await this.lock.run(() => {
        this.law();
        return fire(this, event);
      });
    }
  }

  // ── Messages ─────────────────────────────────────────────────────────────────────────────────────────────

  registerHandlers(): void {
    this.action(
      m.acceptanceUpdate,
      (a) => rules.checkAcceptance(this.ruleState(), a.actor, a),
      (a) => acceptance(this, a),
    );
    this.action(
      m.acknowledgementUpdate,
      (a) => rules.checkAcknowledgement(this.ruleState(), a.actor),
      () => acknowledge(this),
    );
    this.action(
      m.objectionUpdate,
      (a) => rules.checkObjection(this.ruleState(), a.actor),
      (a) => object(this, a),
    );
    this.action(
      m.objectionDecisionUpdate,
      (a) => rules.checkObjectionDecision(this.ruleState(), a.actor, a),
      (a) => decideObjection(this, a),
    );
    this.action(
      m.designationUpdate,
      (a) => rules.checkDesignation(this.ruleState(), a.actor, a),
      (a) => designate(this, a),
    );
    this.action(
      m.extensionUpdate,
      (a) => rules.checkExtension(this.ruleState(), a.actor, a.days),
      (a) => requestExtension(this, a),
    );
    this.action(
      m.extensionDecisionUpdate,
      (a) => rules.checkExtensionDecision(this.ruleState(), a.actor, a.days),
      (a) => decideExtension(this, a),
    );
    this.action(
      m.resultUpdate,
      (a) => rules.checkResult(this.ruleState(), a.actor, a.decision, a),
      (a) => result(this, a),
    );
    this.action(
      m.supplementUpdate,
      (a) => rules.checkSupplement(this.ruleState(), a.actor),
      (a) => this.supplement(a.actionId),
    );
    this.action(
      m.hearingUpdate,
      (a) => rules.checkHearing(this.ruleState(), a.actor, a.action),
      (a) => hearing(this, a),
    );
    this.action(
      m.ratingUpdate,
      (a) => rules.checkRating(this.ruleState(), a.actor),
      (a) => rate(this, a),
    );
    this.action(
      m.reviewRequestUpdate,
      (a) => rules.checkReviewRequest(this.ruleState(), a.actor),
      () => requestReview(this),
    );
    this.action(
      m.reviewDecisionUpdate,
      (a) => rules.checkReviewDecision(this.ruleState(), a.actor),
      (a) => decideReview(this, a),
    );
    this.action(
      m.withdrawalUpdate,
      (a) => rules.checkWithdrawal(this.ruleState(), a.actor),
      () => this.withdraw(),
    );
    this.action(
      m.accusationUpdate,
      (a) => rules.checkAccusation(this.ruleState(), a.actor),
      (a) => addAccused(this, a),
    );
    this.action(
      m.recusalUpdate,
      (a) => rules.checkRecusal(this.ruleState(), a.actor, a.unitCode),
      (a) => recuse(this, a),
    );

    this.procedureHandlers();
    this.action(
      m.serviceUpdate,
      (a) => rules.checkService(this.ruleState(), a.actor, a),
      (a) => recordServiceAction(this, a),
    );
    setHandler(m.noticesOpenedSignal, ({ at }) => this.lock.run(() => openedOnline(this, at)));

    setHandler(m.supplementAttachedSignal, ({ fromCaseId }) =>
      this.lock.run(() => this.supplement(`merged:${fromCaseId}`)),
    );
    setHandler(m.calendarChangedSignal, () => this.lock.run(() => recomputeAll(this)));
    setHandler(m.caseViewQuery, () => this.view());
  }

  /** Each kind's procedure and the office's powers (DESIGN.md §4a). */
  private procedureHandlers(): void {
    this.action(
      m.answerUpdate,
      (a) => checks.checkAnswer(this.ruleState(), a.actor),
      (a) => answer(this, a),
    );
    this.action(
      m.diversionUpdate,
      (a) => checks.checkDiversion(this.ruleState(), a.actor),
      (a) => divert(this, a),
    );
    this.action(
      m.executionReportUpdate,
      (a) => checks.checkExecutionReport(this.ruleState(), a.actor),
      (a) => reportExecution(this, a),
    );
    this.action(
      m.callbackDecisionUpdate,
      (a) => checks.checkCallbackDecision(this.ruleState(), a.actor, a),
      (a) => decideCallback(this, a),
    );
    this.action(
      m.supervisionUpdate,
      (a) => checks.checkSupervision(this.ruleState(), a.actor, a),
      (a) => supervise(this, a),
    );
    this.action(
      m.supervisionReplyUpdate,
      (a) => checks.checkSupervisionReply(this.ruleState(), a.actor, a.itemId),
      (a) => replyToSupervision(this, a),
    );
    this.action(
      m.urgencyUpdate,
      (a) => checks.checkUrgency(this.ruleState(), a.actor, a.urgent),
      (a) => markUrgent(this, a.urgent, a.actionId),
    );
    this.action(
      m.repeatDecisionUpdate,
      (a) => checks.checkRepeatDecision(this.ruleState(), a.actor, a, this.input.ref.caseId),
      (a) => decideRepeat(this, a),
    );
  }

  /**
   * An actor action: validated at once, applied once per action ID, serialized with everything else. An action ID
   * names one request: the same request again gets the earlier answer, anything else under that ID is refused.
   */
  private action<A extends m.ActionBase>(
    update: UpdateDefinition<m.ActionResult, [A]>,
    check: (args: NoInfer<A>) => rules.Rejection | undefined,
    apply: (args: NoInfer<A>) => Promise<void>,
  ): void {
    const repeat = (applied: m.AppliedAction, args: A): m.ActionResult => {
      const reused = since(PATCHES.actionIdNamesOneRequest)
        ? reusedActionId(this.ruleState(), applied, update.name, args)
        : undefined;
      if (reused) throw rejection(reused);
      return duplicateAnswer(applied);
    };
    setHandler(
      update,
      async (args: A) => {
        const previous = this.state.applied[args.actionId];
        if (previous) return repeat(previous, args);
        // An action delivered with the case's first task reaches its handler before registration has taken the
        // lock: it waits for the record and the first clock, as every later action does.
        if (!this.registered && since(PATCHES.actionsAfterRegistration)) await condition(() => this.registered);
        return this.lock.run(async () => {
          // The same action may have arrived twice at once (under two update IDs): the first one applied it.
          const raced = this.state.applied[args.actionId];
          if (raced) return repeat(raced, args);
          this.law();
          this.objectionHolds();
          // The state may have moved while this update waited for the lock.
          const refused = check(args);
          if (refused) throw rejection(refused);
          await apply(args);
          const message = translate('zh-CN', 'action.applied', { action: update.name });
          const result = { actionId: args.actionId, stage: this.state.stage, message };
          this.state.applied[args.actionId] = appliedAction(update.name, args, result);
          return result;
        });
      },
      {
        validator: (args: A) => {
          const previous = this.state.applied[args.actionId];
          const refused = previous ? reusedActionId(this.ruleState(), previous, update.name, args) : check(args);
          if (refused) throw rejection(refused);
        },
      },
    );
  }

  private async supplement(actionId: string): Promise<void> {
    this.state.supplements += 1;
    const holder = this.state.reviewUnit ?? this.state.leadUnit ?? 'office';
    await this.change(
      [{ type: 'supplement', detail: { actionId } }],
      [{ kind: 'supplement', recipient: holder, detail: { actionId } }],
    );
  }

  private async withdraw(): Promise<void> {
    await this.end(
      'withdrawn',
      [{ type: 'withdrawn' }],
      this.state.leadUnit ? [{ kind: 'withdrawn', recipient: this.state.leadUnit }] : [],
    );
  }

  // ── Bookkeeping ──────────────────────────────────────────────────────────────────────────────────────────

  async change(timeline: TimelineEntries, notifications: Notifications = []): Promise<void> {
    this.changes += 1;
    await record(this.input, this.state, timeline, notifications);
  }

  async end(stage: Stage, timeline: TimelineEntries, notifications?: Notifications): Promise<void> {
    this.state.stage = stage;
    this.state.clocks = [];
    this.state.closedAt = now();
    await this.change(timeline, notifications);
  }

  private view(): m.CaseView {
    const s = this.state;
    const guardedUnits = this.guarded();
    const { units, nextDeadline, overdue } = standing(this.input, s);
    return {
      caseId: this.input.ref.caseId,
      caseNumber: this.input.ref.caseNumber,
      stage: s.stage,
      profileId: this.input.profile.id,
      leadUnit: s.leadUnit && !guardedUnits.includes(s.leadUnit) ? s.leadUnit : undefined,
      units,
      coHandlers: s.coHandlers,
      mode: s.mode,
      escalationLevel: s.escalationLevel,
      overdue,
      clocks: s.clocks.map((c) => ({
        key: c.key,
        clock: c.clock,
        deadline: c.deadline,
        holder: c.holder,
        overdue: c.expired,
        paused: !!c.pausedSince,
      })),
      nextDeadline,
      designated: s.leadUnit ? s.designatedUnits.includes(s.leadUnit) : false,
      extension: s.extension && { days: s.extension.days, status: s.extension.status },
      reviewRound: s.reviewRound,
      decision: s.decision,
      rating: s.rating,
      supplements: s.supplements,
      intakeDigest: this.input.intakeDigest,
      dispute: s.dispute,
      problem: s.problem,
      urgent: s.urgent,
      supervisions: s.supervisions,
      redone: s.redone,
      execution: s.execution,
    };
  }
}
