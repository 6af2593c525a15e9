/** Search attributes operators filter on in the Temporal UI (DESIGN.md §6). */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CaseStage = defineSearchAttributeKey('CaseStage', SearchAttributeType.KEYWORD);
export const CaseUnit = defineSearchAttributeKey('CaseUnit', SearchAttributeType.KEYWORD_LIST);
export const CaseKind = defineSearchAttributeKey('CaseKind', SearchAttributeType.KEYWORD);
export const CaseRegion = defineSearchAttributeKey('CaseRegion', SearchAttributeType.KEYWORD);
export const CaseEscalationLevel = defineSearchAttributeKey('CaseEscalationLevel', SearchAttributeType.INT);
export const CaseNextDeadline = defineSearchAttributeKey('CaseNextDeadline', SearchAttributeType.DATETIME);
export const CaseOverdue = defineSearchAttributeKey('CaseOverdue', SearchAttributeType.BOOL);

/** Name and type of each, for registering them on a server (`temporal operator search-attribute create`). */
export const SEARCH_ATTRIBUTES = [
  { name: 'CaseStage', type: 'Keyword' },
  { name: 'CaseUnit', type: 'KeywordList' },
  { name: 'CaseKind', type: 'Keyword' },
  { name: 'CaseRegion', type: 'Keyword' },
  { name: 'CaseEscalationLevel', type: 'Int' },
  { name: 'CaseNextDeadline', type: 'Datetime' },
  { name: 'CaseOverdue', type: 'Bool' },
] as const;
