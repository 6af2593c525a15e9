/**
 * Administration (admin role only): API keys, the directory of units, the routing rules and the holiday calendar.
 * Each change takes effect for the next decision a case makes: routing reads the directory when it routes, and a
 * new calendar year makes every open case recompute its future deadlines.
 */
import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WebhookAllowlist, WebhookTargetRefused, checkTarget } from '../outbound/webhook-targets';
import { builtInCalendarYears } from '../domain/calendar-source';
import type { Deadline } from '../domain/calendar';
import { checkDirectory, type Unit } from '../domain/directory';
import { message, type Message } from '../domain/i18n';
import { recomputedDeadline } from '../domain/recompute';
import { END_STAGES, type CalendarYear } from '../domain/types';
import { loadLegalCalendar } from '../store/calendar';
import {
  trusted,
  unknownUnitCodes,
  type ApiKeyDoc,
  type CalendarYearDoc,
  type CaseDoc,
  type RoutingRuleDoc,
  type Store,
  type UnitDoc,
} from '../store/models';
import { calendarChangedSignal } from '../workflows/messages';
import { hashKey, newApiKey } from '../store/api-keys';
import { requireRole, type KeyRing } from './auth';
import { HttpProblem, problems, type FieldError } from './problem';
import { requestLanguage } from './language';
import {
  ApiKeyBody,
  ApiKeyIdParams,
  ApiKeyList,
  CalendarBody,
  CalendarDryRun,
  CalendarDryRunQuery,
  CalendarYearParams,
  CalendarYearView,
  CreatedApiKey,
  RoutingRules,
  SavedCalendarYear,
  SavedUnit,
  UnitBody,
  UnitCodeParams,
  UnitList,
  calendarBodyFor,
  parseRequest,
  problemResponse,
  security,
} from './schemas';

export interface AdminRouterDeps {
  client: Client;
  store: Store;
  taskQueue: string;
  keys: KeyRing;
  webhookAllowlist?: WebhookAllowlist;
}

/** A reference to something that must exist, e.g. a unit code: 422 naming the field. */
export function unknownReferences(errors: { field: string; message: Message }[]): HttpProblem {
  return new HttpProblem(
    422,
    'Unprocessable Content',
    errors.map((e) => ({ ...e, rule: 'unknown_reference' })),
  );
}

export async function missingUnits(store: Store, references: { field: string; unitCode: string }[]) {
  const unknown = await unknownUnitCodes(
    store,
    references.map((r) => r.unitCode),
  );
  return references
    .filter((r) => unknown.includes(r.unitCode))
    .map((r) => ({ field: r.field, message: message('validation.unitNotInDirectory', { unitCode: r.unitCode }) }));
}

// ── API keys ────────────────────────────────────────────────────────────────────────────────────────────────────

function apiKeyView(doc: ApiKeyDoc) {
  return {
    id: doc._id,
    role: doc.role,
    unitCode: doc.unitCode ?? undefined,
    label: doc.label ?? undefined,
    createdAt: doc.createdAt ?? undefined,
    revokedAt: doc.revokedAt ?? undefined,
  };
}

// ── Units ───────────────────────────────────────────────────────────────────────────────────────────────────────

/** A stored URL without credentials: one saved before they were refused is never shown with them. */
function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}

function unitView(doc: UnitDoc) {
  return {
    code: doc._id,
    name: doc.name,
    level: doc.level,
    regionCode: doc.regionCode,
    parentCode: doc.parentCode ?? undefined,
    kinds: doc.kinds?.length ? doc.kinds : undefined,
    role: doc.role ?? 'department',
    webhookUrl: doc.webhookUrl ? withoutCredentials(doc.webhookUrl) : undefined,
    webhookSecretSet: !!doc.webhookSecret,
  };
}

function asDirectoryUnit(doc: UnitDoc): Unit {
  return {
    code: doc._id,
    name: doc.name,
    level: doc.level as Unit['level'],
    regionCode: doc.regionCode,
    parentCode: doc.parentCode ?? undefined,
    role: (doc.role ?? undefined) as Unit['role'],
  };
}

