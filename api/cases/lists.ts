/**
 * Lists read from MongoDB's projection of the cases: the office's filtered list and each unit's inbox. Every value a
 * request brings reaches a filter as a plain value; the operators here are the server's own.
 */
import { z } from 'zod';
import { periodFrom, periodTo } from '../../domain/calendar';
import { invalid } from '../../domain/i18n';
import { END_STAGES, type Kind, type Stage } from '../../domain/types';
import { trusted, type CaseDoc, type Store } from '../../store/models';
import { validationProblem } from '../problem';
import { defineRoute } from '../route';
import { CaseList, CaseListQuery, Deadline, problemResponse, security } from '../schemas';
import { CASES_PATH } from './paths';

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

export type ListedCase = Pick<CaseDoc, keyof typeof LIST_FIELDS | '_id'> & { deadlines?: CaseDoc['deadlines'] };

/** The record's fields as registration and the workflow write them (the store's own types allow any string or none). */
export function listItem(doc: ListedCase) {
  return {
    caseId: doc._id,
    caseNumber: doc.caseNumber,
    kind: doc.kind as Kind,
    category: doc.category as string,
    regionCode: doc.regionCode as string,
    subject: doc.subject as string,
    stage: doc.stage as Stage,
    units: doc.units ?? [],
    leadUnit: doc.leadUnit ?? undefined,
    escalationLevel: doc.escalationLevel ?? 0,
    overdue: doc.overdue ?? false,
    urgent: doc.urgent ?? false,
    group: doc.group ?? false,
    nextDeadlineAt: doc.nextDeadlineAt ?? null,
    registeredAt: doc.registeredAt as Date,
  };
}

// ── Cursors ─────────────────────────────────────────────────────────────────────────────────────────────────────
// A cursor is the sort key of the last item served, as base64url JSON: `t` an instant (or null), `i` the case ID.

const CursorKey = z.object({ t: z.iso.datetime().nullable(), i: z.string().min(1).max(40) }).strict();
type CursorKey = z.infer<typeof CursorKey>;

function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): CursorKey | undefined {
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
export async function inboxPage(store: Store, unitCode: string, limit: number, after: CursorKey | undefined) {
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
export function nextDeadline(doc: ListedCase): z.infer<typeof Deadline> | null {
  const deadlines = doc.deadlines ?? [];
  if (deadlines.length === 0) return null;
  const next = [...deadlines].sort((a, b) => Date.parse(a.dueAt ?? '') - Date.parse(b.dueAt ?? ''))[0];
  return (next as z.infer<typeof Deadline> | undefined) ?? null;
}

export const caseListRoute = defineRoute({
  method: 'get',
  path: CASES_PATH,
  summary: 'List cases (office)',
  description:
    'Newest registration first, filters combined with AND. Items carry no petitioner identity; read one case for that. ' +
    'Pages follow `nextCursor` until it is null.',
  tags: ['office'],
  security: security.apiKey,
  roles: ['office'],
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
  handler: async ({ query }, deps: { store: Store }) => {
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
    return { items: items.map(listItem), nextCursor };
  },
});
