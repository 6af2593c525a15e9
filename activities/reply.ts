import { deadlineIn, periodText } from '../domain/deadline-text';
import { cite, DEFAULT_LANG, translator, type Lang } from '../domain/i18n';
import type { CaseDoc } from '../store/models';
import type { ReplyInput } from './types';

const DECISION = {
  support: 'decision.support',
  explain: 'decision.explain',
  not_support: 'decision.not_support',
  mediated: 'decision.mediated',
  adopted: 'decision.adopted',
  partly_adopted: 'decision.partly_adopted',
  not_adopted: 'decision.not_adopted',
  substantiated: 'decision.substantiated',
  partly_substantiated: 'decision.partly_substantiated',
  not_substantiated: 'decision.not_substantiated',
  answered: 'decision.answered',
} as const;

/** By round: the reply, the review opinion, the re-review opinion, the reply written again after a redo. */
const ROUND_DOCUMENT = [
  'document.opinion',
  'document.reviewOpinion',
  'document.reReviewOpinion',
  'document.opinion',
] as const;

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
  lang?: Lang;
}): Reply {
  const { record, texts, unitName, input, lang = DEFAULT_LANG } = args;
  const t = translator(lang);
  const next = input.nextReviewDeadline;
  // Art 35: review within 30 days of the reply; Art 36: re-review within 30 days of the review opinion, then final.
  // A reply with no window after it that is not a re-review opinion belongs to a kind with no 复查/复核 (a
  // consultation's answer, a suggestion's or a report's reply): it says so, and does not call itself final.
  const rightToReview = next
    ? t('reply.rightToReview', {
        until: next.dueAt,
        review: t(input.round === 1 ? 'review.reReview' : 'review.review'),
        citation: cite('xinfang', [input.round === 1 ? 36 : 35], lang),
        explanation: deadlineIn(next, lang).explanation.text,
      })
    : input.reviewWithin
      ? t('reply.rightToReviewOnService', {
          period: periodText(input.reviewWithin.length, input.reviewWithin.unit, lang),
          review: t(input.round === 1 ? 'review.reReview' : 'review.review'),
          citation: cite('xinfang', [input.round === 1 ? 36 : 35], lang),
        })
      : input.round === 2
        ? t('reply.final', { citation: cite('xinfang', [36], lang) })
        : t('reply.noReview', { citation: cite('xinfang', [35, 36], lang) });
  const reply = {
    title: t('reply.title', { document: t(ROUND_DOCUMENT[input.round]), caseNumber: record.caseNumber }),
    caseNumber: record.caseNumber,
    unit: unitName,
    // Art 32: the reply states the petitioner's request; records from before intake asked for it state the subject.
    request: record.request ?? record.subject ?? '',
    // A consultation's answer stands where a decision's facts and reasons would.
    factsAndReasons: texts.factsAndReasons ?? texts.answer ?? '',
    decision: input.decision,
    legalBasis: texts.legalBasis ?? '',
    rightToReview,
  };
  const text = [
    reply.title,
    t('reply.from', { unit: unitName }),
    t('reply.request', { request: reply.request }),
    t('reply.factsAndReasons', { text: reply.factsAndReasons }),
    t('reply.decision', { decision: t(DECISION[input.decision]) }),
    t('reply.legalBasis', { text: reply.legalBasis }),
    rightToReview,
  ].join('\n');
  return { ...reply, text };
}