/** Problems the new or changed unit would bring into the directory (unknown superior, cycle, level inversion). */
async function directoryProblems(store: Store, unit: Unit): Promise<FieldError[]> {
  const current = (await store.units.find().lean()).map(asDirectoryUnit);
  const same = (m: Message) => JSON.stringify([m.key, m.params]);
  const before = new Set(checkDirectory({ units: current, rules: [] }).map(same));
  const after = checkDirectory({ units: [...current.filter((u) => u.code !== unit.code), unit], rules: [] });
  return after
    .filter((problem) => !before.has(same(problem)))
    .map((problem) => ({
      // A subordinate now above the unit: the unit's own level is what is wrong, not its superior.
      field:
        problem.key === 'directory.parentAtLowerLevel' && problem.params?.unit !== unit.code
          ? 'body.level'
          : 'body.parentCode',
      rule: 'directory',
      message: problem,
    }));
}

/** The delivery's address policy, already when the unit is saved: 422 naming the field and the address. */
async function checkWebhookUrl(url: URL, allowlist = new WebhookAllowlist()): Promise<void> {
  try {
    await checkTarget(url, allowlist);
  } catch (error) {
    if (!(error instanceof WebhookTargetRefused)) throw error;
    throw new HttpProblem(422, 'Unprocessable Content', [
      { field: 'body.webhookUrl', rule: 'webhook_target', message: error.message },
    ]);
  }
}

// ── Calendar ────────────────────────────────────────────────────────────────────────────────────────────────────

function calendarView(doc: CalendarYearDoc) {
  return {
    year: doc._id,
    source: doc.source ?? 'admin',
    holidays: doc.holidays ?? [],
    workdays: doc.workdays ?? [],
    loadedAt: doc.loadedAt ?? undefined,
  };
}

const SIGNAL_CONCURRENCY = 16;

/**
 * Tells every open case of this deployment that a calendar year changed, so each recomputes its future deadlines
 * (deadlines are computed in an activity and kept by the workflow, so replay never reads the mutable calendar).
 * Cases live on this API's task queue; cases of another deployment on the same namespace read another calendar.
 */
