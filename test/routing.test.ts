import { DEMO_DIRECTORY } from '../demo/directory';
import {
  type Directory,
  type RoutingRule,
  type Unit,
  checkDirectory,
  regionChain,
  regionLevel,
} from '../domain/directory';
import { renderMessage } from '../domain/i18n';
import {
  RoutingError,
  commonSuperior,
  escalationTarget,
  guardTarget,
  matchingRules,
  petitionOfficeFor,
  reviewUnitFor,
  routeCase,
  superiorOf,
} from '../domain/routing';

const dir = DEMO_DIRECTORY;

/** The demo directory without its discipline commissions, to exercise the guard on rules and fallbacks. */
const noDiscipline: Directory = { units: dir.units.filter((u) => u.role !== 'discipline'), rules: dir.rules };

function withRules(rules: RoutingRule[], units: Unit[] = dir.units): Directory {
  return { units, rules };
}

describe('demo directory', () => {
  it('is sound', () => {
    expect(checkDirectory(dir)).toEqual([]);
  });

  it('gives every unit the level its region code denotes', () => {
    for (const unit of dir.units) expect([unit.code, unit.level]).toEqual([unit.code, regionLevel(unit.regionCode)]);
  });

  it('reports broken parents, rule targets, duplicates and cycles', () => {
    const broken: Directory = {
      units: [
        { code: 'A', name: 'a', level: 'city', regionCode: '330100', parentCode: 'B' },
        { code: 'B', name: 'b', level: 'county', regionCode: '330106', parentCode: 'A' },
        { code: 'C', name: 'c', level: 'city', regionCode: '330100', parentCode: 'X' },
        { code: 'C', name: 'c', level: 'city', regionCode: '330100' },
      ],
      rules: [{ id: 'r', unitCode: 'Y' }],
    };
    const problems = checkDirectory(broken)
      .map((problem) => renderMessage(problem, 'en'))
      .join('\n');
    expect(problems).toMatch(/unit A .* lower level county/);
    expect(problems).toMatch(/cycle/);
    expect(problems).toMatch(/unknown parent X/);
    expect(problems).toMatch(/unit C is listed twice/);
    expect(problems).toMatch(/rule r points at unknown unit Y/);
  });
});

describe('region codes', () => {
  it('derive their level', () => {
    expect(regionLevel('000000')).toBe('national');
    expect(regionLevel('330000')).toBe('province');
    expect(regionLevel('330100')).toBe('city');
    expect(regionLevel('330106')).toBe('county');
    expect(regionLevel('330106001')).toBe('township');
    expect(regionLevel('hangzhou')).toBeUndefined();
  });

  it('climb to the city and the province', () => {
    expect(regionChain('330106')).toEqual(['330106', '330100', '330000']);
    expect(regionChain('330100')).toEqual(['330100', '330000']);
    expect(regionChain('330106001')).toEqual(['330106001', '330106', '330100', '330000']);
  });
});

