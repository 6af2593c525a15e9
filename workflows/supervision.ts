/**
 * What the clocks do when their time comes: reminders (催办), expiries, and supervision (督办, Art 40) that climbs
 * the hierarchy while a clock stays overdue — one ladder per clock, each step a few working days counted from the
 * day after the clock's (or the previous step's) last day.
 */
import {
  computeDeadlines,
  findClock,
  findEscalationTarget,
  now,
  recomputeClock,
  startClock,
  stopClock,
} from './case-effects';
import { translate, translator } from '../domain/i18n';
import { movesWithCalendar } from '../domain/recompute';
import type { ClockEvent, RunningClock } from './clocks';
import type * as m from './messages';
import { businessFailure, withinLastDay, type CaseContext } from './context';
import { coHandlerReportMissing, ruleOf } from './handling';
import { closeIfDone, endHearing, endStageOf } from './reply';
import { serviceLapsed } from './service';

export async function fire(c: CaseContext, event: ClockEvent): Promise<void> {
  const { state } = c;
  const running = findClock(state, event.clockKey);
  if (!running) return;
  switch (event.type) {
    case 'reminder':
      running.firedReminders.push(event.reminderKey);
      return c.change(
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
    case 'expiry':
      return expire(c, running);
    case 'pauseLimit':
      return endHearing(c, running, true);
    case 'escalation': {
      const level = c.law() ? (running.escalationLevel ?? state.escalationLevel) : state.escalationLevel;
      return escalate(c, running, level + 1);
    }
  }
}

async function expire(c: CaseContext, running: RunningClock): Promise<void> {
  const { state, input } = c;
  running.expired = true;
  switch (running.clock) {
    case 'objection':
      stopClock(state, running.key);
      state.closedWindows = { ...state.closedWindows, [running.key]: running.deadline };
      return c.change([{ type: 'objection_window_closed', unitCode: state.leadUnit }]);
    case 'rating':
      stopClock(state, running.key);
      state.closedWindows = { ...state.closedWindows, [running.key]: running.deadline };
      if (input.profile.procedures) return closeIfDone(c, endStageOf(c), [{ type: 'not_rated' }]);
      return c.change([{ type: 'not_rated' }]);
    case 'reviewRequest': {
      // No review asked within 30 days of the reply (Art 35): the case is resolved — or, where the profile says so
      // (Zhejiang Art 25), terminated for good.
      const lapse = input.profile.reviewWindowLapse;
      const [stage, timeline] =
        lapse?.ends === 'terminated'
          ? (['terminated', [{ type: 'review_window_lapsed', detail: { final: true, basis: lapse.basis } }]] as const)
          : (['resolved', [{ type: 'review_window_lapsed' }]] as const);
      if (input.profile.procedures) {
        stopClock(state, running.key);
        return closeIfDone(c, stage, [...timeline]);
      }
      return c.end(stage, [...timeline]);
    }
    case 'reReviewRequest':
      // No re-review asked within 30 days of the review opinion (Art 36): the review opinion is final.
      if (input.profile.procedures) {
        stopClock(state, running.key);
        return closeIfDone(c, 'terminated', [{ type: 're_review_window_lapsed' }]);
      }
      return c.end('terminated', [{ type: 're_review_window_lapsed' }]);
    case 'service':
      // An online notice unopened for the profile's period is served; a printed one is the office's to supervise.
      if (await serviceLapsed(c, running)) return;
      return escalate(c, running, Math.max(1, running.escalationLevel ?? 0));
    default:
      if (c.law()) {
        if (running.key.startsWith('coHandler:')) await coHandlerReportMissing(c, running);
        return escalate(c, running, Math.max(1, running.escalationLevel ?? 0));
      }
      return escalate(c, running, Math.max(1, state.escalationLevel));
  }
}

/** Supervision (督办, Art 40): level 1 by the petition office, then up the unit hierarchy every few working days. */
async function escalate(c: CaseContext, running: RunningClock, level: number): Promise<void> {
  const { state, input } = c;
  const law = c.law();
  const target = running.holder === 'office' ? officeHead() : await escalationTarget(c, running, level);
  if (target === 'problem') return;
  const stepFrom = running.nextEscalationAt ?? running.deadline.dueAt;
  const t = translator('zh-CN');
  const [step] = await computeDeadlines.executeWithOptions({ summary: t('summary.nextSupervisionStep') }, [
    [
      {
        clock: running.clock,
        rule: {
          length: input.profile.escalationStepWorkingDays,
          unit: 'working_days',
          basis: t('basis.supervisionStep'),
        },
        // Counted from the last day of the clock (or of the step before): the day after it is the step's first day.
        // A case recorded late catches up on the steps it missed.
        startedAt: law ? withinLastDay(stepFrom) : stepFrom,
      },
    ],
  ]);
  running.nextEscalationAt = target && running.holder !== 'office' ? step!.dueAt : undefined;
  if (!target) return c.change([{ type: 'escalation_exhausted', unitCode: unitOrUndefined(running.holder) }]);
  if (law) running.escalationLevel = level;
  state.escalationLevel = Math.max(state.escalationLevel, level);
  return c.change(
    [
      {
        type: level === 1 ? 'overdue_supervised' : 'escalated',
        unitCode: target.unitCode,
        escalationLevel: level,
        detail: { clock: running.clock, holder: running.holder, reason: target.reason, dueAt: running.deadline.dueAt },
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

function officeHead() {
  return {
    unitCode: 'office-head',
    reason: translate('zh-CN', 'supervision.officeHead'),
  };
}

/**
 * The unit that supervises at `level`, never a guarded one. A unit missing from the directory does not end the case:
 * the office is told, the clock stays overdue, and supervision stops climbing until the office acts.
 */
async function escalationTarget(
  c: CaseContext,
  running: RunningClock,
  level: number,
): Promise<{ unitCode: string; reason: string } | null | 'problem'> {
  const law = c.law();
  try {
    return await findEscalationTarget.executeWithOptions(
      { summary: translate('zh-CN', 'summary.findEscalationTarget', { level, unit: running.holder }) },
      [{ unitCode: running.holder, level, accusedUnits: law ? c.guarded() : c.input.accusedUnits }],
    );
  } catch (error) {
    const reason = law ? businessFailure(error) : undefined;
    if (reason === undefined) throw error;
    running.nextEscalationAt = undefined;
    await problem(c, 'routing', { step: 'escalation', clock: running.clock, holder: running.holder, reason });
    return 'problem';
  }
}

/** A step the case could not take by itself: the office is told (timeline, CaseProblem, webhook) and the case goes on. */
export async function problem(c: CaseContext, kind: 'routing' | 'deadline', detail: Record<string, unknown>) {
  c.state.problem = { kind, since: now() };
  await c.change(
    [{ type: 'problem', detail: { kind, ...detail } }],
    [{ kind: 'problem', recipient: 'office', detail: { kind, ...detail } }],
  );
}

/**
 * A new holiday calendar: recompute the running clocks, each by its own rule. A window already stated to the
 * petitioner never moves, and a clock that has expired is not revived.
 */
export async function recomputeAll(c: CaseContext): Promise<void> {
  const law = c.law();
  for (const running of c.state.clocks) {
    if (law && !movesWithCalendar(running.deadline, running.expired, Date.now())) continue;
    await recomputeClock(c.input, running, ruleOf(c, running));
  }
  await c.change([{ type: 'deadlines_recomputed' }]);
}

export function unitOrUndefined(holder: string): string | undefined {
  return holder === 'office' || holder === 'petitioner' ? undefined : holder;
}

// ── Supervision items (督办函, Art 40) ───────────────────────────────────────────────────────────────────────────

/**
 * The office supervises a unit that holds the case, for delay, evasion, a sham result or a decision not carried out:
 * a supervision letter with a reply deadline, which climbs the hierarchy like any clock if unanswered.
 */
export async function supervise(c: CaseContext, args: m.SupervisionArgs): Promise<void> {
  const { state, input } = c;
  const unitCode = args.unitCode ?? state.leadUnit!;
  const items = (state.supervisions ??= []);
  const id = `S${items.length + 1}`;
  const standard = input.profile.supervision!.reply;
  const rule = args.replyDays ? { ...standard, length: args.replyDays } : standard;
  const running = await startClock(input, state, {
    key: `supervision:${id}`,
    clock: 'supervisionReply',
    holder: unitCode,
    rule,
  });
  items.push({ id, unitCode, reason: args.reason, openedAt: now() });
  const detail = { itemId: id, reason: args.reason, dueAt: running.deadline.dueAt, actionId: args.actionId };
  await c.change(
    [{ type: 'supervision_opened', unitCode, detail }],
    [{ kind: 'supervision_letter', recipient: unitCode, detail }],
  );
}

export async function replyToSupervision(c: CaseContext, args: m.SupervisionReplyArgs): Promise<void> {
  const item = c.state.supervisions!.find((s) => s.id === args.itemId)!;
  const running = findClock(c.state, `supervision:${item.id}`);
  const late = !running || running.expired;
  stopClock(c.state, `supervision:${item.id}`);
  item.repliedAt = now();
  const detail = { itemId: item.id, actionId: args.actionId, late };
  await c.change(
    [{ type: 'supervision_replied', unitCode: item.unitCode, detail }],
    [{ kind: 'supervision_reply', recipient: 'office', detail }],
  );
}
