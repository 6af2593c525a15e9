/**
 * A GeoReport v2 (Open311) facade, JSON only: the public sees services and the progress of the requests whose
 * petitioners agreed to publication, under a public ID that is not the case ID, with long digit runs (phone and ID
 * numbers) masked; never a misconduct report (Art 30), a confidential case or anyone's identity. Intake front-ends
 * register requests with their API key. Errors take Open311's form, `[{ code, description }]`, with the HTTP status.
 */
import express, { Router, type ErrorRequestHandler, type Request } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { regionChain } from '../domain/directory';
import { END_STAGES, KINDS, type Kind, type Stage } from '../domain/types';
import { trusted, type CaseDoc, type Store } from '../store/models';
import type { AppDeps } from './app';
import type { KeyRing } from './auth';
import { publicRequestId, registerCase } from './intake';
import { hasBody } from './limits';
import { HttpProblem, problems } from './problem';
import { IdempotencyKey, IntakeBody } from './schemas';

// ── The service catalogue: service_code = case category ──────────────────────────────────────────────────────────

/** Categories offered even where no routing rule names them: those cases go to the region's general office. */
const CATALOGUE: Record<string, { name: string; keywords: string[] }> = {
  environment: { name: 'Environment (生态环境)', keywords: ['noise', 'pollution', 'waste'] },
  housing: { name: 'Housing and construction (住房城乡建设)', keywords: ['demolition', 'property', 'construction'] },
  public_security: { name: 'Public security (公安)', keywords: ['police', 'safety', 'household registration'] },
  labour: { name: 'Labour and social security (人力社保)', keywords: ['wages', 'pension', 'employment'] },
  transport: { name: 'Transport (交通运输)', keywords: ['roads', 'buses', 'taxis'] },
  education: { name: 'Education (教育)', keywords: ['schools', 'enrolment'] },
  health: { name: 'Health (卫生健康)', keywords: ['hospitals', 'medical'] },
  urban_management: { name: 'Urban management (城市管理)', keywords: ['street vendors', 'sanitation', 'parking'] },
  other: { name: 'Other matters (其他)', keywords: [] },
};

const KIND_NAMES: Record<Kind, string> = {
  suggestion: 'Suggestion (建议)',
  opinion: 'Opinion or criticism (意见)',
  complaint: 'Complaint (投诉)',
  request: 'Request to solve a problem (申诉求决)',
  report: 'Report of misconduct (检举控告) — never listed publicly',
  consultation: 'Consultation (咨询)',
};

const STATUS_NOTES: Record<Stage, string> = {
  registered: 'Registered; the petition office decides whether to accept it.',
  not_accepted: 'Not accepted; the petitioner was told why and where to turn instead.',
  transferred: 'Transferred to the competent unit.',
  assigned: 'Assigned to the competent unit with a deadline.',
  acknowledged: 'The competent unit has received the request.',
  accepted: 'The competent unit has accepted the request.',
  handling: 'The competent unit is handling the request.',
  result_submitted: 'The unit has decided; the written reply is on its way.',
  reply_delivered: 'A written reply was delivered to the petitioner.',
  review_requested: 'The petitioner asked for a review; the unit above is reviewing.',
  review_replied: 'The review opinion was delivered to the petitioner.',
  re_review_requested: 'The petitioner asked for a re-review.',
  resolved: 'Closed: answered, and no review was asked.',
  terminated: 'Closed: the review procedure has ended (终结).',
  withdrawn: 'Closed: withdrawn by the petitioner.',
  merged: 'Closed: attached to an earlier request about the same matter.',
  closed: 'Closed.',
  awaiting_execution: 'Answered; the unit is carrying out the decision.',
  redo: 'Returned to the unit to be handled again.',
  answered: 'Closed: the consultation was answered.',
  diverted: 'Closed: directed to the procedure the law provides for it.',
};

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
function yesNo(code: string, order: number, description: string): z.infer<typeof Attribute> {
  return {
    variable: true,
    code,
    datatype: 'singlevaluelist',
    required: false,
    datatype_description: null,
    order,
    description,
    values: [
      { key: 'false', name: 'No' },
      { key: 'true', name: 'Yes' },
    ],
  };
}