describe('routeCase: rules', () => {
  it('matches by category and the longest region prefix', () => {
    expect(routeCase({ kind: 'complaint', category: 'public_security', regionCode: '330106' }, dir)).toMatchObject({
      unitCode: '330106-GA',
      via: 'rule',
      ruleId: 'public-security-330106',
    });
    expect(routeCase({ kind: 'complaint', category: 'public_security', regionCode: '330102' }, dir)).toMatchObject({
      unitCode: '330100-GA',
      ruleId: 'public-security-3301',
    });
    expect(routeCase({ kind: 'request', category: 'public_security', regionCode: '320105' }, dir).unitCode).toBe(
      '320100-GA',
    );
    expect(routeCase({ kind: 'request', category: 'housing', regionCode: '330106' }, dir).unitCode).toBe('330106-ZJ');
    expect(routeCase({ kind: 'request', category: 'housing', regionCode: '330108' }, dir).unitCode).toBe('330100-FG');
    expect(routeCase({ kind: 'request', category: 'labour', regionCode: '330106' }, dir).unitCode).toBe('330100-RS');
    expect(routeCase({ kind: 'opinion', category: 'environment', regionCode: '320100' }, dir).unitCode).toBe(
      '320100-HB',
    );
  });

  it('explains the decision', () => {
    const decision = routeCase({ kind: 'complaint', category: 'public_security', regionCode: '330106' }, dir);
    expect(decision.reason).toContain('public-security-330106');
    expect(decision.reason).toContain('330106-GA');
  });

  it('breaks prefix ties by priority, then by rule order', () => {
    const rules: RoutingRule[] = [
      { id: 'first', categories: ['x'], regionPrefix: '3301', unitCode: '330100-HB' },
      { id: 'second', categories: ['x'], regionPrefix: '3301', unitCode: '330100-RS' },
      { id: 'urgent', categories: ['x'], regionPrefix: '3301', unitCode: '330100-GA', priority: 5 },
      { id: 'broad', categories: ['x'], regionPrefix: '33', unitCode: '330000-GA', priority: 99 },
    ];
    const input = { kind: 'complaint' as const, category: 'x', regionCode: '330106' };
    expect(matchingRules(input, withRules(rules)).map((r) => r.id)).toEqual(['urgent', 'first', 'second', 'broad']);
    expect(routeCase(input, withRules(rules)).ruleId).toBe('urgent');
    expect(routeCase(input, withRules(rules.filter((r) => r.id !== 'urgent'))).ruleId).toBe('first');
  });

  it('matches on kind and on the level of the case region', () => {
    const rules: RoutingRule[] = [
      { id: 'consult', kinds: ['consultation'], unitCode: '330100-XFJ' },
      { id: 'county', level: 'county', categories: ['x'], unitCode: '330106-BGT' },
      { id: 'city', level: 'city', categories: ['x'], unitCode: '330100-BGT' },
    ];
    expect(routeCase({ kind: 'consultation', category: 'x', regionCode: '330106' }, withRules(rules)).ruleId).toBe(
      'consult',
    );
    expect(routeCase({ kind: 'complaint', category: 'x', regionCode: '330106' }, withRules(rules)).ruleId).toBe(
      'county',
    );
    expect(routeCase({ kind: 'complaint', category: 'x', regionCode: '330100' }, withRules(rules)).ruleId).toBe('city');
  });

  it('skips a rule that points at a unit missing from the directory', () => {
    const rules: RoutingRule[] = [
      { id: 'stale', categories: ['x'], regionPrefix: '330106', unitCode: '330106-GONE' },
      { id: 'live', categories: ['x'], regionPrefix: '3301', unitCode: '330100-HB' },
    ];
    const decision = routeCase({ kind: 'complaint', category: 'x', regionCode: '330106' }, withRules(rules));
    expect(decision).toMatchObject({ unitCode: '330100-HB', ruleId: 'live' });
    expect(decision.reason).toContain('330106-GONE');
  });
});

describe('routeCase: fallback', () => {
  it("goes to the general office of the case's region", () => {
    const decision = routeCase({ kind: 'complaint', category: 'education', regionCode: '330106' }, dir);
    expect(decision).toMatchObject({ unitCode: '330106-BGT', via: 'fallback' });
    expect(decision.ruleId).toBeUndefined();
    expect(decision.reason).toContain('330106-BGT');
  });

  it("then the city's, then the province's", () => {
    expect(routeCase({ kind: 'complaint', category: 'education', regionCode: '330102' }, dir).unitCode).toBe(
      '330100-BGT',
    );
    expect(routeCase({ kind: 'complaint', category: 'education', regionCode: '320105' }, dir).unitCode).toBe(
      '320100-BGT',
    );
    expect(routeCase({ kind: 'complaint', category: 'education', regionCode: '330212' }, dir).unitCode).toBe(
      '330000-BGT',
    );
  });

  it('throws RoutingError naming the region and kind when no unit serves the region', () => {
    const route = () => routeCase({ kind: 'complaint', category: 'education', regionCode: '990101' }, dir);
    expect(route).toThrow(RoutingError);
    expect(route).toThrow(/^区域990101没有可以办理该信访事项的单位/);
    expect(route).toThrow(/complaint/);
    try {
      route();
    } catch (error) {
      expect(error).toMatchObject({ name: 'RoutingError', regionCode: '990101', kind: 'complaint' });
      // What an operator or an API client reads, in either language.
      const detail = (error as RoutingError).detail;
      expect(renderMessage(detail, 'zh-CN')).toMatch(
        /^区域990101没有可以办理该信访事项的单位（类型complaint，类别education）/,
      );
      expect(renderMessage(detail, 'en')).toMatch(/^no unit found for a complaint case in region 990101/);
    }
  });
});