async function signalOpenCases(
  client: Client,
  taskQueue: string,
  years: number[],
): Promise<{ signalled: number; failed: number }> {
  const query = `ExecutionStatus = 'Running' AND WorkflowType = 'caseWorkflow' AND TaskQueue = '${taskQueue.replace(/'/g, "\\'")}'`;
  let signalled = 0;
  let failed = 0;
  const inFlight = new Set<Promise<void>>();
  for await (const execution of client.workflow.list({ query })) {
    const signal = client.workflow
      .getHandle(execution.workflowId)
      .signal(calendarChangedSignal, { years })
      .then(
        () => void (signalled += 1),
        // A case that ended since the listing has no deadlines left to move.
        (error: unknown) => void (error instanceof WorkflowNotFoundError ? undefined : (failed += 1)),
      )
      .finally(() => inFlight.delete(signal));
    inFlight.add(signal);
    if (inFlight.size >= SIGNAL_CONCURRENCY) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return { signalled, failed };
}

/**
 * Each November an admin loads next year's schedule: this lists the open cases whose deadlines would move, from and
 * to, by the rules the cases themselves apply (domain/recompute.ts), without saving or signalling anything.
 */
async function calendarDryRun(store: Store, year: CalendarYear) {
  const calendar = await loadLegalCalendar(store, year);
  const nowMs = Date.now();
  const open = await store.cases
    .find({ stage: trusted({ $nin: END_STAGES }) }, { caseNumber: 1, deadlines: 1 })
    .lean<Pick<CaseDoc, '_id' | 'caseNumber' | 'deadlines'>[]>();
  const moves = open.flatMap((doc) =>
    ((doc.deadlines ?? []) as unknown as (Deadline & { key?: string; holder?: string; overdue?: boolean })[]).flatMap(
      (deadline) => {
        const moved = recomputedDeadline(deadline, deadline.overdue ?? false, nowMs, calendar);
        if (!moved || moved.dueAt === deadline.dueAt) return [];
        return [
          {
            caseId: doc._id,
            caseNumber: doc.caseNumber,
            clock: deadline.clock,
            key: deadline.key,
            holder: deadline.holder,
            from: deadline.dueAt,
            to: moved.dueAt,
            fromLastDay: deadline.explanation.lastDay,
            toLastDay: moved.explanation.lastDay,
          },
        ];
      },
    ),
  );
  return { year: year.year, dryRun: true as const, openCases: open.length, moves };
}

export function adminRouter(deps: AdminRouterDeps): Router {
  const { store } = deps;
  const router = Router();
  router.use(requireRole('admin'));

  router.post('/api-keys', async (req, res) => {
    const body = parseRequest(ApiKeyBody, req.body, 'body', requestLanguage(req));
    if (body.unitCode) {
      const missing = await missingUnits(store, [{ field: 'body.unitCode', unitCode: body.unitCode }]);
      if (missing.length) throw unknownReferences(missing);
    }
    const { id, key } = newApiKey();
    const doc = await store.apiKeys.create({
      _id: id,
      hash: hashKey(key),
      role: body.role,
      unitCode: body.unitCode,
      label: body.label,
      createdAt: new Date(),
    });
    req.log.info({ keyId: id, role: body.role, unitCode: body.unitCode, by: req.principal!.keyId }, 'API key created');
    res
      .status(201)
      .location(`${req.baseUrl}/api-keys/${id}`)
      .json({ ...apiKeyView(doc.toObject<ApiKeyDoc>()), key });
  });

  router.get('/api-keys', async (_req, res) => {
    const docs = await store.apiKeys.find().sort({ createdAt: 1, _id: 1 }).lean<ApiKeyDoc[]>();
    res.json({ items: docs.map(apiKeyView) });
  });

  router.delete('/api-keys/:id', async (req, res) => {
    const { id } = parseRequest(ApiKeyIdParams, req.params, 'params', requestLanguage(req));
    // A second revocation keeps the first date.
    await store.apiKeys.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: new Date() } });
    const doc = await store.apiKeys.findById(id).lean<ApiKeyDoc>();
    if (!doc) throw problems.notFound(message('problem.detail.apiKeyNotFound', { id }));
    // Refused by this process at once, by the other API replicas within KEY_REVOCATION_BOUND_MS.
    deps.keys.forget(doc.hash);
    await deps.keys.announceRevocation();
    req.log.info({ keyId: id, by: req.principal!.keyId }, 'API key revoked');
    res.status(204).end();
  });

  router.put('/units/:unitCode', async (req, res) => {
    const lang = requestLanguage(req);
    const { unitCode } = parseRequest(UnitCodeParams, req.params, 'params', lang);
    const body = parseRequest(UnitBody, req.body, 'body', lang);
    if (body.webhookUrl) await checkWebhookUrl(new URL(body.webhookUrl), deps.webhookAllowlist);
    const problemsFound = await directoryProblems(store, { code: unitCode, ...body });
    if (problemsFound.length) {
      throw new HttpProblem(422, 'Unprocessable Content', problemsFound);
    }
    // PUT replaces the unit: optional fields left out are removed, and without a webhook URL the secret goes too.
    const set: Record<string, unknown> = { name: body.name, level: body.level, regionCode: body.regionCode };
    const unset: Record<string, 1> = {};
    for (const field of ['parentCode', 'kinds', 'role', 'webhookUrl'] as const) {
      if (body[field] !== undefined) set[field] = body[field];
      else unset[field] = 1;
    }
    if (!body.webhookUrl) unset.webhookSecret = 1;
    const written = await store.units.updateOne(
      { _id: unitCode },
      Object.keys(unset).length ? { $set: set, $unset: unset } : { $set: set },
      { upsert: true },
    );
    let webhookSecret: string | undefined;
    if (body.webhookUrl) {
      // Only the request that sets the secret sees it: the filter lets exactly one writer through.
      const secret = randomBytes(32).toString('base64url');
      const claimed = await store.units.updateOne(
        { _id: unitCode, webhookSecret: trusted({ $exists: false }) },
        { $set: { webhookSecret: secret } },
      );
      if (claimed.modifiedCount === 1) webhookSecret = secret;
    }
    const doc = await store.units.findById(unitCode).lean<UnitDoc>();
    if (!doc) throw problems.unavailable(message('problem.detail.unitUnreadable', { unitCode }));
    req.log.info({ unitCode, by: req.principal!.keyId }, 'unit saved');
    res
      .status(written.upsertedCount === 1 ? 201 : 200)
      .location(`${req.baseUrl}/units/${unitCode}`)
      .json({ ...unitView(doc), ...(webhookSecret ? { webhookSecret } : {}) });
  });

  router.get('/units', async (_req, res) => {
    const docs = await store.units.find().sort({ _id: 1 }).lean<UnitDoc[]>();
    res.json({ items: docs.map(unitView) });
  });

  router.put('/routing-rules', async (req, res) => {
    const { rules } = parseRequest(RoutingRules, req.body, 'body', requestLanguage(req));
    const missing = await missingUnits(
      store,
      rules.map((rule, index) => ({ field: `body.rules.${index}.unitCode`, unitCode: rule.unitCode })),
    );
    if (missing.length) throw unknownReferences(missing);
    // No transactions on every supported server: write the new rules first, then drop the rest, so routing in
    // between sees old and new rules together, never none.
    if (rules.length) {
      await store.routingRules.bulkWrite(
        rules.map(({ id, kinds, categories, regionPrefix, level, unitCode, priority }, order) => ({
          replaceOne: {
            filter: { _id: id },
            replacement: {
              unitCode,
              kinds: kinds ?? [],
              categories: categories ?? [],
              order,
              ...(regionPrefix !== undefined && { regionPrefix }),
              ...(level !== undefined && { level }),
              ...(priority !== undefined && { priority }),
            },
            upsert: true,
          },
        })),
      );
    }
    await store.routingRules.deleteMany({ _id: trusted({ $nin: rules.map((r) => r.id) }) });
    req.log.info({ rules: rules.length, by: req.principal!.keyId }, 'routing rules replaced');
    res.json({ rules: await currentRules(store) });
  });

  router.get('/routing-rules', async (_req, res) => {
    res.json({ rules: await currentRules(store) });
  });

  router.put('/calendar/:year', async (req, res) => {
    const lang = requestLanguage(req);
    const { year } = parseRequest(CalendarYearParams, req.params, 'params', lang);
    const { dryRun } = parseRequest(CalendarDryRunQuery, req.query, 'query', lang);
    const body = parseRequest(calendarBodyFor(year), req.body, 'body', lang);
    const holidays = [...new Set(body.holidays)].sort();
    const workdays = [...new Set(body.workdays)].sort();
    if (dryRun) return res.json(await calendarDryRun(store, { year, holidays, workdays, source: 'admin' }));
    await store.calendarYears.updateOne(
      { _id: year },
      { $set: { holidays, workdays, source: 'admin', loadedAt: new Date() } },
      { upsert: true },
    );
    const { signalled, failed } = await signalOpenCases(deps.client, deps.taskQueue, [year]).catch((error: unknown) => {
      req.log.error({ err: error, year }, 'open cases could not be listed');
      throw problems.unavailable(message('problem.detail.calendarNotSignalled', { year }));
    });
    if (failed > 0) {
      throw problems.unavailable(message('problem.detail.calendarPartlySignalled', { year, signalled, failed }));
    }
    const doc = await store.calendarYears.findById(year).lean<CalendarYearDoc>();
    req.log.info({ year, openCasesSignalled: signalled, by: req.principal!.keyId }, 'calendar year loaded');
    res.json({
      ...calendarView(doc ?? { _id: year, holidays, workdays, source: 'admin' }),
      openCasesSignalled: signalled,
    });
  });

  router.get('/calendar/:year', async (req, res) => {
    const { year } = parseRequest(CalendarYearParams, req.params, 'params', requestLanguage(req));
    const loaded = await store.calendarYears.findById(year).lean<CalendarYearDoc>();
    if (loaded) return res.json(calendarView(loaded));
    const builtIn = builtInCalendarYears().find((y) => y.year === year);
    if (!builtIn) {
      throw problems.notFound(message('problem.detail.noCalendar', { year }));
    }
    res.json(builtIn);
  });

  return router;
}

