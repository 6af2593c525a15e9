/**
 * Records the case-workflow histories that test/replay.test.ts replays (test/histories/<name>.json).
 *
 * Why: a replay test proves the current workflow code makes the same decisions, in the same order, as the code that
 * wrote these histories. A change that would break cases already running in production (an activity moved, a timer
 * added or removed, a branch taken differently) fails it with a DeterminismViolationError.
 *
 * Re-record when a scenario should be added, or when the workflow changed on purpose and no case started under the
 * old code can still be running anywhere (otherwise keep the old histories and guard the change with `patched()`):
 *
 *   npx tsx scripts/record-histories.ts <set>
 *       writes test/histories/<set>/ (name the set after the workflow version it records, e.g. 2026-12-hearings;
 *       keep the sets of versions whose cases may still be open);
 *       starts its own Temporal dev server (in memory) and FerretDB (in a temporary folder) from the binaries of
 *       tools/provision.sh (XINFANG_TEMPORAL_BIN / XINFANG_FERRETDB_BIN override them), and stops them at the end;
 *   TEMPORAL_ADDRESS=127.0.0.1:7233 MONGO_URL=mongodb://127.0.0.1:27017/ npx tsx scripts/record-histories.ts
 *       uses running servers instead (TEMPORAL_NAMESPACE defaults to `default`; the namespace needs the search
 *       attributes of domain/search-attributes.ts, which `npm run dev` registers). A scratch database is created on
 *       MONGO_URL's server and dropped afterwards; the workflows run on a task queue of their own.
 *
 * then `npx jest test/replay.test.ts`, look at `git diff --stat test/histories`, and commit the JSON files.
 *
 * No personal data in the files: the petitioner below is made up, the intake records travel sealed with a secret
 * generated for this run and never kept, and before writing, every file is searched — with every payload decoded —
 * for the petitioner's name, phone, ID number, e-mail and address and the letter's words; a hit aborts the run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { History } from '@temporalio/common/lib/proto-utils';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import mongoose from 'mongoose';
import { actionRequest } from '../api/actions';
import { registerCase } from '../api/intake';
import { IntakeBody, type ActionName } from '../api/schemas';
import { resolveToolPaths, startFerretDb, startTemporalDevServer } from '../harness/servers';
import { withDatabase } from '../harness/shared-servers';
import { DEMO_DIRECTORY } from '../demo/directory';
import type { NoticeKind } from '../domain/fields';
import { caseWorkflowId } from '../domain/ids';
import { createStore, type Store } from '../store/models';
import { Sealer } from '../store/sealed';
import { loadDirectory } from '../worker/seed';
import { createCaseWorker } from '../worker/worker';
import type { CaseOutcome } from '../workflows/case-state';
import * as m from '../workflows/messages';

export const HISTORIES_DIR = path.resolve(__dirname, '..', 'test', 'histories');

/** The made-up petitioner of every recorded case; the files must contain none of these values. */
export const RECORDING_PETITIONER = {
  name: '录史测试人',
  phone: '13922228888',
  idNumber: '330106197607074455',
  email: 'history.recorder@example.invalid',
  address: '杭州市西湖区录史路 88 号',
};
/** The letter's words: they stay in MongoDB and must not reach a history either. */
export const RECORDING_CONTENT =
  'Recorded-history letter: a building site on Wensan Road works past midnight every day.';

/** Every string a recorded history must not contain, decoded payloads included. */
export const FORBIDDEN_IN_HISTORIES: string[] = [...Object.values(RECORDING_PETITIONER), RECORDING_CONTENT];

/**
 * Where a history mentions a forbidden value: the raw JSON, and every base64 payload `data` decoded (payloads are
 * JSON-encoded in the file, so a plain grep would never see them).
 */
export function personalDataIn(historyJson: string, forbidden: string[] = FORBIDDEN_IN_HISTORIES): string[] {
  const texts = [historyJson];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!value || typeof value !== 'object') return;
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'data' && typeof inner === 'string') texts.push(Buffer.from(inner, 'base64').toString('utf8'));
      else walk(inner);
    }
  };
  walk(JSON.parse(historyJson));
  return forbidden.filter((value) => texts.some((text) => text.includes(value)));
}

