/** A unit's inbox: its open cases, nearest deadline first, for the unit's department key or the office. */
import type { Client } from '@temporalio/client';
import { message } from '../../domain/i18n';
import type { Store } from '../../store/models';
import { decodeCursor, inboxPage, listItem, nextDeadline, type ListedCase } from '../cases/lists';
import { liveView } from '../cases/live-view';
import { problems } from '../problem';
import { defineRoute } from '../route';
import { Inbox, InboxQuery, problemResponse, security } from '../schemas';
import { UnitCodeParams } from '../admin/schemas';

export const inboxRoute = defineRoute({
  method: 'get',
  path: '/v1/units/{unitCode}/inbox',
  summary: 'A unit inbox: its open cases, nearest deadline first',
  description:
    'For a department key bound to the unit, or the office. Another unit key gets 404. Items never carry the identity ' +
    'of a petitioner.',
  tags: ['office', 'department'],
  security: security.apiKey,
  roles: ['department', 'office'],
  request: { params: UnitCodeParams, query: InboxQuery },
  // Another unit's inbox does not exist for a department, as its cases don't (the same 404 either way), whatever the query.
  check: ({ params, req }) => {
    const principal = req.principal!;
    if (principal.role === 'department' && principal.unitCode !== params.unitCode) {
      throw problems.notFound(message('problem.detail.noInbox', { unitCode: params.unitCode }));
    }
  },
  responses: {
    200: { description: 'One page of the inbox', content: { 'application/json': { schema: Inbox } } },
    400: problemResponse('A parameter is invalid'),
    401: problemResponse('No or unknown API key'),
    403: problemResponse('Intake and admin keys have no inbox'),
    404: problemResponse('No such unit, or not the unit of this department key'),
    503: problemResponse('API keys cannot be checked right now'),
  },
  handler: async ({ params: { unitCode }, query, req }, deps: { client: Client; store: Store }) => {
    const department = req.principal!.role === 'department';
    if (!department && !(await deps.store.units.exists({ _id: unitCode }))) {
      throw problems.notFound(message('problem.detail.unitNotFound', { unitCode }));
    }
    const page = await inboxPage(deps.store, unitCode, query.limit, decodeCursor(query.cursor));
    const items = department ? await withoutReportsLeft(deps.client, unitCode, page.items) : page.items;
    return {
      unitCode,
      items: items.map((doc) => ({ ...listItem(doc), nextDeadline: nextDeadline(doc) })),
      // The cursor is the sort key of the page's last case as read, so a case left out here moves no page boundary.
      nextCursor: page.nextCursor,
    };
  },
});

/**
 * The page without the reports the unit no longer holds. The record lags the workflow while MongoDB refuses or delays
 * its writes, and a report recalled from a unit it now accuses (Art 30) must leave that unit's inbox at once, as it
 * leaves the case detail: each report the record still lists for the unit is confirmed with the case's live view.
 * Without an answer in time, the record stands, as in the case detail. Other kinds are listed as the record has them.
 */
async function withoutReportsLeft(client: Client, unitCode: string, items: ListedCase[]): Promise<ListedCase[]> {
  const views = await Promise.all(
    items.map((doc) => (doc.kind === 'report' ? liveView(client, doc._id) : Promise.resolve(undefined))),
  );
  return items.filter((_, i) => views[i]?.units.includes(unitCode) ?? true);
}
