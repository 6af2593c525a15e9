/** The vocabulary of the rule checks: what they know of a case, how they refuse, and the checks they share. */
import type { Deadline } from '../domain/calendar';
import { citation, message, type Message, type MessageKey, type ParamsArg } from '../domain/i18n';
import type { JurisdictionProfile } from '../domain/profiles';
import { END_STAGES, type Kind, type PeriodUnit, type Stage } from '../domain/types';
import type { RunningClock } from './clocks';
import type { Actor, ActorRole } from './messages';
import { REJECTION } from './messages';

/** Why an action is refused: its kind (the API's status) and a catalogue message, rendered in the reader's language. */
export interface Rejection {
  type: (typeof REJECTION)[keyof typeof REJECTION];
  message: Message;
}

/** What an actor tried to do, as a refusal names it (`what.*` in the catalogue). */
export type What = Extract<MessageKey, `what.${string}`>;

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
  /** A unit's waiting objection keeps it from taking the case on (patch `objection-holds-case`). */
  objectionHolds?: boolean;
  /** A supported decision to carry out (Art 32), and whether it was reported. */
  execution?: { unitCode: string; reportedAt?: string };
  supervisions?: { id: string; unitCode: string; repliedAt?: string }[];
  redone?: boolean;
  urgent?: boolean;
}

const refusal =
  (type: Rejection['type']) =>
  <K extends MessageKey>(key: K, ...params: ParamsArg<K>): Rejection => ({ type, message: message(key, ...params) });

export const forbidden = refusal(REJECTION.forbidden);
export const conflict = refusal(REJECTION.conflict);
export const businessRule = refusal(REJECTION.businessRule);
export const notFound = (): Rejection => refusal(REJECTION.notFound)('rule.caseNotFound');

/** A stage as a refusal names it. */
export const stageName = (stage: Stage): Message => message(`stage.${stage}`);
/** A kind of matter as a refusal names it. */
export const kindName = (kind: string): Message => message(`kind.${kind as Kind}`);
/** A period of the profile's clocks: 5 working days, 15 calendar days. */
export const periodOf = (length: number, unit: PeriodUnit): Message =>
  message(unit === 'working_days' ? 'period.workingDays' : 'period.calendarDays', { count: length });
/** Articles of the regulation (信访工作条例), cited in a refusal. */
export const article = (...articles: number[]): Message => citation('xinfang', articles);

export function isEnded(stage: Stage): boolean {
  return END_STAGES.includes(stage);
}

export function requireRole(actor: Actor, roles: ActorRole[], what: What): Rejection | undefined {
  return roles.includes(actor.role)
    ? undefined
    : forbidden('rule.wrongRole', {
        what: message(what),
        role: message(`role.${actor.role}`),
        roles: roles.map((role) => message(`role.${role}`)),
      });
}

export function requireStage(state: RuleState, stages: Stage[], what: What): Rejection | undefined {
  return stages.includes(state.stage)
    ? undefined
    : conflict('rule.wrongStage', {
        what: message(what),
        stage: stageName(state.stage),
        stages: stages.map(stageName),
      });
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

/**
 * Art 23: a unit that objected waits for the office's decision; until then it does not also accept, answer or divert
 * the case (patch `objection-holds-case`). A rejected objection leaves it free to do so.
 */
export function ownObjectionWaits(state: RuleState, actor: Actor): Rejection | undefined {
  const waiting = state.objectionHolds && state.pendingObjection?.unitCode === actor.unitCode;
  return waiting ? conflict('rule.ownObjectionWaits') : undefined;
}

export function requireLead(state: RuleState, actor: Actor): Rejection | undefined {
  if (actor.role !== 'department') return undefined;
  if (!departmentMayRead(state, actor.unitCode)) return notFound();
  return actor.unitCode === state.leadUnit ? undefined : forbidden('rule.onlyLead', { unit: state.leadUnit ?? '' });
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
  what: Extract<MessageKey, `window.${string}`>,
  running: RunningClock | undefined,
  closed?: Deadline,
): Rejection | undefined {
  if (running && !hasExpired(state, running)) return undefined;
  const deadline = running?.deadline ?? closed;
  const window = message(what);
  if (!deadline) return businessRule('rule.windowNotOpen', { window });
  const e = deadline.explanation;
  return businessRule('rule.windowClosed', {
    window,
    lastDay: e.lastDay,
    period: periodOf(deadline.length, deadline.unit),
    start: e.startLocalDate,
  });
}

/** Art 30: a report is never sent to the unit it accuses; Art 28: nor any case to a unit recused for an interest. */
export function guardAccused(state: RuleState, unitCodes: (string | undefined)[]): Rejection | undefined {
  const accused =
    state.kind === 'report'
      ? unitCodes.find((code) => code !== undefined && state.accusedUnits.includes(code))
      : undefined;
  if (accused) {
    return businessRule('rule.accusedUnit', { unit: accused, citation: article(30) });
  }
  const recused = unitCodes.find((code) => code !== undefined && (state.recused ?? []).includes(code));
  return recused ? businessRule('rule.recusedUnit', { unit: recused, citation: article(28) }) : undefined;
}

/** The units a case must never reach: a report's accused units and, for any case, recused units. */
export function guardedUnits(state: Pick<RuleState, 'kind' | 'accusedUnits' | 'recused'>): string[] {
  return [...new Set([...(state.kind === 'report' ? state.accusedUnits : []), ...(state.recused ?? [])])];
}
