/** API keys: created (the key shown once), listed (never the keys or their hashes), revoked. */
import { message } from '../../domain/i18n';
import type { Role } from '../../domain/types';
import { hashKey, newApiKey } from '../../store/api-keys';
import type { ApiKeyDoc } from '../../store/models';
import { problems } from '../problem';
import { defineRoute, SENT } from '../route';
import { problemResponse } from '../schemas';
import { ApiKeyBody, ApiKeyIdParams, ApiKeyList, CreatedApiKey } from './schemas';
import { admin, adminProblems, missingUnits, unknownReferences, type AdminDeps } from './common';

/** A key as listed; its role was checked against ROLES when it was created. */
function apiKeyView(doc: ApiKeyDoc) {
  return {
    id: doc._id,
    role: doc.role as Role,
    unitCode: doc.unitCode ?? undefined,
    label: doc.label ?? undefined,
    createdAt: doc.createdAt ?? undefined,
    revokedAt: doc.revokedAt ?? undefined,
  };
}

/** One path, its methods below. */
const API_KEYS = '/v1/admin/api-keys';

export const createApiKeyRoute = defineRoute({
  ...admin,
  method: 'post',
  path: API_KEYS,
  summary: 'Create an API key (shown once)',
  request: { body: ApiKeyBody },
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
  handler: async ({ body, req, reply }, { store }: AdminDeps) => {
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
    return reply(201, { ...apiKeyView(doc.toObject<ApiKeyDoc>()), key }, { Location: `/v1/admin/api-keys/${id}` });
  },
});

export const apiKeyListRoute = defineRoute({
  ...admin,
  method: 'get',
  path: API_KEYS,
  summary: 'List API keys (never the keys or their hashes)',
  responses: {
    200: {
      description: 'All keys, revoked ones with revokedAt',
      content: { 'application/json': { schema: ApiKeyList } },
    },
    ...adminProblems,
  },
  handler: async (_context, { store }: AdminDeps) => {
    const docs = await store.apiKeys.find().sort({ createdAt: 1, _id: 1 }).lean<ApiKeyDoc[]>();
    return { items: docs.map(apiKeyView) };
  },
});

export const revokeApiKeyRoute = defineRoute({
  ...admin,
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
  handler: async ({ params: { id }, req, res }, deps: AdminDeps) => {
    // A second revocation keeps the first date.
    await deps.store.apiKeys.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: new Date() } });
    const doc = await deps.store.apiKeys.findById(id).lean<ApiKeyDoc>();
    if (!doc) throw problems.notFound(message('problem.detail.apiKeyNotFound', { id }));
    // Refused by this process at once, by the other API replicas within KEY_REVOCATION_BOUND_MS.
    deps.keys.forget(doc.hash);
    await deps.keys.announceRevocation();
    req.log.info({ keyId: id, by: req.principal!.keyId }, 'API key revoked');
    res.status(204).end();
    return SENT;
  },
});

export const apiKeyRoutes = [createApiKeyRoute, apiKeyListRoute, revokeApiKeyRoute];
