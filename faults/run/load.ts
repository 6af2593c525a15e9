/**
 * The load: intakes and actions, each retried with its own key until it is answered, and sent round-robin through
 * the API replicas (a retry goes to the next one, as a load balancer would send it).
 */
import { randomBytes } from 'node:crypto';
import { addLocalDays, localDateOf, type Deadline } from '../../domain/calendar';
import { CLOCK_REGION, type PlannedLetter } from '../clock-plan';
import { sleep } from './common';

const REQUEST_TIMEOUT_MS = 20_000;
const RETRY_PAUSE_MS = 750;

export interface Ledger {
  /** Intakes answered 2xx: Idempotency-Key → caseId. */
  intakes: Map<string, string>;
  /** Actions answered 2xx. */
  actions: { caseId: string; action: string; actionId: string }[];
  /** Cases whose result was answered 2xx: a reply is owed. */
  replied: Set<string>;
  /** Clock cases: caseId → the dispose deadline the API quoted. */
  clockCases: Map<string, Deadline>;
  refused: string[];
  gaveUp: string[];
  /** Cases with an action never answered: described at the end. */
  stuck: Set<string>;

  requests: number;
  retries: number;
  /** Why attempts were retried: `HTTP 503`, `TimeoutError`, `TypeError: fetch failed`… with counts. */
  retryReasons: Map<string, number>;
  /** Steps never sent because the run ended while their case was still on an earlier step. */
  notReached: number;
  /** Requests waiting for an answer right now. */
  inFlight: number;
  /** 2xx answers per API replica (its index in the list of URLs). */
  answeredBy: number[];
}

export function newLedger(replicas: number): Ledger {
  return {
    intakes: new Map(),
    actions: [],
    replied: new Set(),
    clockCases: new Map(),
    refused: [],
    gaveUp: [],
    stuck: new Set(),
    requests: 0,
    retries: 0,
    retryReasons: new Map(),
    notReached: 0,
    inFlight: 0,
    answeredBy: Array.from({ length: replicas }, () => 0),
  };
}

export interface DemoKeys {
  intake: string;
  office: string;
  dept: string;
}

/** Where requests go and until when they may be retried. */
export interface Target {
  apiUrls: string[];
  keys: DemoKeys;
  ledger: Ledger;
  hardStop: number;
  /** The next replica to send to. */
  next: number;
}

type Answer = { status: number; body: Record<string, unknown> };

/**
 * Sends one logical request until it is answered with something other than a network error, a timeout, a 5xx or
 * a 429, always with the same key, so that a 2xx means exactly one effect.
 */
async function send(
  target: Target,
  label: string,
  path: string,
  key: string,
  body: object,
  headers: Record<string, string> = {},
): Promise<Answer | undefined> {
  const { ledger } = target;
  const kind = path.startsWith('/v1/cases/') ? 'action' : 'intake';
  let last = 'never sent';
  let attempt = 0;
  for (; Date.now() < target.hardStop; attempt++) {
    if (attempt > 0) {
      ledger.retries += 1;
      await sleep(RETRY_PAUSE_MS);
    }
    const replica = target.next++ % target.apiUrls.length;
    ledger.requests += 1;
    ledger.inFlight += 1;
    try {
      const res = await fetch(`${target.apiUrls[replica]}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await res.text();
      if (res.status >= 500 || res.status === 429) {
        last = `HTTP ${res.status} ${text.slice(0, 200)}`;
        const reason = `${kind} HTTP ${res.status}`;
        ledger.retryReasons.set(reason, (ledger.retryReasons.get(reason) ?? 0) + 1);
        continue;
      }
      if (res.status < 300) ledger.answeredBy[replica] = (ledger.answeredBy[replica] ?? 0) + 1;
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    } catch (error) {
      // Connection refused (API down), reset (API killed mid-request) or our timeout: the same key again.
      last = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const reason = `${kind} ${error instanceof Error ? error.name : 'error'}`;
      ledger.retryReasons.set(reason, (ledger.retryReasons.get(reason) ?? 0) + 1);
    } finally {
      ledger.inFlight -= 1;
    }
  }
  // A step the run's time ran out before is not a request left unanswered: its case was still on an earlier one.
  if (attempt === 0) ledger.notReached += 1;
  else ledger.gaveUp.push(`${label}: ${attempt} attempts, the last: ${last}`);
  return undefined;
}

const complaint = (n: number) => ({
  channel: 'online',
  kind: 'complaint',
  category: 'environment',
  regionCode: '330106',
  subject: `Fault-suite case ${n}: construction noise`,
  content: 'Work goes on past midnight.',
  petitioner: { name: '测试', phone: `1380000${String(n).padStart(4, '0')}` },
});

export async function driveFlowCase(target: Target, n: number): Promise<void> {
  const { ledger, keys } = target;
  const idempotencyKey = `faults-flow-${n}-${randomBytes(4).toString('hex')}`;
  const intake = await send(target, `intake ${idempotencyKey}`, '/v1/cases', keys.intake, complaint(n), {
    'idempotency-key': idempotencyKey,
  });
  if (!intake) return;
  if (intake.status >= 300) return void ledger.refused.push(`intake ${idempotencyKey}: ${intake.status}`);
  const caseId = String(intake.body.caseId);
  ledger.intakes.set(idempotencyKey, caseId);

  const steps: { action: string; key: string; body: Record<string, unknown> }[] = [
    { action: 'acceptance', key: keys.office, body: { decision: 'accept' } },
    { action: 'acknowledgement', key: keys.dept, body: {} },
    { action: 'acceptance', key: keys.dept, body: { decision: 'accept' } },
    {
      action: 'result',
      key: keys.dept,
      body: {
        decision: 'support',
        // A supported decision says by when it is carried out (Art 32): a month from today.
        executeBy: addLocalDays(localDateOf(new Date().toISOString()), 30),
        factsAndReasons: 'Inspection on site confirmed work after 22:00.',
        legalBasis: 'Noise Pollution Prevention Law Art 43',
      },
    },
  ];
  for (const [i, step] of steps.entries()) {
    const actionId = `faults-${caseId}-${i}-${step.action}`;
    const answer = await send(target, `${step.action} ${actionId}`, `/v1/cases/${caseId}/${step.action}`, step.key, {
      actionId,
      ...step.body,
    });
    if (!answer) return void ledger.stuck.add(caseId);
    if (answer.status >= 300) {
      return void ledger.refused.push(`${step.action} ${actionId}: ${answer.status} ${String(answer.body.detail)}`);
    }
    ledger.actions.push({ caseId, action: step.action, actionId });
    if (step.action === 'result') ledger.replied.add(caseId);
  }
}

export async function driveClockCase(target: Target, n: number, letter: PlannedLetter): Promise<void> {
  const { ledger, keys } = target;
  const idempotencyKey = `faults-clock-${n}-${randomBytes(4).toString('hex')}`;
  const body = {
    ...complaint(1000 + n),
    regionCode: CLOCK_REGION,
    subject: `Fault-suite clock case ${n}`,
    receivedAt: letter.receivedAt,
  };
  const intake = await send(target, `intake ${idempotencyKey}`, '/v1/cases', keys.intake, body, {
    'idempotency-key': idempotencyKey,
  });
  if (!intake) return;
  if (intake.status >= 300) return void ledger.refused.push(`intake ${idempotencyKey}: ${intake.status}`);
  const caseId = String(intake.body.caseId);
  ledger.intakes.set(idempotencyKey, caseId);
  // The API quotes the dispose deadline from the built-in calendar; the worker counts with the suite's calendar.
  ledger.clockCases.set(caseId, letter.deadline);
}
