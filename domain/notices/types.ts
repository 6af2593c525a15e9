/**
 * What a notice is made from, and what it becomes. The inputs are the codes, IDs and dates the workflow carries and
 * the words (names, the request, reasons) an activity reads from MongoDB; a notice is composed in the activity and
 * never passes through Temporal.
 *
 * Dates are `YYYY-MM-DD` local dates (Asia/Shanghai) or ISO instants; deadlines (`dueAt`) are the end instant of
 * the last day, as every Deadline has it (`…T00:00:00+08:00` of the next day).
 */
import type { Lang } from '../i18n';
import type { Channel, Decision, LocalDate, PeriodUnit } from '../types';

/** 发文字号 (GB/T 9704-2012 §7.2.4): the issuer's abbreviation, the year and the sequence, `杭环信复〔2026〕12号`. */
export interface DocumentNumber {
  prefix: string;
  year: number;
  sequence: number;
}

/** What every notice has: its number, its issuer and its date, and the case it is about. */
export interface NoticeBase {
  documentNumber: DocumentNumber;
  /** The issuing unit's full name (发文机关署名). */
  issuer: string;
  /** 成文日期. */
  issuedOn: string;
  /** `XF-330106-20261201-T4356M`: the number the petitioner reads out. */
  caseNumber: string;
}

/** A notice to the petitioner, which restates the petition: who, when, by which channel, asking what. */
export interface PetitionNoticeBase extends NoticeBase {
  /** The petitioner, or the representative of a group petition. A report's notice goes to the reporter only. */
  petitioner: string;
  receivedOn: string;
  channel: Channel;
  /** The petitioner's request (信访诉求) as registered. */
  request: string;
}

export interface Period {
  length: number;
  unit: PeriodUnit;
}

/**
 * Where the petitioner may turn instead (不予受理, Art 22–23) or is sent (导入, Art 31): the procedure and the organ.
 * `administrativeProcedure` and `other` name their procedure (`行政裁决`, `《某某条例》规定的程序`).
 */
export type Route =
  | { [R in OrganRoute]: { route: R; organ: string } }[OrganRoute]
  | { [R in NamedRoute]: { route: R; organ: string; procedure: string } }[NamedRoute];

type OrganRoute =
  | 'litigation'
  | 'procuratorate'
  | 'arbitration'
  | 'administrativeReconsideration'
  | 'partyAppeal'
  | 'discipline'
  | 'peoplesCongress';
type NamedRoute = 'administrativeProcedure' | 'other';

export type DiversionRoute = Extract<
  Route,
  { route: 'litigation' | 'arbitration' | 'administrativeReconsideration' | 'partyAppeal' | 'administrativeProcedure' }
>;

/** 受理告知书 (Art 23, 34): accepted, and when it will be concluded. */
export interface AcceptanceNotice extends PetitionNoticeBase {
  kind: 'acceptance';
  acceptedOn: string;
  /** The handling clock (C5) from acceptance. */
  handling: Period & { dueAt: string };
  /** The tracking code printed for letter and visit petitioners (the PIN never is). */
  trackingCode?: string;
}

/** 不予受理告知书 (Art 22, 23): the reason, and the organ and procedure to turn to. */
export interface NotAcceptedNotice extends PetitionNoticeBase {
  kind: 'notAccepted';
  reason: string;
  referral: Route;
}

/** 不再受理告知书 (Art 36): the same facts and reasons as a matter already concluded. */
export interface NotAcceptedAgainNotice extends PetitionNoticeBase {
  kind: 'notAcceptedAgain';
  earlierCaseNumber: string;
}

/** 转送告知 / 交办告知 (Art 22, 23): where the matter went, and when that unit answers. */
export type TransferNotice = PetitionNoticeBase & {
  kind: 'transfer';
  unit: string;
  transferredOn: string;
  /** The notify clock (C2): the unit tells the petitioner whether it accepts within this period. */
  notifyWithin: Period;
} & ({ mode: 'transfer' } | { mode: 'assign'; dueAt: string });

/** 延长办理期限告知书 (Art 34): the reason the unit gave, and the new deadline. */
export interface ExtensionNotice extends PetitionNoticeBase {
  kind: 'extension';
  acceptedOn: string;
  reason: string;
  days: number;
  previousDueAt: string;
  dueAt: string;
}

/** Art 32's three decisions; the other kinds' outcomes have notices of their own (by-kind.ts). */
export type OpinionDecision = Extract<Decision, 'support' | 'explain' | 'not_support'>;

/** The decision of an opinion (Art 32): request, facts and reasons, decision, its legal basis. */
export interface OpinionContent {
  decision: OpinionDecision;
  factsAndReasons: string;
  /** The substantive law the unit relies on; the regulation's own article is added. */
  legalBasis: string;
  /** Art 32: a supported request says what is done, by when. */
  execution?: { measures: string; dueAt: string };
}

/** The next appeal (复查 Art 35, 复核 Art 36): to whom, within how many days, and until when once served. */
export interface NextAppeal {
  /** The organ to ask; the next-higher unit when not named. */
  organ?: string;
  days: number;
  /** Known once the notice is served (the window runs from receipt); the text says "within N days" without it. */
  dueAt?: string;
}

