/** Handling by the competent unit (Art 24, 34): extensions, co-handlers' reports and the lead unit's result. */
import { actionTextsId, callerId } from '../domain/ids';
import type { ClockRule } from '../domain/profiles';
import { findClock, recomputeClock, rejection, stopClock } from './case-effects';
import { businessRule } from './rule-basics';
import type { RunningClock } from './clocks';
import type { CaseContext } from './context';
import type * as m from './messages';
import { deliverUnitReply } from './reply';
import { issueOnRecord } from './service';
import { coHandlerRule, handlingRule } from './transfer';

// Art 34: one extension, approved, the petitioner told why; the deadline and its reminders move.
export async function requestExtension(c: CaseContext, args: m.ExtensionArgs): Promise<void> {
  // The unit's reason is kept in MongoDB under the request; the extension notice gives it (Art 34).
  const textsId = actionTextsId(c.input.ref.caseId, callerId(args.actor), args.actionId, args.digest);
  c.state.extension = { days: args.days, status: 'requested', actionId: args.actionId, textsId };
  await c.change(
    [{ type: 'extension_requested', unitCode: c.state.leadUnit, detail: { days: args.days } }],
    [{ kind: 'extension_request', recipient: 'office', detail: { days: args.days } }],
  );
}

export async function decideExtension(c: CaseContext, args: m.ExtensionDecisionArgs): Promise<void> {
  const { state } = c;
  const extension = state.extension!;
  if (!args.approve) {
    extension.status = 'rejected';
    return c.change(
      [{ type: 'extension_rejected', unitCode: state.leadUnit }],
      [{ kind: 'extension_rejected', recipient: state.leadUnit! }],
    );
  }
  extension.status = 'approved';
  extension.days = args.days ?? extension.days;
  const handling = findClock(state, 'handling')!;
  // Asked in time but approved after the deadline: the case was overdue meanwhile, and the record says so (Art 45).
  const overdueSince = c.law() && handling.expired ? handling.deadline.dueAt : undefined;
  handling.extensionDays = extension.days;
  const previousDueAt = handling.deadline.dueAt;
  await recomputeClock(c.input, handling, handlingRule(c));
  await c.change(
    [
      {
        type: 'extension_approved',
        unitCode: state.leadUnit,
        detail: { days: extension.days, dueAt: handling.deadline.dueAt, ...(overdueSince ? { overdueSince } : {}) },
      },
    ],
    [
      { kind: 'extension_approved', recipient: state.leadUnit!, detail: { dueAt: handling.deadline.dueAt } },
      {
        kind: 'extension_notice',
        recipient: 'petitioner',
        detail: { days: extension.days, requestActionId: extension.actionId },
      },
    ],
  );
  // 延期告知书 (Art 34): from the handling unit, with the reason it gave and the new deadline.
  if (!c.servesAll()) return;
  await issueOnRecord(c, 'extension', state.leadUnit!, {
    ...(extension.textsId ? { textsId: extension.textsId } : {}),
    extension: {
      days: extension.days,
      acceptedAt: handling.deadline.startedAt,
      previousDueAt,
      dueAt: handling.deadline.dueAt,
    },
  });
}

/** The rule a running clock was started with; clocks started before rules were kept are told by their key. */
export function ruleOf(c: CaseContext, running: RunningClock): ClockRule | undefined {
  if (running.rule) return running.rule;
  if (running.key.startsWith('coHandler:')) return coHandlerRule(c);
  return running.key === 'handling' ? handlingRule(c) : undefined;
}

/** A co-handler's report to the lead, or the lead's result, which delivers the written reply (Art 24, 32). */
export async function result(c: CaseContext, args: m.ResultArgs): Promise<void> {
  const { state } = c;
  const unitCode = args.actor.unitCode!;
  if (unitCode !== state.leadUnit) {
    state.coHandlers.find((co) => co.unitCode === unitCode)!.reported = true;
    stopClock(state, `coHandler:${unitCode}`);
    return c.change(
      [{ type: 'co_handler_reported', unitCode, detail: { actionId: args.actionId } }],
      [{ kind: 'co_handler_report', recipient: state.leadUnit!, detail: { from: unitCode } }],
    );
  }
  // The validator asked the lead for a decision already (checkResult); this only tells TypeScript.
  const decision = args.decision;
  if (!decision) throw rejection(businessRule('rule.resultNeedsDecision'));
  const missing = state.coHandlers.filter((co) => co.missing).map((co) => co.unitCode);
  // A reply written again after a redo is a reply of its own (round 3); its windows open anew.
  const afterRedo = state.stage === 'redo';
  // Every clock of the handling stops; open supervision items run on until the unit answers them.
  state.clocks = state.clocks.filter((running) => running.clock === 'supervisionReply');
  state.decision = decision;
  state.stage = 'result_submitted';
  await c.change(
    [
      {
        type: 'result_submitted',
        unitCode,
        detail: {
          decision,
          actionId: args.actionId,
          ...(missing.length ? { missingReports: missing } : {}),
        },
      },
      // Art 29: a suggestion that made a contribution is put forward for reward.
      ...(args.contribution
        ? [{ type: 'contribution_flagged' as const, unitCode, detail: { actionId: args.actionId } }]
        : []),
    ],
    [
      // Art 22(3): an assigned case reports its completion to the assigning office.
      ...(state.mode === 'assign'
        ? [{ kind: 'completion_report' as const, recipient: 'office', detail: { actionId: args.actionId } }]
        : []),
      ...(args.contribution
        ? [{ kind: 'reward_proposal' as const, recipient: 'office', detail: { actionId: args.actionId } }]
        : []),
    ],
  );
  await deliverUnitReply(c, { decision, action: args, unitCode, executeBy: args.executeBy, afterRedo });
}

/** Art 24: a co-handler's report did not come by its sub-deadline; the lead may decide without it. */
export async function coHandlerReportMissing(c: CaseContext, running: RunningClock): Promise<void> {
  const unitCode = running.holder;
  const co = c.state.coHandlers.find((entry) => entry.unitCode === unitCode);
  if (!co || co.reported || co.missing) return;
  co.missing = true;
  await c.change(
    [{ type: 'co_handler_report_missing', unitCode, detail: { dueAt: running.deadline.dueAt } }],
    c.state.leadUnit
      ? [{ kind: 'co_handler_report_missing', recipient: c.state.leadUnit, detail: { from: unitCode } }]
      : [],
  );
}
