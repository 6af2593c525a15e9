/**
 * One case, from registration to its end, as the 2022 regulation (信访工作条例) sets it out. Every decision and
 * clock lives here; MongoDB receives a projection through activities. See DESIGN.md §4.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { actionTextsId, callerId, caseWorkflowId } from '../domain/ids';
import type { Decision, Stage } from '../domain/types';
import { isActorClock, nextEvent, type ClockEvent, type RunningClock } from './clocks';
import {
  Lock,
  addClock,
  applyDeadline,
  computeDeadlines,
  deliverReply,
  findClock,
  findCommonSuperior,
  findEscalationTarget,
  findReviewUnit,
  now,
  recomputeClock,
  record,
  recordCase,
  reject,
  routeCase,
  runWebhooks,
  startClock,
  stopClock,
} from './case-effects';
import { initialState, type CaseOutcome, type CaseState, type CaseWorkflowInput } from './case-state';
import { appliedAction, duplicateAnswer, reusedActionId } from './action-ids';
import * as m from './messages';
import { PATCHES } from './patches';
import * as rules from './rules';

export async function caseWorkflow(input: CaseWorkflowInput): Promise<CaseOutcome> {
  const state = input.state ?? initialState();
  const procedure = new CaseProcedure(input, state);
  procedure.registerHandlers();
  let clocksDone = false;
  const webhooks = runWebhooks(state, () => clocksDone);
  if (!input.state) await procedure.register();
  await procedure.runClocks();
  clocksDone = true;
  await webhooks;
  await condition(allHandlersFinished);
  return { caseId: input.ref.caseId, stage: state.stage, decision: state.decision, rating: state.rating };
}

class CaseProcedure {
  private readonly lock = new Lock(condition);
  /** Bumped by every change, so the clock loop knows to look again. */
  private changes = 0;

  constructor(
    private readonly input: CaseWorkflowInput,
    private readonly state: CaseState,
  ) {}

  private get ruleState(): rules.RuleState {
    const { ref, accusedUnits, profile } = this.input;
    return { ...this.state, kind: ref.kind, receivedAt: ref.receivedAt, accusedUnits, profile };
  }

  // ── Registration (Art 22) ────────────────────────────────────────────────────────────────────────────────

  async register(): Promise<void> {
    const { ref, sealedRecord } = this.input;
    // Holding the lock from the start: an action that arrives while the record is being written waits for it.
    await this.lock.run(async () => {
      const { repeatOf } = sealedRecord
        ? await recordCase.executeWithOptions({ summary: 'write the case record to MongoDB' }, [
            { caseId: ref.caseId, sealedRecord },
          ])
        : {};
      // Art 19: the same matter while a case is open is a supplement to it, not a new case. If that case ended in
      // the meantime, the signal fails and this one goes on as a case of its own.
      if (repeatOf?.open && (await this.attachTo(repeatOf.caseId))) {
        return this.end('merged', [{ type: 'merged', detail: { into: repeatOf.caseId } }]);
      }
      if (repeatOf?.stage === 'terminated') {
        // Art 36: after re-review the same facts and reasons are not accepted again.
        return this.end(
          'not_accepted',
          [{ type: 'not_accepted', detail: { reason: 'terminated_same_matter', earlierCase: repeatOf.caseId } }],
          [{ kind: 'not_accepted', recipient: 'petitioner', detail: { reason: 'terminated_same_matter' } }],
        );
      }
      await startClock(this.input, this.state, { clock: 'dispose', holder: 'office', startedAt: ref.receivedAt });
      await this.change([{ type: 'dispose_clock_started' }], [{ kind: 'new_case', recipient: 'office' }]);
    });
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
    while (!rules.isEnded(this.state.stage)) {
      if (workflowInfo().continueAsNewSuggested) {
        await condition(() => allHandlersFinished() && this.state.webhookQueue.length === 0);
        await continueAsNew<typeof import('./index').caseWorkflow>({
          ...this.input,
          sealedRecord: undefined,
          state: this.state,
        });
      }
      const seen = this.changes;
      const event = nextEvent(this.state.clocks, this.input.profile.reminders);
      const changed = () => this.changes !== seen || rules.isEnded(this.state.stage);
      if (!event) {
        await condition(changed);
        continue;
      }
      const wait = event.at - Date.now();
      if (wait > 0 && (await condition(changed, wait, { summary: event.label }))) continue;
      await this.lock.run(() => this.fire(event));
    }
  }

  private async fire(event: ClockEvent): Promise<void> {
    const running = findClock(this.state, event.clockKey);
    if (!running) return;
    if (event.type === 'reminder') {
      running.firedReminders.push(event.reminderKey);
      return this.change(
        [
          {
            type: 'reminder',
            unitCode: unitOrUndefined(running.holder),
            detail: { clock: running.clock, label: event.label },
          },
        ],
        [
          {
            kind: 'reminder',
            recipient: running.holder,
            detail: { clock: running.clock, dueAt: running.deadline.dueAt },
          },
        ],
      );
    }
    if (event.type === 'expiry') return this.expire(running);
    return this.escalate(running, this.state.escalationLevel + 1);
  }

  private async expire(running: RunningClock): Promise<void> {
    running.expired = true;
    switch (running.clock) {
      case 'objection':
        stopClock(this.state, running.key);
        this.state.closedWindows = { ...this.state.closedWindows, [running.key]: running.deadline };
        return this.change([{ type: 'objection_window_closed', unitCode: this.state.leadUnit }]);
      case 'rating':
        stopClock(this.state, running.key);
        this.state.closedWindows = { ...this.state.closedWindows, [running.key]: running.deadline };
        return this.change([{ type: 'not_rated' }]);
      case 'reviewRequest':
        // No review asked within 30 days of the reply (Art 35): the case is resolved.
        return this.end('resolved', [{ type: 'review_window_lapsed' }]);
      case 'reReviewRequest':
        // No re-review asked within 30 days of the review opinion (Art 36): the review opinion is final.
        return this.end('terminated', [{ type: 're_review_window_lapsed' }]);
      default:
        return this.escalate(running, Math.max(1, this.state.escalationLevel + (isActorClock(running.clock) ? 0 : 1)));
    }
  }

  /** Supervision (督办, Art 40): level 1 by the petition office, then up the unit hierarchy every few working days. */
  private async escalate(running: RunningClock, level: number): Promise<void> {
    const target =
      running.holder === 'office'
        ? {
            unitCode: 'office-head',
            reason: 'the disposal deadline passed: the head of the petition office supervises',
          }
        : await findEscalationTarget.executeWithOptions(
            { summary: `find escalation level ${level} for ${running.holder}` },
            [{ unitCode: running.holder, level, accusedUnits: this.input.accusedUnits }],
          );
    const [step] = await computeDeadlines.executeWithOptions({ summary: 'next supervision step' }, [
      [
        {
          clock: running.clock,
          rule: {
            length: this.input.profile.escalationStepWorkingDays,
            unit: 'working_days',
            basis: 'supervision step',
          },
          // Counted from when this step fell due, so a case recorded late catches up on the steps it missed.
          startedAt: running.nextEscalationAt ?? running.deadline.dueAt,
        },
      ],
    ]);
    running.nextEscalationAt = target && running.holder !== 'office' ? step!.dueAt : undefined;
    if (!target) return this.change([{ type: 'escalation_exhausted', unitCode: unitOrUndefined(running.holder) }]);
    this.state.escalationLevel = Math.max(this.state.escalationLevel, level);
    return this.change(
      [
        {
          type: level === 1 ? 'overdue_supervised' : 'escalated',
          unitCode: target.unitCode,
          escalationLevel: level,
          detail: {
            clock: running.clock,
            holder: running.holder,
            reason: target.reason,
            dueAt: running.deadline.dueAt,
          },
        },
      ],
      [
        { kind: 'overdue', recipient: running.holder, detail: { clock: running.clock, level } },
        {
          kind: 'escalation',
          recipient: target.unitCode,
          detail: { clock: running.clock, level, holder: running.holder },
        },
      ],
    );
  }

  // ── Messages ─────────────────────────────────────────────────────────────────────────────────────────────

  registerHandlers(): void {
    this.action(
      m.acceptanceUpdate,
      (a) => rules.checkAcceptance(this.ruleState, a.actor, a),
      (a) => this.acceptance(a),
    );
    this.action(
      m.acknowledgementUpdate,
      (a) => rules.checkAcknowledgement(this.ruleState, a.actor),
      () => this.acknowledge(),
    );
    this.action(
      m.objectionUpdate,
      (a) => rules.checkObjection(this.ruleState, a.actor),
      (a) => this.object(a),
    );
    this.action(
      m.objectionDecisionUpdate,
      (a) => rules.checkObjectionDecision(this.ruleState, a.actor, a),
      (a) => this.decideObjection(a),
    );
    this.action(
      m.extensionUpdate,
      (a) => rules.checkExtension(this.ruleState, a.actor, a.days),
      (a) => this.requestExtension(a),
    );
    this.action(
      m.extensionDecisionUpdate,
      (a) => rules.checkExtensionDecision(this.ruleState, a.actor, a.days),
      (a) => this.decideExtension(a),
    );
    this.action(
      m.resultUpdate,
      (a) => rules.checkResult(this.ruleState, a.actor, a.decision),
      (a) => this.result(a),
    );
    this.action(
      m.supplementUpdate,
      (a) => rules.checkSupplement(this.ruleState, a.actor),
      (a) => this.supplement(a.actionId),
    );
    this.action(
      m.hearingUpdate,
      (a) => rules.checkHearing(this.ruleState, a.actor, a.action),
      (a) => this.hearing(a),
    );
    this.action(
      m.ratingUpdate,
      (a) => rules.checkRating(this.ruleState, a.actor),
      (a) => this.rate(a),
    );
    this.action(
      m.reviewRequestUpdate,
      (a) => rules.checkReviewRequest(this.ruleState, a.actor),
      () => this.requestReview(),
    );
    this.action(
      m.reviewDecisionUpdate,
      (a) => rules.checkReviewDecision(this.ruleState, a.actor),
      (a) => this.decideReview(a),
    );
    this.action(
      m.withdrawalUpdate,
      (a) => rules.checkWithdrawal(this.ruleState, a.actor),
      () => this.withdraw(),
    );

    setHandler(m.supplementAttachedSignal, ({ fromCaseId }) =>
      this.lock.run(() => this.supplement(`merged:${fromCaseId}`)),
    );
    setHandler(m.calendarChangedSignal, () => this.lock.run(() => this.recomputeAll()));
    setHandler(m.caseViewQuery, () => this.view());
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
      if (patched(PATCHES.actionIdNamesOneRequest)) reject(reusedActionId(this.ruleState, applied, update.name, args));
      return duplicateAnswer(applied);
    };
    setHandler(
      update,
      async (args: A) => {
        const previous = this.state.applied[args.actionId];
        if (previous) return repeat(previous, args);
        return this.lock.run(async () => {
          // The same action may have arrived twice at once (under two update IDs): the first one applied it.
          const raced = this.state.applied[args.actionId];
          if (raced) return repeat(raced, args);
          reject(check(args)); // the state may have moved while this update waited for the lock
          await apply(args);
          const result = { actionId: args.actionId, stage: this.state.stage, message: `${update.name} applied` };
          this.state.applied[args.actionId] = appliedAction(update.name, args, result);
          return result;
        });
      },
      {
        validator: (args: A) => {
          const previous = this.state.applied[args.actionId];
          reject(previous ? reusedActionId(this.ruleState, previous, update.name, args) : check(args));
        },
      },
    );
  }

  // Art 22: the office accepts and transfers (转送) or assigns (交办), or does not accept and says where to go.
  private async acceptance(args: m.AcceptanceArgs): Promise<void> {
    if (args.actor.role === 'department') return this.unitAccepts();
    if (args.decision === 'not_accept') {
      return this.end(
        'not_accepted',
        [{ type: 'not_accepted', detail: { referral: args.referral, actionId: args.actionId } }],
        [
          {
            kind: 'not_accepted',
            recipient: 'petitioner',
            detail: { referral: args.referral, actionId: args.actionId },
          },
        ],
      );
    }
    const { ref } = this.input;
    const routed = args.unitCode
      ? { unitCode: args.unitCode, via: 'override', reason: 'chosen by the office' }
      : await routeCase.executeWithOptions({ summary: `route ${ref.kind}/${ref.category} in ${ref.regionCode}` }, [
          { kind: ref.kind, category: ref.category, regionCode: ref.regionCode, accusedUnits: this.input.accusedUnits },
        ]);
    this.state.mode = args.mode ?? 'transfer';
    this.state.assignDays = args.assignDays;
    this.state.coHandlers = (args.coHandlers ?? []).map((unitCode) => ({ unitCode, reported: false }));
    stopClock(this.state, 'dispose');
    await this.sendTo(
      routed.unitCode,
      { via: routed.via, reason: routed.reason, actionId: args.actionId, effectiveAt: args.effectiveAt },
      args.effectiveAt,
    );
  }

  /** Transfer to a unit: it acknowledges (C3), may object (C4), and tells the petitioner it received the case (C2). */
  private async sendTo(unitCode: string, detail: Record<string, unknown>, effectiveAt?: string): Promise<void> {
    this.state.leadUnit = unitCode;
    this.state.stage = this.state.mode === 'assign' ? 'assigned' : 'transferred';
    // A transfer made on paper and recorded later runs its clocks from the day it was made.
    const startedAt = effectiveAt ?? now();
    await startClock(this.input, this.state, { clock: 'acknowledge', holder: unitCode, startedAt });
    if (!this.state.designatedUnits.includes(unitCode)) {
      await startClock(this.input, this.state, { clock: 'objection', holder: unitCode, startedAt });
    }
    await startClock(this.input, this.state, { clock: 'notify', holder: unitCode, startedAt });
    await this.change(
      [
        {
          type: this.state.stage,
          unitCode,
          detail: { ...detail, coHandlers: this.state.coHandlers.map((c) => c.unitCode) },
        },
      ],
      [
        { kind: this.state.stage, recipient: unitCode },
        ...this.state.coHandlers.map((c) => ({
          kind: 'co_handling',
          recipient: c.unitCode,
          detail: { lead: unitCode },
        })),
        // Art 23: the petitioner is told where the case went.
        { kind: 'transferred_notice', recipient: 'petitioner', detail: { unitCode } },
      ],
    );
  }

  private async acknowledge(): Promise<void> {
    stopClock(this.state, 'acknowledge');
    this.state.stage = 'acknowledged';
    await this.change([{ type: 'acknowledged', unitCode: this.state.leadUnit }]);
  }

  // Art 23: the competent unit accepts and tells the petitioner within 15 days of receipt; C5 starts (Art 34).
  private async unitAccepts(): Promise<void> {
    for (const key of ['acknowledge', 'objection', 'notify']) stopClock(this.state, key);
    this.state.stage = 'handling';
    await startClock(this.input, this.state, {
      clock: 'handling',
      holder: this.state.leadUnit!,
      rule: this.handlingRule(),
    });
    for (const co of this.state.coHandlers) {
      // Art 24: co-handlers report to the lead by their own sub-deadline.
      await startClock(this.input, this.state, {
        key: `coHandler:${co.unitCode}`,
        clock: 'handling',
        holder: co.unitCode,
        rule: {
          length: this.input.profile.coHandlerReportDays,
          unit: 'calendar_days',
          basis: '信访工作条例 Art 24 (co-handler report to the lead)',
        },
      });
    }
    await this.change(
      [{ type: 'accepted', unitCode: this.state.leadUnit }],
      [{ kind: 'acceptance_notice', recipient: 'petitioner', detail: { unitCode: this.state.leadUnit } }],
    );
  }

  // Art 23: a unit that is not competent objects within 5 working days; the office decides.
  private async object(args: m.ObjectionArgs): Promise<void> {
    const unitCode = args.actor.unitCode!;
    this.state.pendingObjection = { unitCode, at: now() };
    const disputants = [...this.state.releasedUnits, unitCode];
    // Art 24: when two or more units each say the case is not theirs, their common superior designates the lead.
    const superior =
      this.state.releasedUnits.length > 0
        ? await findCommonSuperior.executeWithOptions({ summary: 'find the common superior of the disputing units' }, [
            { unitCodes: disputants },
          ])
        : null;
    await this.change(
      [
        {
          type: superior ? 'disputed' : 'objection',
          unitCode,
          detail: { actionId: args.actionId, disputants, superior },
        },
      ],
      [
        { kind: 'objection', recipient: 'office', detail: { unitCode, actionId: args.actionId } },
        ...(superior ? [{ kind: 'dispute', recipient: superior, detail: { disputants } }] : []),
      ],
    );
  }

  private async decideObjection(args: m.ObjectionDecisionArgs): Promise<void> {
    const objecting = this.state.pendingObjection!.unitCode;
    if (!args.approve) {
      this.state.pendingObjection = undefined;
      this.state.designatedUnits.push(objecting);
      stopClock(this.state, 'objection');
      return this.change(
        [{ type: 'objection_rejected', unitCode: objecting, detail: { actionId: args.actionId } }],
        [{ kind: 'objection_rejected', recipient: objecting }],
      );
    }
    const { ref } = this.input;
    const next = args.unitCode
      ? args.unitCode
      : (
          await routeCase.executeWithOptions({ summary: 're-route after an approved objection' }, [
            {
              kind: ref.kind,
              category: ref.category,
              regionCode: ref.regionCode,
              accusedUnits: this.input.accusedUnits,
            },
          ])
        ).unitCode;
    // Refuse before changing anything: a refused decision leaves the objection waiting.
    if (next === objecting || this.state.releasedUnits.includes(next)) {
      reject({ type: m.REJECTION.businessRule, message: `routing points back to ${next}; name the competent unit` });
    }
    this.state.pendingObjection = undefined;
    this.state.releasedUnits.push(objecting);
    await this.sendTo(next, { via: 'objection_approved', releasedUnit: objecting, actionId: args.actionId });
  }

  // Art 34: one extension, approved, the petitioner told why; the deadline and its reminders move.
  private async requestExtension(args: m.ExtensionArgs): Promise<void> {
    this.state.extension = { days: args.days, status: 'requested', actionId: args.actionId };
    await this.change(
      [{ type: 'extension_requested', unitCode: this.state.leadUnit, detail: { days: args.days } }],
      [{ kind: 'extension_request', recipient: 'office', detail: { days: args.days } }],
    );
  }

  private async decideExtension(args: m.ExtensionDecisionArgs): Promise<void> {
    const extension = this.state.extension!;
    if (!args.approve) {
      extension.status = 'rejected';
      return this.change(
        [{ type: 'extension_rejected', unitCode: this.state.leadUnit }],
        [{ kind: 'extension_rejected', recipient: this.state.leadUnit! }],
      );
    }
    extension.status = 'approved';
    extension.days = args.days ?? extension.days;
    const handling = findClock(this.state, 'handling')!;
    handling.extensionDays = extension.days;
    await recomputeClock(this.input, handling, this.handlingRule());
    await this.change(
      [
        {
          type: 'extension_approved',
          unitCode: this.state.leadUnit,
          detail: { days: extension.days, dueAt: handling.deadline.dueAt },
        },
      ],
      [
        { kind: 'extension_approved', recipient: this.state.leadUnit!, detail: { dueAt: handling.deadline.dueAt } },
        {
          kind: 'extension_notice',
          recipient: 'petitioner',
          detail: { days: extension.days, requestActionId: extension.actionId },
        },
      ],
    );
  }

  private handlingRule() {
    return this.state.mode === 'assign' && this.state.assignDays
      ? {
          length: this.state.assignDays,
          unit: 'calendar_days' as const,
          basis: 'deadline set by the assigning office (交办)',
        }
      : undefined;
  }

  private async result(args: m.ResultArgs): Promise<void> {
    const unitCode = args.actor.unitCode!;
    if (unitCode !== this.state.leadUnit) {
      this.state.coHandlers.find((c) => c.unitCode === unitCode)!.reported = true;
      stopClock(this.state, `coHandler:${unitCode}`);
      return this.change(
        [{ type: 'co_handler_reported', unitCode, detail: { actionId: args.actionId } }],
        [{ kind: 'co_handler_report', recipient: this.state.leadUnit!, detail: { from: unitCode } }],
      );
    }
    this.state.clocks = [];
    this.state.decision = args.decision;
    this.state.stage = 'result_submitted';
    await this.change(
      [{ type: 'result_submitted', unitCode, detail: { decision: args.decision, actionId: args.actionId } }],
      // Art 22(3): an assigned case reports its completion to the assigning office.
      this.state.mode === 'assign'
        ? [{ kind: 'completion_report', recipient: 'office', detail: { actionId: args.actionId } }]
        : [],
    );
    await this.deliver(0, args.decision!, args, unitCode, 'reviewRequest');
  }

  /** Art 32: deliver the written reply, then open the petitioner's windows. */
  private async deliver(
    round: 0 | 1 | 2,
    decision: Decision,
    action: m.ActionBase,
    unitCode: string,
    window?: 'reviewRequest' | 'reReviewRequest',
  ): Promise<void> {
    const deliveredAt = now();
    const [nextReviewDeadline] = window
      ? await computeDeadlines.executeWithOptions({ summary: `compute ${window} window` }, [
          [{ clock: window, rule: this.input.profile.clocks[window], startedAt: deliveredAt }],
        ])
      : [];
    await deliverReply.executeWithOptions({ summary: `deliver the written reply (round ${round})` }, [
      {
        caseId: this.input.ref.caseId,
        round,
        decision,
        actionId: action.actionId,
        // Only the words the acting unit sent with this very request make its reply.
        textsId: actionTextsId(this.input.ref.caseId, callerId(action.actor), action.actionId, action.digest),
        unitCode,
        deliveredAt,
        nextReviewDeadline,
      },
    ]);
    // The petitioner's copy of the reply is the outbox message deliverReply wrote.
    if (round === 2) return this.end('terminated', [{ type: 're_review_replied', unitCode, detail: { decision } }]);
    this.state.stage = round === 0 ? 'reply_delivered' : 'review_replied';
    if (round === 0)
      await startClock(this.input, this.state, { clock: 'rating', holder: 'petitioner', startedAt: deliveredAt });
    if (patched(PATCHES.replyWindowComputedOnce)) {
      // The window stated in the reply is the window the case runs: computed once, above.
      addClock(this.input, this.state, { clock: window!, holder: 'petitioner', deadline: nextReviewDeadline! });
    } else {
      const windowClock = await startClock(this.input, this.state, {
        clock: window!,
        holder: 'petitioner',
        startedAt: deliveredAt,
      });
      applyDeadline(windowClock, nextReviewDeadline!);
    }
    await this.change([
      { type: round === 0 ? 'reply_delivered' : 'review_replied', unitCode, detail: { decision, round } },
    ]);
  }

  private async rate(args: m.RatingArgs): Promise<void> {
    this.state.rating = args.rating;
    stopClock(this.state, 'rating');
    await this.change([{ type: 'rated', detail: { rating: args.rating } }]);
  }

  // Art 35, 36: review by the next-higher unit, then re-review by the one above it.
  private async requestReview(): Promise<void> {
    const reReview = this.state.stage === 'review_replied';
    const current = reReview ? this.state.reviewUnit! : this.state.leadUnit!;
    const reviewer = await findReviewUnit.executeWithOptions({ summary: `find the unit above ${current}` }, [
      { unitCode: current, accusedUnits: this.input.accusedUnits },
    ]);
    if (!reviewer) {
      reject({
        type: m.REJECTION.businessRule,
        message: `there is no unit above ${current} to ${reReview ? 're-review' : 'review'}`,
      });
    }
    for (const key of ['rating', 'reviewRequest', 'reReviewRequest']) stopClock(this.state, key);
    this.state.reviewUnit = reviewer!;
    this.state.reviewRound = reReview ? 2 : 1;
    this.state.stage = reReview ? 're_review_requested' : 'review_requested';
    await startClock(this.input, this.state, {
      clock: reReview ? 'reReviewDecision' : 'reviewDecision',
      holder: reviewer!,
    });
    await this.change(
      [{ type: this.state.stage, unitCode: reviewer! }],
      [{ kind: this.state.stage, recipient: reviewer! }],
    );
  }

  private async decideReview(args: m.ReviewDecisionArgs): Promise<void> {
    const reReview = this.state.stage === 're_review_requested';
    stopClock(this.state, reReview ? 'reReviewDecision' : 'reviewDecision');
    this.state.decision = args.decision;
    await this.deliver(
      reReview ? 2 : 1,
      args.decision,
      args,
      this.state.reviewUnit!,
      reReview ? undefined : 'reReviewRequest',
    );
  }

  // Art 36: hearing time does not count toward the re-review clock.
  private async hearing(args: m.HearingArgs): Promise<void> {
    const running = findClock(this.state, 'reReviewDecision')!;
    if (args.action === 'start') {
      running.pausedSince = now();
      return this.change([{ type: 'hearing_started', unitCode: this.state.reviewUnit }]);
    }
    running.pauses.push({ from: running.pausedSince!, to: now(), reason: 'hearing (听证)' });
    running.pausedSince = undefined;
    await recomputeClock(this.input, running);
    await this.change([
      { type: 'hearing_ended', unitCode: this.state.reviewUnit, detail: { dueAt: running.deadline.dueAt } },
    ]);
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

  /** A new holiday calendar: recompute every running clock; the ones that moved carry their reminders along. */
  private async recomputeAll(): Promise<void> {
    for (const running of this.state.clocks) {
      await recomputeClock(this.input, running, running.key === 'handling' ? this.handlingRule() : undefined);
    }
    await this.change([{ type: 'deadlines_recomputed' }]);
  }

  // ── Bookkeeping ──────────────────────────────────────────────────────────────────────────────────────────

  private async change(
    timeline: Parameters<typeof record>[2],
    notifications: Parameters<typeof record>[3] = [],
  ): Promise<void> {
    this.changes += 1;
    await record(this.input, this.state, timeline, notifications);
  }

  private async end(
    stage: Stage,
    timeline: Parameters<typeof record>[2],
    notifications?: Parameters<typeof record>[3],
  ) {
    this.state.stage = stage;
    this.state.clocks = [];
    this.state.closedAt = now();
    await this.change(timeline, notifications);
  }

  private view(): m.CaseView {
    const s = this.state;
    return {
      caseId: this.input.ref.caseId,
      caseNumber: this.input.ref.caseNumber,
      stage: s.stage,
      profileId: this.input.profile.id,
      leadUnit: s.leadUnit,
      units: [s.leadUnit, ...s.coHandlers.map((c) => c.unitCode), s.reviewUnit].filter((u): u is string => !!u),
      coHandlers: s.coHandlers,
      mode: s.mode,
      escalationLevel: s.escalationLevel,
      overdue: s.clocks.some((c) => c.expired),
      clocks: s.clocks.map((c) => ({
        key: c.key,
        clock: c.clock,
        deadline: c.deadline,
        holder: c.holder,
        overdue: c.expired,
        paused: !!c.pausedSince,
      })),
      nextDeadline: s.clocks.map((c) => c.deadline.dueAt).sort()[0],
      designated: s.leadUnit ? s.designatedUnits.includes(s.leadUnit) : false,
      extension: s.extension && { days: s.extension.days, status: s.extension.status },
      reviewRound: s.reviewRound,
      decision: s.decision,
      rating: s.rating,
      supplements: s.supplements,
      intakeDigest: this.input.intakeDigest,
    };
  }
}

function unitOrUndefined(holder: string): string | undefined {
  return holder === 'office' || holder === 'petitioner' ? undefined : holder;
}
