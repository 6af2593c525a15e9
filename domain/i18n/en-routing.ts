/** The routing and escalation reasons of ./zh-CN-routing.ts in English. */
export const enRouting = {
  'routing.unit': '{{code}} ({{name}})',
  'routing.guard.accused': 'the report names unit {{unit}} as accused; {{citation}} forbids transferring it there',
  'routing.guard.recused': 'unit {{unit}} is recused for an interest in the case ({{citation}})',
  'routing.withSkipped': '{{reason}}; skipped: {{skipped}}',
  'routing.skippedSeparator': '; ',
  'routing.about.accusedUnit': 'accused unit {{code}}',
  'routing.about.caseRegion': 'case region {{regionCode}}',
  'routing.discipline': 'misconduct report: discipline and supervision unit {{unit}} for {{about}} ({{citation}})',
  'routing.noDiscipline': 'no discipline unit for {{about}}',
  'routing.ruleUnknownUnit': 'rule {{rule}} points at unknown unit {{unitCode}}',
  'routing.byRule': 'rule {{rule}} ({{conditions}}) routes to {{unit}}',
  'routing.fallback':
    'no routing rule matches a {{kind}} matter (category {{category}}) in region {{regionCode}}; the general office {{unit}} of region {{officeRegion}} takes it',
  'routing.rule.kinds': 'kind {{kinds}}',
  'routing.rule.categories': 'category {{categories}}',
  'routing.rule.region': 'region {{prefix}}*',
  'routing.rule.level': 'level {{level}}',
  'routing.rule.any': 'matches every case',
  'routing.rule.separator': ', ',
  'escalation.supervision':
    'escalation level 1: supervision (督办) of {{unit}} by petition office {{office}} ({{citation}}){{skipped}}',
  'escalation.superior': 'escalation level {{level}}: {{target}}, the superior of {{unit}}{{skipped}}',
  'escalation.levelsAbove': 'escalation level {{level}}: {{target}}, {{steps}} levels above {{unit}}{{skipped}}',
  'escalation.skippedAccused': ' (skipped accused {{units}}, {{citation}})',
} as const;