describe('routeCase: misconduct reports', () => {
  it('sends a report against 330106-GA to the discipline unit at its level, 330106-JW', () => {
    const decision = routeCase(
      { kind: 'report', category: 'public_security', regionCode: '330106', accused: { units: ['330106-GA'] } },
      dir,
    );
    expect(decision).toMatchObject({ unitCode: '330106-JW', via: 'discipline' });
    expect(decision.reason).toContain('330106-GA');
  });

  it("uses the accused unit's region, not the case's", () => {
    expect(
      routeCase(
        { kind: 'report', category: 'public_security', regionCode: '330106', accused: { units: ['330100-GA'] } },
        dir,
      ).unitCode,
    ).toBe('330100-JW');
  });

  it('takes the highest-level accused unit when several are named', () => {
    expect(
      routeCase(
        {
          kind: 'report',
          category: 'housing',
          regionCode: '330106',
          accused: { units: ['330106-ZJ', '330000-ZJT', '330100-FG'] },
        },
        dir,
      ).unitCode,
    ).toBe('330000-JW');
  });

  it('goes one level up when the discipline unit itself is accused', () => {
    const decision = routeCase(
      { kind: 'report', category: 'discipline', regionCode: '330106', accused: { units: ['330106-JW'] } },
      dir,
    );
    expect(decision).toMatchObject({ unitCode: '330100-JW', via: 'discipline' });
    expect(decision.reason).toContain('《信访工作条例》第二十二条、第三十条');
  });

  it("sends a report naming only persons to the case region's discipline unit", () => {
    expect(
      routeCase({ kind: 'report', category: 'housing', regionCode: '330106', accused: { persons: ['张某'] } }, dir),
    ).toMatchObject({ unitCode: '330106-JW', via: 'discipline' });
  });

  it('routes a report without accused like any other case', () => {
    expect(routeCase({ kind: 'report', category: 'public_security', regionCode: '330106' }, dir)).toMatchObject({
      unitCode: '330106-GA',
      via: 'rule',
    });
    expect(
      routeCase({ kind: 'report', category: 'public_security', regionCode: '330106', accused: { units: [] } }, dir)
        .unitCode,
    ).toBe('330106-GA');
  });

  it('never lands a report on the accused unit its routing rule points at', () => {
    const input = {
      kind: 'report' as const,
      category: 'public_security',
      regionCode: '330106',
      accused: { units: ['330106-GA'] },
    };
    expect(routeCase(input, dir).unitCode).not.toBe('330106-GA');
    const decision = routeCase(input, noDiscipline);
    expect(decision).toMatchObject({ unitCode: '330100-GA', via: 'rule', ruleId: 'public-security-3301' });
    expect(decision.reason).toContain('检举控告指名330106-GA');
    expect(decision.reason).toContain('依照《信访工作条例》第三十条不得转送该单位');
  });

  it('skips an accused fallback for the next level up', () => {
    const decision = routeCase(
      { kind: 'report', category: 'education', regionCode: '330106', accused: { units: ['330106-BGT'] } },
      noDiscipline,
    );
    expect(decision).toMatchObject({ unitCode: '330100-BGT', via: 'fallback' });
    expect(decision.reason).toContain('已跳过：被检举单位330106-BGT没有纪检监察机关；检举控告指名330106-BGT');
  });

  it('falls back to the rules when the accused has no discipline unit above it', () => {
    const decision = routeCase(
      { kind: 'report', category: 'public_security', regionCode: '320105', accused: { units: ['320100-JW'] } },
      dir,
    );
    expect(decision).toMatchObject({ unitCode: '320100-GA', via: 'rule' });
  });

  it('throws rather than reach an accused unit when no other unit is left', () => {
    const tiny: Directory = { units: dir.units.filter((u) => u.code === '320100-BGT'), rules: [] };
    expect(() =>
      routeCase({ kind: 'report', category: 'x', regionCode: '320100', accused: { units: ['320100-BGT'] } }, tiny),
    ).toThrow(RoutingError);
  });
});

