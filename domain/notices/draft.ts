/** The pieces every notice template uses: the draft a template fills, and the sentences notices share. */
import { cite, translator, type Lang, type MessageKey } from '../i18n';
import type { Channel } from '../types';
import type { NoticeBlock, NoticeDocument, PetitionNoticeBase, Route } from './types';

/** What a template writes; composeNotice adds the number, issuer, date and case number. */
export type Draft = Pick<NoticeDocument, 'title' | 'matter' | 'blocks' | 'legalBasis' | 'rights'> &
  Partial<Pick<NoticeDocument, 'addressee' | 'parties' | 'signatures'>>;

export type T = ReturnType<typeof translator>;

export function newDraft(title: string, matter: string, addressee?: string): Draft {
  return { title, matter, blocks: [], legalBasis: [], rights: [], ...(addressee ? { addressee } : {}) };
}

export function paragraph(draft: Draft, text: string): void {
  draft.blocks.push({ type: 'paragraph', text });
}

export function heading(draft: Draft, text: string): void {
  draft.blocks.push({ type: 'heading', text } satisfies NoticeBlock);
}

/** A right or a deadline told to the addressee: a paragraph of the body, listed too. */
export function right(draft: Draft, text: string): void {
  draft.rights.push(text);
  paragraph(draft, text);
}

/** Articles of 信访工作条例 the notice rests on, recorded once; returns the citation for the sentence. */
export function basis(draft: Draft, articles: number[], lang: Lang): string {
  const citation = cite('xinfang', articles, lang);
  if (!draft.legalBasis.includes(citation)) draft.legalBasis.push(citation);
  return citation;
}

/** The request as a clause: its own closing punctuation is dropped, the sentence supplies its own. */
export function clause(text: string): string {
  return text.trim().replace(/[。．.！!？?；;，,、\s]+$/u, '');
}

const CHANNELS = {
  letter: 'channel.letter',
  visit: 'channel.visit',
  phone: 'channel.phone',
  online: 'channel.online',
  fax: 'channel.fax',
} as const satisfies Record<Channel, MessageKey>;

export function channelWords(t: T, channel: Channel): string {
  return t(CHANNELS[channel]);
}

/** A notice to the petitioner: the request is its matter, and it is addressed to the petitioner by name. */
export function petitionDraft(title: string, t: T, input: PetitionNoticeBase): Draft {
  return newDraft(title, clause(input.request), t('notice.addressee', { name: input.petitioner }));
}

/** The petition as a notice restates it: when, by which channel, under which number, asking what. */
export function petitionParams(t: T, input: PetitionNoticeBase) {
  return {
    receivedOn: input.receivedOn,
    channel: channelWords(t, input.channel),
    caseNumber: input.caseNumber,
    request: clause(input.request),
  };
}

/** 你于2026年11月20日来信反映的信访事项（信访事项编号：…）已收悉。你的诉求是：…。 */
export function petitionIntro(t: T, input: PetitionNoticeBase): string {
  return t('notice.intro', petitionParams(t, input));
}

/** `你可以依法向杭州市西湖区人民法院提起诉讼。` — where to turn, by route. */
export function routeSentence(t: T, route: Route): string {
  switch (route.route) {
    case 'litigation':
      return t('notice.route.litigation', { organ: route.organ });
    case 'procuratorate':
      return t('notice.route.procuratorate', { organ: route.organ });
    case 'arbitration':
      return t('notice.route.arbitration', { organ: route.organ });
    case 'administrativeReconsideration':
      return t('notice.route.administrativeReconsideration', { organ: route.organ });
    case 'partyAppeal':
      return t('notice.route.partyAppeal', { organ: route.organ });
    case 'discipline':
      return t('notice.route.discipline', { organ: route.organ });
    case 'peoplesCongress':
      return t('notice.route.peoplesCongress', { organ: route.organ });
    case 'administrativeProcedure':
      return t('notice.route.administrativeProcedure', { organ: route.organ, procedure: route.procedure });
    case 'other':
      return t('notice.route.other', { organ: route.organ, procedure: route.procedure });
  }
}