// ── History files: proto3 JSON, as `temporal workflow show --output json` and the Temporal UI write them ────────────

interface ProtoJsonCodec {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
}

let codec: { protojson: ProtoJsonCodec; historyType: unknown } | undefined;

/**
 * protobufjs's proto3-JSON codec, taken from the copy of protobufjs that @temporalio/proto's types were built with.
 *
 * `historyToJSON` / `historyFromJSON` of @temporalio/common/lib/proto-utils do the same job, but in this install they
 * throw "type must be a Type": protobufjs 7 sits at the top of node_modules (for @grpc/proto-loader), so
 * @temporalio/common, /proto and /worker each get a nested protobufjs 8 of their own, and common's codec rejects the
 * reflection types of proto's copy. Resolving the codec from @temporalio/proto's location works with any layout.
 */
function historyCodec(): { protojson: ProtoJsonCodec; historyType: unknown } {
  if (!codec) {
    const from = path.dirname(require.resolve('@temporalio/proto'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const protojson = require(require.resolve('protobufjs/ext/protojson', { paths: [from] })) as ProtoJsonCodec;
    const root = patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown };
    codec = { protojson, historyType: root.lookupType('temporal.api.history.v1.History') };
  }
  return codec;
}

/** A fetched history as pretty-printed proto3 JSON. */
export function historyToJson(history: History): string {
  const { protojson, historyType } = historyCodec();
  const message = proto.temporal.api.history.v1.History.fromObject(history);
  return `${JSON.stringify(protojson.toJson(historyType, message), null, 2)}\n`;
}

/** A history file read back, ready for `Worker.runReplayHistory`. */
export function historyFromJson(json: string): History {
  const { protojson, historyType } = historyCodec();
  return protojson.fromJson(historyType, JSON.parse(json), { ignoreUnknownFields: true }) as History;
}

const office: m.Actor = { role: 'office' };
const petitioner: m.Actor = { role: 'petitioner' };
const dept = (unitCode: string): m.Actor => ({ role: 'department', unitCode });

type WithoutActionId<A> = A extends unknown ? Omit<A, 'actionId'> : never;

interface Recorder {
  client: Client;
  store: Store;
  sealer: Sealer;
  taskQueue: string;
  histories: Map<string, string>;
}

async function main(): Promise<void> {
  const started: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of started.reverse()) await stop().catch((error: unknown) => console.error(error));
  };
  try {
    const { address, namespace, mongoBase } = await servers(started);
    const dbName = `xinfang-histories-${randomBytes(4).toString('hex')}`;
    const mongo = await mongoose
      .createConnection(withDatabase(mongoBase, dbName), { serverSelectionTimeoutMS: 10_000 })
      .asPromise();
    started.push(async () => {
      await mongo.dropDatabase();
      await mongo.close();
    });
    const store = createStore(mongo);
    await loadDirectory(store, DEMO_DIRECTORY);

    Runtime.install({ logger: new DefaultLogger('WARN') });
    const connection = await Connection.connect({ address });
    const nativeConnection = await NativeConnection.connect({ address });
    started.push(async () => {
      await nativeConnection.close();
      await connection.close();
    });
    const recorder: Recorder = {
      client: new Client({ connection, namespace }),
      store,
      // Thrown away at the end of the run: the sealed intake records in the histories can never be opened.
      sealer: new Sealer(randomBytes(32).toString('hex')),
      taskQueue: `record-histories-${randomBytes(4).toString('hex')}`,
      histories: new Map(),
    };
    const worker = await createCaseWorker({
      connection: nativeConnection,
      namespace,
      taskQueue: recorder.taskQueue,
      deps: { store, sealer: recorder.sealer },
    });
    await worker.runUntil(recordAll(recorder));
    await writeHistories(recorder.histories);
  } finally {
    await stopAll();
  }
}

