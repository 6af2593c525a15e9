/**
 * Lists read from MongoDB's projection of the cases: the office's filtered list and each unit's inbox. Every value a
 * request brings reaches a filter as a plain value; the operators here are the server's own.
 */
import { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { periodFrom, periodTo } from '../domain/calendar';
import { invalid, message } from '../domain/i18n';
import { END_STAGES } from '../domain/types';
import { trusted, type CaseDoc, type Store } from '../store/models';
import { requireRole, type KeyRing } from './auth';
import { problems, validationProblem } from './problem';
import { requestLanguage } from './language';
import {
  CaseList,
  CaseListQuery,
  Inbox,
  InboxQuery,
  UnitCodeParams,
  parseRequest,
  problemResponse,
  security,
} from './schemas';

export interface OfficeRouterDeps {
  store: Store;
  keys: KeyRing;
}

/** The list view of a case: what it is and where it stands, never who wrote it. */
const LIST_FIELDS = {
  caseNumber: 1,
  kind: 1,
  category: 1,
  regionCode: 1,
  subject: 1,
  stage: 1,
  units: 1,
  leadUnit: 1,
  escalationLevel: 1,
  overdue: 1,
  urgent: 1,
  group: 1,
  nextDeadlineAt: 1,
  registeredAt: 1,
} as const;

type ListedCase = Pick<CaseDoc, keyof typeof LIST_FIELDS | '_id'> & { deadlines?: CaseDoc['deadlines'] };

function listItem(doc: ListedCase) {
  return {
    caseId: doc._id,
    caseNumber: doc.caseNumber,
    kind: doc.kind,
    category: doc.category,
    regionCode: doc.regionCode,
    subject: doc.subject,
    stage: doc.stage,
    units: doc.units ?? [],
    leadUnit: doc.leadUnit ?? undefined,
    escalationLevel: doc.escalationLevel ?? 0,
    overdue: doc.overdue ?? false,
    urgent: doc.urgent ?? false,
    group: doc.group ?? false,
    nextDeadlineAt: doc.nextDeadlineAt ?? null,
    registeredAt: doc.registeredAt,
  };
}

// ── Cursors ─────────────────────────────────────────────────────────────────────────────────────────────────────
// A cursor is the sort key of the last item served, as base64url JSON: `t` an instant (or null), `i` the case ID.

const CursorKey = z.object({ t: z.iso.datetime().nullable(), i: z.string().min(1).max(40) }).strict();
type CursorKey = z.infer<typeof CursorKey>;

function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string | undefined): CursorKey | undefined {
  if (cursor === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    json = undefined;
  }
  const key = CursorKey.safeParse(json);
  if (!key.success) {
    throw validationProblem(
      new z.ZodError([{ code: 'custom', path: ['cursor'], message: invalid('validation.cursor'), input: cursor }]),
      'query',
    );
  }
  return key.data;
}

// ── Office list ─────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The MongoDB filter for the office's list: filters ANDed, then the page after the cursor. `sanitizeFilter` lets
 * `$and`/`$or` through and neutralises any other operator not wrapped in `trusted`.
 */
function listFilter(query: CaseListQuery, after: CursorKey | undefined): Record<string, unknown> {
  const clauses: Record<string, unknown>[] = [];
  if (query.stage) clauses.push({ stage: query.stage });
  if (query.unit) clauses.push({ units: query.unit });
  if (query.kind) clauses.push({ kind: query.kind });
  if (query.regionCode) clauses.push({ regionCode: query.regionCode });
  if (query.overdue !== undefined) clauses.push({ overdue: query.overdue });
  // Absent on cases that never were: `false` means not `true`.
  if (query.urgent !== undefined) clauses.push(query.urgent ? { urgent: true } : { urgent: trusted({ $ne: true }) });
  if (query.group !== undefined) clauses.push(query.group ? { group: true } : { group: trusted({ $ne: true }) });
  if (query.escalationLevel !== undefined) clauses.push({ escalationLevel: trusted({ $gte: query.escalationLevel }) });
  if (query.from) clauses.push({ registeredAt: trusted({ $gte: periodFrom(query.from) }) });
  if (query.to) clauses.push({ registeredAt: trusted({ $lt: periodTo(query.to) }) });
  if (after?.t) {
    // Newest first: older registrations, or the same instant and a smaller ID.
    const at = new Date(after.t);
    clauses.push({
      $or: [{ registeredAt: trusted({ $lt: at }) }, { registeredAt: at, _id: trusted({ $lt: after.i }) }],
    });
  }
  return clauses.length === 0 ? {} : { $and: clauses };
}

// ── Unit inbox ──────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * One page of a unit's open cases, nearest deadline first. Cases without a running deadline come last, by ID; a
 * cursor with `t: null` is inside that tail.
 */
