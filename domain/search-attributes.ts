/** Search attributes operators filter on in the Temporal UI (DESIGN.md §6). */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CaseStage = defineSearchAttributeKey('CaseStage', SearchAttributeType.KEYWORD);
export const CaseUnit = defineSearchAttributeKey('CaseUnit', SearchAttributeType.KEYWORD_LIST);
export const CaseKind = defineSearchAttributeKey('CaseKind', SearchAttributeType.KEYWORD);
export const CaseRegion = defineSearchAttributeKey('CaseRegion', SearchAttributeType.KEYWORD);
export const CaseEscalationLevel = defineSearchAttributeKey('CaseEscalationLevel', SearchAttributeType.INT);
export const CaseNextDeadline = defineSearchAttributeKey('CaseNextDeadline', SearchAttributeType.DATETIME);
export const CaseOverdue = defineSearchAttributeKey('CaseOverdue', SearchAttributeType.BOOL);
/** Set while the case needs the office by hand (`routing`, `deadline`): a step could not be carried out. */
export const CaseProblem = defineSearchAttributeKey('CaseProblem', SearchAttributeType.KEYWORD);
/** A major or urgent matter (Art 22(1), 25). */
export const CaseUrgent = defineSearchAttributeKey('CaseUrgent', SearchAttributeType.BOOL);
/** The number printed on every notice (`XF-330106-20261201-T4356M`): what a petitioner reads out on the phone. */
export const CaseNumber = defineSearchAttributeKey('CaseNumber', SearchAttributeType.KEYWORD);

/** Every case search attribute: what a server must have registered before cases start. */
export const CASE_SEARCH_ATTRIBUTE_KEYS = [
  CaseStage,
  CaseUnit,
  CaseKind,
  CaseRegion,
  CaseEscalationLevel,
  CaseNextDeadline,
  CaseOverdue,
  CaseProblem,
  CaseUrgent,
  CaseNumber,
] as const;

const TYPE_NAMES = {
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
} as const satisfies Record<SearchAttributeType, string>;

/** Name and type of each, for registering them on a server (`temporal operator search-attribute create`). */
export const SEARCH_ATTRIBUTES = CASE_SEARCH_ATTRIBUTE_KEYS.map((key) => ({
  name: key.name,
  type: TYPE_NAMES[key.type],
}));