const ATTRIBUTES: z.infer<typeof Attribute>[] = [
  {
    variable: true,
    code: 'region_code',
    datatype: 'string',
    required: true,
    datatype_description: '6-digit administrative division code, e.g. 330106; jurisdiction_id may carry it instead',
    order: 1,
    description: 'Where the matter is (行政区划代码)',
  },
  {
    variable: true,
    code: 'kind',
    datatype: 'singlevaluelist',
    required: false,
    datatype_description: null,
    order: 2,
    description: 'What the request is; complaint when not given',
    values: KINDS.map((key) => ({ key, name: KIND_NAMES[key] })),
  },
  yesNo('confidential', 3, 'Keep the request out of public listings'),
  yesNo(
    'publication_consent',
    4,
    'The petitioner agrees to the public listing of the subject and progress (no when not given)',
  ),
];

function serviceOf(code: string): Service {
  const known = CATALOGUE[code];
  const name = known?.name ?? code.charAt(0).toUpperCase() + code.slice(1).replace(/_/g, ' ');
  return {
    service_code: code,
    service_name: name,
    description: `Letters and visits (信访) about ${name.toLowerCase()}: registered, sent to the competent unit and answered in writing within the statutory deadlines.`,
    metadata: true,
    type: 'batch',
    keywords: (known?.keywords ?? []).join(','),
    group: 'letters_and_visits',
  };
}

/** The catalogue plus every category a routing rule names. */
async function listServices(store: Store): Promise<Service[]> {
  const rules = await store.routingRules.find().select({ categories: 1 }).lean();
  const codes = new Set([...Object.keys(CATALOGUE), ...rules.flatMap((r) => r.categories ?? [])]);
  return [...codes].sort().map(serviceOf);
}

