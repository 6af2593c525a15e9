/**
 * From the office to the competent unit (Art 22–24): acceptance and routing, transfer (转送) or assignment (交办),
 * acknowledgement, the unit's own acceptance, objections, disputes between units and the designation that ends them.
 */
import { citation, translate } from '../domain/i18n';
import { actionTextsId, callerId } from '../domain/ids';
import { procedureOf, type ClockRule } from '../domain/profiles';
import {
  findClock,
  findCommonSuperior,
  findUnknownUnits,
  now,
  rejection,
  routeCase,
  startClock,
  stopClock,
} from './case-effects';
import {
  businessFailure,
  refusedOnFailure,
  type CaseContext,
  type Notifications,
  type TimelineEntries,
} from './context';
import type * as m from './messages';
import { businessRule } from './rule-basics';
import { issueOnRecord, petitionOffice } from './service';

// Art 22: the office accepts and transfers (转送) or assigns (交办), or does not accept and says where to go.
export async function acceptance(c: CaseContext, args: m.AcceptanceArgs): Promise<void> {
  if (args.actor.role === 'department') return unitAccepts(c);
  if (args.decision === 'not_accept') {
    const serves = c.servesAll();
    await c.end(
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
    if (!serves) return;
    // 不予受理告知书 (Art 22, 23): the reason and where to turn; the case stays open until it is served.
    const textsId = actionTextsId(c.input.ref.caseId, callerId(args.actor), args.actionId, args.digest);
    return issueOnRecord(c, 'not_accepted', await petitionOffice(c), { textsId, referral: args.referral });
  }
  const { ref } = c.input;
  const law = c.law();
  if (law) {
    await refuseUnknownUnits([args.unitCode, ...(args.coHandlers ?? [])]);
    c.state.problem = undefined;
  }
  const routed = args.unitCode
    ? { unitCode: args.unitCode, via: 'override', reason: translate('zh-CN', 'routing.chosenByOffice') }
    : await refusedOnFailure(
        routeCase.executeWithOptions(
          {
            summary: translate('zh-CN', 'summary.routeCase', {
              kind: ref.kind,
              category: ref.category,
              region: ref.regionCode,
            }),
          },
          [routeInput(c)],
        ),
      );
  c.state.mode = args.mode ?? 'transfer';
  c.state.assignDays = args.assignDays;
  c.state.coHandlers = (args.coHandlers ?? []).map((unitCode) => ({ unitCode, reported: false }));
  stopClock(c.state, 'dispose');
  await sendTo(
    c,
    routed.unitCode,
    { via: routed.via, reason: routed.reason, actionId: args.actionId, effectiveAt: args.effectiveAt },
    args.effectiveAt,
  );
}

function routeInput(c: CaseContext) {
  const { ref } = c.input;
  const recused = c.state.recused ?? [];
  return {
    kind: ref.kind,
    category: ref.category,
    regionCode: ref.regionCode,
    accusedUnits: c.accused(),
    ...(recused.length ? { recusedUnits: recused } : {}),
  };
}

/** An office cannot send a case to a unit the directory does not know: refused before anything changes. */
async function refuseUnknownUnits(codes: (string | undefined)[]): Promise<void> {
  const named = codes.filter((code): code is string => !!code);
  if (named.length === 0) return;
  const unknown = await findUnknownUnits.executeWithOptions({ summary: translate('zh-CN', 'summary.checkUnits') }, [
    named,
  ]);
  if (unknown.length) throw rejection(businessRule('rule.unknownUnits', { units: unknown }));
}

/** Transfer to a unit: it acknowledges (C3), may object (C4), and tells the petitioner it received the case (C2). */
export async function sendTo(
  c: CaseContext,
  unitCode: string,
  detail: Record<string, unknown>,
  effectiveAt?: string,
  also: { timeline?: TimelineEntries; notifications?: Notifications } = {},
): Promise<void> {
  const { state } = c;
  const law = c.law();
  state.leadUnit = unitCode;
  state.stage = state.mode === 'assign' ? 'assigned' : 'transferred';
  // A co-handler that becomes the lead (a re-route, a designation) leaves the co-handlers: one unit, one role.
  if (law && state.coHandlers.some((co) => co.unitCode === unitCode)) {
    state.coHandlers = state.coHandlers.filter((co) => co.unitCode !== unitCode);
    stopClock(state, `coHandler:${unitCode}`);
  }
  // A transfer made on paper and recorded later runs its clocks from the day it was made.
  const startedAt = effectiveAt ?? now();
  await startClock(c.input, state, { clock: 'acknowledge', holder: unitCode, startedAt });
  if (!state.designatedUnits.includes(unitCode)) {
    await startClock(c.input, state, { clock: 'objection', holder: unitCode, startedAt });
  }
  // A consultation is answered within its own clock from the dispatch, with no acceptance notice to give (C2).
  const answerClock = c.input.profile.procedures ? procedureOf(c.input.profile, c.input.ref.kind).handling : undefined;
  if (!answerClock) await startClock(c.input, state, { clock: 'notify', holder: unitCode, startedAt });
  // Art 22(3): an assignment's deadline runs from the assignment, not from the unit's acceptance.
  if (answerClock) {
    await startClock(c.input, state, { clock: 'handling', holder: unitCode, startedAt, rule: answerClock });
  } else if (law && state.mode === 'assign') {
    await startClock(c.input, state, { clock: 'handling', holder: unitCode, startedAt, rule: handlingRule(c) });
  }
  await c.change(
    [
      {
        type: state.stage,
        unitCode,
        detail: { ...detail, coHandlers: state.coHandlers.map((co) => co.unitCode) },
      },
      ...(also.timeline ?? []),
    ],
    [
      { kind: state.stage, recipient: unitCode },
      ...state.coHandlers.map((co) => ({
        kind: 'co_handling' as const,
        recipient: co.unitCode,
        detail: { lead: unitCode },
      })),
      // Art 23: the petitioner is told where the case went.
      { kind: 'transferred_notice', recipient: 'petitioner', detail: { unitCode } },
      ...(also.notifications ?? []),
    ],
  );
  // 转送/交办告知 (Art 22, 23): where the case went, and when that unit says whether it accepts. A consultation is
  // answered by the unit without an acceptance, so its petitioner gets the answer itself.
  if (answerClock || !c.servesAll()) return;
  const notify = c.input.profile.clocks.notify;
  const assignedUntil = state.mode === 'assign' ? findClock(state, 'handling')?.deadline.dueAt : undefined;
  const transfer = {
    unitCode,
    mode: assignedUntil ? ('assign' as const) : ('transfer' as const),
    notifyWithin: { length: notify.length, unit: notify.unit },
    ...(assignedUntil ? { dueAt: assignedUntil } : {}),
  };
  await issueOnRecord(c, 'transfer', await petitionOffice(c), { transfer });
}

/** The handling clock's rule: an assignment's own deadline (交办), else the profile's (Art 34). */
export function handlingRule(c: CaseContext): ClockRule | undefined {
  const { mode, assignDays } = c.state;
  return mode === 'assign' && assignDays
    ? { length: assignDays, unit: 'calendar_days', basis: translate('zh-CN', 'basis.assignDeadline') }
    : undefined;
}

export async function acknowledge(c: CaseContext): Promise<void> {
  stopClock(c.state, 'acknowledge');
  c.state.stage = 'acknowledged';
  await c.change([{ type: 'acknowledged', unitCode: c.state.leadUnit }]);
}

// Art 23: the competent unit accepts and tells the petitioner within 15 days of receipt; C5 starts (Art 34).
async function unitAccepts(c: CaseContext): Promise<void> {
  const { state, input } = c;
  // C2 is met once the acceptance notice is served (patch notices-served), not when the unit presses accept.
  const serves = c.serves();
  for (const key of serves ? ['acknowledge', 'objection'] : ['acknowledge', 'objection', 'notify'])
    stopClock(state, key);
  state.stage = 'handling';
  // An assignment's clock has run since the assignment (Art 22(3)); a transfer's starts now.
  if (!(c.law() && findClock(state, 'handling'))) {
    await startClock(input, state, { clock: 'handling', holder: state.leadUnit!, rule: handlingRule(c) });
  }
  for (const co of state.coHandlers) {
    // Art 24: co-handlers report to the lead by their own sub-deadline.
    await startClock(input, state, {
      key: `coHandler:${co.unitCode}`,
      clock: 'handling',
      holder: co.unitCode,
      rule: coHandlerRule(c),
    });
  }
  await c.change(
    [{ type: 'accepted', unitCode: state.leadUnit }],
    [{ kind: 'acceptance_notice', recipient: 'petitioner', detail: { unitCode: state.leadUnit } }],
  );
  if (!serves) return;
  // 受理告知书 (Art 23): issued by the accepting unit, with the handling deadline it states (Art 34).
  const handling = findClock(state, 'handling')?.deadline;
  await issueOnRecord(c, 'acceptance', state.leadUnit!, handling ? { handling } : {});
}

export function coHandlerRule(c: CaseContext): ClockRule {
  return {
    length: c.input.profile.coHandlerReportDays,
    unit: 'calendar_days',
    basis: translate('zh-CN', 'basis.coHandlerReport', { citation: citation('xinfang', [24]) }),
  };
}

// Art 23: a unit that is not competent objects within 5 working days; the office decides.
export async function object(c: CaseContext, args: m.ObjectionArgs): Promise<void> {
  const { state } = c;
  const unitCode = args.actor.unitCode!;
  state.pendingObjection = { unitCode, at: now() };
  const disputants = [...state.releasedUnits, unitCode];
  // Art 24: when two or more units each say the case is not theirs, their common superior designates the lead — never
  // a unit the case must not reach (Art 28, 30); with none left, the office decides after a joint conference.
  const superior = state.releasedUnits.length > 0 ? await commonSuperiorOf(c, disputants) : null;
  const disputed = superior !== null || (c.law() && state.releasedUnits.length > 0);
  if (c.law() && disputed) state.dispute = { disputants, superior };
  await c.change(
    [
      {
        type: disputed ? 'disputed' : 'objection',
        unitCode,
        detail: { actionId: args.actionId, disputants, superior },
      },
    ],
    [
      { kind: 'objection', recipient: 'office', detail: { unitCode, actionId: args.actionId } },
      ...(superior
        ? [{ kind: 'dispute' as const, recipient: superior, detail: { disputants } }]
        : disputed
          ? [{ kind: 'dispute' as const, recipient: 'office', detail: { disputants, jointConference: true } }]
          : []),
    ],
  );
}

async function commonSuperiorOf(c: CaseContext, disputants: string[]): Promise<string | null> {
  const law = c.law();
  try {
    return await findCommonSuperior.executeWithOptions({ summary: translate('zh-CN', 'summary.findCommonSuperior') }, [
      law ? { unitCodes: disputants, guardedUnits: c.guarded() } : { unitCodes: disputants },
    ]);
  } catch (error) {
    // A unit missing from the directory: the office decides, as when no superior is left.
    if (law && businessFailure(error)) return null;
    throw error;
  }
}

export async function decideObjection(c: CaseContext, args: m.ObjectionDecisionArgs): Promise<void> {
  const { state } = c;
  const objecting = state.pendingObjection!.unitCode;
  const law = c.law();
  if (law) state.problem = undefined;
  if (!args.approve) {
    state.pendingObjection = undefined;
    state.designatedUnits.push(objecting);
    stopClock(state, 'objection');
    return c.change(
      [{ type: 'objection_rejected', unitCode: objecting, detail: { actionId: args.actionId } }],
      [{ kind: 'objection_rejected', recipient: objecting }],
    );
  }
  if (law) await refuseUnknownUnits([args.unitCode]);
  const next = args.unitCode
    ? args.unitCode
    : (
        await refusedOnFailure(
          routeCase.executeWithOptions({ summary: translate('zh-CN', 'summary.reroute') }, [routeInput(c)]),
        )
      ).unitCode;
  // Refuse before changing anything: a refused decision leaves the objection waiting.
  if (next === objecting || state.releasedUnits.includes(next)) {
    throw rejection(businessRule('rule.routingPointsBack', { unit: next }));
  }
  state.pendingObjection = undefined;
  state.releasedUnits.push(objecting);
  await sendTo(c, next, { via: 'objection_approved', releasedUnit: objecting, actionId: args.actionId });
}

/**
 * Art 24: the common superior of the disputing units — or the office on its behalf, recorded as such, or with no
 * common superior the office after a joint conference (协商) — names the lead. It may name a unit whose objection was
 * approved before; the designated unit cannot object again.
 */
export async function designate(c: CaseContext, args: m.DesignationArgs): Promise<void> {
  const { state } = c;
  await refuseUnknownUnits([args.unitCode]);
  const dispute = state.dispute!;
  const by =
    args.actor.role === 'department'
      ? { designatedBy: 'common_superior', superior: dispute.superior }
      : dispute.superior
        ? { designatedBy: 'office_on_behalf_of_superior', superior: dispute.superior }
        : { designatedBy: 'office_after_joint_conference', jointConference: true };
  const detail = { ...by, disputants: dispute.disputants, actionId: args.actionId };
  state.problem = undefined;
  state.pendingObjection = undefined;
  state.dispute = undefined;
  state.designatedUnits.push(args.unitCode);
  // Every other disputant is released; the designated unit may be one whose objection was approved before.
  const released = new Set([...state.releasedUnits, ...dispute.disputants]);
  released.delete(args.unitCode);
  state.releasedUnits = [...released];
  const timeline: TimelineEntries = [{ type: 'designated', unitCode: args.unitCode, detail }];
  const notifications: Notifications = [
    { kind: 'designated', recipient: args.unitCode, detail: { actionId: args.actionId } },
  ];
  if (args.unitCode === state.leadUnit) {
    // The unit holding the case keeps it, and its objection window is over.
    stopClock(state, 'objection');
    return c.change(timeline, notifications);
  }
  await sendTo(c, args.unitCode, { via: 'designation', actionId: args.actionId }, undefined, {
    timeline,
    notifications,
  });
}
