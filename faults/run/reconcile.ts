/**
 * Reconciliation: every answer the API gave with a 2xx, checked against Temporal and MongoDB once the engine has
 * caught up — no accepted intake lost, each action applied once, each reply delivered once, no reminder that fell
 * due during the run skipped, and nothing extra.
 */
import { Client } from '@temporalio/client';
import { caseWorkflowId } from '../../domain/ids';
import { connectStore, trusted } from '../../store/models';
import { say, sleep, started, type Profile } from './common';
import type { Ledger } from './load';
import type { System } from './stack';

export interface Findings {
  casesLost: string[];
  actionsLost: string[];
  duplicates: string[];
  repliesMissing: string[];
  remindersSkipped: string[];
  remindersDue: number;
  activitiesRetried: number;
  stuckCases: string[];
  /** How late the latest reminder fired after its due time (a worker was dead across one of them). */
  maxReminderLateMs: number;
}

export async function reconcile(sys: System, ledger: Ledger, profile: Profile, until: number): Promise<Findings> {
  const connection = await sys.connectTemporal();
  const client = new Client({ connection, namespace: sys.env.TEMPORAL_NAMESPACE });
  const store = connectStore(sys.env.MONGO_URL);
  const findings: Findings = {
    casesLost: [],
    actionsLost: [],
    duplicates: [],
    repliesMissing: [],
    remindersSkipped: [],
    remindersDue: 0,
    activitiesRetried: 0,
    stuckCases: [],
    maxReminderLateMs: 0,
  };
  try {
    await store.connection.asPromise();
    const caseIds = [...new Set(ledger.intakes.values())];
    // Reminders owed: those of each clock case that fell due after the API registered it and before now (a
    // back-dated receipt's earlier ones are not sent late, by design). A clock case without a record yet counts
    // from the start of the run, and shows as lost below if it never gets one.
    const registeredAt = new Map<string, number>();
    for (const doc of await store.cases
      .find({ _id: trusted({ $in: [...ledger.clockCases.keys()] }) }, { registeredAt: 1 })
      .lean()) {
      if (doc.registeredAt) registeredAt.set(String(doc._id), doc.registeredAt.getTime());
    }
    const owed = new Map<string, number>();
    for (const [caseId, deadline] of ledger.clockCases) {
      const since = registeredAt.get(caseId) ?? started;
      const due = (deadline.reminders ?? []).filter((r) => Date.parse(r.at) <= until && Date.parse(r.at) > since);
      owed.set(caseId, due.length);
    }

    // Quiescence: records written, replies delivered and reminders fired, or the deadline passes.
    const quietBy = Date.now() + profile.quiesceMs;
    for (;;) {
      const records = await store.cases.countDocuments({ _id: trusted({ $in: caseIds }) });
      const replies = await store.outbox.countDocuments({
        _id: trusted({ $in: [...ledger.replied].map((id) => `${id}:reply:0`) }),
      });
      const reminders = await store.outbox.countDocuments({
        caseId: trusted({ $in: [...owed.keys()] }),
        kind: 'reminder',
      });
      const owedTotal = [...owed.values()].reduce((a, b) => a + b, 0);
      if (
        (records === caseIds.length && replies === ledger.replied.size && reminders >= owedTotal) ||
        Date.now() > quietBy
      ) {
        say(
          `quiescence: ${records}/${caseIds.length} records, ${replies}/${ledger.replied.size} replies, ${reminders}/${owedTotal} reminders`,
        );
        break;
      }
      await sleep(1_000);
    }

    // Every 2xx intake: exactly one workflow, exactly one record; and nothing on the queue that was not asked for.
    for (const caseId of caseIds) {
      let runs = 0;
      for await (const _ of client.workflow.list({ query: `WorkflowId = 'case-${caseId}'` })) runs += 1;
      if (runs === 0) findings.casesLost.push(`${caseId}: no workflow`);
      if (runs > 1) findings.duplicates.push(`${caseId}: ${runs} workflow executions`);
      const records = await store.cases.countDocuments({ _id: caseId });
      if (records === 0) findings.casesLost.push(`${caseId}: no MongoDB record`);
    }
    let onQueue = 0;
    for await (const _ of client.workflow.list({ query: `TaskQueue = '${sys.env.TEMPORAL_TASK_QUEUE}'` })) onQueue += 1;
    if (onQueue > caseIds.length)
      findings.duplicates.push(`${onQueue} workflows on the task queue for ${caseIds.length} intakes`);
    const records = await store.cases.countDocuments({});
    if (records > caseIds.length) findings.duplicates.push(`${records} case records for ${caseIds.length} intakes`);

    // Every 2xx action: its Update accepted exactly once in the case's history. The histories also show how many
    // activities needed more than one attempt, the trace of the kills and the outage.
    const byCase = new Map<string, string[]>();
    for (const a of ledger.actions) byCase.set(a.caseId, [...(byCase.get(a.caseId) ?? []), a.actionId]);
    for (const caseId of caseIds) {
      const history = await client.workflow.getHandle(caseWorkflowId(caseId)).fetchHistory();
      const accepted = new Map<string, number>();
      for (const event of history.events ?? []) {
        // The API's Update IDs are `<actionId>@<request digest>`.
        const id = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId?.split('@')[0];
        if (id) accepted.set(id, (accepted.get(id) ?? 0) + 1);
        if ((event.activityTaskStartedEventAttributes?.attempt ?? 1) > 1) findings.activitiesRetried += 1;
      }
      for (const actionId of byCase.get(caseId) ?? []) {
        const times = accepted.get(actionId) ?? 0;
        if (times === 0) findings.actionsLost.push(`${caseId}: ${actionId}`);
        if (times > 1) findings.duplicates.push(`${caseId}: ${actionId} accepted ${times} times`);
      }
    }

    // Cases with an unanswered action: where their workflow stands, for the report.
    for (const caseId of ledger.stuck) {
      const handle = client.workflow.getHandle(caseWorkflowId(caseId));
      const description = await handle.describe();
      const pending = (description.raw.pendingActivities ?? []).map(
        (a) => `${a.activityType?.name} attempt ${a.attempt} (${a.lastFailure?.message ?? 'no failure'})`,
      );
      const events = (await handle.fetchHistory()).events ?? [];
      const tail = events.slice(-8).map((e) => String(e.eventType));
      findings.stuckCases.push(
        `${caseId}: ${description.status.name}, pending [${pending.join('; ')}], last events ${tail.join(' ')}`,
      );
    }

    // Every case whose result was answered 2xx: one reply, and only one.
    for (const caseId of ledger.replied) {
      const replies = await store.outbox.countDocuments({ caseId, kind: 'reply' });
      if (replies === 0) findings.repliesMissing.push(caseId);
      if (replies > 1) findings.duplicates.push(`${caseId}: ${replies} replies`);
    }

    // Every reminder that fell due during the run: sent once (the outbox ID is per clock and reminder).
    for (const [caseId, due] of owed) {
      findings.remindersDue += due;
      const sent = await store.outbox.countDocuments({ caseId, kind: 'reminder' });
      const entries = await store.timeline.countDocuments({ caseId, type: 'reminder' });
      if (sent < due || entries < due)
        findings.remindersSkipped.push(`${caseId}: ${due} due, ${sent} sent, ${entries} in timeline`);
      if (sent > due) findings.duplicates.push(`${caseId}: ${sent} reminders for ${due} due`);
      const deadline = ledger.clockCases.get(caseId)!;
      const half = deadline.reminders?.find((r) => r.key.endsWith(':half'));
      const fired = await store.timeline.findOne({ caseId, type: 'reminder' }).lean();
      if (half && fired) {
        findings.maxReminderLateMs = Math.max(findings.maxReminderLateMs, fired.at.getTime() - Date.parse(half.at));
      }
    }
  } finally {
    await store.connection.close();
    await connection.close();
  }
  return findings;
}