/** The servers given by the environment, or our own. */
async function servers(started: (() => Promise<void>)[]) {
  const external = { temporal: process.env.TEMPORAL_ADDRESS, mongo: process.env.MONGO_URL };
  const tools = external.temporal && external.mongo ? undefined : await resolveToolPaths();
  let address = external.temporal;
  const namespace = process.env.TEMPORAL_NAMESPACE || 'default';
  if (!address) {
    const temporal = await startTemporalDevServer({ bin: tools!.temporal, namespace });
    started.push(temporal.stop);
    address = temporal.address;
    console.log(`started a Temporal dev server at ${address}`);
  }
  let mongoBase = external.mongo;
  if (!mongoBase) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'xinfang-histories-'));
    started.push(() => rm(dataDir, { recursive: true, force: true }));
    const ferret = await startFerretDb({ bin: tools!.ferretdb, dataDir: path.join(dataDir, 'ferretdb') });
    started.push(ferret.stop);
    mongoBase = ferret.url;
    console.log(`started FerretDB at ${mongoBase}`);
  }
  return { address, namespace, mongoBase };
}

// ── The scenarios ──────────────────────────────────────────────────────────────────────────────────────────────

async function recordAll(r: Recorder): Promise<void> {
  const housing = letter({ category: 'housing', subject: 'Leaking roof in a resettlement flat' });

  // (a) The whole procedure: transfer, acknowledgement, acceptance, joint handling, an extension, the result and
  // reply, a rating, review, re-review with a hearing, and termination; the acknowledgement sent twice.
  const full = await register(r, housing);
  await act(r, full, m.acceptanceUpdate, { actor: office, decision: 'accept', coHandlers: ['330106-GA'] });
  await act(r, full, m.acknowledgementUpdate, { actor: dept('330106-ZJ') }, { again: true });
  await act(r, full, m.acceptanceUpdate, { actor: dept('330106-ZJ'), decision: 'accept' });
  await act(r, full, m.extensionUpdate, { actor: dept('330106-ZJ'), days: 15 });
  await act(r, full, m.extensionDecisionUpdate, { actor: office, approve: true });
  await act(r, full, m.resultUpdate, { actor: dept('330106-GA') });
  await act(r, full, m.resultUpdate, { actor: dept('330106-ZJ'), decision: 'not_support' });
  await act(r, full, m.ratingUpdate, { actor: petitioner, rating: 'dissatisfied' });
  await act(r, full, m.reviewRequestUpdate, { actor: petitioner });
  await act(r, full, m.reviewDecisionUpdate, { actor: dept('330100-FG'), decision: 'not_support' });
  await act(r, full, m.reviewRequestUpdate, { actor: petitioner });
  await act(r, full, m.hearingUpdate, { actor: dept('330000-ZJT'), action: 'start' });
  await act(r, full, m.hearingUpdate, { actor: dept('330000-ZJT'), action: 'end' });
  await act(r, full, m.reviewDecisionUpdate, { actor: dept('330000-ZJT'), decision: 'not_support' });
  await finish(r, full, 'full-cycle-terminated', 'terminated');

  // The same matter after termination (Art 36): not accepted again.
  const again = await register(r, { ...housing, channel: 'visit' });
  await serveOnPaper(r, again, 'not_accepted_again');
  await finish(r, again, 'terminated-repeat-not-accepted', 'not_accepted');

  // (b) Not accepted by the office, with a referral (Art 22).
  const refused = await register(
    r,
    letter({ category: 'labour', subject: 'Unpaid wages: the employer went to court' }),
  );
  await act(r, refused, m.acceptanceUpdate, { actor: office, decision: 'not_accept', referral: 'court' });
  await serveOnPaper(r, refused, 'not_accepted');
  await finish(r, refused, 'not-accepted', 'not_accepted');

  // (c) A repeat petition while the first is open (Art 19): merged into it as a supplement.
  const noise = letter({ subject: 'Construction noise at night' });
  const open = await register(r, noise);
  const repeat = await register(r, { ...noise, channel: 'phone' });
  await finish(r, repeat, 'repeat-merged', 'merged');
  await until(async () => (await r.store.timeline.countDocuments({ caseId: open, type: 'supplement' })) === 1);
  await act(r, open, m.withdrawalUpdate, { actor: petitioner });
  await finish(r, open, 'repeat-absorbing-withdrawn', 'withdrawn');

  // Objection approved, a second objection (a dispute, Art 24) decided by the common superior, then withdrawal.
  const disputed = await register(r, letter({ subject: 'Dust from a demolition site' }));
  await act(r, disputed, m.acceptanceUpdate, { actor: office, decision: 'accept' });
  await act(r, disputed, m.objectionUpdate, { actor: dept('330100-HB') });
  await act(r, disputed, m.objectionDecisionUpdate, { actor: office, approve: true, unitCode: '330106-ZJ' });
  await act(r, disputed, m.objectionUpdate, { actor: dept('330106-ZJ') });
  await act(r, disputed, m.designationUpdate, { actor: dept('330000-BGT'), unitCode: '330106-ZJ' });
  await act(r, disputed, m.acknowledgementUpdate, { actor: dept('330106-ZJ') });
  await act(r, disputed, m.withdrawalUpdate, { actor: petitioner });
  await finish(r, disputed, 'objection-dispute-withdrawn', 'withdrawn');

  // A unit objects, then sends an acceptance while its objection waits for the office (Art 23): refused since patch
  // objection-holds-case, applied as well by cases started before it. Then withdrawn.
  const objected = await register(r, letter({ subject: 'Smoke from a barbecue stall at night' }));
  await act(r, objected, m.acceptanceUpdate, { actor: office, decision: 'accept' });
  await act(r, objected, m.objectionUpdate, { actor: dept('330100-HB') });
  await actOrRefused(r, objected, m.acceptanceUpdate, { actor: dept('330100-HB'), decision: 'accept' });
  await act(r, objected, m.withdrawalUpdate, { actor: petitioner });
  await finish(r, objected, 'objection-then-acceptance-withdrawn', 'withdrawn');

  // A report whose holder is named accused after the transfer (Art 30): recalled, a unit recused (Art 28), disposed
  // of anew, withdrawn.
  const report = await register(
    r,
    letter({
      kind: 'report',
      category: 'public_security',
      subject: 'Officers take favours',
      accused: { units: ['330106-GA'], persons: [] },
    }),
  );
  await act(r, report, m.acceptanceUpdate, { actor: office, decision: 'accept' });
  await act(r, report, m.accusationUpdate, { actor: office, units: ['330106-JW'] });
  await act(r, report, m.recusalUpdate, { actor: office, unitCode: '330100-JW' });
  await act(r, report, m.acceptanceUpdate, { actor: office, decision: 'accept' });
  await act(r, report, m.withdrawalUpdate, { actor: petitioner });
  await finish(r, report, 'report-recalled-withdrawn', 'withdrawn');

  // An assignment (交办, Art 22(3)) with its own deadline, running from the assignment.
  const assigned = await register(r, letter({ category: 'housing', subject: 'Subsidence behind the school' }));
  await act(r, assigned, m.acceptanceUpdate, { actor: office, decision: 'accept', mode: 'assign', assignDays: 10 });
  await act(r, assigned, m.acknowledgementUpdate, { actor: dept('330106-ZJ') });
  await act(r, assigned, m.acceptanceUpdate, { actor: dept('330106-ZJ'), decision: 'accept' });
  await act(r, assigned, m.withdrawalUpdate, { actor: petitioner });
  await finish(r, assigned, 'assigned-withdrawn', 'withdrawn');
}

