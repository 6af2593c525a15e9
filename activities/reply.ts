import type { CaseDoc } from '../store/models';
import type { ReplyInput } from './types';

const DECISION_TEXT = {
  support: 'Your request is supported (支持).',
  explain: 'Your request is explained (解释说明): it is reasonable but has no basis for being granted.',
  not_support: 'Your request is not supported (不予支持).',
} as const;

const ROUND_TITLE = ['处理意见书 Written reply', '复查意见书 Review opinion', '复核意见书 Re-review opinion'] as const;

export interface Reply {
  title: string;
  caseNumber: string;
  unit: string;
  request: string;
  factsAndReasons: string;
  decision: ReplyInput['decision'];
  legalBasis: string;
  rightToReview: string;
  text: string;
}

/** Art 32: the request, facts and reasons, the decision and its legal basis, and the right to ask for review. */
export function composeReply(args: {
  record: Pick<CaseDoc, 'caseNumber' | 'subject' | 'request'>;
  texts: Record<string, string>;
  unitName: string;
  input: ReplyInput;
}): Reply {
  const { record, texts, unitName, input } = args;
  const next = input.nextReviewDeadline;
  const rightToReview = next
    ? `If you disagree, you may ask for ${input.round === 0 ? 'a review (复查)' : 'a re-review (复核)'} by the next-higher unit ` +
      `until ${next.explanation.lastDay} (${next.explanation.text}) (信访工作条例 Art ${input.round === 0 ? 35 : 36}).`
    : 'This opinion is final: the same facts and reasons will not be accepted again (信访工作条例 Art 36).';
  const reply = {
    title: `${ROUND_TITLE[input.round]} — ${record.caseNumber}`,
    caseNumber: record.caseNumber,
    unit: unitName,
    // Art 32: the reply states the petitioner's request; records from before intake asked for it state the subject.
    request: record.request ?? record.subject ?? '',
    factsAndReasons: texts.factsAndReasons ?? '',
    decision: input.decision,
    legalBasis: texts.legalBasis ?? '',
    rightToReview,
  };
  const text = [
    reply.title,
    `From: ${unitName}`,
    `Your request: ${reply.request}`,
    `Facts and reasons: ${reply.factsAndReasons}`,
    `Decision: ${DECISION_TEXT[input.decision]}`,
    `Legal basis: ${reply.legalBasis}`,
    rightToReview,
  ].join('\n');
  return { ...reply, text };
}
