/** The routing rules, replaced as a whole: cases routed after the answer follow the new ones. */
import type { UnitLevel } from '../../domain/directory';
import type { Kind } from '../../domain/types';
import { trusted, type RoutingRuleDoc, type Store } from '../../store/models';
import { defineRoute } from '../route';
import { problemResponse } from '../schemas';
import { RoutingRules } from './schemas';
import { admin, adminProblems, missingUnits, unknownReferences, type AdminDeps } from './common';

/** The rules in force, in order; each was checked against the RoutingRules schema when it was saved. */
async function currentRules(store: Store) {
  const docs = await store.routingRules.find().sort({ order: 1, _id: 1 }).lean<RoutingRuleDoc[]>();
  return docs.map((r) => ({
    id: r._id,
    kinds: r.kinds?.length ? (r.kinds as Kind[]) : undefined,
    categories: r.categories?.length ? r.categories : undefined,
    regionPrefix: r.regionPrefix ?? undefined,
    level: (r.level ?? undefined) as UnitLevel | undefined,
    unitCode: r.unitCode,
    priority: r.priority ?? undefined,
  }));
}

/** One path, its methods below. */
const ROUTING_RULES = '/v1/admin/routing-rules';

export const replaceRoutingRulesRoute = defineRoute({
  ...admin,
  method: 'put',
  path: ROUTING_RULES,
  summary: 'Replace all routing rules',
  description: 'Cases routed after this answer follow the new rules; rules not listed are removed.',
  request: { body: RoutingRules },
  responses: {
    200: { description: 'The rules now in force', content: { 'application/json': { schema: RoutingRules } } },
    400: problemResponse('Invalid rule, or a rule id listed twice'),
    422: problemResponse('A rule points at a unit that is not in the directory'),
    ...adminProblems,
  },
  handler: async ({ body: { rules }, req }, { store }: AdminDeps) => {
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
    return { rules: await currentRules(store) };
  },
});

export const routingRulesRoute = defineRoute({
  ...admin,
  method: 'get',
  path: ROUTING_RULES,
  summary: 'The routing rules in force, in order',
  responses: {
    200: { description: 'The rules', content: { 'application/json': { schema: RoutingRules } } },
    ...adminProblems,
  },
  handler: async (_context, { store }: AdminDeps) => ({ rules: await currentRules(store) }),
});

export const routingRuleRoutes = [replaceRoutingRulesRoute, routingRulesRoute];
