/** The vocabulary of the rule checks: what they know of a case, how they refuse, and the checks they share. */
import type { Deadline } from '../domain/calendar';
import type { JurisdictionProfile } from '../domain/profiles';
import { END_STAGES, type Stage } from '../domain/types';
import type { RunningClock } from './clocks';
import type { Actor, ActorRole } from './messages';
import { REJECTION } from './messages';

export interface Rejection {
  type: (typeof REJECTION)[keyof typeof REJECTION];
  message: string;
}

/** What the checks need to know about a case. */
export interface RuleState {
  stage: Stage;
  /** Notices on record and a reply still to be served (patch `notices-served`). */
  notices?: { id: string; issuedAt: string; servedAt?: string }[];
  awaitingService?: { noticeId: string; rating: boolean; window?: 'reviewRequest' | 'reReviewRequest' };
  /** When the petition was received (ISO); nothing about the case can have happened before it. */
  receivedAt?: string;
  kind: string;
  /** Units accused by the report, persons' units and the office's later additions included (Art 30). */
  accusedUnits: string[];
  /** Units recused for an interest in the case (Art 28). */
  recused?: string[];
  leadUnit?: string;
  coHandlers: { unitCode: string; reported: boolean; missing?: boolean }[];
  reviewUnit?: string;
  designatedUnits: string[];
  pendingObjection?: { unitCode: string };
  closedWindows?: Record<string, Deadline>;
  extension?: { days: number; status: 'requested' | 'approved' | 'rejected' };
  clocks: RunningClock[];
  profile: JurisdictionProfile;
  dispute?: { disputants: string[]; superior: string | null };
  /**
   * The workflow's time (ms): a window is judged by its due instant, not only by whether its expiry has been
   * handled (a late action and the expiry may arrive together, after a worker outage across the deadline).
   */
  now?: number;
  /** The case runs the rules of patch `law-on-every-path` (workflows/patches.ts); cases started before may not yet. */
  law?: boolean;
  /** A supported decision to carry out (Art 32), and whether it was reported. */
  execution?: { unitCode: string; reportedAt?: string };
  supervisions?: { id: string; unitCode: string; repliedAt?: string }[];
  redone?: boolean;
  urgent?: boolean;
}

export const forbidden = (message: string): Rejection => ({ type: REJECTION.forbidden, message });
export const conflict = (message: string): Rejection => ({ type: REJECTION.conflict, message });
export const businessRule = (message: string): Rejection => ({ type: REJECTION.businessRule, message });
export const notFound = (): Rejection => ({ type: REJECTION.notFound, message: 'case not found' });

export function isEnded(stage: Stage): boolean {
  return END_STAGES.includes(stage);
}

export function requireRole(actor: Actor, roles: ActorRole[], what: string): Rejection | undefined {
  return roles.includes(actor.role) ? undefined : forbidden(`${what} is for ${roles.join(' or ')}, not ${actor.role}`);
}

export function requireStage(state: RuleState, stages: Stage[], what: string): Rejection | undefined {
  return stages.includes(state.stage)
    ? undefined
    : conflict(`${what} is not possible while the case is ${state.stage} (allowed when ${stages.join(', ')})`);
}

/** Units a department key may act for on this case; any other unit is told the case does not exist. */
export function unitsHoldingCase(state: RuleState): string[] {
  const units = [...state.coHandlers.map((c) => c.unitCode)];
  if (state.leadUnit) units.push(state.leadUnit);
  if (state.reviewUnit) units.push(state.reviewUnit);
  return units;
}

export function departmentMayRead(state: RuleState, unitCode: string | undefined): boolean {
  return unitCode !== undefined && unitsHoldingCase(state).includes(unitCode);
}

export function requireLead(state: RuleState, actor: Actor): Rejection | undefined {
  if (actor.role !== 'department') return undefined;
  if (!departmentMayRead(state, actor.unitCode)) return notFound();
  return actor.unitCode === state.leadUnit ? undefined : forbidden(`only the lead unit ${state.leadUnit} may do this`);
}

export function clock(state: RuleState, key: string): RunningClock | undefined {
  return state.clocks.find((c) => c.key === key);
}

/** Whether the clock's deadline has passed: its expiry handled, or (under the patch) its due instant reached. */
export function hasExpired(state: RuleState, running: RunningClock): boolean {
  return running.expired || (!!state.law && state.now !== undefined && state.now >= Date.parse(running.deadline.dueAt));
}

/** `closed`: the deadline of the window if it lapsed (its clock is stopped then). */
export function windowClosed(
  state: RuleState,
  what: string,
  running: RunningClock | undefined,
  closed?: Deadline,
): Rejection | undefined {
  if (running && !hasExpired(state, running)) return undefined;
  const deadline = running?.deadline ?? closed;
  if (!deadline) return businessRule(`${what} is not open`);
  const e = deadline.explanation;
  return businessRule(
    `${what} closed on ${e.lastDay} (${deadline.length} ${deadline.unit.replace('_', ' ')} after ${e.startLocalDate})`,
  );
}

/** Art 30: a report is never sent to the unit it accuses; Art 28: nor any case to a unit recused for an interest. */
export function guardAccused(state: RuleState, unitCodes: (string | undefined)[]): Rejection | undefined {
  const accused =
    state.kind === 'report'
      ? unitCodes.find((code) => code !== undefined && state.accusedUnits.includes(code))
      : undefined;
  if (accused) {
    return businessRule(`the report accuses unit ${accused}; Art 30 forbids transferring it or disclosing it there`);
  }
  const recused = unitCodes.find((code) => code !== undefined && (state.recused ?? []).includes(code));
  return recused
    ? businessRule(`unit ${recused} is recused for an interest in the case (Art 28); name another unit`)
    : undefined;
}

/** The units a case must never reach: a report's accused units and, for any case, recused units. */
export function guardedUnits(state: Pick<RuleState, 'kind' | 'accusedUnits' | 'recused'>): string[] {
  return [...new Set([...(state.kind === 'report' ? state.accusedUnits : []), ...(state.recused ?? [])])];
}
