/** The directory of units that handle cases, and the routing rules that pick one (DESIGN.md §2, §4 "Routing"). */

import { message, type Message } from './i18n';
import { REGION_CODE_PATTERN } from './ids';
import type { Kind } from './types';

/** Administrative levels, highest first: a higher index is a lower level. */
export const UNIT_LEVELS = ['national', 'province', 'city', 'county', 'township'] as const;
export type UnitLevel = (typeof UNIT_LEVELS)[number];

/**
 * What a unit is to the routing rules: the petition office (信访局), the general office of the government
 * (办公厅/办公室, the fallback), the discipline inspection and supervision commission (纪委监委, for misconduct
 * reports) or an ordinary department.
 */
export const UNIT_ROLES = ['petition_office', 'general_office', 'discipline', 'department'] as const;
export type UnitRole = (typeof UNIT_ROLES)[number];

/** A unit (单位/部门). Codes look like `<6-digit region code>-<ABBR>`, e.g. `330100-GA`. */
export interface Unit {
  code: string;
  name: string;
  level: UnitLevel;
  regionCode: string;
  /** The unit's superior (上级机关), used for escalation, review (Art 35) and common-superior disputes (Art 24). */
  parentCode?: string;
  kinds?: Kind[];
  /** Absent means `department`. */
  role?: UnitRole;
  webhookUrl?: string;
}

/**
 * A routing rule. Every field that is set must match the case; among matching rules the longest `regionPrefix`
 * wins, then the higher `priority` (default 0), then the earlier rule.
 */
export interface RoutingRule {
  id: string;
  kinds?: Kind[];
  categories?: string[];
  regionPrefix?: string;
  /** Administrative level of the case's region code (see `regionLevel`). */
  level?: UnitLevel;
  unitCode: string;
  priority?: number;
}

export interface Directory {
  units: Unit[];
  rules: RoutingRule[];
}

/** 0 for `national` up to 4 for `township`. */
export function levelIndex(level: UnitLevel): number {
  return UNIT_LEVELS.indexOf(level);
}

/**
 * The administrative level a region code denotes: `000000` national, `xx0000` province, `xxxx00` city, other
 * 6-digit codes county, longer codes (9 or 12 digits) township. Undefined for anything else.
 */
export function regionLevel(regionCode: string): UnitLevel | undefined {
  if (/^\d{9}(\d{3})?$/.test(regionCode)) return 'township';
  if (!REGION_CODE_PATTERN.test(regionCode)) return undefined;
  if (regionCode === '000000') return 'national';
  if (regionCode.endsWith('0000')) return 'province';
  if (regionCode.endsWith('00')) return 'city';
  return 'county';
}

/**
 * The region and the regions above it, nearest first: e.g. `330106` → `330106`, `330100`, `330000`; a township
 * code also yields its county. Art 5: 属地管理、分级负责 — a matter belongs to its territory, then the level above.
 */
export function regionChain(regionCode: string): string[] {
  const chain = [regionCode];
  if (/^\d{6,}$/.test(regionCode)) {
    chain.push(regionCode.slice(0, 6), `${regionCode.slice(0, 4)}00`, `${regionCode.slice(0, 2)}0000`);
  }
  return [...new Set(chain)];
}

/** The region a unit code names (`330106-GA` → `330106`), if it follows the `<region>-<ABBR>` pattern. */
export function regionOfUnitCode(unitCode: string): string | undefined {
  return /^(\d{6}(?:\d{3}){0,2})-/.exec(unitCode)?.[1];
}

export function roleOf(unit: Unit): UnitRole {
  return unit.role ?? 'department';
}

export function findUnit(dir: Directory, unitCode: string): Unit | undefined {
  return dir.units.find((u) => u.code === unitCode);
}

/**
 * Problems that make a directory unsafe to route with: duplicate codes, unknown levels or roles, parents or rule
 * targets that do not exist, superiors at a lower level than their subordinates, and cycles. Empty when sound.
 */
export function checkDirectory(dir: Directory): Message[] {
  const problems: Message[] = [];
  const byCode = new Map<string, Unit>();
  for (const unit of dir.units) {
    if (byCode.has(unit.code)) problems.push(message('directory.unitListedTwice', { unit: unit.code }));
    byCode.set(unit.code, unit);
    if (!UNIT_LEVELS.includes(unit.level)) {
      problems.push(message('directory.unknownLevel', { unit: unit.code, level: unit.level }));
    }
    if (unit.role !== undefined && !UNIT_ROLES.includes(unit.role)) {
      problems.push(message('directory.unknownRole', { unit: unit.code, role: unit.role }));
    }
  }
  for (const unit of dir.units) {
    if (unit.parentCode === undefined) continue;
    const parent = byCode.get(unit.parentCode);
    if (!parent) {
      problems.push(message('directory.unknownParent', { unit: unit.code, parent: unit.parentCode }));
    } else if (levelIndex(parent.level) > levelIndex(unit.level)) {
      problems.push(
        message('directory.parentAtLowerLevel', {
          unit: unit.code,
          level: unit.level,
          parent: parent.code,
          parentLevel: parent.level,
        }),
      );
    }
    const seen = new Set([unit.code]);
    for (let p = parent; p?.parentCode !== undefined; p = byCode.get(p.parentCode)) {
      if (seen.has(p.parentCode)) {
        problems.push(message('directory.cycle', { unit: unit.code }));
        break;
      }
      seen.add(p.parentCode);
    }
  }
  const ruleIds = new Set<string>();
  for (const rule of dir.rules) {
    if (ruleIds.has(rule.id)) problems.push(message('directory.ruleListedTwice', { rule: rule.id }));
    ruleIds.add(rule.id);
    if (!byCode.has(rule.unitCode)) {
      problems.push(message('directory.ruleUnknownUnit', { rule: rule.id, unit: rule.unitCode }));
    }
  }
  return problems;
}