describe('guardTarget', () => {
  it('refuses a recused unit for any kind of case (Art 28)', () => {
    const result = guardTarget('complaint', undefined, '330100-HB', dir, ['330100-HB']);
    expect(result).toEqual({
      allowed: false,
      reason: '330100-HB（杭州市生态环境局）与该信访事项有利害关系，应当回避（《信访工作条例》第二十八条）',
    });
    const routed = routeCase(
      { kind: 'complaint', category: 'environment', regionCode: '330106', recused: ['330100-HB'] },
      dir,
    );
    expect(routed).toMatchObject({ unitCode: '330106-BGT', via: 'fallback' });
    expect(routed.reason).toContain('应当回避');
  });

  it('refuses a report to an accused unit (Art 30)', () => {
    const result = guardTarget('report', { units: ['330100-GA'] }, '330100-GA', dir);
    expect(result.allowed).toBe(false);
    expect(!result.allowed && result.reason).toMatch(
      /^检举控告指名330100-GA（.*）为被检举单位，依照《信访工作条例》第三十条不得转送该单位$/,
    );
  });

  it('allows units that are not accused, and other kinds of case', () => {
    expect(guardTarget('report', { units: ['330100-GA'] }, '330100-JW', dir)).toEqual({ allowed: true });
    expect(guardTarget('report', { persons: ['李某'] }, '330100-GA', dir)).toEqual({ allowed: true });
    expect(guardTarget('report', undefined, '330100-GA', dir)).toEqual({ allowed: true });
    expect(guardTarget('complaint', { units: ['330100-GA'] }, '330100-GA', dir)).toEqual({ allowed: true });
  });
});

describe('escalationTarget', () => {
  it('climbs from the petition office to the superior and on up', () => {
    expect(escalationTarget('330106-GA', 1, dir)?.unitCode).toBe('330106-XFJ');
    expect(escalationTarget('330106-GA', 2, dir)?.unitCode).toBe('330100-GA');
    expect(escalationTarget('330106-GA', 3, dir)?.unitCode).toBe('330000-GA');
    expect(escalationTarget('330106-GA', 4, dir)?.unitCode).toBe('330000-BGT');
    expect(escalationTarget('330106-GA', 5, dir)).toBeUndefined();
  });

  it('explains each step', () => {
    expect(escalationTarget('330106-GA', 1, dir)?.reason).toContain('330106-XFJ');
    expect(escalationTarget('330106-GA', 3, dir)?.reason).toMatch(/^第3级：330000-GA（.*），330106-GA的上2级机关$/);
  });

  it('uses the nearest petition office above when the region has none', () => {
    const units: Unit[] = [
      ...dir.units,
      { code: '330108-GA', name: '滨江区公安分局', level: 'county', regionCode: '330108', parentCode: '330100-GA' },
    ];
    expect(escalationTarget('330108-GA', 1, withRules([], units))?.unitCode).toBe('330100-XFJ');
    expect(escalationTarget('330106-XFJ', 1, dir)?.unitCode).toBe('330100-XFJ');
  });

  it('skips an accused unit and goes one further up (Art 30)', () => {
    const accused = { units: ['330100-GA'] };
    expect(escalationTarget('330106-GA', 2, dir, accused)?.unitCode).toBe('330000-GA');
    expect(escalationTarget('330106-GA', 2, dir, accused)?.reason).toContain('已跳过被检举单位330100-GA');
    expect(escalationTarget('330106-GA', 3, dir, accused)?.unitCode).toBe('330000-BGT');
    expect(escalationTarget('330106-GA', 4, dir, accused)).toBeUndefined();
    expect(escalationTarget('330106-GA', 1, dir, { units: ['330106-XFJ'] })?.unitCode).toBe('330100-XFJ');
  });

  it('is undefined at the top and refuses bad input', () => {
    expect(escalationTarget('330000-BGT', 2, dir)).toBeUndefined();
    expect(() => escalationTarget('330106-GA', 0, dir)).toThrow(RangeError);
    expect(() => escalationTarget('999999-XX', 1, dir)).toThrow(RoutingError);
  });
});

