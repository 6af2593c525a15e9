/**
 * Routing decisions (DESIGN.md §4 "Rules the workflow enforces"): which unit a case goes to, the whistleblower
 * guard, the escalation ladder, the common superior and the review unit. Pure functions of their arguments.
 */

import { DEFAULT_LANG, cite, list, message, renderMessage, translator, type Message } from './i18n';
import type { Kind } from './types';
import {
  type Directory,
  type RoutingRule,
  type Unit,
  type UnitRole,
  levelIndex,
  regionChain,
  regionLevel,
  regionOfUnitCode,
  roleOf,
} from './directory';

/**
 * Who a `report` (检举控告) accuses: units by code, and persons by name. A person's unit, when intake or the office
 * gives it, is passed among `units` (a report that names a person of 330106-GA is kept away from 330106-GA).
 */
export interface Accused {
  units?: string[];
  persons?: string[];
}

export interface RouteInput {
  kind: Kind;
  category: string;
  regionCode: string;
  accused?: Accused;
  /** Units recused for an interest in the case (Art 28): skipped whatever the kind. */
  recused?: string[];
}

export interface RoutingDecision {
  unitCode: string;
  via: 'rule' | 'fallback' | 'discipline';
  ruleId?: string;
  reason: string;
}

export type GuardResult = { allowed: true } | { allowed: false; reason: string };

export interface EscalationTarget {
  unitCode: string;
  reason: string;
}

/** No unit can take the case, or a unit code is not in the directory; `detail` says so in the catalogue's words. */
export class RoutingError extends Error {
  constructor(
    text: string,
    readonly detail: Message,
    readonly regionCode?: string,
    readonly kind?: Kind,
  ) {
    super(text);
    this.name = 'RoutingError';
  }
}

/** Reasons are recorded on the case's timeline in the office's language. */
const t = translator(DEFAULT_LANG);
const citation = (...articles: number[]) => cite('xinfang', articles, DEFAULT_LANG);
const unitLabel = (unit: Pick<Unit, 'code' | 'name'>) => t('routing.unit', { code: unit.code, name: unit.name });

function unitIndex(dir: Directory): Map<string, Unit> {
  return new Map(dir.units.map((u) => [u.code, u]));
}

function requireUnit(units: Map<string, Unit>, unitCode: string): Unit {
  const unit = units.get(unitCode);
  if (!unit) {
    const detail = message('routing.unknownUnit', { unitCode });
    throw new RoutingError(renderMessage(detail, DEFAULT_LANG), detail);
  }
  return unit;
}

function accusedUnits(kind: Kind, accused: Accused | undefined): string[] {
  return kind === 'report' ? (accused?.units ?? []) : [];
}

/**
 * The units a case must never reach: a report's accused units (Art 30) and, for any case, the units recused for an
 * interest in it (Art 28). Routing, co-handling, escalation, review, disputes and designation all skip them.
 */
export function guardedUnits(kind: Kind, accused: Accused | undefined, recused: readonly string[] = []): string[] {
  return [...new Set([...accusedUnits(kind, accused), ...recused])];
}

function hasAccused(accused: Accused | undefined): boolean {
  return (accused?.units?.length ?? 0) > 0 || (accused?.persons?.length ?? 0) > 0;
}

/**
 * Art 30: a report's materials are never passed to the unit it accuses (named, or the unit of an accused person);
 * Art 28: a unit recused for an interest in the case does not handle it.
 */
export function guardTarget(
  kind: Kind,
  accused: Accused | undefined,
  targetUnitCode: string,
  dir: Directory,
  recused: readonly string[] = [],
): GuardResult {
  const name = dir.units.find((u) => u.code === targetUnitCode)?.name;
  const unit = name ? unitLabel({ code: targetUnitCode, name }) : targetUnitCode;
  if (accusedUnits(kind, accused).includes(targetUnitCode)) {
    return { allowed: false, reason: t('routing.guard.accused', { unit, citation: citation(30) }) };
  }
  if (recused.includes(targetUnitCode)) {
    return { allowed: false, reason: t('routing.guard.recused', { unit, citation: citation(28) }) };
  }
  return { allowed: true };
}

/** Units of `role` in the region and the regions above it, nearest first (Art 5: 属地管理、分级负责). */
function unitsByRoleUp(units: Map<string, Unit>, regionCode: string, role: UnitRole): Unit[] {
  const found: Unit[] = [];
  for (const region of regionChain(regionCode)) {
    for (const unit of units.values()) {
      if (unit.regionCode === region && roleOf(unit) === role) found.push(unit);
    }
  }
  return found;
}

function ruleMatches(rule: RoutingRule, input: RouteInput): boolean {
  if (rule.kinds && !rule.kinds.includes(input.kind)) return false;
  if (rule.categories && !rule.categories.includes(input.category)) return false;
  if (rule.regionPrefix !== undefined && !input.regionCode.startsWith(rule.regionPrefix)) return false;
  if (rule.level !== undefined && regionLevel(input.regionCode) !== rule.level) return false;
  return true;
}

