/**
 * The three written opinions (Art 32, 35, 36): one layout — the request, the facts and reasons, the decision, its
 * legal basis, and the petitioner's rights — in three rounds.
 */
import { translate, type Lang, type MessageKey } from '../i18n';
import { basis, channelWords, clause, heading, paragraph, petitionDraft, right, type Draft, type T } from './draft';
import type {
  NextAppeal,
  OpinionContent,
  OpinionNotice,
  PetitionNoticeBase,
  ReReviewOpinionNotice,
  ReviewOpinionNotice,
} from './types';

type HeadingKey = Extract<MessageKey, `notice.heading.${string}`>;

interface Round {
  title: Extract<MessageKey, `document.${string}`>;
  headings: readonly [HeadingKey, HeadingKey, HeadingKey];
  /** The article the round's opinion is issued under. */
  article: number;
}

const ROUNDS = {
  opinion: {
    title: 'document.opinion',
    headings: ['notice.heading.request', 'notice.heading.facts', 'notice.heading.decision'],
    article: 32,
  },
  reviewOpinion: {
    title: 'document.reviewOpinion',
    headings: ['notice.heading.reviewRequest', 'notice.heading.reviewFacts', 'notice.heading.reviewDecision'],
    article: 35,
  },
  reReviewOpinion: {
    title: 'document.reReviewOpinion',
    headings: ['notice.heading.reReviewRequest', 'notice.heading.reReviewFacts', 'notice.heading.reReviewDecision'],
    article: 36,
  },
} as const satisfies Record<string, Round>;

const DECISIONS = {
  support: 'decision.support',
  explain: 'decision.explain',
  not_support: 'decision.not_support',
} as const satisfies Record<OpinionContent['decision'], MessageKey>;

/** 一、诉求 二、事实和理由 三、意见 四、法律依据, then 五、权利告知 with what the caller adds. */
function opinionBody(draft: Draft, input: PetitionNoticeBase & OpinionContent, round: Round, t: T, lang: Lang): void {
  const [request, facts, decision] = round.headings;
  heading(draft, t(request));
  paragraph(draft, t('notice.opinion.request', { request: clause(input.request) }));
  heading(draft, t(facts));
  paragraph(draft, input.factsAndReasons.trim());
  heading(draft, t(decision));
  paragraph(draft, t(DECISIONS[input.decision]));
  if (input.execution) paragraph(draft, t('notice.opinion.execution', input.execution));
  heading(draft, t('notice.heading.basis'));
  const legalBasis = clause(input.legalBasis);
  draft.legalBasis.push(legalBasis);
  paragraph(draft, t('notice.opinion.basis', { legalBasis, procedure: basis(draft, [round.article], lang) }));
  heading(draft, t('notice.heading.rights'));
}

/** 自收到本意见书之日起30日内（截至2026年12月8日24时）向…请求复查. */
function appealParams(appeal: NextAppeal, t: T, article: number, draft: Draft, lang: Lang) {
  return {
    days: appeal.days,
    until: appeal.dueAt ? t('notice.rights.until', { dueAt: appeal.dueAt }) : '',
    organ: appeal.organ ?? t('notice.organ.nextLevel'),
    basis: basis(draft, [article], lang),
  };
}

export function opinion(input: OpinionNotice, t: T, lang: Lang): Draft {
  const round = ROUNDS.opinion;
  const draft = petitionDraft(t(round.title), t, input);
  paragraph(
    draft,
    t('notice.opinion.intro', {
      receivedOn: input.receivedOn,
      channel: channelWords(t, input.channel),
      caseNumber: input.caseNumber,
      acceptedOn: input.acceptedOn,
    }),
  );
  opinionBody(draft, input, round, t, lang);
  right(draft, t('notice.rights.review', appealParams(input.review, t, 35, draft, lang)));
  return draft;
}

function appealIntro(input: ReviewOpinionNotice | ReReviewOpinionNotice, t: T, lang: Lang): string {
  const earlier = input.kind === 'reviewOpinion' ? 'document.opinion' : 'document.reviewOpinion';
  const params = {
    originalIssuer: input.original.issuer,
    originalIssuedOn: input.original.issuedOn,
    originalTitle: translate(lang, earlier),
    originalNumber: input.original.documentNumber,
    requestedOn: input.requestedOn,
    caseNumber: input.caseNumber,
  };
  return input.kind === 'reviewOpinion'
    ? t('notice.reviewOpinion.intro', params)
    : t('notice.reReviewOpinion.intro', params);
}

export function reviewOpinion(input: ReviewOpinionNotice, t: T, lang: Lang): Draft {
  const round = ROUNDS.reviewOpinion;
  const draft = petitionDraft(t(round.title), t, input);
  paragraph(draft, appealIntro(input, t, lang));
  opinionBody(draft, input, round, t, lang);
  right(draft, t('notice.rights.reReview', appealParams(input.reReview, t, 36, draft, lang)));
  return draft;
}

export function reReviewOpinion(input: ReReviewOpinionNotice, t: T, lang: Lang): Draft {
  const round = ROUNDS.reReviewOpinion;
  const draft = petitionDraft(t(round.title), t, input);
  paragraph(draft, appealIntro(input, t, lang));
  if (input.hearingOn) paragraph(draft, t('notice.reReviewOpinion.hearing', { hearingOn: input.hearingOn }));
  opinionBody(draft, input, round, t, lang);
  right(draft, t('notice.rights.final', { basis: basis(draft, [36], lang) }));
  return draft;
}
