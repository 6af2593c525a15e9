/**
 * The notices of the procedures by kind (issue 14, DESIGN.md §4a): a consultation answered, a suggestion replied to,
 * a report's result told to its named reporter, an agreement that settles a matter, and the office's supervision
 * letter to a unit.
 */
import type { Lang, MessageKey } from '../i18n';
import { basis, clause, newDraft, paragraph, petitionDraft, petitionParams, right, type Draft, type T } from './draft';
import type {
  ConsultationAnswer,
  MediationRecord,
  ReportResultNotice,
  SuggestionReply,
  SupervisionLetter,
  SupervisionReason,
} from './types';

export function consultationAnswer(input: ConsultationAnswer, t: T): Draft {
  const draft = petitionDraft(t('notice.consultation.title'), t, input);
  paragraph(draft, t('notice.consultation.intro', petitionParams(t, input)));
  paragraph(draft, t('notice.consultation.answer', { answer: input.answer.trim() }));
  if (input.basis) {
    const cited = clause(input.basis);
    draft.legalBasis.push(cited);
    paragraph(draft, t('notice.consultation.basis', { basis: cited }));
  }
  const until = input.ratingDueAt ? t('notice.rights.until', { dueAt: input.ratingDueAt }) : '';
  right(draft, t('notice.consultation.rights', { until }));
  return draft;
}

const OUTCOMES = {
  adopted: 'notice.suggestion.adopted',
  partly_adopted: 'notice.suggestion.partly_adopted',
  not_adopted: 'notice.suggestion.not_adopted',
} as const satisfies Record<SuggestionReply['outcome'], MessageKey>;

export function suggestionReply(input: SuggestionReply, t: T, lang: Lang): Draft {
  const draft = petitionDraft(t('notice.suggestion.title'), t, input);
  const matterKind = t(input.matterKind === 'opinion' ? 'notice.matterKind.opinion' : 'notice.matterKind.suggestion');
  paragraph(draft, t('notice.suggestion.intro', { ...petitionParams(t, input), matterKind }));
  paragraph(draft, t(OUTCOMES[input.outcome], { matterKind }));
  paragraph(draft, t('notice.suggestion.reasons', { reasons: input.reasons.trim() }));
  if (input.measures) paragraph(draft, t('notice.suggestion.measures', { measures: input.measures.trim() }));
  // Art 29: a suggestion that contributed is rewarded.
  if (input.contribution) paragraph(draft, t('notice.suggestion.contribution', { matterKind }));
  paragraph(draft, t('notice.suggestion.basis', { basis: basis(draft, [29], lang) }));
  right(draft, t('notice.suggestion.rights'));
  return draft;
}

export function reportResult(input: ReportResultNotice, t: T, lang: Lang): Draft {
  const draft = petitionDraft(t('notice.report.title'), t, input);
  paragraph(draft, t('notice.report.intro', petitionParams(t, input)));
  paragraph(draft, t('notice.report.result', { result: input.result.trim() }));
  // Art 30: nothing of the report reaches the persons or units it accuses.
  paragraph(draft, t('notice.report.confidential', { basis: basis(draft, [30], lang) }));
  right(draft, t('notice.report.rights'));
  return draft;
}

/** Art 33: the parties, what they agreed, and where it is kept; the issuer mediated unless another mediator is named. */
export function mediation(input: MediationRecord, t: T, lang: Lang, issuer: string): Draft {
  const settled = input.form === 'settlement';
  const mediator = input.mediator ?? issuer;
  const draft = newDraft(t(settled ? 'notice.settlement.title' : 'notice.mediation.title'), clause(input.request));
  draft.parties = [
    t('notice.party.petitioner', { name: input.petitioner }),
    t('notice.party.other', { name: input.otherParty }),
    ...(settled ? [] : [t('notice.party.mediator', { name: mediator })]),
  ];
  paragraph(draft, t('notice.mediation.intro', petitionParams(t, input)));
  const citation = basis(draft, [33], lang);
  paragraph(
    draft,
    settled
      ? t('notice.mediation.settled', { basis: citation })
      : t('notice.mediation.mediated', { mediator, basis: citation }),
  );
  input.terms.forEach((term, i) => paragraph(draft, t('notice.mediation.term', { number: i + 1, term: clause(term) })));
  const keeper = settled ? issuer : mediator;
  paragraph(draft, t('notice.mediation.effect', { keeper }));
  right(draft, t('notice.mediation.rights', { keeper }));
  draft.signatures = [
    t('notice.signature.petitioner'),
    t('notice.signature.other'),
    ...(settled ? [] : [t('notice.signature.mediator')]),
  ];
  return draft;
}

const SUPERVISION_REASONS = {
  delay: 'notice.supervision.reason.delay',
  evasion: 'notice.supervision.reason.evasion',
  perfunctory: 'notice.supervision.reason.perfunctory',
  falsification: 'notice.supervision.reason.falsification',
  nonExecution: 'notice.supervision.reason.nonExecution',
  other: 'notice.supervision.reason.other',
} as const satisfies Record<SupervisionReason, MessageKey>;

/** Art 40: to the unit; the petitioner is never named (for a report, that would name the reporter to a unit). */
export function supervision(input: SupervisionLetter, t: T, lang: Lang): Draft {
  const subject = clause(input.subject);
  const draft = newDraft(t('notice.supervision.title'), subject, t('notice.addressee', { name: input.unit }));
  const { caseNumber, transferredOn } = input;
  paragraph(draft, t('notice.supervision.matter', { transferredOn, caseNumber, subject }));
  const reason = t(SUPERVISION_REASONS[input.reason]);
  paragraph(
    draft,
    input.detail
      ? t('notice.supervision.findingDetail', { reason, detail: clause(input.detail) })
      : t('notice.supervision.finding', { reason }),
  );
  right(draft, t('notice.supervision.demand', { basis: basis(draft, [40], lang), replyDueAt: input.replyDueAt }));
  right(draft, t('notice.supervision.escalation'));
  return draft;
}
