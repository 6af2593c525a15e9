/**
 * GeoReport v2 ⇄ Xinfang, pure: an Open311 request (form fields or JSON) becomes the intake body of POST /v1/cases,
 * and a case record, or the workflow's state before the record is written, becomes the public service request.
 * No I/O: the routes read the store and the workflow and hand the results here.
 */
import type { z } from 'zod';
import { localIsoOf } from '../../domain/calendar';
import { regionChain } from '../../domain/directory';
import { DEFAULT_LANG, translate, translator, type Lang } from '../../domain/i18n';
import { END_STAGES, mayBePublished, STAGES, type Publication, type Stage } from '../../domain/types';
import { issueText } from '../problem';
import { IntakeBody } from '../schemas';
import { safeParseIn } from '../validation';
import { serviceOf } from './catalogue';
import { PostRequestBody, type PostRequestAnswer, type ServiceRequest } from './schemas';

/** Open311 error descriptions, in the caller's language: at least one. */
export type Descriptions = [string, ...string[]];

/** What a translation gives: the value, or why the request is refused (400). */
export type Translation<T> = { ok: true; value: T } | { ok: false; descriptions: Descriptions };

/** A validation failure as Open311 descriptions, `field: message` each, fields named as the client knows them. */
export function fieldDescriptions(error: z.ZodError, lang: Lang, field: (path: string) => string): Descriptions {
  const [first, ...rest] = error.issues.map((issue) =>
    translate(lang, 'problem.detail.field', { field: field(issue.path.join('.')), message: issueText(issue, lang) }),
  );
  return [first!, ...rest];
}

// ── Open311 request → intake ─────────────────────────────────────────────────────────────────────────────────────

/** Open311 form fields arrive flat (`attribute[kind]`); JSON bodies nest them. Both end up in `attribute`. */
export function readRequest(body: unknown, lang: Lang): Translation<PostRequestBody> {
  const raw = { ...((body ?? {}) as Record<string, unknown>) };
  const attribute: Record<string, unknown> = { ...((raw.attribute as Record<string, unknown> | undefined) ?? {}) };
  for (const [key, value] of Object.entries(raw)) {
    const match = /^attribute\[(.+)\]$/.exec(key);
    if (match) attribute[match[1]!] = value;
  }
  const parsed = safeParseIn(PostRequestBody, { ...raw, attribute }, lang);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    descriptions: fieldDescriptions(parsed.error, lang, (path) => path || translate(lang, 'open311.field.body')),
  };
}

const OPEN311_FIELDS: Record<string, string> = {
  subject: 'description',
  content: 'description',
  category: 'service_code',
  kind: 'attribute[kind]',
  'petitioner.name': 'first_name / last_name',
  'petitioner.email': 'email',
  'petitioner.phone': 'phone',
};

/** An intake field by the name an Open311 client sent it under. */
export function open311Field(path: string, lang: Lang): string {
  return path === 'regionCode' ? translate(lang, 'open311.field.regionCode') : (OPEN311_FIELDS[path] ?? path);
}

const CJK = /^[\u3400-\u9fff]+$/;

/** The petitioner's name: a Chinese name family name first, unspaced; any other given name first. */
export function petitionerName(first: string | undefined, last: string | undefined): string {
  return last && first && CJK.test(last) && CJK.test(first)
    ? `${last}${first}`
    : [first, last].filter(Boolean).join(' ');
}

/**
 * Open311 fields → the intake body of POST /v1/cases. The service code is the category; `attribute[kind]` the kind
 * (a complaint when not given); the region is `jurisdiction_id` or `attribute[region_code]`, never guessed from a
 * position: an address and coordinates (both lat and long) go into the content for the clerks to read.
 */
export function toIntake(post: PostRequestBody, lang: Lang): Translation<IntakeBody> {
  const attribute = post.attribute ?? {};
  const regionCode = post.jurisdiction_id ?? attribute.region_code;
  if (!regionCode) return { ok: false, descriptions: [translate(lang, 'open311.error.regionRequired')] };
  const location = [post.address_string, post.lat && post.long ? `${post.lat}, ${post.long}` : undefined].filter(
    Boolean,
  );
  const firstLine = post.description
    .split(/\r?\n/)
    .find((line) => line.trim())!
    .trim();
  const name = petitionerName(post.first_name, post.last_name);
  const candidate = {
    channel: 'online',
    kind: attribute.kind ?? 'complaint',
    subject: firstLine.length > 200 ? `${firstLine.slice(0, 199)}…` : firstLine,
    // The content is the clerks' to read: in the office's language whatever the client's.
    content: location.length
      ? translate(DEFAULT_LANG, 'open311.content.withLocation', {
          description: post.description,
          location: location.join(' — '),
        })
      : post.description,
    regionCode,
    category: post.service_code,
    petitioner: {
      name: name || '匿名 (anonymous)',
      ...(post.email ? { email: post.email } : {}),
      ...(post.phone ? { phone: post.phone } : {}),
    },
    anonymous: !name,
    confidential: attribute.confidential === 'true',
    publicationConsent: attribute.publication_consent === 'true',
  };
  const parsed = safeParseIn(IntakeBody, candidate, lang);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, descriptions: fieldDescriptions(parsed.error, lang, (path) => open311Field(path, lang)) };
}