async function inboxPage(store: Store, unitCode: string, limit: number, after: CursorKey | undefined) {
  const open = { units: unitCode, stage: trusted({ $nin: [...END_STAGES] }) };
  const found: ListedCase[] = [];
  const fields = { ...LIST_FIELDS, deadlines: 1 };
  if (!after || after.t !== null) {
    const page = after?.t
      ? {
          $or: [
            { nextDeadlineAt: trusted({ $gt: new Date(after.t) }) },
            { nextDeadlineAt: new Date(after.t), _id: trusted({ $gt: after.i }) },
          ],
        }
      : { nextDeadlineAt: trusted({ $ne: null }) };
    const dated = await store.cases
      .find({ $and: [open, page] }, fields)
      .sort({ nextDeadlineAt: 1, _id: 1 })
      .limit(limit + 1)
      .lean<ListedCase[]>();
    found.push(...dated);
  }
  if (found.length <= limit) {
    const tail = after?.t === null ? { _id: trusted({ $gt: after.i }) } : {};
    const undated = await store.cases
      .find({ $and: [open, { nextDeadlineAt: null }, tail] }, fields)
      .sort({ _id: 1 })
      .limit(limit + 1 - found.length)
      .lean<ListedCase[]>();
    found.push(...undated);
  }
  const items = found.slice(0, limit);
  const last = items.at(-1);
  const nextCursor =
    found.length > limit && last
      ? encodeCursor({ t: last.nextDeadlineAt ? new Date(last.nextDeadlineAt).toISOString() : null, i: last._id })
      : null;
  return { items, nextCursor };
}

/** The earliest running deadline of a case, as the API shows deadlines everywhere. */
function nextDeadline(doc: ListedCase) {
  const deadlines = doc.deadlines ?? [];
  if (deadlines.length === 0) return null;
  return [...deadlines].sort((a, b) => Date.parse(a.dueAt ?? '') - Date.parse(b.dueAt ?? ''))[0] ?? null;
}

export function officeRouter(deps: OfficeRouterDeps): Router {
  const router = Router();

  router.get('/cases', requireRole('office'), async (req, res) => {
    const query = parseRequest(CaseListQuery, req.query, 'query', requestLanguage(req));
    const after = decodeCursor(query.cursor);
    const docs = await deps.store.cases
      .find(listFilter(query, after), LIST_FIELDS)
      .sort({ registeredAt: -1, _id: -1 })
      .limit(query.limit + 1)
      .lean<ListedCase[]>();
    const items = docs.slice(0, query.limit);
    const last = items.at(-1);
    const nextCursor =
      docs.length > query.limit && last
        ? encodeCursor({ t: new Date(last.registeredAt ?? 0).toISOString(), i: last._id })
        : null;
    res.json({ items: items.map(listItem), nextCursor });
  });

  router.get('/units/:unitCode/inbox', requireRole('department', 'office'), async (req, res) => {
    const { unitCode } = parseRequest(UnitCodeParams, req.params, 'params', requestLanguage(req));
    const principal = req.principal!;
    // Another unit's inbox does not exist for a department, as its cases don't (the same 404 either way).
    if (principal.role === 'department' && principal.unitCode !== unitCode) {
      throw problems.notFound(message('problem.detail.noInbox', { unitCode }));
    }
    const query = parseRequest(InboxQuery, req.query, 'query', requestLanguage(req));
    if (principal.role === 'office' && !(await deps.store.units.exists({ _id: unitCode }))) {
      throw problems.notFound(message('problem.detail.unitNotFound', { unitCode }));
    }
    const page = await inboxPage(deps.store, unitCode, query.limit, decodeCursor(query.cursor));
    res.json({
      unitCode,
      items: page.items.map((doc) => ({ ...listItem(doc), nextDeadline: nextDeadline(doc) })),
      nextCursor: page.nextCursor,
    });
  });

  return router;
}

export function registerOfficePaths(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/v1/cases',
    summary: 'List cases (office)',
    description:
      'Newest registration first, filters combined with AND. Items carry no petitioner identity; read one case for that. ' +
      'Pages follow `nextCursor` until it is null.',
    tags: ['office'],
    security: security.apiKey,
    request: { query: CaseListQuery },
    responses: {
      200: {
        description: 'One page of cases',
        content: {
          'application/json': {
            schema: CaseList,
            example: {
              items: [
                {
                  caseId: '01KAYQ5J4Q3Z7X9V2N8M6P4R2T',
                  caseNumber: 'XF-330106-20261126-6P4R2T',
                  kind: 'complaint',
                  category: 'environment',
                  regionCode: '330106',
                  subject: 'Construction noise at night',
                  stage: 'transferred',
                  units: ['330100-HB'],
                  leadUnit: '330100-HB',
                  escalationLevel: 0,
                  overdue: false,
                  urgent: false,
                  group: false,
                  nextDeadlineAt: '2026-12-01T16:00:00.000Z',
                  registeredAt: '2026-11-26T02:15:00.000Z',
                },
              ],
              nextCursor: 'eyJ0IjoiMjAyNi0xMS0yNlQwMjoxNTowMC4wMDBaIiwiaSI6IjAxS0FZUTVKNFEzWjdYOVYyTjhNNlA0UjJUIn0',
            },
          },
        },
      },
      400: problemResponse('A query parameter is invalid: each field and the rule it broke'),
      401: problemResponse('No or unknown API key'),
      403: problemResponse('Only the petition office lists cases'),
      503: problemResponse('API keys cannot be checked right now'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/units/{unitCode}/inbox',
    summary: 'A unit inbox: its open cases, nearest deadline first',
    description:
      'For a department key bound to the unit, or the office. Another unit key gets 404. Items never carry the identity ' +
      'of a petitioner.',
    tags: ['office', 'department'],
    security: security.apiKey,
    request: { params: UnitCodeParams, query: InboxQuery },
    responses: {
      200: { description: 'One page of the inbox', content: { 'application/json': { schema: Inbox } } },
      400: problemResponse('A parameter is invalid'),
      401: problemResponse('No or unknown API key'),
      403: problemResponse('Intake and admin keys have no inbox'),
      404: problemResponse('No such unit, or not the unit of this department key'),
      503: problemResponse('API keys cannot be checked right now'),
    },
  });
}
