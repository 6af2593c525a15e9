/**
 * Art 28 and 30 as a property: whatever position the guarded unit holds in the directory — the unit the case would
 * go to, its superior, the common superior of a dispute, the reviewer, the re-reviewer, the petition office that
 * supervises — a case drives through every action and clock path (transfer, objection, dispute, designation,
 * supervision of the acknowledgement and of the handling up the hierarchy, reply, review, re-review, hearing) and the
 * guarded unit is never the recipient of any notification or webhook, never in CaseUnit or the unit inbox, never an
 * escalation target, reviewer or designator. Run for a report's accused unit, an accused person's unit, and a unit
 * recused in a complaint.
 *
 * The demo directory's chain: 330106-GA → 330100-GA → 330000-GA → 330000-BGT; the first transfer goes to
 * 330106-ZJ (→ 330100-FG → 330000-ZJT → 330000-BGT), which objects, so a dispute between them meets at 330000-BGT.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { CaseUnit } from '../domain/search-attributes';
import * as m from '../workflows/messages';
import { startTimeSkippingStack, type CaseHandle, type TimeSkippingStack } from '../harness/time-skipping';

const office: m.Actor = { role: 'office' };
const petitioner: m.Actor = { role: 'petitioner' };
const unit = (unitCode: string): m.Actor => ({ role: 'department', unitCode });

const FIRST = '330106-ZJ';
const LEAD = '330106-GA';
/** Where the lead goes when the guarded unit is the lead itself. */
const OTHER_LEAD = '330106-BGT';

const POSITIONS = {
  'the unit the case would go to': LEAD,
  'its superior (supervision level 2, reviewer)': '330100-GA',
  'the reviewer’s superior (re-reviewer, level 3)': '330000-GA',
  'the common superior of the dispute (level 4)': '330000-BGT',
  'the petition office that supervises first': '330106-XFJ',
} as const;

type Guard =
  'a report’s accused unit' | 'an accused person’s unit, named after the transfer' | 'a complaint’s recused unit';

/** Sends an action; `applied`, or the type of the refusal (a guarded target must be refused). */
async function tryAct<A extends { actionId: string; actor: m.Actor }>(
  s: TimeSkippingStack,
  handle: CaseHandle,
  update: UpdateDefinition<m.ActionResult, [A]>,
  args: Omit<A, 'actionId'>,
): Promise<string> {
  try {
    await s.act(handle, update, args as Parameters<typeof s.act<A>>[2]);
    return 'applied';
  } catch (error) {
    if (!(error instanceof WorkflowUpdateFailedError)) throw error;
    return (error.cause as { type?: string } | undefined)?.type ?? 'refused';
  }
}

/**
 * `by kind`: today's procedure, where a report ends with the discipline unit's result notice (Art 30, no 复查/复核);
 * `before procedures by kind`: a case registered earlier, still running, whose report is replied to and reviewed like
 * a complaint — the review path the guard must hold on too.
 */
type Procedure = 'by kind' | 'before procedures by kind';