/** Matching rules, best first: longest region prefix, then higher priority, then rule order. */
export function matchingRules(input: RouteInput, dir: Directory): RoutingRule[] {
  return dir.rules
    .map((rule, order) => ({ rule, order }))
    .filter(({ rule }) => ruleMatches(rule, input))
    .sort(
      (a, b) =>
        (b.rule.regionPrefix?.length ?? 0) - (a.rule.regionPrefix?.length ?? 0) ||
        (b.rule.priority ?? 0) - (a.rule.priority ?? 0) ||
        a.order - b.order,
    )
    .map(({ rule }) => rule);
}

/**
 * The region whose discipline unit takes a misconduct report: that of the highest-level accused unit (按照管理权限,
 * the higher commission covers the lower), or the case's own region when only persons are named or no accused unit
 * can be placed.
 */
function accusedRegion(units: Map<string, Unit>, input: RouteInput): { regionCode: string; about: string } {
  let best: { regionCode: string; level: number; code: string } | undefined;
  for (const code of input.accused?.units ?? []) {
    const unit = units.get(code);
    const regionCode = unit?.regionCode ?? regionOfUnitCode(code);
    if (regionCode === undefined) continue;
    const level = unit ? levelIndex(unit.level) : levelIndex(regionLevel(regionCode) ?? 'township');
    if (!best || level < best.level) best = { regionCode, level, code };
  }
  return best
    ? { regionCode: best.regionCode, about: t('routing.about.accusedUnit', { code: best.code }) }
    : { regionCode: input.regionCode, about: t('routing.about.caseRegion', { regionCode: input.regionCode }) };
}

/**
 * Which unit a new case goes to. A report that names accused units or persons goes to the discipline and
 * supervision unit at the accused's level (Art 22, 30); other cases (and reports when no discipline unit exists)
 * follow the routing rules, then fall back to the general office of the region's government, then the city's, then
 * the province's. Every candidate passes the whistleblower guard (Art 30); refused candidates are skipped and named
 * in the reason.
 */
export function routeCase(input: RouteInput, dir: Directory): RoutingDecision {
  const units = unitIndex(dir);
  const skipped: string[] = [];
  const passes = (unitCode: string): boolean => {
    const guard = guardTarget(input.kind, input.accused, unitCode, dir, input.recused);
    if (!guard.allowed) skipped.push(guard.reason);
    return guard.allowed;
  };
  const withSkipped = (reason: string): string =>
    skipped.length
      ? t('routing.withSkipped', { reason, skipped: skipped.join(t('routing.skippedSeparator')) })
      : reason;

  if (input.kind === 'report' && hasAccused(input.accused)) {
    const { regionCode, about } = accusedRegion(units, input);
    // Art 22, 30: reports against officials and organs go to 纪检监察 by management authority; if the discipline
    // unit itself is accused, the one a level up takes it.
    const target = unitsByRoleUp(units, regionCode, 'discipline').find((u) => passes(u.code));
    if (target) {
      return {
        unitCode: target.code,
        via: 'discipline',
        reason: withSkipped(t('routing.discipline', { unit: unitLabel(target), about, citation: citation(22, 30) })),
      };
    }
    skipped.push(t('routing.noDiscipline', { about }));
  }

  for (const rule of matchingRules(input, dir)) {
    if (!units.has(rule.unitCode)) {
      skipped.push(t('routing.ruleUnknownUnit', { rule: rule.id, unitCode: rule.unitCode }));
      continue;
    }
    if (!passes(rule.unitCode)) continue;
    const unit = requireUnit(units, rule.unitCode);
    return {
      unitCode: unit.code,
      via: 'rule',
      ruleId: rule.id,
      reason: withSkipped(
        t('routing.byRule', { rule: rule.id, conditions: describeRule(rule), unit: unitLabel(unit) }),
      ),
    };
  }

  const fallback = unitsByRoleUp(units, input.regionCode, 'general_office').find((u) => passes(u.code));
  if (fallback) {
    return {
      unitCode: fallback.code,
      via: 'fallback',
      reason: withSkipped(
        t('routing.fallback', {
          kind: t(`kind.${input.kind}`),
          category: input.category,
          regionCode: input.regionCode,
          unit: unitLabel(fallback),
          officeRegion: fallback.regionCode,
        }),
      ),
    };
  }

  const detail = message('routing.noUnit', {
    kind: input.kind,
    regionCode: input.regionCode,
    category: input.category,
  });
  throw new RoutingError(withSkipped(renderMessage(detail, DEFAULT_LANG)), detail, input.regionCode, input.kind);
}

