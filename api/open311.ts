/**
 * A GeoReport v2 (Open311) facade, in XML (the spec's baseline) and JSON alike: every path ends in `.xml` or `.json`,
 * errors included, and `/open311/discovery.*` tells clients where it is. The public sees services and the progress of the requests whose
 * petitioners agreed to publication, under a public ID that is not the case ID, with long digit runs (phone and ID
 * numbers) masked; never a misconduct report (Art 30), a confidential case or anyone's identity. Intake front-ends
 * register requests with their API key. Errors take Open311's form, `[{ code, description }]`, with the HTTP status.
 */
import express, { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { WorkflowNotFoundError } from '@temporalio/client';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { z } from 'zod';
import { localIsoOf } from '../domain/calendar';
import { regionChain } from '../domain/directory';
import { caseWorkflowId, PUBLIC_ID_PATTERN } from '../domain/ids';
import {
  DEFAULT_LANG,
  message,
  renderMessage,
  translate,
  translator,
  type Lang,
  type MessageKey,
} from '../domain/i18n';
import { END_STAGES, KINDS, STAGES, type Stage } from '../domain/types';
import type { IntakeRecord } from '../store/intake-record';
import { trusted, type CaseDoc, type Store } from '../store/models';
import type { CaseWorkflowInput } from '../workflows/case-state';
import { caseViewQuery } from '../workflows/messages';
import type { AppDeps } from './app';
import type { KeyRing } from './auth';
import { publicRequestId, registerCase } from './intake';
import { hasBody } from './limits';
import { ITEMS as ITEM, toXml, XML_CONTENT_TYPE } from './open311-xml';
import { requestLanguage } from './language';
import { HttpProblem, fieldErrorText, issueText, problemTitle, problems, unavailableProblem } from './problem';
import { safeParseIn } from './validation';
import { IdempotencyKey, IntakeBody } from './schemas';

// ── The service catalogue: service_code = case category ──────────────────────────────────────────────────────────

/** Categories offered even where no routing rule names them: those cases go to the region's general office. */
const CATALOGUED = [
  'environment',
  'housing',
  'public_security',
  'labour',
  'transport',
  'education',
  'health',
  'urban_management',
  'other',
] as const;
type CataloguedService = (typeof CATALOGUED)[number];

const isCatalogued = (code: string): code is CataloguedService => (CATALOGUED as readonly string[]).includes(code);

const Service = z
  .object({
    service_code: z.string(),
    service_name: z.string(),
    description: z.string(),
    metadata: z.boolean(),
    type: z.enum(['realtime', 'batch', 'blackbox']),
    keywords: z.string(),
    group: z.string(),
  })
  .openapi('Open311Service');
type Service = z.infer<typeof Service>;

const Attribute = z
  .object({
    variable: z.boolean(),
    code: z.string(),
    datatype: z.enum(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']),
    required: z.boolean(),
    datatype_description: z.string().nullable(),
    order: z.number().int(),
    description: z.string(),
    values: z.array(z.object({ key: z.string(), name: z.string() })).optional(),
  })
  .openapi('Open311Attribute');

const ServiceDefinition = z
  .object({ service_code: z.string(), attributes: z.array(Attribute) })
  .openapi('Open311ServiceDefinition');

/** A yes/no attribute, no when not given. */
function yesNo(code: string, order: number, description: string, lang: Lang): z.infer<typeof Attribute> {
  const t = translator(lang);
  return {
    variable: true,
    code,
    datatype: 'singlevaluelist',
    required: false,
    datatype_description: null,
    order,
    description,
    values: [
      { key: 'false', name: t('open311.attribute.no') },
      { key: 'true', name: t('open311.attribute.yes') },
    ],
  };
}

/** What a request form asks for, in the reader's language: people fill it in from these descriptions. */
function attributes(lang: Lang): z.infer<typeof Attribute>[] {
  const t = translator(lang);
  return [
    {
      variable: true,
      code: 'region_code',
      datatype: 'string',
      required: true,
      datatype_description: t('open311.attribute.regionCode.datatype'),
      order: 1,
      description: t('open311.attribute.regionCode'),
    },
    {
      variable: true,
      code: 'kind',
      datatype: 'singlevaluelist',
      required: false,
      datatype_description: null,
      order: 2,
      description: t('open311.attribute.kind'),
      values: KINDS.map((key) => ({ key, name: t(`open311.kind.${key}`) })),
    },
    yesNo('confidential', 3, t('open311.attribute.confidential'), lang),
    yesNo('publication_consent', 4, t('open311.attribute.publicationConsent'), lang),
  ];
}

function serviceOf(code: string, lang: Lang): Service {
  const t = translator(lang);
  const name = isCatalogued(code) ? t(`open311.service.${code}`) : t('open311.service.uncatalogued', { code });
  return {
    service_code: code,
    service_name: name,
    description: t('open311.service.description', { name }),
    metadata: true,
    type: 'batch',
    keywords: isCatalogued(code) ? t(`open311.service.${code}.keywords`) : '',
    group: 'letters_and_visits',
  };
}

/** The service codes: the catalogue's plus every category a routing rule names. */
async function serviceCodes(store: Store): Promise<string[]> {
  const rules = await store.routingRules.find().select({ categories: 1 }).lean();
  return [...new Set<string>([...CATALOGUED, ...rules.flatMap((r) => r.categories ?? [])])].sort();
}

/** Intake needs only Temporal: while MongoDB is away, any well-formed category is taken and routed by the workflow. */
async function isService(store: Store, code: string): Promise<boolean> {
  try {
    return (await serviceCodes(store)).includes(code);
  } catch {
    return isCatalogued(code) || /^[a-z][a-z0-9_]{1,39}$/.test(code);
  }
}

// ── Requests ─────────────────────────────────────────────────────────────────────────────────────────────────────

const Scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);

/** POST requests.json, as JSON or as Open311's form fields (`attribute[region_code]=330106`). */
const PostRequestBody = z
  .object({
    api_key: z.string().optional(),
    jurisdiction_id: z.string().optional(),
    service_code: z.string().min(1),
    description: z.string().trim().min(1).max(20_000),
    first_name: z.string().trim().max(50).optional(),
    last_name: z.string().trim().max(50).optional(),
    email: z.string().trim().optional(),
    phone: z.string().trim().optional(),
    address_string: z.string().trim().max(300).optional(),
    lat: Scalar.optional(),
    long: Scalar.optional(),
    attribute: z.record(z.string(), Scalar).optional(),
  })
  .openapi('Open311RequestBody', {
    example: {
      jurisdiction_id: '330106',
      service_code: 'environment',
      description: 'Construction noise at night\nThe site on Wensan Road works past midnight.',
      first_name: '三',
      last_name: '张',
      phone: '13800000000',
      attribute: { kind: 'complaint' },
    },
  });
type PostRequestBody = z.infer<typeof PostRequestBody>;

const PostRequestAnswer = z
  .array(
    z.object({
      service_request_id: z.string().openapi({ description: 'The public ID (never the case ID)' }),
      case_id: z.string().openapi({
        description: 'Extension, for the registering front-end only: the case ID of the /v1 API',
      }),
      service_notice: z.string(),
      account_id: z.null().openapi({ description: 'Open311: no accounts here; always null (an empty element in XML)' }),
      tracking_code: z.string().openapi({ description: "Extension: the petitioner's tracking code for /v1/track" }),
      pin: z.string().openapi({ description: 'Extension: shown once; the petitioner needs it with the tracking code' }),
    }),
  )
  .openapi('Open311RequestCreated');

const ServiceRequest = z
  .object({
    service_request_id: z.string().openapi({ description: 'The public ID, derived from the case ID with a secret' }),
    status: z.enum(['open', 'closed']),
    status_notes: z.string(),
    service_name: z.string(),
    service_code: z.string(),
    description: z.string().openapi({
      description: 'The subject only, runs of 7 or more digits masked; never the content or the petitioner',
    }),
    agency_responsible: z.string().nullable(),
    requested_datetime: z.string(),
    updated_datetime: z.string(),
    expected_datetime: z.string().nullable().openapi({ description: 'The current statutory deadline' }),
  })
  .openapi('Open311ServiceRequest');
type ServiceRequest = z.infer<typeof ServiceRequest>;

const Open311Error = z.array(z.object({ code: z.number().int(), description: z.string() })).openapi('Open311Errors');

/** Open311's own rules give their message as a catalogue key, rendered in the caller's language (see `invalid`). */
type RuleKey = Extract<MessageKey, `open311.rule.${string}`>;
const ruleKey = (key: RuleKey): string => key;

const PublicIdList = z
  .string()
  .transform((list) => list.split(',').map((id) => id.trim()))
  .pipe(z.array(z.string().regex(PUBLIC_ID_PATTERN, ruleKey('open311.rule.serviceRequestIds'))).max(100));

const RequestsQuery = z.object({
  service_request_id: PublicIdList.optional(),
  service_code: z.string().optional(),
  start_date: z.iso.datetime({ offset: true }).optional(),
  end_date: z.iso.datetime({ offset: true }).optional(),
  status: z
    .string()
    .transform((list) => list.split(',').map((s) => s.trim()))
    .pipe(z.array(z.enum(['open', 'closed'])))
    .optional(),
  jurisdiction_id: z
    .string()
    .regex(/^\d{2}(\d{2}){0,2}$/, ruleKey('open311.rule.jurisdictionId'))
    .optional(),
});

const LIST_LIMIT = 1000;
const DEFAULT_SPAN_MS = 90 * 24 * 3_600_000;
const REVIEW_STAGES: Stage[] = ['review_requested', 'review_replied', 're_review_requested', 'terminated'];

/** What the public may see at all: what the petitioner agreed to publish, no reports (Art 30), nothing confidential. */
const PUBLIC = { publicationConsent: true, kind: trusted({ $ne: 'report' }), confidential: trusted({ $ne: true }) };

/**
 * Published text never carries what looks like a phone or ID number: every run of seven or more digits (groups
 * joined by a space or hyphen count as one run, full-width digits too, an ID number's final X with it) is masked.
 */
export function maskLongNumbers(text: string): string {
  return text.replace(/[0-9０-９](?:[ -]?[0-9０-９]){6,}[Xx]?/g, (run) => run.replace(/[0-9０-９Xx]/g, '*'));
}

/** What a public view is made of: a case record, or the workflow's state before the record is written. */
interface PublicSource {
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

/** The unit holding the case now: the reviewer during review, otherwise the lead unit. */
function currentUnit(doc: PublicSource): string | undefined {
  return REVIEW_STAGES.includes(doc.stage as Stage) ? doc.units?.at(-1) : (doc.leadUnit ?? undefined);
}

/** Names the current units; before transfer, the petition office of the case's region. */
async function agencies(store: Store, docs: PublicSource[]): Promise<(doc: PublicSource) => string | null> {
  const codes = [...new Set(docs.map(currentUnit).filter((c): c is string => !!c))];
  const [units, offices] = await Promise.all([
    store.units
      .find({ _id: trusted({ $in: codes }) })
      .select({ name: 1 })
      .lean(),
    store.units.find({ role: 'petition_office' }).select({ name: 1, regionCode: 1 }).lean(),
  ]);
  const names = new Map(units.map((u) => [u._id, u.name]));
  return (doc) => {
    const code = currentUnit(doc);
    if (code) return names.get(code) ?? code;
    for (const region of regionChain(doc.regionCode ?? '')) {
      const office = offices.find((o) => o.regionCode === region);
      if (office) return office.name;
    }
    return null;
  };
}

/** Where the request stands, and while it is open, the deadline it is under. */
function statusNotes(stage: Stage, nextDeadlineAt: Date | null | undefined, lang: Lang): string {
  const t = translator(lang);
  if (!(STAGES as readonly string[]).includes(stage)) return stage;
  const note = t(`open311.status.${stage}`);
  if (END_STAGES.includes(stage) || !nextDeadlineAt) return note;
  return t('open311.status.withDeadline', { note, dueAt: nextDeadlineAt.toISOString() });
}

function publicView(doc: PublicSource, agency: (doc: PublicSource) => string | null, lang: Lang): ServiceRequest {
  const stage = doc.stage as Stage;
  const updatedAt = doc.updatedAt ?? doc.registeredAt ?? new Date();
  return {
    service_request_id: doc.publicId ?? '',
    status: END_STAGES.includes(stage) ? 'closed' : 'open',
    status_notes: statusNotes(stage, doc.nextDeadlineAt, lang),
    service_name: serviceOf(doc.category ?? 'other', lang).service_name,
    service_code: doc.category ?? 'other',
    description: maskLongNumbers(doc.subject ?? ''),
    agency_responsible: agency(doc),
    requested_datetime: localIsoOf(doc.receivedAt ?? doc.registeredAt ?? updatedAt),
    updated_datetime: localIsoOf(updatedAt),
    expected_datetime: doc.nextDeadlineAt ? localIsoOf(doc.nextDeadlineAt) : null,
  };
}

const LIST_FIELDS = {
  publicId: 1,
  kind: 1,
  confidential: 1,
  category: 1,
  regionCode: 1,
  subject: 1,
  stage: 1,
  units: 1,
  leadUnit: 1,
  receivedAt: 1,
  registeredAt: 1,
  nextDeadlineAt: 1,
  updatedAt: 1,
};

const OPEN311_FIELDS: Record<string, string> = {
  subject: 'description',
  content: 'description',
  category: 'service_code',
  kind: 'attribute[kind]',
  'petitioner.name': 'first_name / last_name',
  'petitioner.email': 'email',
  'petitioner.phone': 'phone',
};

/** Intake's field names as an Open311 client sent them. */
function open311Field(path: string, lang: Lang): string {
  return path === 'regionCode' ? translate(lang, 'open311.field.regionCode') : (OPEN311_FIELDS[path] ?? path);
}

/** 400 with one description per problem, already in the caller's language. */
function badRequest(descriptions: [string, ...string[]]): HttpProblem {
  return new HttpProblem(400, 'Bad Request', descriptions[0], { descriptions });
}

/** A validation failure as Open311 descriptions, `field: message` each, fields named as the client knows them. */
function invalid(error: z.ZodError, lang: Lang, field: (path: string) => string): HttpProblem {
  const [first, ...rest] = error.issues.map((issue) =>
    translate(lang, 'problem.detail.field', { field: field(issue.path.join('.')), message: issueText(issue, lang) }),
  );
  return badRequest([first!, ...rest]);
}

/** Open311 form fields arrive flat (`attribute[kind]`); JSON bodies nest them. */
function readPostBody(req: Request, lang: Lang): PostRequestBody {
  const raw = { ...((req.body ?? {}) as Record<string, unknown>) };
  const attribute: Record<string, unknown> = { ...((raw.attribute as Record<string, unknown> | undefined) ?? {}) };
  for (const [key, value] of Object.entries(raw)) {
    const match = /^attribute\[(.+)\]$/.exec(key);
    if (match) attribute[match[1]!] = value;
  }
  const parsed = safeParseIn(PostRequestBody, { ...raw, attribute }, lang);
  if (!parsed.success) throw invalid(parsed.error, lang, (path) => path || translate(lang, 'open311.field.body'));
  return parsed.data;
}

/** Open311 fields → the intake body of POST /v1/cases. */
function toIntake(post: PostRequestBody, lang: Lang): IntakeBody {
  const attribute = post.attribute ?? {};
  const regionCode = post.jurisdiction_id ?? attribute.region_code;
  if (!regionCode) throw badRequest([translate(lang, 'open311.error.regionRequired')]);
  const location = [post.address_string, post.lat && post.long ? `${post.lat}, ${post.long}` : undefined].filter(
    Boolean,
  );
  const firstLine = post.description
    .split(/\r?\n/)
    .find((line) => line.trim())!
    .trim();
  const cjk = /^[\u3400-\u9fff]+$/;
  const name =
    post.last_name && post.first_name && cjk.test(post.last_name) && cjk.test(post.first_name)
      ? `${post.last_name}${post.first_name}`
      : [post.first_name, post.last_name].filter(Boolean).join(' ');
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
  if (!parsed.success) throw invalid(parsed.error, lang, (path) => open311Field(path, lang));
  return parsed.data;
}

type Format = 'json' | 'xml';

/** The format a path asks for: XML when it ends in `.xml`, JSON otherwise (errors follow the path too). */
export function formatOf(path: string): Format {
  return /\.xml$/i.test(path) ? 'xml' : 'json';
}

/** The `:format` of a route: json or xml, anything else is no resource. */
function formatParam(req: Request): Format {
  const format = String(req.params.format).toLowerCase();
  if (format !== 'json' && format !== 'xml') throw noResource(req);
  return format;
}

function noResource(req: Request): HttpProblem {
  return problems.notFound(message('open311.error.noResource', { method: req.method, path: req.path }));
}

/** Sends `body` as JSON, or as XML under the spec's root element; its texts are in the language the caller asked. */
function send(res: Response, format: Format, root: string, body: unknown, status = 200): void {
  res.vary('Accept-Language');
  res.setHeader('Content-Language', requestLanguage(res.req));
  res.status(status);
  if (format === 'json') res.json(body);
  else res.set('Content-Type', XML_CONTENT_TYPE).send(toXml(root, body));
}

const LIVE_QUERY_TIMEOUT_MS = 2_000;

/**
 * A publishable request whose record the workflow has not written yet (the second or so after POST, or while
 * MongoDB was away at intake): intake noted its public ID, the workflow holds the sealed intake record and the
 * live stage. Undefined when the public may not see it.
 */
async function pendingRequest(deps: AppDeps, publicId: string, lang: Lang): Promise<ServiceRequest | undefined> {
  const noted = await deps.store.publicIds.findById(publicId).lean();
  if (!noted) return undefined;
  // Written since the first read: the record decides.
  const record = await deps.store.cases.findById(noted.caseId).select({ _id: 1 }).lean();
  if (record) {
    const doc = await deps.store.cases
      .findOne({ _id: noted.caseId, publicId, ...PUBLIC })
      .select(LIST_FIELDS)
      .lean<CaseDoc>();
    return doc ? publicView(doc, await agencies(deps.store, [doc]), lang) : undefined;
  }
  const handle = deps.client.workflow.getHandle(caseWorkflowId(noted.caseId));
  let history;
  try {
    history = await handle.fetchHistory();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  const [input] = (await decodeArrayFromPayloads(
    deps.client.options.loadedDataConverter,
    started?.input?.payloads,
  )) as [CaseWorkflowInput | undefined];
  if (!input?.sealedRecord) return undefined;
  const intake = deps.sealer.unseal<IntakeRecord>(input.sealedRecord);
  if (!intake.publicationConsent || intake.kind === 'report' || intake.confidential || intake.publicId !== publicId) {
    return undefined;
  }
  // No worker may be polling yet: the deadline ends the call itself, so no retry outlives the request.
  const view = await deps.client
    .withDeadline(Date.now() + LIVE_QUERY_TIMEOUT_MS, () => handle.query(caseViewQuery))
    .catch(() => undefined);
  const source: PublicSource = {
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
  return publicView(source, await agencies(deps.store, [source]), lang);
}

export function open311Router(deps: AppDeps & { keys: KeyRing }): Router {
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: '64kb' }));

  router.get('/services.:format', async (req, res) => {
    const format = formatParam(req);
    const lang = requestLanguage(req);
    send(
      res,
      format,
      'services',
      (await serviceCodes(deps.store)).map((code) => serviceOf(code, lang)),
    );
  });

  router.get('/services/:code.:format', async (req, res) => {
    const format = formatParam(req);
    const code = String(req.params.code);
    if (!(await serviceCodes(deps.store)).includes(code)) {
      throw problems.notFound(message('open311.error.noService', { code, format }));
    }
    send(res, format, 'service_definition', { service_code: code, attributes: attributes(requestLanguage(req)) });
  });

  router.post('/requests.:format', async (req, res) => {
    const format = formatParam(req);
    const lang = requestLanguage(req);
    if (hasBody(req) && !req.is(['application/json', 'application/x-www-form-urlencoded'])) {
      throw new HttpProblem(415, 'Unsupported Media Type', message('open311.error.mediaType'));
    }
    const post = readPostBody(req, lang);
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const key = bearer ?? post.api_key ?? (typeof req.query.api_key === 'string' ? req.query.api_key : undefined);
    if (!key) throw problems.unauthorized(message('open311.error.apiKeyRequired'));
    const principal = await deps.keys.resolve(key);
    if (!principal) throw problems.unauthorized(message('open311.error.apiKeyUnknown'));
    if (principal.role !== 'intake' && principal.role !== 'office') {
      throw problems.forbidden(message('open311.error.role', { role: principal.role }));
    }
    if (!(await isService(deps.store, post.service_code))) {
      const noService = translate(lang, 'open311.error.noService', { code: post.service_code, format });
      throw badRequest([translate(lang, 'problem.detail.field', { field: 'service_code', message: noService })]);
    }
    const idempotencyKey = safeParseIn(IdempotencyKey, req.get('Idempotency-Key'), lang);
    if (!idempotencyKey.success) throw invalid(idempotencyKey.error, lang, () => 'Idempotency-Key');
    const result = await registerCase(deps, principal, toIntake(post, lang), idempotencyKey.data);
    const dispose = result.deadlines[0];
    const t = translator(lang);
    const answer: z.infer<typeof PostRequestAnswer> = [
      {
        service_request_id: publicRequestId(deps.sealer, result.caseId),
        case_id: result.caseId,
        service_notice: dispose
          ? t('open311.notice.registeredDecideBy', { caseNumber: result.caseNumber, dueAt: dispose.dueAt })
          : t('open311.notice.registered', { caseNumber: result.caseNumber }),
        account_id: null,
        tracking_code: result.trackingCode,
        pin: result.pin,
      },
    ];
    send(res, format, 'service_requests', answer, result.created ? 201 : 200);
  });

  router.get('/requests.:format', async (req, res) => {
    const format = formatParam(req);
    const lang = requestLanguage(req);
    const parsed = safeParseIn(RequestsQuery, req.query, lang);
    if (!parsed.success) throw invalid(parsed.error, lang, (path) => path);
    const query = parsed.data;
    const filter: Record<string, unknown> = { ...PUBLIC };
    if (query.service_request_id) {
      // Open311: with service_request_id, the other parameters are ignored.
      filter.publicId = trusted({ $in: query.service_request_id });
    } else {
      const end = query.end_date ? new Date(query.end_date) : new Date();
      const start = query.start_date ? new Date(query.start_date) : new Date(end.getTime() - DEFAULT_SPAN_MS);
      filter.receivedAt = trusted({ $gte: start, $lte: end });
      if (query.service_code) filter.category = query.service_code;
      const statuses = new Set(query.status ?? []);
      if (statuses.size === 1) filter.stage = trusted({ [statuses.has('open') ? '$nin' : '$in']: [...END_STAGES] });
      // A province (2 digits), city (4) or county (6): the cases whose region lies in it.
      if (query.jurisdiction_id) {
        filter.regionCode =
          query.jurisdiction_id.length === 6 ? query.jurisdiction_id : trusted({ $regex: `^${query.jurisdiction_id}` });
      }
    }
    const docs = await deps.store.cases
      .find(filter)
      .select(LIST_FIELDS)
      .sort({ receivedAt: -1 })
      .limit(LIST_LIMIT)
      .lean<CaseDoc[]>();
    const agency = await agencies(deps.store, docs);
    const views = docs.map((doc) => publicView(doc, agency, lang));
    // Asked for by ID, a request just posted is there before its record is (a list never waits on workflows).
    const found = new Set(views.map((v) => v.service_request_id));
    for (const id of query.service_request_id ?? []) {
      if (found.has(id)) continue;
      const pending = await pendingRequest(deps, id, lang);
      if (pending) views.push(pending);
    }
    send(res, format, 'service_requests', views);
  });

  router.get('/requests/:id.:format', async (req, res) => {
    const format = formatParam(req);
    const lang = requestLanguage(req);
    const id = String(req.params.id);
    if (!PUBLIC_ID_PATTERN.test(id)) throw problems.notFound(message('open311.error.noRequest', { id }));
    // A report, a confidential case or one not to be published answers exactly like one that does not exist.
    const doc = await deps.store.cases
      .findOne({ publicId: id, ...PUBLIC })
      .select(LIST_FIELDS)
      .lean<CaseDoc>();
    const view = doc ? publicView(doc, await agencies(deps.store, [doc]), lang) : await pendingRequest(deps, id, lang);
    if (!view) throw problems.notFound(message('open311.error.noRequest', { id }));
    send(res, format, 'service_requests', [view]);
  });

  router.use((req) => {
    throw noResource(req);
  });
  return router;
}

/** When this API last changed in a way an Open311 client would notice (the discovery document's changeset). */
const CHANGESET = '2026-12-01T00:00:00Z';

const Discovery = z
  .object({
    changeset: z.string(),
    contact: z.string(),
    key_service: z.string(),
    endpoints: z.array(
      z.object({
        specification: z.string(),
        url: z.string(),
        changeset: z.string(),
        type: z.enum(['production', 'test']),
        formats: z.array(z.string()),
      }),
    ),
  })
  .openapi('Open311Discovery');

/** Service discovery (GeoReport v2): where the endpoint is and which formats it speaks, at `/open311/discovery.*`. */
export function open311DiscoveryRouter(): Router {
  const router = Router();
  router.get('/discovery.:format', (req, res) => {
    const format = formatParam(req);
    const t = translator(requestLanguage(req));
    const discovery: z.infer<typeof Discovery> = {
      changeset: CHANGESET,
      contact: t('open311.discovery.contact'),
      key_service: t('open311.discovery.keyService'),
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: `${req.protocol}://${req.host}/open311/v2`,
          changeset: CHANGESET,
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    };
    send(res, format, 'discovery', discovery);
  });
  return router;
}

/** Every error under /open311, including the body parser's and the rate limit's, in Open311's form and format. */
export const open311Errors: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  let problem: HttpProblem;
  if (error instanceof HttpProblem) problem = error;
  else {
    const status = (error as { status?: unknown }).status;
    problem =
      typeof status === 'number' && status >= 400 && status < 500
        ? new HttpProblem(status, 'Bad Request', (error as Error).message)
        : (unavailableProblem(error) ??
          new HttpProblem(500, 'Internal Server Error', message('problem.detail.internal')));
    if (problem.status === 500) req.log?.error({ err: error }, 'unhandled error');
  }
  if (problem.status === 429 || problem.status === 503)
    res.setHeader('Retry-After', String((problem.extra.retryAfter as number | undefined) ?? 5));
  const lang = requestLanguage(req);
  const descriptions = (problem.extra.descriptions as string[] | undefined) ??
    problem.fieldErrors?.map((e) =>
      translate(lang, 'problem.detail.field', { field: e.field, message: fieldErrorText(e, lang) }),
    ) ?? [
      problem.detailMessage
        ? renderMessage(problem.detailMessage, lang)
        : (problem.detail ?? problemTitle(problem.status, lang, problem.title)),
    ];
  send(
    res,
    formatOf(req.path),
    'errors',
    descriptions.map((description) => ({ code: problem.status, description })),
    problem.status,
  );
};

