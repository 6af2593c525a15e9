/**
 * The requests every phase sends — intakes over HTTP and in-process, starts of the trivial workflow — and the run's
 * own state: which workflows it started and has not ended, and how many intakes it has built.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { registerCase } from '../../api/intake';
import { IntakeBody } from '../../api/schemas';
import { caseWorkflowId } from '../../domain/ids';
import { generatePetitions } from '../../test/fixtures/petition-generator';
import { baselineWorkflow, stopSignal } from '../baseline-workflows';
import { checkBudget, pool, TooSlow } from '../stats';
import { log, round, sleep } from './helpers';
import { BASE_WARM, CASES_WARM, type Stack } from './stack';

/** The stack and what the run has started on it; every phase is handed this. */
export interface Bench extends Stack {
  /** Every case workflow ID the bench started and has not ended, so it can count and end them. */
  openCaseIds: Set<string>;
  baselineIds: Set<string>;
  /** Intake bodies built so far: each numbers its subject and phone. */
  intakesBuilt: number;
}

export function newBench(stack: Stack): Bench {
  return { ...stack, openCaseIds: new Set(), baselineIds: new Set(), intakesBuilt: 0 };
}

/** A fresh subject and phone each time: the same petitioner and matter would be merged as a repeat (Art 19). */
export function intakeBody(s: Bench, extra: Record<string, unknown> = {}) {
  s.intakesBuilt += 1;
  return {
    channel: 'online',
    kind: 'complaint',
    category: 'environment',
    regionCode: '320102',
    subject: `Bench noise complaint ${s.intakesBuilt} ${randomUUID().slice(0, 8)}`,
    content: 'Construction work goes on past midnight at the site next to the school, every night this week.',
    petitioner: { name: '王五', phone: `137${String(s.intakesBuilt).padStart(8, '0')}` },
    ...extra,
  };
}

/** Districts of the two demo cities (杭州, 南京) that a spread background's letters are sent from. */
const CITY_DISTRICTS = [
  '330102',
  '330105',
  '330106',
  '330108',
  '330109',
  '330110',
  '320102',
  '320104',
  '320105',
  '320106',
];

/**
 * A letter of a city's background, not of the bench's one matter: words recombined from the labelled pairs' letters
 * around a made-up place (test/fixtures/petition-generator.ts), in one of ten districts, of one of their twelve
 * categories. A city's open cases are spread like this; thousands of letters about one site in one district are the
 * hotspot check's worst case, which `npm run bench:hotspots` measures on its own.
 */
export function cityLetterBody(s: Bench) {
  const body = intakeBody(s);
  const [letter] = generatePetitions(
    1,
    { regionCodes: CITY_DISTRICTS, from: new Date(), to: new Date() },
    s.intakesBuilt,
  );
  return {
    ...body,
    regionCode: letter!.regionCode,
    category: letter!.category,
    subject: letter!.subject,
    content: letter!.content,
  };
}

