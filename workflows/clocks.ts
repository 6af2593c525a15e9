/** Which clock event comes next: pure bookkeeping over the clocks a case is running. */
import type { Deadline } from '../domain/calendar';
import { translate } from '../domain/i18n';
import {
  CLOCK_LABELS,
  expiryLabel,
  reminderSchedule,
  stillOverdueLabel,
  type ScheduledReminder,
} from '../domain/reminders';
import type { ClockRule, ReminderRule } from '../domain/profiles';
import type { ClockName } from '../domain/types';

/** Clocks that bind an actor: reminders before them, supervision (督办) after them. */
const ACTOR_CLOCKS: readonly ClockName[] = [
  'dispose',
  'notify',
  'acknowledge',
  'handling',
  'reviewDecision',
  'reReviewDecision',
  'execution',
  'callbackDecision',
  'supervisionReply',
  'service',
];

export interface RunningClock {
  key: string;
  clock: ClockName;
  deadline: Deadline;
  /** Unit code, `office` or `petitioner`. */
  holder: string;
  firedReminders: string[];
  expired: boolean;
  /** While overdue: when supervision goes one level up next. */
  nextEscalationAt?: string;
  pausedSince?: string;
  /** While paused by a hearing: when the profile's longest hearing is reached and the clock resumes by itself. */
  pauseLimitAt?: string;
  pauses: { from: string; to: string; reason: string }[];
  extensionDays?: number;
  /** The rule the clock was started with, so a new calendar recomputes it by the same rule. */
  rule?: ClockRule;
  /** Supervision level this clock has reached (督办): 1 at expiry, one more each step it stays overdue. */
  escalationLevel?: number;
}

export type ClockEvent =
  | { type: 'reminder'; at: number; clockKey: string; reminderKey: string; label: string }
  | { type: 'expiry'; at: number; clockKey: string; label: string }
  | { type: 'escalation'; at: number; clockKey: string; label: string }
  | { type: 'pauseLimit'; at: number; clockKey: string; label: string };

export function isActorClock(clock: ClockName): boolean {
  return ACTOR_CLOCKS.includes(clock);
}

export function clockLabel(running: Pick<RunningClock, 'clock' | 'key'>): string {
  const base = CLOCK_LABELS[running.clock];
  return running.key === running.clock ? base : `${base} (${running.key.split(':').slice(1).join(':')})`;
}

/**
 * The clock's reminder ladder: the one computed with its deadline on the legal calendar (working days, 09:00), or,
 * for a deadline computed before those existed, the ladder derived from the profile's rules.
 */
export function remindersOf(
  running: Pick<RunningClock, 'clock' | 'key' | 'deadline'>,
  reminders: readonly ReminderRule[],
): ScheduledReminder[] {
  return running.deadline.reminders ?? reminderSchedule(running.deadline, reminders, clockLabel(running));
}

/** Every event still to come for one clock, earliest first. A paused clock has none but its hearing limit. */
export function pendingEvents(running: RunningClock, reminders: ReminderRule[]): ClockEvent[] {
  const label = clockLabel(running);
  if (running.pausedSince) {
    return running.pauseLimitAt
      ? [
          {
            type: 'pauseLimit',
            at: Date.parse(running.pauseLimitAt),
            clockKey: running.key,
            label: translate('zh-CN', 'clock.pauseLimit', { clock: label }),
          },
        ]
      : [];
  }
  const events: ClockEvent[] = [];
  if (isActorClock(running.clock) && !running.expired) {
    for (const reminder of remindersOf(running, reminders)) {
      if (running.firedReminders.includes(reminder.key)) continue;
      events.push({
        type: 'reminder',
        at: Date.parse(reminder.at),
        clockKey: running.key,
        reminderKey: reminder.key,
        label: reminder.label,
      });
    }
  }
  if (!running.expired) {
    events.push({
      type: 'expiry',
      at: Date.parse(running.deadline.dueAt),
      clockKey: running.key,
      label: expiryLabel(label),
    });
  } else if (running.nextEscalationAt && isActorClock(running.clock)) {
    events.push({
      type: 'escalation',
      at: Date.parse(running.nextEscalationAt),
      clockKey: running.key,
      label: stillOverdueLabel(label),
    });
  }
  return events.sort((a, b) => a.at - b.at);
}

export function nextEvent(clocks: RunningClock[], reminders: ReminderRule[]): ClockEvent | undefined {
  let next: ClockEvent | undefined;
  for (const running of clocks) {
    const first = pendingEvents(running, reminders)[0];
    if (first && (!next || first.at < next.at)) next = first;
  }
  return next;
}

/** The earliest deadline still ahead or overdue, for the CaseNextDeadline search attribute. */
export function nextDeadline(clocks: RunningClock[]): string | undefined {
  const dues = clocks.filter((c) => !c.pausedSince).map((c) => c.deadline.dueAt);
  return dues.sort((a, b) => Date.parse(a) - Date.parse(b))[0];
}
