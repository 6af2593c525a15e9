/** Notices along the petition's way: accepted or not, where it went, more time, diverted, concluded. */
import { translate, type Lang, type MessageKey } from '../i18n';
import { periodText } from '../deadline-text';
import {
  basis,
  clause,
  paragraph,
  petitionDraft,
  petitionIntro,
  right,
  routeSentence,
  type Draft,
  type T,
} from './draft';
import type {
  AcceptanceNotice,
  DiversionNotice,
  DiversionRoute,
  ExtensionNotice,
  NotAcceptedAgainNotice,
  NotAcceptedNotice,
  Route,
  TerminationNotice,
  TransferNotice,
} from './types';
import type { Diversion, Referral } from '../types';

export function acceptance(input: AcceptanceNotice, t: T, lang: Lang): Draft {
  const draft = petitionDraft(t('notice.acceptance.title'), t, input);
  paragraph(draft, petitionIntro(t, input));
  // Art 23: the competent unit tells the petitioner it accepted; Art 34: concluded within the handling period.
  paragraph(
    draft,
    t('notice.acceptance.decision', { basis: basis(draft, [23, 34], lang), acceptedOn: input.acceptedOn }),
  );
  const { length, unit, dueAt } = input.handling;
  right(draft, t('notice.acceptance.handling', { period: periodText(length, unit, lang), dueAt }));
  right(
    draft,
    input.trackingCode
      ? t('notice.acceptance.tracking', { trackingCode: input.trackingCode })
      : t('notice.acceptance.trackingOnline'),
  );
  return draft;
}

export function notAccepted(input: NotAcceptedNotice, t: T, lang: Lang): Draft {
  const draft = petitionDraft(t('notice.notAccepted.title'), t, input);
  paragraph(draft, petitionIntro(t, input));
  const reason = clause(input.reason);
  paragraph(draft, t('notice.notAccepted.decision', { reason, basis: basis(draft, [22, 23], lang) }));
  right(draft, routeSentence(t, input.referral));
  return draft;
}

export function notAcceptedAgain(input: NotAcceptedAgainNotice, t: T, lang: Lang): Draft {
  const draft = petitionDraft(t('notice.notAcceptedAgain.title'), t, input);
  paragraph(draft, petitionIntro(t, input));
  const earlierCaseNumber = input.earlierCaseNumber;
  paragraph(draft, t('notice.notAcceptedAgain.decision', { earlierCaseNumber, basis: basis(draft, [36], lang) }));
  right(draft, t('notice.assistance', { basis: basis(draft, [37], lang) }));
  return draft;
}

export function transfer(input: TransferNotice, t: T, lang: Lang): Draft {
  const title = t(input.mode === 'assign' ? 'notice.assign.title' : 'notice.transfer.title');
  const draft = petitionDraft(title, t, input);
  paragraph(draft, petitionIntro(t, input));
  const citation = basis(draft, [22, 23], lang);
  const { unit, transferredOn } = input;
  paragraph(
    draft,
    input.mode === 'assign'
      ? t('notice.assign.decision', { basis: citation, unit, transferredOn, dueAt: input.dueAt })
      : t('notice.transfer.decision', { basis: citation, unit, transferredOn }),
  );
  const period = periodText(input.notifyWithin.length, input.notifyWithin.unit, lang);
  right(draft, t('notice.transfer.rights', { unit, period }));
  return draft;
}

export function extension(input: ExtensionNotice, t: T, lang: Lang): Draft {
  const draft = petitionDraft(t('notice.extension.title'), t, input);
  paragraph(draft, petitionIntro(t, input));
  paragraph(
    draft,
    t('notice.extension.decision', {
      acceptedOn: input.acceptedOn,
      reason: clause(input.reason),
      previousDueAt: input.previousDueAt,
      basis: basis(draft, [34], lang),
      days: input.days,
      dueAt: input.dueAt,
    }),
  );
  right(draft, t('notice.extension.rights'));
  return draft;
}

const PROCEDURES = {
  litigation: 'notice.procedure.litigation',
  arbitration: 'notice.procedure.arbitration',
  administrativeReconsideration: 'notice.procedure.administrativeReconsideration',
  partyAppeal: 'notice.procedure.partyAppeal',
} as const satisfies Record<Exclude<DiversionRoute['route'], 'administrativeProcedure'>, MessageKey>;

function procedureName(t: T, diversion: DiversionRoute): string {
  if (diversion.route === 'administrativeProcedure') {
    return t('notice.procedure.administrativeProcedure', { procedure: diversion.procedure });
  }
  return t(PROCEDURES[diversion.route]);
}

export function diversion(input: DiversionNotice, t: T, lang: Lang): Draft {
  const draft = petitionDraft(t('notice.diversion.title'), t, input);
  paragraph(draft, petitionIntro(t, input));
  const procedure = procedureName(t, input.diversion);
  paragraph(draft, t('notice.diversion.decision', { procedure, basis: basis(draft, [31], lang) }));
  right(draft, routeSentence(t, input.diversion));
  right(draft, t('notice.diversion.limitation'));
  return draft;
}

export function termination(input: TerminationNotice, t: T, lang: Lang): Draft {
  const draft = petitionDraft(t('notice.termination.title'), t, input);
  paragraph(draft, petitionIntro(t, input));
  const final = input.finalOpinion;
  const reReviewed = final.kind === 'reReviewOpinion';
  const params = {
    issuer: final.issuer,
    issuedOn: final.issuedOn,
    title: translate(lang, reReviewed ? 'document.reReviewOpinion' : 'document.reviewOpinion'),
    number: final.documentNumber,
    basis: basis(draft, [36], lang),
  };
  paragraph(draft, t(reReviewed ? 'notice.termination.afterReReview' : 'notice.termination.afterReview', params));
  right(draft, t('notice.termination.finality'));
  right(draft, t('notice.assistance', { basis: basis(draft, [37], lang) }));
  return draft;
}

/** Where the office sends a petitioner it does not accept (Art 22, 23), by the referral its decision names. */
const REFERRAL_ROUTES = {
  court: 'litigation',
  procuratorate: 'procuratorate',
  arbitration: 'arbitration',
  administrative_review: 'administrativeReconsideration',
  discipline: 'discipline',
  people_congress: 'peoplesCongress',
} as const satisfies Record<Exclude<Referral, 'other'>, Route['route']>;

/** The organ and procedure a not-accepted notice names for a referral, in the notice's language. */
export function referralRoute(referral: Referral, t: T): Route {
  if (referral === 'other') {
    return { route: 'other', organ: t('notice.organ.other'), procedure: t('notice.procedure.other') };
  }
  const route = REFERRAL_ROUTES[referral];
  return { route, organ: t(`notice.organ.${route}`) };
}

/** The statutory procedure a diverted matter goes to (Art 31), with the organ the deciding unit named. */
const DIVERSION_ROUTES = {
  litigation: 'litigation',
  arbitration: 'arbitration',
  administrative_reconsideration: 'administrativeReconsideration',
  party_appeal: 'partyAppeal',
} as const satisfies Record<Exclude<Diversion, 'other_administrative'>, DiversionRoute['route']>;

export function diversionRoute(diversion: Diversion, organ: string, t: T): DiversionRoute {
  if (diversion === 'other_administrative') {
    return { route: 'administrativeProcedure', organ, procedure: t('notice.procedure.otherAdministrative') };
  }
  return { route: DIVERSION_ROUTES[diversion], organ };
}