function letter(overrides: Partial<IntakeBody> = {}): IntakeBody {
  return IntakeBody.parse({
    channel: 'letter',
    kind: 'complaint',
    subject: 'A complaint',
    content: RECORDING_CONTENT,
    regionCode: '330106',
    category: 'environment',
    petitioner: RECORDING_PETITIONER,
    ...overrides,
  });
}

async function register(r: Recorder, body: IntakeBody): Promise<string> {
  const { caseId } = await registerCase(
    { client: r.client, taskQueue: r.taskQueue, sealer: r.sealer },
    { keyId: 'record-histories', role: 'intake' },
    body,
    undefined,
  );
  // Repeat detection reads the earlier record: wait until the workflow has written it.
  await until(async () => !!(await r.store.cases.findById(caseId).lean())?.progressVersion);
  return caseId;
}

/**
 * Sends an action as the API does (its digest in the arguments, the Update ID derived from the request). `again`
 * sends the same request a second time under another Update ID, as the API does once Temporal no longer knows the
 * first (after continue-as-new): the case answers it from its record of applied actions.
 */
async function act<A extends { actionId: string }>(
  r: Recorder,
  caseId: string,
  update: UpdateDefinition<m.ActionResult, [A]>,
  args: NoInfer<WithoutActionId<A>>,
  options: { again?: boolean } = {},
): Promise<m.ActionResult> {
  const { actor, ...fields } = args as unknown as { actor: m.Actor } & Record<string, unknown>;
  const actionId = `${update.name}-${randomBytes(4).toString('hex')}`;
  const request = actionRequest(r.sealer, caseId, update.name as ActionName, actor, { ...fields, actionId });
  const handle = r.client.workflow.getHandle(caseWorkflowId(caseId));
  const send = (updateId: string) => handle.executeUpdate(update, { args: [request.args as unknown as A], updateId });
  const answer = await send(request.updateId);
  if (!options.again) return answer;
  const repeated = await send(`${request.updateId}+again`);
  if (!repeated.duplicate) throw new Error(`${update.name} sent again was not answered as a duplicate`);
  return repeated;
}

