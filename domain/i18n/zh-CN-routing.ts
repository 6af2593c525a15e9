/**
 * Why a case went where it went (domain/routing.ts): the routing decision, the units the guards skipped, and each
 * step of the escalation ladder. Recorded on the case's timeline in the office's language; unit codes stay codes.
 */
export const zhCNRouting = {
  'routing.unit': '{{code}}（{{name}}）',
  'routing.guard.accused': '检举控告指名{{unit}}为被检举单位，依照{{citation}}不得转送该单位',
  'routing.guard.recused': '{{unit}}与该信访事项有利害关系，应当回避（{{citation}}）',
  'routing.withSkipped': '{{reason}}；已跳过：{{skipped}}',
  'routing.skippedSeparator': '；',
  'routing.about.accusedUnit': '被检举单位{{code}}',
  'routing.about.caseRegion': '信访事项所在区域{{regionCode}}',
  'routing.discipline': '检举控告：由纪检监察机关{{unit}}办理（依据{{about}}，{{citation}}）',
  'routing.noDiscipline': '{{about}}没有纪检监察机关',
  'routing.ruleUnknownUnit': '分流规则{{rule}}指向的单位{{unitCode}}不在单位名录中',
  'routing.byRule': '依照分流规则{{rule}}（{{conditions}}）转至{{unit}}',
  'routing.fallback':
    '区域{{regionCode}}的{{kind}}事项（类别{{category}}）没有匹配的分流规则，由区域{{officeRegion}}的政府综合办公室{{unit}}办理',
  'routing.rule.kinds': '类型{{kinds}}',
  'routing.rule.categories': '类别{{categories}}',
  'routing.rule.region': '区域{{prefix}}*',
  'routing.rule.level': '层级{{level}}',
  'routing.rule.any': '适用于所有信访事项',
  'routing.rule.separator': '，',
  'escalation.supervision': '第1级：由信访工作机构{{office}}对{{unit}}督办（{{citation}}）{{skipped}}',
  'escalation.superior': '第{{level}}级：{{target}}，{{unit}}的上级机关{{skipped}}',
  'escalation.levelsAbove': '第{{level}}级：{{target}}，{{unit}}的上{{steps}}级机关{{skipped}}',
  'escalation.skippedAccused': '（已跳过被检举单位{{units}}，{{citation}}）',
} as const;
