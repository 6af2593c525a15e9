/**
 * The public requests: the list and one by its public ID. The public sees the requests whose petitioners agreed to
 * publication, under a public ID that is not the case ID; never a misconduct report (Art 30), a confidential case or
 * anyone's identity. A request is found by its ID through the ID's note, by `_id`, and just posted, before its
 * record is written, from its workflow.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { z } from 'zod';
import { caseWorkflowId, PUBLIC_ID_PATTERN } from '../../domain/ids';
import { message, type Lang } from '../../domain/i18n';
import { END_STAGES } from '../../domain/types';
import type { IntakeRecord } from '../../store/intake-record';
import { trusted, type CaseDoc, type Store } from '../../store/models';
import type { CaseWorkflowInput } from '../../workflows/case-state';
import { caseViewQuery } from '../../workflows/messages';
import type { AppDeps } from '../app';
import type { PendingNotes } from '../../store/tracking-codes';
import { problems } from '../problem';
import { safeParseIn } from '../validation';
import { errorsResponse, invalid } from './errors';
import { inBothFormats } from './format';
import { OPEN311_BASE, open311Route } from './route';
import { RequestsQuery, ServiceRequest } from './schemas';
import {
  agencyName,
  currentUnit,
  isPublishable,
  pendingSource,
  serviceRequestOf,
  type PublicSource,
} from './translate';
import { LIVE_QUERY_TIMEOUT_MS } from '../cases/live-view';

const LIST_LIMIT = 1000;
const DEFAULT_SPAN_MS = 90 * 24 * 3_600_000;

/** What the public may see at all: what the petitioner agreed to publish, no reports (Art 30), nothing confidential. */
const PUBLIC = { publicationConsent: true, kind: trusted({ $ne: 'report' }), confidential: trusted({ $ne: true }) };

/** What a public request is, and what decides whether it may be public: never the content or the petitioner. */
const PUBLIC_FIELDS = {
  publicId: 1,
  kind: 1,
  confidential: 1,
  publicationConsent: 1,
  category: 1,
  regionCode: 1,
  subject: 1,
};
/** Where it stands, and since when. */
const PROGRESS_FIELDS = {
  stage: 1,
  units: 1,
  leadUnit: 1,
  receivedAt: 1,
  registeredAt: 1,
  nextDeadlineAt: 1,
  updatedAt: 1,
};
const LIST_FIELDS = { ...PUBLIC_FIELDS, ...PROGRESS_FIELDS };

/** Newest first, as the list by dates is. */
const newestFirst = (a: PublicSource, b: PublicSource) =>
  (b.receivedAt?.getTime() ?? 0) - (a.receivedAt?.getTime() ?? 0);

/** The agency of each case: its current unit by name; before transfer, the petition office of its region. */
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
  return (doc) => agencyName(doc, names, offices);
}

/** The public views of records, each with its agency. */
async function publicViews(store: Store, docs: PublicSource[], lang: Lang): Promise<ServiceRequest[]> {
  const agency = await agencies(store, docs);
  return docs.map((doc) => serviceRequestOf(doc, agency(doc), lang, new Date()));
}

/** The Mongo filter of a list query by dates (the last 90 days by default), service, status and region. */
function listFilter(query: RequestsQuery): Record<string, unknown> {
  const filter: Record<string, unknown> = { ...PUBLIC };
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
  return filter;
}

/** The API's dependencies with the public IDs this replica noted: lookups by public ID go through them. */
export type PublicDeps = AppDeps & { notes: PendingNotes };

/**
 * A request the public may see, by its public ID; undefined when there is none. The ID's note names the case and
 * the record, read by `_id`, decides (FerretDB would read every record for a filter on `publicId`). A request whose
 * record the workflow has not written yet (the second or so after POST, or while MongoDB was away at intake) is read
 * from the workflow: its sealed intake record and live stage.
 */
async function publicRequest(deps: PublicDeps, publicId: string): Promise<PublicSource | undefined> {
  const caseId = await deps.notes.caseIdFor('publicIds', publicId);
  if (!caseId) return undefined;
  const record = await deps.store.cases.findById(caseId).select(LIST_FIELDS).lean<CaseDoc>();
  if (record) return isPublishable(record, publicId) ? record : undefined;
  const handle = deps.client.workflow.getHandle(caseWorkflowId(caseId));
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
  if (!isPublishable(intake, publicId)) return undefined;
  // No worker may be polling yet: the deadline ends the call itself, so no retry outlives the request.
  const view = await deps.client
    .withDeadline(Date.now() + LIVE_QUERY_TIMEOUT_MS, () => handle.query(caseViewQuery))
    .catch(() => undefined);
  return pendingSource(intake, publicId, view);
}

export const requestListRoute = open311Route({
  method: 'get',
  path: `${OPEN311_BASE}/requests.{format}`,
  summary:
    'Public list of the requests whose petitioners agreed to publication: never reports, confidential cases or identities',
  request: {
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
  root: 'service_requests',
  answer: z.array(ServiceRequest),
  responses: {
    200: inBothFormats(
      'Newest first, at most 1000; the last 90 days unless dates are given',
      z.array(ServiceRequest),
      'service_requests',
    ),
    400: errorsResponse('Invalid query'),
    404: errorsResponse('No such format'),
    503: errorsResponse('MongoDB is unreachable; Retry-After says when to try again'),
  },
  handler: async ({ req, lang }, deps: PublicDeps) => {
    const parsed = safeParseIn(RequestsQuery, req.query, lang);
    if (!parsed.success) throw invalid(parsed.error, lang, (path) => path);
    const query = parsed.data;
    if (query.service_request_id) {
      // Open311: with service_request_id, the other parameters are ignored. Each is read by its ID, a request just
      // posted included (a list by dates never waits on workflows).
      const ids = [...new Set(query.service_request_id)];
      const found = (await Promise.all(ids.map((id) => publicRequest(deps, id)))).filter((doc) => !!doc);
      return { body: await publicViews(deps.store, found.sort(newestFirst), lang) };
    }
    const docs = await deps.store.cases
      .find(listFilter(query))
      .select(LIST_FIELDS)
      .sort({ receivedAt: -1 })
      .limit(LIST_LIMIT)
      .lean<CaseDoc[]>();
    return { body: await publicViews(deps.store, docs, lang) };
  },
});

export const requestRoute = open311Route({
  method: 'get',
  path: `${OPEN311_BASE}/requests/{service_request_id}.{format}`,
  summary: 'One request by its public ID, as a list of one; readable at once after POST (from the workflow)',
  params: { service_request_id: z.string().openapi({ description: 'The public ID' }) },
  root: 'service_requests',
  answer: z.array(ServiceRequest),
  responses: {
    200: inBothFormats('The request', z.array(ServiceRequest), 'service_requests'),
    404: errorsResponse('No such public request, or no such format'),
    503: errorsResponse('MongoDB or Temporal is unreachable; Retry-After says when to try again'),
  },
  handler: async ({ req, lang }, deps: PublicDeps) => {
    const id = String(req.params.service_request_id);
    if (!PUBLIC_ID_PATTERN.test(id)) throw problems.notFound(message('open311.error.noRequest', { id }));
    // A report, a confidential case or one not to be published answers exactly like one that does not exist.
    const doc = await publicRequest(deps, id);
    if (!doc) throw problems.notFound(message('open311.error.noRequest', { id }));
    return { body: await publicViews(deps.store, [doc], lang) };
  },
});