export async function postIntake(
  s: Bench,
  url = s.apiUrl,
  extra: Record<string, unknown> = {},
): Promise<string | undefined> {
  const res = await fetch(`${url}/v1/cases`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${s.keys.intake}`,
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify(intakeBody(s, extra)),
  });
  const json = (await res.json()) as { caseId?: string };
  if (res.status !== 201 || !json.caseId) return undefined;
  s.openCaseIds.add(caseWorkflowId(json.caseId));
  return json.caseId;
}

/**
 * registerCase() called in-process: the same case start as the API's without HTTP, Express, auth or zod. With `asApi`, also with the store, as the API calls it: the tracking code is noted
 * at intake, so the petitioner can track the case before its registration has run; without, only Temporal is used.
 */
export async function registerInProcess(s: Bench, { asApi = false, letter = intakeBody } = {}) {
  const principal = { keyId: 'bench-intake', role: 'intake' as const };
  const body = IntakeBody.parse(letter(s));
  const result = await registerCase(
    { client: s.client, taskQueue: CASES_WARM, sealer: s.sealer, ...(asApi ? { store: s.store } : {}) },
    principal,
    body,
    randomUUID(),
  );
  s.openCaseIds.add(caseWorkflowId(result.caseId));
  return result;
}

export async function rawStart(s: Bench, taskQueue = BASE_WARM): Promise<string> {
  const workflowId = `baseline-${randomUUID()}`;
  await s.client.workflow.start(baselineWorkflow, { workflowId, taskQueue });
  s.baselineIds.add(workflowId);
  return workflowId;
}

/**
 * Waits until the case workers have had nothing in flight for 2 s (or `capMs` passed): the registrations a block
 * left behind would otherwise be measured as part of the next block.
 */
export async function drain(
  s: Bench,
  capMs = 60_000,
  workers = [s.workers.cases, s.workers.casesCold],
): Promise<number> {
  const t0 = performance.now();
  let idleSince: number | undefined;
  while (performance.now() - t0 < capMs) {
    checkBudget();
    const busy = workers.some((w) => {
      const st = w.getStatus();
      return st.numInFlightActivities > 0 || st.numInFlightWorkflowActivations > 0;
    });
    if (busy) idleSince = undefined;
    else if (idleSince === undefined) idleSince = performance.now();
    else if (performance.now() - idleSince >= 2000) break;
    await sleep(100);
  }
  return round((performance.now() - t0) / 1000);
}

/**
 * Waits until every case has recorded its first change (the dispose clock started, its timer armed). MongoDB is
 * asked only once the workers have gone idle, one read by `_id` per case: polling would load the very server the
 * bench measures.
 */
export async function waitRegistered(s: Bench, caseIds: string[], timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    checkBudget();
    await drain(s, Math.max(1000, until - Date.now()));
    const versions = await pool(caseIds, 8, async (id) => {
      const doc = await s.store.cases.findById(id, { progressVersion: 1 }).lean();
      return doc?.progressVersion ?? 0;
    });
    const done = versions.filter((v) => v >= 1).length;
    if (done >= caseIds.length) return;
    if (Date.now() > until) throw new TooSlow(`only ${done} of ${caseIds.length} cases registered in time`);
    await sleep(1000);
  }
}

/** Ends every case and baseline workflow the earlier phases left open, so a scale level starts from a known count. */
export async function endOpenWorkflows(s: Bench, keep: string[] = []): Promise<void> {
  const ids = [...s.openCaseIds].filter((id) => !keep.includes(id));
  await pool(ids, 16, async (id) => {
    await s.client.workflow
      .getHandle(id)
      .terminate('bench: reset open cases')
      .catch(() => undefined);
    s.openCaseIds.delete(id);
  });
  await pool([...s.baselineIds], 16, async (id) => {
    await s.client.workflow
      .getHandle(id)
      .signal(stopSignal)
      .catch(() => undefined);
    s.baselineIds.delete(id);
  });
}

/**
 * How many first workflow tasks of cases the mixed phase's background may leave waiting in the case task queue. A
 * city's background arrives over weeks, each case checked for hotspots soon after the one before it in its district;
 * a flood of starts has each check wait behind thousands, and the district's checks then come far out of
 * registration order (see docs/performance.md, "The 50 000 background, seeded at the pace of the case task queue").
 */
export const SEED_BACKLOG = 32;

/**
 * The case task queue's workflow tasks waiting for a worker, as the Temporal server counts them: a pace that asks
 * nothing of MongoDB (FerretDB reads the whole collection to count it).
 */
async function caseBacklog(s: Bench): Promise<number> {
  const { stats } = await s.client.workflowService.describeTaskQueue({
    namespace: s.client.options.namespace,
    taskQueue: { name: CASES_WARM },
    reportStats: true,
  });
  return Number(stats?.approximateBacklogCount?.toString() ?? 0);
}

/**
 * Registers cases in-process (registerCase: the API's path without HTTP) until `target` are open, then waits until
 * the workers have registered them all (each holds its dispose clock's timer, days away). With `backlog`, the
 * starts keep at most about that many cases' first workflow tasks waiting for a worker: read twice a second, the
 * backlog allows that many starts less those waiting until it is read again. Without, the cases are started as fast as
 * 16 starters can (the scale phase's flood).
 */
export async function seedOpenCases(
  s: Bench,
  target: number,
  letter = intakeBody,
  backlog = Infinity,
): Promise<{ seconds: number; perSecond: number }> {
  const missing = target - s.openCaseIds.size;
  if (missing <= 0) return { seconds: 0, perSecond: NaN };
  const t0 = performance.now();
  // Starts since the backlog was last read count against it: the server's count lags the starts by a second or two.
  let [done, waiting, allowed, askedAt] = [0, 0, Infinity, -Infinity];
  let asking: Promise<void> | undefined;
  const ask = () =>
    (asking ??= caseBacklog(s)
      .then((n) => {
        waiting = n;
        allowed = Math.max(0, backlog - n);
      })
      .finally(() => {
        askedAt = performance.now();
        asking = undefined;
      }));
  const mayStart = async () => {
    if (backlog === Infinity) return true;
    if (performance.now() - askedAt >= 500) await ask();
    if (allowed <= 0) return false;
    allowed -= 1;
    return true;
  };
  const step = Math.max(100, Math.round(missing / 10));
  await pool(Array.from({ length: missing }), 16, async () => {
    while (!(await mayStart())) await sleep(100);
    await registerInProcess(s, { letter });
    done += 1;
    if (done % step === 0) {
      const rate = round(done / ((performance.now() - t0) / 1000));
      log(`scale: started ${done}/${missing} (${rate}/s${backlog < Infinity ? `, ${waiting} waiting` : ''})`);
    }
  });
  const drained = await drain(s, 24 * 3600_000);
  const seconds = (performance.now() - t0) / 1000;
  log(`scale: ${missing} cases started and registered in ${round(seconds)} s (last ${drained} s draining)`);
  return { seconds: round(seconds), perSecond: round(missing / seconds) };
}