export function registerOpen311Paths(registry: OpenAPIRegistry): void {
  const errors = (description: string) => ({
    description: `${description}; \`<errors><error><code/><description/></error></errors>\` in XML`,
    content: { 'application/json': { schema: Open311Error }, 'text/xml': { schema: z.string() } },
  });
  /** Both formats: the JSON schema, and XML whose elements carry the same names under `root`. */
  const body = <T extends z.ZodType>(description: string, schema: T, root: string) => ({
    description: `${description}. XML: the same fields as elements under \`<${root}>\`, each list item named after its list (\`<${root}><${ITEM[root] ?? root}>\`).`,
    content: { 'application/json': { schema }, 'text/xml': { schema: z.string() } },
  });
  const format = z.enum(['json', 'xml']).openapi({ description: "The answer's format: GeoReport v2's XML or JSON" });
  const tags = ['Open311 GeoReport v2'];
  registry.registerPath({
    method: 'get',
    path: '/open311/discovery.{format}',
    tags,
    summary: 'Service discovery: the endpoint, its specification (GeoReport v2) and formats',
    request: { params: z.object({ format }) },
    responses: { 200: body('The discovery document', Discovery, 'discovery'), 404: errors('No such format') },
  });
  registry.registerPath({
    method: 'get',
    path: '/open311/v2/services.{format}',
    tags,
    summary: 'Services: one per case category (service_code = category)',
    request: { params: z.object({ format }) },
    responses: { 200: body('The service list', z.array(Service), 'services'), 404: errors('No such format') },
  });
  registry.registerPath({
    method: 'get',
    path: '/open311/v2/services/{service_code}.{format}',
    tags,
    summary: "A service's definition: the attributes a request may carry",
    request: { params: z.object({ service_code: z.string().openapi({ example: 'environment' }), format }) },
    responses: {
      200: body('The definition', ServiceDefinition, 'service_definition'),
      404: errors('No such service or format'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/open311/v2/requests.{format}',
    tags,
    summary: 'Register a request as a case (intake or office key: api_key field or Bearer)',
    request: {
      params: z.object({ format }),
      headers: z.object({ 'Idempotency-Key': z.string().optional() }),
      body: {
        content: {
          'application/x-www-form-urlencoded': { schema: PostRequestBody },
          'application/json': { schema: PostRequestBody },
        },
      },
    },
    responses: {
      201: body('Registered; readable by its service_request_id at once', PostRequestAnswer, 'service_requests'),
      200: body('Same Idempotency-Key and body: the request registered before', PostRequestAnswer, 'service_requests'),
      400: errors('A field is missing or invalid, e.g. no jurisdiction_id or attribute[region_code]'),
      401: errors('No or unknown API key'),
      403: errors('The key may not register requests'),
      404: errors('No such format'),
      409: errors('Idempotency-Key reused with a different body'),
      413: errors('Body larger than 256 kB'),
      415: errors('Neither form fields nor JSON'),
      503: errors('Temporal is unreachable; Retry-After says when to try again'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/open311/v2/requests.{format}',
    tags,
    summary:
      'Public list of the requests whose petitioners agreed to publication: never reports, confidential cases or identities',
    request: {
      params: z.object({ format }),
      query: RequestsQuery.extend({
        service_request_id: z.string().optional().openapi({
          description:
            'Comma-separated public IDs; the other parameters are then ignored, and a request just posted is found before its record is written',
        }),
        jurisdiction_id: z.string().optional().openapi({
          description: 'Only requests in this province, city or county: a 2-, 4- or 6-digit division code (3301)',
        }),
        status: z.string().optional().openapi({ description: 'open, closed, or open,closed' }),
      }),
    },
    responses: {
      200: body(
        'Newest first, at most 1000; the last 90 days unless dates are given',
        z.array(ServiceRequest),
        'service_requests',
      ),
      400: errors('Invalid query'),
      404: errors('No such format'),
      503: errors('MongoDB is unreachable; Retry-After says when to try again'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/open311/v2/requests/{service_request_id}.{format}',
    tags,
    summary: 'One request by its public ID, as a list of one; readable at once after POST (from the workflow)',
    request: {
      params: z.object({ service_request_id: z.string().openapi({ description: 'The public ID' }), format }),
    },
    responses: {
      200: body('The request', z.array(ServiceRequest), 'service_requests'),
      404: errors('No such public request, or no such format'),
      503: errors('MongoDB or Temporal is unreachable; Retry-After says when to try again'),
    },
  });
}