/** Intake needs only Temporal: while MongoDB is away, any well-formed category is taken and routed by the workflow. */
async function isService(store: Store, code: string): Promise<boolean> {
  try {
    return (await listServices(store)).some((s) => s.service_code === code);
  } catch {
    return code in CATALOGUE || /^[a-z][a-z0-9_]{1,39}$/.test(code);
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

const PUBLIC_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{16}$/;

const PublicIdList = z
  .string()
  .transform((list) => list.split(',').map((id) => id.trim()))
  .pipe(z.array(z.string().regex(PUBLIC_ID_PATTERN, 'must be comma-separated service_request_id values')).max(100));

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
    .regex(/^\d{2}(\d{2}){0,2}$/, 'must be a province, city or county division code (2, 4 or 6 digits)')
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

/** ISO 8601 in Asia/Shanghai, as every date of the API reads. */
function shanghaiIso(date: Date): string {
  return `${new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

/** The unit holding the case now: the reviewer during review, otherwise the lead unit. */
function currentUnit(doc: CaseDoc): string | undefined {
  return REVIEW_STAGES.includes(doc.stage as Stage) ? doc.units?.at(-1) : (doc.leadUnit ?? undefined);
}

/** Names the current units; before transfer, the petition office of the case's region. */
async function agencies(store: Store, docs: CaseDoc[]): Promise<(doc: CaseDoc) => string | null> {
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

function publicView(doc: CaseDoc, agency: (doc: CaseDoc) => string | null): ServiceRequest {
  const stage = doc.stage as Stage;
  const updatedAt = (doc as { updatedAt?: Date }).updatedAt ?? doc.registeredAt ?? new Date();
  return {
    service_request_id: doc.publicId ?? '',
    status: END_STAGES.includes(stage) ? 'closed' : 'open',
    status_notes: STATUS_NOTES[stage] ?? stage,
    service_name: serviceOf(doc.category ?? 'other').service_name,
    service_code: doc.category ?? 'other',
    description: maskLongNumbers(doc.subject ?? ''),
    agency_responsible: agency(doc),
    requested_datetime: shanghaiIso(doc.receivedAt ?? doc.registeredAt ?? updatedAt),
    updated_datetime: shanghaiIso(updatedAt),
    expected_datetime: doc.nextDeadlineAt ? shanghaiIso(doc.nextDeadlineAt) : null,
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
  regionCode: 'jurisdiction_id or attribute[region_code]',
  kind: 'attribute[kind]',
  'petitioner.name': 'first_name / last_name',
  'petitioner.email': 'email',
  'petitioner.phone': 'phone',
};

function badRequest(description: string, more: string[] = []): HttpProblem {
  return new HttpProblem(400, 'Bad Request', description, { descriptions: [description, ...more] });
}

/** Open311 form fields arrive flat (`attribute[kind]`); JSON bodies nest them. */
function readPostBody(req: Request): PostRequestBody {
  const raw = { ...((req.body ?? {}) as Record<string, unknown>) };
  const attribute: Record<string, unknown> = { ...((raw.attribute as Record<string, unknown> | undefined) ?? {}) };
  for (const [key, value] of Object.entries(raw)) {
    const match = /^attribute\[(.+)\]$/.exec(key);
    if (match) attribute[match[1]!] = value;
  }
  const parsed = PostRequestBody.safeParse({ ...raw, attribute });
  if (!parsed.success) {
    const [first, ...rest] = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
    throw badRequest(first!, rest);
  }
  return parsed.data;
}

/** Open311 fields → the intake body of POST /v1/cases. */
function toIntake(post: PostRequestBody): IntakeBody {
  const attribute = post.attribute ?? {};
  const regionCode = post.jurisdiction_id ?? attribute.region_code;
  if (!regionCode) {
    throw badRequest(
      'jurisdiction_id or attribute[region_code] is required: the 6-digit administrative division code of the place',
    );
  }
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
    content: location.length ? `${post.description}\n\nLocation: ${location.join(' — ')}` : post.description,
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
  const parsed = IntakeBody.safeParse(candidate);
  if (!parsed.success) {
    const [first, ...rest] = parsed.error.issues.map((issue) => {
      const path = issue.path.join('.');
      return `${OPEN311_FIELDS[path] ?? path}: ${issue.message}`;
    });
    throw badRequest(first!, rest);
  }
  return parsed.data;
}

export function open311Router(deps: AppDeps & { keys: KeyRing }): Router {
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: '64kb' }));

  router.get('/services.json', async (_req, res) => {
    res.json(await listServices(deps.store));
  });

  router.get('/services/:code.json', async (req, res) => {
    const code = String(req.params.code);
    const services = await listServices(deps.store);
    if (!services.some((s) => s.service_code === code))
      throw problems.notFound(`no service "${code}"; GET services.json lists them`);
    res.json({ service_code: code, attributes: ATTRIBUTES });
  });

  router.post('/requests.json', async (req, res) => {
    if (hasBody(req) && !req.is(['application/json', 'application/x-www-form-urlencoded'])) {
      throw new HttpProblem(
        415,
        'Unsupported Media Type',
        'Content-Type must be application/x-www-form-urlencoded or application/json',
      );
    }
    const post = readPostBody(req);
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const key = bearer ?? post.api_key ?? (typeof req.query.api_key === 'string' ? req.query.api_key : undefined);
    if (!key) throw problems.unauthorized('an API key is required: the api_key field or Authorization: Bearer <key>');
    const principal = await deps.keys.resolve(key);
    if (!principal) throw problems.unauthorized('the API key is unknown or revoked');
    if (principal.role !== 'intake' && principal.role !== 'office') {
      throw problems.forbidden(`requests are registered with an intake or office key, not ${principal.role}`);
    }
    if (!(await isService(deps.store, post.service_code))) {
      throw badRequest(`service_code: no service "${post.service_code}"; GET services.json lists them`);
    }
    const idempotencyKey = IdempotencyKey.safeParse(req.get('Idempotency-Key'));
    if (!idempotencyKey.success) throw badRequest(`Idempotency-Key: ${idempotencyKey.error.issues[0]!.message}`);
    const result = await registerCase(deps, principal, toIntake(post), idempotencyKey.data);
    const dispose = result.deadlines[0];
    res.status(result.created ? 201 : 200).json([
      {
        service_request_id: publicRequestId(deps.sealer, result.caseId),
        case_id: result.caseId,
        service_notice:
          `Registered as case ${result.caseNumber}.` +
          (dispose ? ` The petition office decides whether to accept it by ${dispose.dueAt}.` : '') +
          ' The petitioner follows it with the tracking code and PIN.',
        tracking_code: result.trackingCode,
        pin: result.pin,
      },
    ]);
  });

  router.get('/requests.json', async (req, res) => {
    const parsed = RequestsQuery.safeParse(req.query);
    if (!parsed.success) {
      const [first, ...rest] = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      throw badRequest(first!, rest);
    }
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
    res.json(docs.map((doc) => publicView(doc, agency)));
  });

  router.get('/requests/:id.json', async (req, res) => {
    const id = String(req.params.id);
    // A report, a confidential case or one not to be published answers exactly like one that does not exist.
    const doc = PUBLIC_ID_PATTERN.test(id)
      ? await deps.store.cases
          .findOne({ publicId: id, ...PUBLIC })
          .select(LIST_FIELDS)
          .lean<CaseDoc>()
      : null;
    if (!doc) throw problems.notFound(`no service request ${id}`);
    res.json([publicView(doc, await agencies(deps.store, [doc]))]);
  });

  router.use((req) => {
    throw problems.notFound(`no Open311 resource ${req.method} ${req.path}; this endpoint speaks JSON (.json) only`);
  });
  return router;
}

/** Every error under /open311/v2, including the body parser's and the rate limit's, in Open311's form. */
export const open311Errors: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  let problem: HttpProblem;
  if (error instanceof HttpProblem) problem = error;
  else {
    const status = (error as { status?: unknown }).status;
    problem =
      typeof status === 'number' && status >= 400 && status < 500
        ? new HttpProblem(status, 'Bad Request', (error as Error).message)
        : new HttpProblem(500, 'Internal Server Error', 'the server failed; the request ID is in X-Request-Id');
    if (problem.status === 500) req.log?.error({ err: error }, 'unhandled error');
  }
  if (problem.status === 429 || problem.status === 503)
    res.setHeader('Retry-After', String((problem.extra.retryAfter as number | undefined) ?? 5));
  const validation = problem.extra.errors as { field: string; message: string }[] | undefined;
  const descriptions = (problem.extra.descriptions as string[] | undefined) ??
    validation?.map((e) => `${e.field}: ${e.message}`) ?? [problem.detail ?? problem.title];
  res.status(problem.status).json(descriptions.map((description) => ({ code: problem.status, description })));
};

export function registerOpen311Paths(registry: OpenAPIRegistry): void {
  const errors = (description: string) => ({ description, content: { 'application/json': { schema: Open311Error } } });
  const json = <T extends z.ZodType>(description: string, schema: T) => ({
    description,
    content: { 'application/json': { schema } },
  });
  const tags = ['Open311 GeoReport v2'];
  registry.registerPath({
    method: 'get',
    path: '/open311/v2/services.json',
    tags,
    summary: 'Services: one per case category (service_code = category)',
    responses: { 200: json('The service list', z.array(Service)) },
  });
  registry.registerPath({
    method: 'get',
    path: '/open311/v2/services/{service_code}.json',
    tags,
    summary: "A service's definition: the attributes a request may carry",
    request: { params: z.object({ service_code: z.string().openapi({ example: 'environment' }) }) },
    responses: { 200: json('The definition', ServiceDefinition), 404: errors('No such service') },
  });
  registry.registerPath({
    method: 'post',
    path: '/open311/v2/requests.json',
    tags,
    summary: 'Register a request as a case (intake or office key: api_key field or Bearer)',
    request: {
      headers: z.object({ 'Idempotency-Key': z.string().optional() }),
      body: {
        content: {
          'application/x-www-form-urlencoded': { schema: PostRequestBody },
          'application/json': { schema: PostRequestBody },
        },
      },
    },
    responses: {
      201: json('Registered', PostRequestAnswer),
      200: json('Same Idempotency-Key and body: the request registered before', PostRequestAnswer),
      400: errors('A field is missing or invalid, e.g. no jurisdiction_id or attribute[region_code]'),
      401: errors('No or unknown API key'),
      403: errors('The key may not register requests'),
      409: errors('Idempotency-Key reused with a different body'),
      413: errors('Body larger than 256 kB'),
      415: errors('Neither form fields nor JSON'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/open311/v2/requests.json',
    tags,
    summary:
      'Public list of the requests whose petitioners agreed to publication: never reports, confidential cases or identities',
    request: {
      query: RequestsQuery.extend({
        service_request_id: z
          .string()
          .optional()
          .openapi({ description: 'Comma-separated public IDs; the other parameters are then ignored' }),
        jurisdiction_id: z.string().optional().openapi({
          description: 'Only requests in this province, city or county: a 2-, 4- or 6-digit division code (3301)',
        }),
        status: z.string().optional().openapi({ description: 'open, closed, or open,closed' }),
      }),
    },
    responses: {
      200: json('Newest first, at most 1000; the last 90 days unless dates are given', z.array(ServiceRequest)),
      400: errors('Invalid query'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/open311/v2/requests/{service_request_id}.json',
    tags,
    summary: 'One request by its public ID, as a list of one',
    request: { params: z.object({ service_request_id: z.string().openapi({ description: 'The public ID' }) }) },
    responses: { 200: json('The request', z.array(ServiceRequest)), 404: errors('No such public request') },
  });
}
