/**
 * The directory of units: saved whole (PUT replaces), listed without webhook secrets. Routing reads the directory when
 * it routes, so a change applies to the next case routed.
 */
import { randomBytes } from 'node:crypto';
import { WebhookAllowlist, WebhookTargetRefused, checkTarget } from '../../outbound/webhook-targets';
import { checkDirectory, type Unit, type UnitLevel, type UnitRole } from '../../domain/directory';
import { message, type Message } from '../../domain/i18n';
import type { Kind } from '../../domain/types';
import { trusted, type Store, type UnitDoc } from '../../store/models';
import { HttpProblem, problems, type FieldError } from '../problem';
import { defineRoute } from '../route';
import { problemResponse } from '../schemas';
import { SavedUnit, UnitBody, UnitCodeParams, UnitList } from './schemas';
import { admin, adminProblems, type AdminDeps } from './common';

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

/** A unit as listed; its level, kinds and role were checked against the directory's when it was saved. */
function unitView(doc: UnitDoc) {
  return {
    code: doc._id,
    name: doc.name,
    level: doc.level as UnitLevel,
    regionCode: doc.regionCode,
    parentCode: doc.parentCode ?? undefined,
    kinds: doc.kinds?.length ? (doc.kinds as Kind[]) : undefined,
    role: (doc.role ?? 'department') as UnitRole,
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

export const saveUnitRoute = defineRoute({
  ...admin,
  method: 'put',
  path: '/v1/admin/units/{unitCode}',
  summary: 'Create or replace a unit',
  description:
    'Fields left out are removed. With a webhookUrl and no secret yet, a signing secret is generated and returned once ' +
    'as `webhookSecret`; removing the webhookUrl removes the secret.',
  request: { params: UnitCodeParams, body: UnitBody },
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
  handler: async ({ params: { unitCode }, body, req, reply }, deps: AdminDeps) => {
    const { store } = deps;
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
    const saved = { ...unitView(doc), ...(webhookSecret ? { webhookSecret } : {}) };
    const headers = { Location: `/v1/admin/units/${unitCode}` };
    return written.upsertedCount === 1 ? reply(201, saved, headers) : reply(200, saved, headers);
  },
});

export const unitListRoute = defineRoute({
  ...admin,
  method: 'get',
  path: '/v1/admin/units',
  summary: 'List the directory of units (never the webhook secrets)',
  responses: {
    200: { description: 'All units by code', content: { 'application/json': { schema: UnitList } } },
    ...adminProblems,
  },
  handler: async (_context, { store }: AdminDeps) => {
    const docs = await store.units.find().sort({ _id: 1 }).lean<UnitDoc[]>();
    return { items: docs.map(unitView) };
  },
});

export const unitRoutes = [saveUnitRoute, unitListRoute];