/** What registration gave, as the answer to POST requests: the public ID, and what the registering front-end keeps. */
export function createdRequest(
  registered: { caseId: string; caseNumber: string; trackingCode: string; pin: string; deadlines: { dueAt: string }[] },
  publicId: string,
  lang: Lang,
): PostRequestAnswer[number] {
  const dispose = registered.deadlines[0];
  const t = translator(lang);
  return {
    service_request_id: publicId,
    case_id: registered.caseId,
    service_notice: dispose
      ? t('open311.notice.registeredDecideBy', { caseNumber: registered.caseNumber, dueAt: dispose.dueAt })
      : t('open311.notice.registered', { caseNumber: registered.caseNumber }),
    account_id: null,
    tracking_code: registered.trackingCode,
    pin: registered.pin,
  };
}

// ── Case → public service request ────────────────────────────────────────────────────────────────────────────────

/** What a public view is made of: a case record, or the workflow's state before the record is written. */
export interface PublicSource {
  publicId?: string | null;
  stage?: string | null;
  category?: string | null;
  subject?: string | null;
  regionCode?: string | null;
  units?: string[] | null;
  leadUnit?: string | null;
  receivedAt?: Date | null;
  registeredAt?: Date | null;
  nextDeadlineAt?: Date | null;
  updatedAt?: Date;
}

const REVIEW_STAGES: Stage[] = ['review_requested', 'review_replied', 're_review_requested', 'terminated'];

/** The unit holding the case now: the reviewer during review, otherwise the lead unit. */
export function currentUnit(doc: PublicSource): string | undefined {
  return REVIEW_STAGES.includes(doc.stage as Stage) ? doc.units?.at(-1) : (doc.leadUnit ?? undefined);
}

/** The agency responsible: the current unit by name (its code if unnamed); before transfer, the region's office. */
export function agencyName(
  doc: PublicSource,
  names: ReadonlyMap<string, string>,
  offices: readonly { name: string; regionCode?: string | null }[],
): string | null {
  const code = currentUnit(doc);
  if (code) return names.get(code) ?? code;
  for (const region of regionChain(doc.regionCode ?? '')) {
    const office = offices.find((o) => o.regionCode === region);
    if (office) return office.name;
  }
  return null;
}

/** Open311's two statuses: closed once the case has ended, open before. */
export function statusOf(stage: string | null | undefined): ServiceRequest['status'] {
  return END_STAGES.includes(stage as Stage) ? 'closed' : 'open';
}

/** Where the request stands, and while it is open, the deadline it is under. */
export function statusNotes(stage: string, nextDeadlineAt: Date | null | undefined, lang: Lang): string {
  const t = translator(lang);
  if (!(STAGES as readonly string[]).includes(stage)) return stage;
  const note = t(`open311.status.${stage as Stage}`);
  if (END_STAGES.includes(stage as Stage) || !nextDeadlineAt) return note;
  return t('open311.status.withDeadline', { note, dueAt: nextDeadlineAt.toISOString() });
}

/**
 * Published text never carries what looks like a phone or ID number: every run of seven or more digits (groups
 * joined by a space or hyphen count as one run, full-width digits too, an ID number's final X with it) is masked.
 */
export function maskLongNumbers(text: string): string {
  return text.replace(/[0-9０-９](?:[ -]?[0-9０-９]){6,}[Xx]?/g, (run) => run.replace(/[0-9０-９Xx]/g, '*'));
}

/** A case as the public sees it; `now` stands for its times when the source has none. */
export function serviceRequestOf(doc: PublicSource, agency: string | null, lang: Lang, now: Date): ServiceRequest {
  const updatedAt = doc.updatedAt ?? doc.registeredAt ?? now;
  return {
    service_request_id: doc.publicId ?? '',
    status: statusOf(doc.stage),
    status_notes: statusNotes(doc.stage as Stage, doc.nextDeadlineAt, lang),
    service_name: serviceOf(doc.category ?? 'other', lang).service_name,
    service_code: doc.category ?? 'other',
    description: maskLongNumbers(doc.subject ?? ''),
    agency_responsible: agency,
    requested_datetime: localIsoOf(doc.receivedAt ?? doc.registeredAt ?? updatedAt),
    updated_datetime: localIsoOf(updatedAt),
    expected_datetime: doc.nextDeadlineAt ? localIsoOf(doc.nextDeadlineAt) : null,
  };
}

/** The sealed intake record's fields the public view of a pending request needs. */
export interface PendingIntake {
  kind: string;
  confidential: boolean;
  publicationConsent?: boolean;
  publicId?: string;
  category: string;
  subject: string;
  regionCode: string;
  receivedAt: string;
  registeredAt: string;
}

/** The workflow's live state, when it answered. */
export interface LiveState {
  stage: string;
  units: string[];
  leadUnit?: string;
  nextDeadline?: string;
}

/** Whether the public may see a request under this public ID: it is the request's, and the request may be published. */
export function isPublishable(request: Publication & { publicId?: string | null }, publicId: string): boolean {
  return mayBePublished(request) && request.publicId === publicId;
}

/** A request whose record is not written yet, from its intake record and, when it answered, the workflow. */
export function pendingSource(intake: PendingIntake, publicId: string, view: LiveState | undefined): PublicSource {
  return {
    publicId,
    stage: view?.stage ?? 'registered',
    category: intake.category,
    subject: intake.subject,
    regionCode: intake.regionCode,
    units: view?.units ?? [],
    leadUnit: view?.leadUnit,
    receivedAt: new Date(intake.receivedAt),
    registeredAt: new Date(intake.registeredAt),
    nextDeadlineAt: view?.nextDeadline ? new Date(view.nextDeadline) : undefined,
    updatedAt: new Date(intake.registeredAt),
  };
}
