/**
 * 2. Actions: the office's supplement as a round trip — over HTTP, as the Update straight to the case workflow, and
 * as an Update of the trivial workflow — closed loop, on the cached workers and on the evicting ones.
 */
import { randomUUID } from 'node:crypto';
import { caseWorkflowId } from '../../../domain/ids';
import { supplementUpdate, type Actor } from '../../../workflows/messages';
import { pingUpdate } from '../../baseline-workflows';
import { closedLoop, merge, pool, type Summary } from '../../stats';
import { log, round } from '../helpers';
import type { Profile } from '../profiles';
import { postIntake, rawStart, waitRegistered, type Bench } from '../requests';
import { BASE_COLD, BASE_WARM } from '../stack';

export interface ActionResultRow {
  cache: 'warm' | 'evicted';
  /** POST /v1/cases/:id/supplement by the office: text to MongoDB, Update, validator, recordProgress activity. */
  api: Summary;
  /** The same supplement Update sent straight to the case workflow: no HTTP, no action text. */
  direct: Summary;
  /** executeUpdate on the trivial workflow (validator, no activity). */
  raw: Summary;
}

export async function actionRoundTrips(s: Bench, p: Profile, cache: 'warm' | 'evicted', rounds: number) {
  const url = cache === 'warm' ? s.apiUrl : s.coldApiUrl;
  const caseIds = (await pool(Array.from({ length: p.actionCases }), 4, () => postIntake(s, url))).filter(
    (id): id is string => !!id,
  );
  await waitRegistered(s, caseIds);
  const baseIds = await pool(Array.from({ length: p.actionCases }), 4, () =>
    rawStart(s, cache === 'warm' ? BASE_WARM : BASE_COLD),
  );
  const office: Actor = { role: 'office' };
  const senders = {
    api: async (i: number) => {
      const caseId = caseIds[i % caseIds.length]!;
      const res = await fetch(`${url}/v1/cases/${caseId}/supplement`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s.keys.office}`, 'content-type': 'application/json' },
        body: JSON.stringify({ actionId: `sup-${randomUUID()}`, content: 'A further photo of the site at 01:00.' }),
      });
      await res.arrayBuffer();
      return res.status === 200;
    },
    direct: async (i: number) => {
      const handle = s.client.workflow.getHandle(caseWorkflowId(caseIds[i % caseIds.length]!));
      const actionId = `sup-${randomUUID()}`;
      await handle.executeUpdate(supplementUpdate, { args: [{ actionId, actor: office }], updateId: actionId });
      return true;
    },
    raw: async (i: number) => {
      const handle = s.client.workflow.getHandle(baseIds[i % baseIds.length]!);
      const actionId = `ping-${randomUUID()}`;
      await handle.executeUpdate(pingUpdate, { args: [{ actionId, role: 'office' }], updateId: actionId });
      return true;
    },
  };
  const blocks: Record<keyof typeof senders, Awaited<ReturnType<typeof closedLoop>>[]> = {
    api: [],
    direct: [],
    raw: [],
  };
  const orders: (keyof typeof senders)[][] = [
    ['api', 'raw', 'direct'],
    ['raw', 'direct', 'api'],
    ['direct', 'api', 'raw'],
  ];
  for (let r = 0; r < rounds; r++) {
    for (const side of orders[r % orders.length]!) {
      blocks[side].push(await closedLoop(p.actionRequests, p.actionConcurrency, senders[side]));
    }
  }
  const row: ActionResultRow = {
    cache,
    api: merge(blocks.api),
    direct: merge(blocks.direct),
    raw: merge(blocks.raw),
  };
  log(
    `actions (${cache}): API p50 ${round(row.api.p50)} p99 ${round(row.api.p99)} | direct p50 ${round(row.direct.p50)} ` +
      `p99 ${round(row.direct.p99)} | raw p50 ${round(row.raw.p50)} p99 ${round(row.raw.p99)} ms; errors ` +
      `${row.api.errors}/${row.direct.errors}/${row.raw.errors}`,
  );
  return { row, caseIds };
}
