/**
 * Every statutory notice as a document in the official layout (GB/T 9704-2012: title, document number, addressee,
 * body, issuer, date), composed from the catalogue. Pure: activities compose a notice from the IDs and dates the
 * workflow carries and the words they read from MongoDB, store it, and print it (notices/pdf.ts).
 *
 *   composeNotice(input, lang = 'zh-CN')  → NoticeDocument    (input: NoticeInput, one type per notice kind)
 *   noticeText(document)                   → plain text, for e-mail, SMS links and the tracking page
 *   formatDocumentNumber({ prefix, year, sequence }) → 杭环信复〔2026〕12号
 */
import { DEFAULT_LANG, formatLocalDate, translator, type Lang } from '../i18n';
import { consultationAnswer, mediation, reportResult, suggestionReply, supervision } from './by-kind';
import { formatDocumentNumber } from './document-number';
import type { Draft, T } from './draft';
import { opinion, reReviewOpinion, reviewOpinion } from './opinions';
import { acceptance, diversion, extension, notAccepted, notAcceptedAgain, termination, transfer } from './petition';
import type { NoticeDocument, NoticeInput } from './types';

export type * from './types';
export { formatDocumentNumber } from './document-number';
export { diversionRoute, referralRoute } from './petition';

function draftOf(input: NoticeInput, t: T, lang: Lang): Draft {
  switch (input.kind) {
    case 'acceptance':
      return acceptance(input, t, lang);
    case 'notAccepted':
      return notAccepted(input, t, lang);
    case 'notAcceptedAgain':
      return notAcceptedAgain(input, t, lang);
    case 'transfer':
      return transfer(input, t, lang);
    case 'extension':
      return extension(input, t, lang);
    case 'opinion':
      return opinion(input, t, lang);
    case 'reviewOpinion':
      return reviewOpinion(input, t, lang);
    case 'reReviewOpinion':
      return reReviewOpinion(input, t, lang);
    case 'termination':
      return termination(input, t, lang);
    case 'diversion':
      return diversion(input, t, lang);
    case 'consultationAnswer':
      return consultationAnswer(input, t);
    case 'suggestionReply':
      return suggestionReply(input, t, lang);
    case 'reportResult':
      return reportResult(input, t, lang);
    case 'mediation':
      return mediation(input, t, lang, input.issuer);
    case 'supervision':
      return supervision(input, t, lang);
  }
}

export function composeNotice(input: NoticeInput, lang: Lang = DEFAULT_LANG): NoticeDocument {
  const draft = draftOf(input, translator(lang), lang);
  return {
    kind: input.kind,
    lang,
    documentNumber: formatDocumentNumber(input.documentNumber),
    caseNumber: input.caseNumber,
    issuer: input.issuer,
    date: formatLocalDate(input.issuedOn, lang),
    issuedOn: formatLocalDate(input.issuedOn, 'en'),
    ...draft,
  };
}

/** Two ideographic spaces: the first-line indent of a Chinese paragraph. */
const INDENT = '\u3000\u3000';

/**
 * The notice as plain text, in print order: title and number, addressee (or parties), the body with its headings,
 * signature lines, and the issuer and date at the end.
 */
export function noticeText(doc: NoticeDocument): string {
  const indent = doc.lang === 'zh-CN' ? INDENT : '';
  const lines = [doc.title, doc.documentNumber, ''];
  if (doc.parties) lines.push(...doc.parties, '');
  if (doc.addressee) lines.push(doc.addressee);
  for (const block of doc.blocks) lines.push(`${indent}${block.text}`);
  if (doc.signatures) lines.push('', ...doc.signatures);
  lines.push('', doc.issuer, doc.date);
  return `${lines.join('\n')}\n`;
}