function describeRule(rule: RoutingRule): string {
  const parts: string[] = [];
  if (rule.kinds) parts.push(t('routing.rule.kinds', { kinds: rule.kinds.join('/') }));
  if (rule.categories) parts.push(t('routing.rule.categories', { categories: rule.categories.join('/') }));
  if (rule.regionPrefix !== undefined) parts.push(t('routing.rule.region', { prefix: rule.regionPrefix }));
  if (rule.level) parts.push(t('routing.rule.level', { level: rule.level }));
  return parts.length ? parts.join(t('routing.rule.separator')) : t('routing.rule.any');
}

/** The unit's superiors, nearest first, stopping at a cycle. */
function ancestors(units: Map<string, Unit>, unit: Unit): Unit[] {
  const chain: Unit[] = [];
  const seen = new Set([unit.code]);
  for (let code = unit.parentCode; code !== undefined && !seen.has(code);) {
    const parent = units.get(code);
    if (!parent) break;
    chain.push(parent);
    seen.add(code);
    code = parent.parentCode;
  }
  return chain;
}

/** The petition office (信访局) of the region, or of the nearest region above it that has one. */
export function petitionOfficeFor(regionCode: string, dir: Directory): string | undefined {
  return unitsByRoleUp(unitIndex(dir), regionCode, 'petition_office')[0]?.code;
}

/** The unit's superior (上级机关), if the directory records one. Throws `RoutingError` for an unknown unit. */
export function superiorOf(unitCode: string, dir: Directory): string | undefined {
  const units = unitIndex(dir);
  return ancestors(units, requireUnit(units, unitCode))[0]?.code;
}

/** Art 35: review (复查) is by the next-higher organ of the unit that decided; Art 36 applies it again for 复核. */
export function reviewUnitFor(unitCode: string, dir: Directory): string | undefined {
  return superiorOf(unitCode, dir);
}

/**
 * The unit that takes over at escalation `level` of an overdue case held by `currentUnitCode`: level 1 is
 * supervision (督办, Art 40) by the petition office of the unit's region (or the nearest one above); level 2 is the
 * unit's superior, level 3 the superior's superior, and so on. Pass the accused of a report: an accused unit is
 * skipped and the ladder goes one further up (Art 30). Undefined when nothing is higher.
 */
export function escalationTarget(
  currentUnitCode: string,
  level: number,
  dir: Directory,
  accused?: Accused,
): EscalationTarget | undefined {
  if (!Number.isInteger(level) || level < 1) throw new RangeError(`escalation level must be 1 or more, not ${level}`);
  const units = unitIndex(dir);
  const current = requireUnit(units, currentUnitCode);
  const accusedCodes = accused?.units ?? [];
  const skipped = (candidates: Unit[], taken: number): string => {
    const passed = candidates.slice(0, taken).filter((u) => accusedCodes.includes(u.code));
    if (!passed.length) return '';
    return t('escalation.skippedAccused', {
      units: list(
        passed.map((u) => u.code),
        DEFAULT_LANG,
      ),
      citation: citation(30),
    });
  };

  if (level === 1) {
    const offices = unitsByRoleUp(units, current.regionCode, 'petition_office').filter((u) => u.code !== current.code);
    const index = offices.findIndex((u) => !accusedCodes.includes(u.code));
    const office = offices[index];
    if (!office) return undefined;
    return {
      unitCode: office.code,
      reason: t('escalation.supervision', {
        office: unitLabel(office),
        unit: current.code,
        citation: citation(40),
        skipped: skipped(offices, index),
      }),
    };
  }

  const chain = ancestors(units, current);
  const eligible = chain.filter((u) => !accusedCodes.includes(u.code));
  const target = eligible[level - 2];
  if (!target) return undefined;
  const index = chain.indexOf(target);
  const steps = index + 1;
  return {
    unitCode: target.code,
    reason: t(steps === 1 ? 'escalation.superior' : 'escalation.levelsAbove', {
      level,
      target: unitLabel(target),
      unit: current.code,
      steps,
      skipped: skipped(chain, index),
    }),
  };
}

/**
 * Art 24: a dispute between units over who handles a case is decided by their common superior — the nearest unit
 * above every one of them (a party never decides its own dispute). A guarded unit (accused by a report, Art 30, or
 * recused, Art 28) never decides: the search goes further up. Undefined when none is left; then the petition office
 * decides, after a joint conference (联席会议, 协商). Throws `RoutingError` for an unknown unit.
 */
export function commonSuperior(
  unitCodes: string[],
  dir: Directory,
  guarded: readonly string[] = [],
): string | undefined {
  const units = unitIndex(dir);
  const codes = [...new Set(unitCodes)];
  const [first, ...rest] = codes.map((code) => ancestors(units, requireUnit(units, code)).map((u) => u.code));
  if (!first) return undefined;
  const others = rest.map((chain) => new Set(chain));
  return first.find(
    (code) => !codes.includes(code) && !guarded.includes(code) && others.every((chain) => chain.has(code)),
  );
}