describe('superiors', () => {
  it('finds the common superior of disputing units (Art 24)', () => {
    // 330106-GA → 330100-GA → 330000-GA → 330000-BGT; 330106-ZJ → 330100-FG → 330000-ZJT → 330000-BGT
    expect(commonSuperior(['330106-GA', '330106-ZJ'], dir)).toBe('330000-BGT');
    expect(commonSuperior(['330100-HB', '330100-RS'], dir)).toBe('330000-BGT');
    expect(commonSuperior(['330106-GA', '330100-GA'], dir)).toBe('330000-GA');
    expect(commonSuperior(['330100-GA', '330106-GA', '330106-GA'], dir)).toBe('330000-GA');
    expect(commonSuperior(['330106-GA'], dir)).toBe('330100-GA');
  });

  it('never lets a guarded unit decide a dispute: the search goes further up, else the office (Art 24, 28, 30)', () => {
    // 330100-HB and 330100-RS meet at 330000-BGT, the top of its tree.
    expect(commonSuperior(['330100-HB', '330100-RS'], dir, ['330000-BGT'])).toBeUndefined();
    // 330106-GA and 330100-GA meet at 330000-GA; accused, the decision goes to its superior.
    expect(commonSuperior(['330106-GA', '330100-GA'], dir, ['330000-GA'])).toBe('330000-BGT');
    expect(commonSuperior(['330106-GA', '330106-ZJ'], dir, ['330100-GA'])).toBe('330000-BGT');
  });

  it('has no common superior across separate trees', () => {
    expect(commonSuperior(['330106-GA', '330106-JW'], dir)).toBeUndefined();
    expect(commonSuperior(['330106-GA', '320100-GA'], dir)).toBeUndefined();
    expect(commonSuperior([], dir)).toBeUndefined();
    expect(() => commonSuperior(['330106-GA', 'nowhere'], dir)).toThrow(RoutingError);
  });

  it('finds the superior and the review unit (Art 35)', () => {
    expect(superiorOf('330106-ZJ', dir)).toBe('330100-FG');
    expect(reviewUnitFor('330106-GA', dir)).toBe('330100-GA');
    expect(reviewUnitFor('330100-GA', dir)).toBe('330000-GA');
    expect(reviewUnitFor('330000-BGT', dir)).toBeUndefined();
  });

  it("finds the region's petition office", () => {
    expect(petitionOfficeFor('330106', dir)).toBe('330106-XFJ');
    expect(petitionOfficeFor('330108', dir)).toBe('330100-XFJ');
    expect(petitionOfficeFor('330212', dir)).toBe('330000-XFJ');
    expect(petitionOfficeFor('320105', dir)).toBe('320100-XFJ');
    expect(petitionOfficeFor('990101', dir)).toBeUndefined();
  });
});
