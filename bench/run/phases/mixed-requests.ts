/**
 * What the mixed phase (phases/mixed.ts) sends: the script of actions a case lives, each action as the API request
 * its office or unit sends, and intakes and reads with their outcome as the phase counts it (a status, `timeout` or
 * `network`, never a throw).
 */
import { randomUUID } from 'node:crypto';
import { caseWorkflowId } from '../../../domain/ids';
import { CaseUnit } from '../../../domain/search-attributes';
import { hashKey } from '../../../store/api-keys';
import { log } from '../helpers';
import { registerInProcess, type Bench } from '../requests';

/** One case's actions in the order a case lives them: office, then its unit. */
export const SCRIPT = [
  'acceptance-office',
  'acknowledgement',
  'acceptance-unit',
  'supplement',
  'supplement',
  'result',
] as const;
export type ActionOp = (typeof SCRIPT)[number];

export interface RegisteredCase {
  caseId: string;
  trackingCode: string;
  pin: string;
}

const REQUEST_TIMEOUT_MS = 30_000;

interface Outcome {
  ok: boolean;
  kind?: string;
  body?: unknown;
  /** An error answer's `detail` (the reason a person reads), when it has one. */
  reason?: string;
}

/**
 * One request; `cut` aborts it when the phase's budget runs out (outcome `cut`): a request left in flight would be
 * answered by whatever the next phase does to its case (the scale phase terminates every open case).
 */
export async function call(url: string, init: RequestInit, okStatus: number[], cut?: AbortSignal): Promise<Outcome> {
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  try {
    const res = await fetch(url, { ...init, signal: cut ? AbortSignal.any([timeout, cut]) : timeout });
    const body: unknown = await res.json().catch(() => undefined);
    if (okStatus.includes(res.status)) return { ok: true, body };
    const detail = (body as { detail?: unknown } | undefined)?.detail;
    return { ok: false, kind: String(res.status), body, reason: typeof detail === 'string' ? detail : undefined };
  } catch (error) {
    if (cut?.aborted) return { ok: false, kind: 'cut' };
    const name = error instanceof Error ? error.name : '';
    return { ok: false, kind: name === 'TimeoutError' ? 'timeout' : 'network' };
  }
}

export function actionRequest(s: Bench, department: string, op: ActionOp, caseId: string, cut?: AbortSignal) {
  const actionId = `mix-${randomUUID()}`;
  const [path, key, body]: [string, string, Record<string, unknown>] = (() => {
    switch (op) {
      case 'acceptance-office':
        return ['acceptance', s.keys.office, { actionId, decision: 'accept' }];
      case 'acknowledgement':
        return ['acknowledgement', department, { actionId }];
      case 'acceptance-unit':
        return ['acceptance', department, { actionId, decision: 'accept' }];
      case 'supplement':
        return ['supplement', s.keys.office, { actionId, content: 'A further photo of the site, taken at 01:00.' }];
      case 'result':
        return [
          'result',
          department,
          {
            actionId,
            decision: 'explain',
            factsAndReasons: 'The site works under a night permit until the end of the month; inspected on site.',
            legalBasis: 'Noise Pollution Prevention Law Art 43',
          },
        ];
    }
  })();
  return call(
    `${s.apiUrl}/v1/cases/${caseId}/${path}`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    },
    [200],
    cut,
  );
}

/** A case registered in-process as the API registers it, with what a petitioner tracks it by. */
export async function registerForMix(s: Bench): Promise<RegisteredCase> {
  const result = await registerInProcess(s, { asApi: true });
  return { caseId: result.caseId, trackingCode: result.trackingCode, pin: result.pin };
}

/** The department key of the unit that bench intakes are routed to, found by routing one case. */
export async function departmentKey(s: Bench, probe: RegisteredCase): Promise<string> {
  const accepted = await actionRequest(s, '', 'acceptance-office', probe.caseId);
  if (!accepted.ok) throw new Error(`mixed: office acceptance of a probe case failed (${accepted.kind})`);
  const description = await s.client.workflow.getHandle(caseWorkflowId(probe.caseId)).describe();
  const unitCode = description.typedSearchAttributes.get(CaseUnit)?.[0];
  if (!unitCode) throw new Error('mixed: the probe case was transferred to no unit');
  const key = `bench-dept-${randomUUID()}`;
  // Replaced when a later phase of the run asks again (the burst phase after the mixed one).
  await s.store.apiKeys.replaceOne(
    { _id: `bench-dept-${unitCode}` },
    { hash: hashKey(key), role: 'department', unitCode },
    { upsert: true },
  );
  log(`mixed: actions go to unit ${unitCode}`);
  return key;
}