async function currentRules(store: Store) {
  const docs = await store.routingRules.find().sort({ order: 1, _id: 1 }).lean<RoutingRuleDoc[]>();
  return docs.map((r) => ({
    id: r._id,
    kinds: r.kinds?.length ? r.kinds : undefined,
    categories: r.categories?.length ? r.categories : undefined,
    regionPrefix: r.regionPrefix ?? undefined,
    level: r.level ?? undefined,
    unitCode: r.unitCode,
    priority: r.priority ?? undefined,
  }));
}

const adminProblems = {
  401: problemResponse('No or unknown API key'),
  403: problemResponse('Not an admin key'),
  503: problemResponse('MongoDB or Temporal is unreachable; retry'),
};

export function registerAdminPaths(registry: OpenAPIRegistry): void {
  const common = { tags: ['admin'], security: security.apiKey };
  registry.registerPath({
    ...common,
    method: 'post',
    path: '/v1/admin/api-keys',
    summary: 'Create an API key (shown once)',
    request: { body: { content: { 'application/json': { schema: ApiKeyBody } } } },
    responses: {
      201: {
        description: 'Created; `key` is shown only in this answer',
        headers: { Location: { schema: { type: 'string' }, description: 'The key resource' } },
        content: { 'application/json': { schema: CreatedApiKey } },
      },
      400: problemResponse('Invalid body; a department key needs unitCode, other keys take none'),
      422: problemResponse('unitCode is not in the directory'),
      ...adminProblems,
    },
  });
  registry.registerPath({
    ...common,
    method: 'get',
    path: '/v1/admin/api-keys',
    summary: 'List API keys (never the keys or their hashes)',
    responses: {
      200: {
        description: 'All keys, revoked ones with revokedAt',
        content: { 'application/json': { schema: ApiKeyList } },
      },
      ...adminProblems,
    },
  });
  registry.registerPath({
    ...common,
    method: 'delete',
    path: '/v1/admin/api-keys/{id}',
    summary: 'Revoke an API key',
    description: 'This API process refuses the key at once; other replicas within a minute (their key cache).',
    request: { params: ApiKeyIdParams },
    responses: {
      204: { description: 'Revoked (again: unchanged)' },
      400: problemResponse('Invalid key ID'),
      404: problemResponse('No such key'),
      ...adminProblems,
    },
  });
  registry.registerPath({
    ...common,
    method: 'put',
    path: '/v1/admin/units/{unitCode}',
    summary: 'Create or replace a unit',
    description:
      'Fields left out are removed. With a webhookUrl and no secret yet, a signing secret is generated and returned once ' +
      'as `webhookSecret`; removing the webhookUrl removes the secret.',
    request: { params: UnitCodeParams, body: { content: { 'application/json': { schema: UnitBody } } } },
    responses: {
      200: { description: 'Replaced', content: { 'application/json': { schema: SavedUnit } } },
      201: { description: 'Created', content: { 'application/json': { schema: SavedUnit } } },
      400: problemResponse('Invalid unit code or body; a webhookUrl with credentials (user:password@)'),
      422: problemResponse(
        'The superior is unknown, lies in a cycle, or sits at a lower level; the webhookUrl is (or resolves to) a ' +
          'loopback, private or link-local address the allowlist does not name',
      ),
      ...adminProblems,
    },
  });
  registry.registerPath({
    ...common,
    method: 'get',
    path: '/v1/admin/units',
    summary: 'List the directory of units (never the webhook secrets)',
    responses: {
      200: { description: 'All units by code', content: { 'application/json': { schema: UnitList } } },
      ...adminProblems,
    },
  });
  registry.registerPath({
    ...common,
    method: 'put',
    path: '/v1/admin/routing-rules',
    summary: 'Replace all routing rules',
    description: 'Cases routed after this answer follow the new rules; rules not listed are removed.',
    request: { body: { content: { 'application/json': { schema: RoutingRules } } } },
    responses: {
      200: { description: 'The rules now in force', content: { 'application/json': { schema: RoutingRules } } },
      400: problemResponse('Invalid rule, or a rule id listed twice'),
      422: problemResponse('A rule points at a unit that is not in the directory'),
      ...adminProblems,
    },
  });
  registry.registerPath({
    ...common,
    method: 'get',
    path: '/v1/admin/routing-rules',
    summary: 'The routing rules in force, in order',
    responses: {
      200: { description: 'The rules', content: { 'application/json': { schema: RoutingRules } } },
      ...adminProblems,
    },
  });
  registry.registerPath({
    ...common,
    method: 'put',
    path: '/v1/admin/calendar/{year}',
    summary: 'Load or correct a year of the holiday schedule',
    description:
      'Replaces the built-in schedule for the year. Every open case is then told to recompute its future deadlines; ' +
      'the answer says how many. On 503 the year is saved: PUT again to reach the cases that were missed.',
    request: {
      params: CalendarYearParams,
      query: CalendarDryRunQuery,
      body: { content: { 'application/json': { schema: CalendarBody } } },
    },
    responses: {
      200: {
        description: 'Saved and open cases told; with dryRun=true, the deadlines that would move (nothing saved)',
        content: { 'application/json': { schema: z.union([SavedCalendarYear, CalendarDryRun]) } },
      },
      400: problemResponse('A date is invalid, outside the year, a weekday make-up day, or both holiday and workday'),
      ...adminProblems,
    },
  });
  registry.registerPath({
    ...common,
    method: 'get',
    path: '/v1/admin/calendar/{year}',
    summary: 'The holiday schedule in force for a year',
    description: 'An admin-loaded year, or the built-in State Council schedule with its source.',
    request: { params: CalendarYearParams },
    responses: {
      200: {
        description: 'The schedule and its source',
        content: { 'application/json': { schema: CalendarYearView } },
      },
      400: problemResponse('Invalid year'),
      404: problemResponse('No schedule is loaded or built in for the year'),
      ...adminProblems,
    },
  });
}