/** An action the workflow version being recorded may apply or refuse: either answer goes into the history. */
async function actOrRefused<A extends { actionId: string }>(
  r: Recorder,
  caseId: string,
  update: UpdateDefinition<m.ActionResult, [A]>,
  args: NoInfer<WithoutActionId<A>>,
): Promise<void> {
  try {
    await act(r, caseId, update, args);
  } catch (error) {
    if (!(error instanceof WorkflowUpdateFailedError)) throw error;
    console.log(`${update.name} on ${caseId} refused: ${error.cause?.message ?? error.message}`);
  }
}

/** The office records the service of the case's first notice of a kind, printed and handed over (送达回证). */
async function serveOnPaper(r: Recorder, caseId: string, kind: NoticeKind): Promise<void> {
  const noticeId = `${caseId}:${kind}:0`;
  const handle = r.client.workflow.getHandle(caseWorkflowId(caseId));
  await until(async () => (await handle.query(m.caseViewQuery)).clocks.some((c) => c.key === `service:${noticeId}`));
  await act(r, caseId, m.serviceUpdate, {
    actor: office,
    noticeId,
    servedAt: new Date().toISOString(),
    method: 'post',
  });
}

/** Waits for the case to end in `stage` and keeps its history under `name`. */
async function finish(r: Recorder, caseId: string, name: string, stage: CaseOutcome['stage']): Promise<void> {
  const handle = r.client.workflow.getHandle(caseWorkflowId(caseId));
  const outcome: CaseOutcome = await handle.result();
  if (outcome.stage !== stage) throw new Error(`${name}: the case ended ${outcome.stage}, not ${stage}`);
  const history = await handle.fetchHistory();
  r.histories.set(name, historyToJson(history));
  console.log(`${name}: ${history.events?.length ?? 0} events, ended ${outcome.stage}`);
}

async function until(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function writeHistories(histories: Map<string, string>): Promise<void> {
  for (const [name, json] of histories) {
    const leaks = personalDataIn(json);
    if (leaks.length)
      throw new Error(`${name}: the history contains personal data (${leaks.join(', ')}); nothing written`);
  }
  const set = process.argv[2];
  if (!set || !/^[\w.-]+$/.test(set)) throw new Error('name the set of histories to write: record-histories.ts <set>');
  const dir = path.join(HISTORIES_DIR, set);
  await mkdir(dir, { recursive: true });
  // A re-recording replaces the whole set, so a scenario dropped here does not linger.
  for (const file of await readdir(dir)) {
    if (file.endsWith('.json')) await rm(path.join(dir, file));
  }
  for (const [name, json] of histories) await writeFile(path.join(dir, `${name}.json`), json);
  console.log(`wrote ${histories.size} histories to ${path.relative(process.cwd(), dir)}`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
