/**
 * Notices on record (送达): each notice to the petitioner is composed from its template, stored in the `notices`
 * collection under `<caseId>:<kind>:<n>`, and served by the case's channel when a channel can serve it at once
 * (e-mail, SMS). Online notices wait for the petitioner to open the tracking page; printed ones for the office to
 * record their service (送达回证). The workflow receives the notice's ID and dates only.
 */
import type { Deadline } from '../domain/calendar';
import { localDateOf } from '../domain/calendar';
import type { NoticeKind } from '../domain/fields';
import { OFFICE_ISSUER } from '../domain/ids';
import {
  composeNotice,
  diversionRoute,
  noticeText,
  referralRoute,
  type NoticeDocument,
  type Period,
} from '../domain/notices';
import { DEFAULT_LANG, formatLocalDate, translate, translator } from '../domain/i18n';
import type { Channel, Diversion, Referral } from '../domain/types';
import { isDuplicateKey, type CaseDoc, type Store } from '../store/models';
import type { SmsSender } from './sms';

export const SERVICE_CHANNELS = ['email', 'sms', 'online', 'post', 'in_person'] as const;
export type ServiceChannel = (typeof SERVICE_CHANNELS)[number];
/** How a notice was served: a channel, or `online_deemed` once the profile's online period ran out unopened. */
export type ServiceMethod = ServiceChannel | 'online_deemed';

export interface IssueNoticeInput {
  caseId: string;
  kind: NoticeKind;
  /** The how-manieth notice of this kind in the case (the reply's round). */
  n: number;
  issuedAt: string;
  /** The issuing unit (OFFICE_ISSUER: the petition office, where the directory names none for the region). */
  unitCode: string;
  /** Acceptance: the handling deadline the notice states (Art 34). */
  handling?: Deadline;
  /** Not accepted, extension: the action whose words (`reason`) the notice gives (domain/ids.ts actionTextsId). */
  textsId?: string;
  /** Not accepted (Art 22, 23): where the petitioner may turn instead. */
  referral?: Referral;
  /** Not accepted again (Art 36): the concluded case of the same facts and reasons. */
  earlierCaseId?: string;
  /** Diverted (Art 31): the statutory procedure; the organ and the reason are words of the action. */
  diversion?: Diversion;
  /** Transfer or assignment (Art 22, 23): the unit, and when it tells the petitioner whether it accepts. */
  transfer?: { unitCode: string; mode: 'transfer' | 'assign'; notifyWithin: Period; dueAt?: string };
  /** Extension (Art 34): the handling period from acceptance, before and after. */
  extension?: { days: number; acceptedAt: string; previousDueAt: string; dueAt: string };
}

export interface IssuedNotice {
  noticeId: string;
  channel: ServiceChannel;
  servedAt?: string;
  method?: ServiceMethod;
}

export interface ServiceRecordInput {
  noticeId: string;
  servedAt?: string;
  /** A ServiceMethod, or `petitioner_acted`: the petitioner rated or asked for review on the reply. */
  method?: string;
  undeliverable?: boolean;
  at?: string;
}

interface NoticeDeps {
  store: Store;
  sendMail?: (message: { to: string; subject: string; text: string }) => Promise<boolean>;
  sendSms?: SmsSender;
}

/** The ways this petitioner can be reached, best first: e-mail, SMS, the tracking page, then paper. */
export function serviceChannels(
  record: Pick<CaseDoc, 'channel' | 'petitioner'>,
  can: { email: boolean; sms: boolean },
): ServiceChannel[] {
  const channels: ServiceChannel[] = [];
  if (can.email && record.petitioner?.email) channels.push('email');
  if (can.sms && record.petitioner?.phone) channels.push('sms');
  if ((record.channel as Channel) === 'online') channels.push('online');
  else channels.push(record.channel === 'visit' ? 'in_person' : 'post');
  return channels;
}