async function drive(
  guarded: string,
  guard: Guard,
  procedure: Procedure,
): Promise<{ reached: string[]; stage: string; refusals: string[] }> {
  const s = await startTimeSkippingStack();
  const refusals: string[] = [];
  try {
    // Monday 2 July 2029, 西湖区: a report (or a complaint) about public security.
    await s.moveTo('2029-07-02T02:00:00Z');
    const later = guard === 'an accused person’s unit, named after the transfer';
    const started = await s.startCase({
      regionCode: '330106',
      category: 'public_security',
      kind: guard === 'a complaint’s recused unit' ? 'complaint' : 'report',
      accusedUnits: guard === 'a report’s accused unit' ? [guarded] : [],
      ...(procedure === 'before procedures by kind' ? { procedures: false as const } : {}),
    });
    const isReport = guard !== 'a complaint’s recused unit';
    const reviewed = !isReport || procedure === 'before procedures by kind';
    const { handle, caseId } = started;
    const views: m.CaseView[] = [];
    const look = async () => views.push(await s.view(handle));
    if (guard === 'a complaint’s recused unit')
      await s.act(handle, m.recusalUpdate, { actor: office, unitCode: guarded });

    // Transfer to the first unit; it objects; the office approves and names the lead (or another, if guarded).
    await s.act(handle, m.acceptanceUpdate, { actor: office, decision: 'accept', unitCode: FIRST });
    await s.act(handle, m.objectionUpdate, { actor: unit(FIRST) });
    let lead = LEAD;
    const toLead = await tryAct(s, handle, m.objectionDecisionUpdate, { actor: office, approve: true, unitCode: LEAD });
    if (toLead !== 'applied') {
      refusals.push(`objection-decision to ${LEAD}: ${toLead}`);
      lead = OTHER_LEAD;
      await s.act(handle, m.objectionDecisionUpdate, { actor: office, approve: true, unitCode: lead });
    }
    // The office learns of an accused person of the guarded unit only now: from here on, the guard holds.
    if (later) {
      await s.act(handle, m.accusationUpdate, { actor: office, units: [guarded] });
      if ((await s.view(handle)).stage === 'registered') {
        refusals.push('recalled');
        lead = OTHER_LEAD;
        await s.act(handle, m.acceptanceUpdate, { actor: office, decision: 'accept', unitCode: lead });
      }
    }
    await look();

    // The lead objects in turn: a dispute. The guarded unit cannot designate; the superior (or the office) does.
    await s.act(handle, m.objectionUpdate, { actor: unit(lead) });
    const disputed = await s.view(handle);
    views.push(disputed);
    const byGuarded = await tryAct(s, handle, m.designationUpdate, { actor: unit(guarded), unitCode: lead });
    expect(byGuarded).not.toBe('applied');
    const designator = disputed.dispute?.superior;
    if (designator) await s.act(handle, m.designationUpdate, { actor: unit(designator), unitCode: lead });
    else await s.act(handle, m.designationUpdate, { actor: office, unitCode: lead, jointConference: true });
    const onGuarded = await tryAct(s, handle, m.designationUpdate, { actor: office, unitCode: guarded });
    expect(onGuarded).not.toBe('applied');
    await look();

    // Nobody signs for it: the acknowledgement clock runs out and supervision climbs the whole hierarchy.
    await s.moveTo('2029-08-06T02:00:00Z');
    await look();
    await s.act(handle, m.acknowledgementUpdate, { actor: unit(lead) });
    await s.act(handle, m.acceptanceUpdate, { actor: unit(lead), decision: 'accept' });
    // Nor is it answered in time: the handling clock (30 days) runs out and climbs again.
    await s.moveTo('2029-10-01T02:00:00Z');
    await look();

    // The reply, then review and re-review: each by the next unit up that is not guarded.
    if (!reviewed) {
      // Art 30: the discipline unit's result notice ends a report; no review is open to the reporter.
      await s.act(handle, m.resultUpdate, { actor: unit(lead), decision: 'not_substantiated' });
    } else {
      await s.act(handle, m.resultUpdate, { actor: unit(lead), decision: 'explain' });
      await s.act(handle, m.reviewRequestUpdate, { actor: petitioner });
      let review = await s.view(handle);
      views.push(review);
      await s.act(handle, m.reviewDecisionUpdate, { actor: unit(review.units.at(-1)!), decision: 'explain' });
      const reReview = await tryAct(s, handle, m.reviewRequestUpdate, { actor: petitioner });
      if (reReview === 'applied') {
        review = await s.view(handle);
        views.push(review);
        const reviewer = review.units.at(-1)!;
        await s.act(handle, m.hearingUpdate, { actor: unit(reviewer), action: 'start' });
        await s.moveTo('2029-10-10T02:00:00Z');
        await s.act(handle, m.hearingUpdate, { actor: unit(reviewer), action: 'end' });
        await s.act(handle, m.reviewDecisionUpdate, { actor: unit(reviewer), decision: 'explain' });
      } else {
        refusals.push(`re-review: ${reReview}`);
      }
    }

    // Everything the case ever addressed or listed.
    // From the change that set the guard on: entries are keyed `<caseId>:<version>.<n>:…` in the order of changes.
    const versionOf = (id: string) => Number(/^[^:]+:(\d+)\./.exec(id)?.[1] ?? 0);
    const all = await s.timeline(caseId);
    const from = later ? versionOf(all.find((e) => e.type === 'accused_added')!._id) : 0;
    const outbox = (await s.store.outbox.find({ caseId }).lean()).filter((n) => versionOf(n._id) >= from);
    const timeline = all.filter((e) => versionOf(e._id) >= from);
    const history = await handle.fetchHistory();
    const accusedAt = later
      ? (history.events ?? []).findIndex(
          (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'accusation',
        )
      : 0;
    const listed = (history.events ?? []).slice(accusedAt).flatMap((event) => {
      const payload =
        event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.[CaseUnit.name];
      return payload?.data ? (JSON.parse(Buffer.from(payload.data).toString()) as string[]) : [];
    });
    const inTimeline = timeline.flatMap((e) => {
      const detail = (e.detail ?? {}) as Record<string, unknown>;
      // Entries about the guard itself name the unit for the office; every other entry must not.
      if (['recused', 'accused_added'].includes(e.type)) return [];
      return [e.unitCode, detail.superior, detail.to, detail.holder === guarded ? guarded : undefined];
    });
    const reached = [
      ...outbox.map((n) => n.recipient),
      ...listed,
      ...views.flatMap((v) => [...v.units, v.leadUnit, v.dispute?.superior]),
      ...inTimeline,
    ].filter((u): u is string => typeof u === 'string');
    const record = await s.store.cases.findById(caseId).lean();
    reached.push(...(record?.units ?? []));
    const stage = (await s.view(handle)).stage;
    // The walk did reach the places the guarded unit would have been: supervision, review, the end.
    expect(timeline.filter((e) => e.type === 'escalated').length).toBeGreaterThan(0);
    expect(outbox.some((n) => n.kind === 'review_requested')).toBe(reviewed);
    return { reached: [...new Set(reached)], stage, refusals };
  } finally {
    await s.stop();
  }
}

describe('Art 28, 30: a guarded unit is never reached, wherever it sits (time-skipping)', () => {
  const REPORT_GUARDS: Guard[] = ['a report’s accused unit', 'an accused person’s unit, named after the transfer'];
  const cases: [string, string, Guard, Procedure][] = [
    ...Object.entries(POSITIONS).flatMap(([position, code]) =>
      (['before procedures by kind', 'by kind'] as const).map((procedure): [string, string, Guard, Procedure] => [
        position,
        code,
        'a report’s accused unit',
        procedure,
      ]),
    ),
    ['the unit holding the case', LEAD, REPORT_GUARDS[1]!, 'before procedures by kind'],
    ['the unit holding the case', LEAD, REPORT_GUARDS[1]!, 'by kind'],
    ['its superior (supervision level 2, reviewer)', '330100-GA', REPORT_GUARDS[1]!, 'before procedures by kind'],
    ['its superior (supervision level 2, reviewer)', '330100-GA', 'a complaint’s recused unit', 'by kind'],
    ['the common superior of the dispute (level 4)', '330000-BGT', 'a complaint’s recused unit', 'by kind'],
  ];

  it.each(cases)('%s (%s) as %s, %s', async (_position, guarded, guard, procedure) => {
    const { reached, stage, refusals } = await drive(guarded, guard, procedure);
    expect(reached).not.toContain(guarded);
    if (guard !== 'a complaint’s recused unit' && procedure === 'by kind') {
      // A report ends with its result notice: no review follows (drive() checks none was requested).
      expect(stage).toBe('resolved');
    } else {
      // The case still ran to an end (terminated after re-review, or awaiting it when nobody unguarded is above).
      expect(['terminated', 'review_replied']).toContain(stage);
    }
    if (guarded === LEAD && guard === 'a report’s accused unit') {
      expect(refusals[0]).toBe(`objection-decision to ${LEAD}: ${m.REJECTION.businessRule}`);
    }
    if (guarded === LEAD && guard !== 'a report’s accused unit') expect(refusals).toContain('recalled');
  });
});
