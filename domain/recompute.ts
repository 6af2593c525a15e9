/**
 * What a new holiday calendar does to a running deadline (DESIGN.md §4 "Deterministic clocks"): each clock is
 * recomputed by its own rule from its own start, with its pauses and extension; a window already stated to the
 * petitioner never moves, and a clock that has expired is not revived. The case workflow recomputes through the
 * computeDeadlines activity; the admin's dry run (`PUT /v1/admin/calendar/{year}?dryRun=true`) uses the same rules.
 */
import { computeDeadline, type Deadline, type DeadlineInput, type LegalCalendar } from './calendar';
import type { ClockName } from './types';

/** Windows that run against the petitioner: their closing date was stated to them (in the reply, Art 32). */
const PETITIONER_WINDOWS: readonly ClockName[] = ['rating', 'reviewRequest', 'reReviewRequest'];

export function isPetitionerWindow(clock: ClockName): boolean {
  return PETITIONER_WINDOWS.includes(clock);
}

/** Whether a calendar change may move this deadline at `nowMs`. */
export function movesWithCalendar(
  deadline: Pick<Deadline, 'clock' | 'dueAt'>,
  expired: boolean,
  nowMs: number,
): boolean {
  return !expired && Date.parse(deadline.dueAt) > nowMs && !isPetitionerWindow(deadline.clock);
}

/** The input that computed `deadline`, read back from it, so it can be computed again on another calendar. */
export function deadlineInputFrom(deadline: Deadline): DeadlineInput {
  const e = deadline.explanation;
  const extensionDays = e.extension?.days ?? 0;
  // Deadlines computed before the rule was kept: its length is the period without the extension.
  const rule = deadline.rule ?? {
    length: deadline.length - extensionDays,
    unit: deadline.unit,
    basis: e.rule.replace(/: \d+ (calendar|working) days?$/, ''),
  };
  return {
    clock: deadline.clock,
    rule,
    startedAt: deadline.startedAt,
    pauses: e.pauses.filter((p) => !p.open).map((p) => ({ from: p.from, to: p.to, reason: p.reason })),
    ...(extensionDays ? { extensionDays, extensionReason: e.extension!.reason } : {}),
  };
}

/** The deadline on `calendar`, or undefined when the change must leave it where it is. */
export function recomputedDeadline(
  deadline: Deadline,
  expired: boolean,
  nowMs: number,
  calendar: LegalCalendar,
): Deadline | undefined {
  if (!movesWithCalendar(deadline, expired, nowMs)) return undefined;
  return computeDeadline(deadlineInputFrom(deadline), calendar);
}