export function noticeActivities({ store, sendMail, sendSms }: NoticeDeps) {
  async function nextNumber(prefix: string, year: number): Promise<number> {
    const counter = await store.noticeNumbers
      .findOneAndUpdate({ _id: `${prefix}:${year}` }, { $inc: { sequence: 1 } }, { upsert: true, new: true })
      .lean();
    return counter.sequence!;
  }

  /**
   * Sets fields of a notice not yet served, writing by `_id` alone: FerretDB reads the whole collection for a filter of
   * `_id` and anything more, so "not yet served" is a read by `_id` just before. The workflow decides each notice's
   * service (it marks the notice served before it asks for the write, and asks once), so the read guards against a
   * late attempt of an activity landing on a notice served since; the moment between the read and the write stays
   * open to it, as it does for the case's projection (`setCaseProgress`).
   */
  async function setUnlessServed(noticeId: string, fields: Record<string, unknown>): Promise<void> {
    const current = await store.notices.findById(noticeId, { servedAt: 1 }).lean();
    if (!current || current.servedAt) return;
    await store.notices.updateOne({ _id: noticeId }, { $set: fields });
  }

  async function unitName(unitCode: string): Promise<string> {
    const unit = await store.units.findById(unitCode).lean();
    if (unit?.name) return unit.name;
    return unitCode === OFFICE_ISSUER ? translate(DEFAULT_LANG, 'notice.issuer.office') : unitCode;
  }

  /** The words an action kept in MongoDB for the notice: the reason a decision or a request gave, an organ. */
  async function wordsOf(textsId: string | undefined): Promise<Record<string, string | undefined>> {
    const texts = textsId ? await store.actionTexts.findById(textsId).lean() : undefined;
    return (texts?.texts as Record<string, string> | undefined) ?? {};
  }

  async function compose(input: IssueNoticeInput, record: CaseDoc): Promise<NoticeDocument> {
    const issuer = await unitName(input.unitCode);
    const issuedOn = localDateOf(input.issuedAt);
    const year = Number(issuedOn.slice(0, 4));
    const documentNumber = async (abbreviation: string) => ({
      prefix: `${issuer.slice(0, 2)}${abbreviation}`,
      year,
      sequence: await nextNumber(input.kind === 'acceptance' ? issuer : `${issuer}:${input.kind}`, year),
    });
    const petition = {
      issuer,
      issuedOn,
      caseNumber: record.caseNumber,
      petitioner: record.petitioner?.name ?? '',
      receivedOn: localDateOf(new Date(record.receivedAt ?? record.registeredAt ?? input.issuedAt).toISOString()),
      channel: record.channel as Channel,
      request: record.request ?? record.subject ?? '',
    };
    const t = translator(DEFAULT_LANG);
    switch (input.kind) {
      case 'acceptance': {
        const handling = input.handling!;
        return composeNotice({
          kind: 'acceptance',
          documentNumber: await documentNumber('信受'),
          ...petition,
          acceptedOn: issuedOn,
          handling: { length: handling.length, unit: handling.unit, dueAt: handling.dueAt },
          ...(record.channel === 'online' ? {} : { trackingCode: record.trackingCode }),
        });
      }
      case 'not_accepted':
        return composeNotice({
          kind: 'notAccepted',
          documentNumber: await documentNumber('信不受'),
          ...petition,
          reason: (await wordsOf(input.textsId)).reason ?? '',
          referral: referralRoute(input.referral ?? 'other', t),
        });
      case 'not_accepted_again': {
        const earlier = await store.cases.findById(input.earlierCaseId).lean();
        return composeNotice({
          kind: 'notAcceptedAgain',
          documentNumber: await documentNumber('信不受'),
          ...petition,
          earlierCaseNumber: earlier?.caseNumber ?? input.earlierCaseId ?? '',
        });
      }
      case 'diversion': {
        const words = await wordsOf(input.textsId);
        return composeNotice({
          kind: 'diversion',
          documentNumber: await documentNumber('信导'),
          ...petition,
          diversion: diversionRoute(input.diversion ?? 'other_administrative', words.organ ?? '', t),
        });
      }
      case 'transfer': {
        const transfer = input.transfer!;
        const common = {
          documentNumber: await documentNumber(transfer.mode === 'assign' ? '信交' : '信转'),
          ...petition,
          unit: await unitName(transfer.unitCode),
          transferredOn: issuedOn,
          notifyWithin: transfer.notifyWithin,
        };
        return composeNotice(
          transfer.mode === 'assign' && transfer.dueAt
            ? { kind: 'transfer', ...common, mode: 'assign', dueAt: transfer.dueAt }
            : { kind: 'transfer', ...common, mode: 'transfer' },
        );
      }
      case 'extension': {
        const extension = input.extension!;
        return composeNotice({
          kind: 'extension',
          documentNumber: await documentNumber('信延'),
          ...petition,
          acceptedOn: localDateOf(extension.acceptedAt),
          reason: (await wordsOf(input.textsId)).reason ?? '',
          days: extension.days,
          previousDueAt: extension.previousDueAt,
          dueAt: extension.dueAt,
        });
      }
      case 'reply':
        break;
    }
    // The reply as deliverReply composed it (Art 32), laid out as a document of its own.
    const reply = (record.replies as Record<string, { title: string; text: string }> | undefined)?.[String(input.n)];
    if (!reply) throw new Error(`case ${input.caseId} has no reply of round ${input.n} yet`);
    const [, ...body] = reply.text.split('\n');
    return {
      kind: input.n === 1 ? 'reviewOpinion' : input.n === 2 ? 'reReviewOpinion' : 'opinion',
      lang: DEFAULT_LANG,
      title: reply.title,
      documentNumber: `${issuer.slice(0, 2)}信复〔${year}〕${await nextNumber(`${issuer}:reply`, year)}号`,
      caseNumber: record.caseNumber,
      addressee: record.petitioner?.name ? `${record.petitioner.name}：` : undefined,
      matter: record.request ?? record.subject ?? '',
      blocks: body.map((text) => ({ type: 'paragraph' as const, text })),
      legalBasis: [],
      rights: body.slice(-1),
      issuer,
      date: formatLocalDate(issuedOn, DEFAULT_LANG),
      issuedOn,
    };
  }

  async function serve(channel: ServiceChannel, record: CaseDoc, doc: NoticeDocument, text: string) {
    if (channel === 'email' && sendMail && record.petitioner?.email) {
      return sendMail({ to: record.petitioner.email, subject: doc.title, text });
    }
    if (channel === 'sms' && sendSms && record.petitioner?.phone) {
      const sms = translate(DEFAULT_LANG, 'notice.sms', {
        caseNumber: record.caseNumber,
        title: doc.title,
        trackingCode: record.trackingCode,
      });
      return sendSms({ to: record.petitioner.phone, text: sms });
    }
    return false;
  }

  return {
    /** Composes the notice, stores it once, and serves it at once where e-mail or SMS can. */
    async issueNotice(input: IssueNoticeInput): Promise<IssuedNotice> {
      const noticeId = `${input.caseId}:${input.kind}:${input.n}`;
      const record = await store.cases.findById(input.caseId).lean();
      if (!record) throw new Error(`case ${input.caseId} has no record yet`);
      let notice = await store.notices.findById(noticeId).lean();
      if (!notice) {
        const document = await compose(input, record);
        const channels = serviceChannels(record, { email: !!sendMail, sms: !!sendSms });
        try {
          await store.notices.create({
            _id: noticeId,
            caseId: input.caseId,
            kind: input.kind,
            documentNumber: document.documentNumber,
            title: document.title,
            text: noticeText(document),
            document,
            channel: channels[0],
            createdAt: new Date(input.issuedAt),
          });
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
        }
        notice = await store.notices.findById(noticeId).lean();
      }
      if (notice!.servedAt) {
        const channel = notice!.channel as ServiceChannel;
        return {
          noticeId,
          channel,
          servedAt: notice!.servedAt.toISOString(),
          method: notice!.serviceMethod as ServiceMethod,
        };
      }
      // E-mail, then SMS; a channel that fails hands the notice to the next (in the end: online, or paper).
      for (const channel of serviceChannels(record, { email: !!sendMail, sms: !!sendSms })) {
        if (channel === 'online' || channel === 'post' || channel === 'in_person') {
          await setUnlessServed(noticeId, { channel });
          return { noticeId, channel };
        }
        const document = notice!.document as NoticeDocument;
        if (await serve(channel, record, document, notice!.text ?? '')) {
          const servedAt = new Date();
          await setUnlessServed(noticeId, { channel, servedAt, serviceMethod: channel });
          return { noticeId, channel, servedAt: servedAt.toISOString(), method: channel };
        }
      }
      return { noticeId, channel: notice!.channel as ServiceChannel };
    },

    /** The service the office recorded (送达回证), the petitioner's first look online, or "undeliverable". */
    async recordService(input: ServiceRecordInput): Promise<void> {
      if (input.undeliverable) {
        await setUnlessServed(input.noticeId, {
          undeliverable: true,
          undeliverableAt: new Date(input.at ?? Date.now()),
        });
        return;
      }
      await setUnlessServed(input.noticeId, {
        servedAt: new Date(input.servedAt!),
        serviceMethod: input.method,
        undeliverable: false,
      });
    },
  };
}