/** An opinion an appeal is brought against. */
export interface EarlierOpinion {
  issuer: string;
  documentNumber: string;
  issuedOn: string;
}

/** 处理意见书 (Art 32). */
export interface OpinionNotice extends PetitionNoticeBase, OpinionContent {
  kind: 'opinion';
  acceptedOn: string;
  review: NextAppeal;
}

/** 复查意见书 (Art 35). */
export interface ReviewOpinionNotice extends PetitionNoticeBase, OpinionContent {
  kind: 'reviewOpinion';
  requestedOn: string;
  original: EarlierOpinion;
  reReview: NextAppeal;
}

/** 复核意见书 (Art 36): final. */
export interface ReReviewOpinionNotice extends PetitionNoticeBase, OpinionContent {
  kind: 'reReviewOpinion';
  requestedOn: string;
  original: EarlierOpinion;
  /** Art 36: a hearing, when one was held. */
  hearingOn?: string;
}

/** 终结告知书 (Art 36): the matter is concluded; the same facts and reasons are not accepted again. */
export interface TerminationNotice extends PetitionNoticeBase {
  kind: 'termination';
  finalOpinion: EarlierOpinion & { kind: 'reviewOpinion' | 'reReviewOpinion' };
}

/** 导入告知 (Art 31): the matter belongs to a statutory procedure; the case ends `diverted`. */
export interface DiversionNotice extends PetitionNoticeBase {
  kind: 'diversion';
  diversion: DiversionRoute;
}

/** 咨询答复 (issue 14): a consultation answered; rated, no review. */
export interface ConsultationAnswer extends PetitionNoticeBase {
  kind: 'consultationAnswer';
  answer: string;
  /** The rules the answer rests on, as the answering unit cites them. */
  basis?: string;
  /** The rating window (C6), once known. */
  ratingDueAt?: string;
}

/** 建议意见答复 (Art 29): adopted, partly adopted or not adopted, with reasons; no review. */
export interface SuggestionReply extends PetitionNoticeBase {
  kind: 'suggestionReply';
  matterKind: 'suggestion' | 'opinion';
  outcome: 'adopted' | 'partly_adopted' | 'not_adopted';
  reasons: string;
  measures?: string;
  /** Art 29: a suggestion that contributed is rewarded. */
  contribution?: boolean;
}

/** 检举控告处理结果告知 (Art 30): to a named reporter only; an anonymous one gets none. */
export interface ReportResultNotice extends PetitionNoticeBase {
  kind: 'reportResult';
  result: string;
}

/** 调解协议 / 和解协议 (Art 33): the agreement that ends the matter. */
export interface MediationRecord extends PetitionNoticeBase {
  kind: 'mediation';
  form: 'mediation' | 'settlement';
  /** The other party (a company, a unit, a neighbour). */
  otherParty: string;
  /** Who mediated; a settlement has none. */
  mediator?: string;
  terms: string[];
}

export type SupervisionReason = 'delay' | 'evasion' | 'perfunctory' | 'falsification' | 'nonExecution' | 'other';

/**
 * 督办函 (Art 40): to a unit, about a case it holds. It names the case by number and subject, never the petitioner:
 * for a report that would name the reporter to a unit.
 */
export interface SupervisionLetter extends NoticeBase {
  kind: 'supervision';
  unit: string;
  subject: string;
  transferredOn: string;
  reason: SupervisionReason;
  detail?: string;
  replyDueAt: string;
}

export type NoticeInput =
  | AcceptanceNotice
  | NotAcceptedNotice
  | NotAcceptedAgainNotice
  | TransferNotice
  | ExtensionNotice
  | OpinionNotice
  | ReviewOpinionNotice
  | ReReviewOpinionNotice
  | TerminationNotice
  | DiversionNotice
  | ConsultationAnswer
  | SuggestionReply
  | ReportResultNotice
  | MediationRecord
  | SupervisionLetter;

export type NoticeKind = NoticeInput['kind'];

export interface NoticeBlock {
  /** A heading (一、信访诉求) or a paragraph, indented two characters in print. */
  type: 'heading' | 'paragraph';
  text: string;
}

/** A notice in its official layout (GB/T 9704-2012), ready to print as text or PDF. */
export interface NoticeDocument {
  kind: NoticeKind;
  lang: Lang;
  title: string;
  documentNumber: string;
  caseNumber: string;
  /** 主送: the petitioner, or the unit a supervision letter goes to. An agreement lists its parties instead. */
  addressee?: string;
  parties?: string[];
  /** The matter as the notice restates it: the request, or a supervised case's subject. */
  matter: string;
  /** The body in reading order; it contains the matter, the legal basis and the rights below. */
  blocks: NoticeBlock[];
  /** The citations the notice rests on. */
  legalBasis: string[];
  /** What the addressee may do next, and until when. */
  rights: string[];
  /** Signature lines of an agreement's parties. */
  signatures?: string[];
  issuer: string;
  /** 成文日期 as printed: 2026年12月1日. */
  date: string;
  issuedOn: LocalDate;
}
