/**
 * The regulation on the paths where it could fail, on the time-skipping test server: the late extension, the
 * assignment, supervision per clock, the calendar reload, the hearing, finality under each profile, the expiries no
 * other test reached, and a routing or deadline failure that must not end a case.
 *
 * Scenarios run in 2029 (no holiday schedule built in: only weekends rest, unless a test loads one). Instants are
 * UTC; Asia/Shanghai is UTC+8, so 10:00 local is 02:00Z and a deadline at 24:00 local is 16:00Z.
 */
import { CaseOverdue, CaseProblem } from '../domain/search-attributes';
import type { TimelineDoc } from '../store/models';
import {
  acceptanceUpdate,
  acknowledgementUpdate,
  calendarChangedSignal,
  extensionDecisionUpdate,
  extensionUpdate,
  hearingUpdate,
  recusalUpdate,
  resultUpdate,
  reviewDecisionUpdate,
  reviewRequestUpdate,
  type Actor,
  type CaseView,
  type ClockView,
} from '../workflows/messages';
import { startTimeSkippingStack, toMinute, type CaseHandle, type TimeSkippingStack } from '../harness/time-skipping';
import { refusal } from './env/rejections';

const office: Actor = { role: 'office' };
const petitioner: Actor = { role: 'petitioner' };
const unit = (unitCode: string): Actor => ({ role: 'department', unitCode });

const NJ_HB = '320100-HB'; // 南京市生态环境局: environment cases in 3201xx; superior 320000-BGT
const NJ_GA = '320100-GA';
const NJ_XFJ = '320100-XFJ';

function clock(view: CaseView, key: string): ClockView {
  const found = view.clocks.find((c) => c.key === key);
  if (!found) throw new Error(`clock ${key} is not running; running: ${view.clocks.map((c) => c.key).join(', ')}`);
  return found;
}

const types = (entries: TimelineDoc[]) => entries.map((e) => e.type);

/** Waits (in real time; the test server's clock stands still) for a timeline entry of `type`. */
async function entry(s: TimeSkippingStack, caseId: string, type: string): Promise<TimelineDoc> {
  const until = Date.now() + 20_000;
  for (;;) {
    const found = (await s.timeline(caseId)).find((e) => e.type === type);
    if (found) return found;
    if (Date.now() > until)
      throw new Error(`no ${type} on case ${caseId}: ${types(await s.timeline(caseId)).join(', ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every value a boolean search attribute took, from the history's upserts. */
async function overdueHistory(handle: CaseHandle): Promise<boolean[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).flatMap((event) => {
    const payload =
      event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.[CaseOverdue.name];
    return payload?.data ? [JSON.parse(Buffer.from(payload.data).toString()) as boolean] : [];
  });
}

describe('the regulation on every path (time-skipping)', () => {
  let s: TimeSkippingStack | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  async function inHandling(
    overrides: Parameters<TimeSkippingStack['startCase']>[0],
    unitCode: string,
    coHandlers?: string[],
  ) {
    const started = await s!.startCase(overrides);
    await s!.act(started.handle, acceptanceUpdate, {
      actor: office,
      decision: 'accept',
      ...(coHandlers ? { coHandlers } : {}),
    });
    await s!.act(started.handle, acceptanceUpdate, { actor: unit(unitCode), decision: 'accept' });
    return started;
  }

  it('Art 34, 45: an extension asked after the handling period expired is refused, and a late approval keeps the breach on record', async () => {
    s = await startTimeSkippingStack();
    // Tuesday 5 June 2029: two cases accepted by 南京市生态环境局; 60 days end on Monday 6 August.
    await s.moveTo('2029-06-05T02:00:00Z');
    const late = await inHandling({ regionCode: '320102', category: 'environment' }, NJ_HB);
    const inTime = await inHandling({ regionCode: '320102', category: 'environment' }, NJ_HB);

    // On the last day, one unit asks in time; the office has not decided when the period runs out.
    await s.moveTo('2029-08-06T02:00:00Z');
    await s.act(inTime.handle, extensionUpdate, { actor: unit(NJ_HB), days: 20 });
    await s.moveTo('2029-08-07T02:00:00Z');
    expect(await s.view(late.handle)).toMatchObject({ overdue: true, escalationLevel: 1 });

    expect(await refusal(s.act(late.handle, extensionUpdate, { actor: unit(NJ_HB), days: 20 }))).toEqual({
      type: 'BusinessRule',
      message: expect.stringMatching(
        /^the handling period \(.* from \d{4}-\d{2}-\d{2}\) expired on 2029-08-06; an extension can only be asked while it runs \(Regulations on Letters and Visits Art 34\)$/,
      ),
    });

    await s.act(inTime.handle, extensionDecisionUpdate, { actor: office, approve: true });
    const extended = await s.view(inTime.handle);
    // 20 days from the day after the original last day: Sunday 26 August, rolled forward to Monday 27 August.
    expect(clock(extended, 'handling').deadline).toMatchObject({
      dueAt: '2029-08-28T00:00:00+08:00',
      explanation: { extension: { days: 20, originalLastDay: '2029-08-06' }, lastDay: '2029-08-27' },
    });
    // The overdue days stay on record: the supervision entry, the approval's note, and CaseOverdue's history.
    const story = await s.timeline(inTime.caseId);
    expect(types(story)).toEqual(expect.arrayContaining(['overdue_supervised', 'extension_approved']));
    expect(story.find((e) => e.type === 'extension_approved')?.detail).toMatchObject({
      overdueSince: '2029-08-07T00:00:00+08:00',
    });
    expect(await overdueHistory(inTime.handle)).toContain(true);
    expect(extended.escalationLevel).toBe(1);
  });

  it('Art 22(3): an assignment’s deadline is bounded by the handling limit, runs from the assignment, and ends in a completion report', async () => {
    s = await startTimeSkippingStack();
    // Monday 3 September 2029, 西湖区 (Zhejiang: 30 days handling).
    await s.moveTo('2029-09-03T02:00:00Z');
    const { caseId, handle } = await s.startCase({ regionCode: '330106', category: 'housing' });
    expect(
      await refusal(
        s.act(handle, acceptanceUpdate, { actor: office, decision: 'accept', mode: 'assign', assignDays: 45 }),
      ),
    ).toEqual({
      type: 'BusinessRule',
      message: expect.stringMatching(
        /^an assignment deadline can be at most the handling limit, 30 days under the zhejiang profile .*not 45$/,
      ),
    });
    await s.act(handle, acceptanceUpdate, { actor: office, decision: 'accept', mode: 'assign', assignDays: 20 });
    // 20 days from the assignment: Sunday 23 September, rolled forward to Monday 24 September.
    const assigned = await s.view(handle);
    expect(assigned).toMatchObject({ stage: 'assigned', mode: 'assign', leadUnit: '330106-ZJ' });
    const assignment = clock(assigned, 'handling').deadline;
    expect(toMinute(assignment.startedAt)).toBe('2029-09-03T02:00Z');
    expect(assignment).toMatchObject({ dueAt: '2029-09-25T00:00:00+08:00', length: 20 });

    // The unit signs for it and accepts three days later: the deadline does not move.
    await s.moveTo('2029-09-06T02:00:00Z');
    await s.act(handle, acknowledgementUpdate, { actor: unit('330106-ZJ') });
    await s.act(handle, acceptanceUpdate, { actor: unit('330106-ZJ'), decision: 'accept' });
    expect(clock(await s.view(handle), 'handling').deadline.dueAt).toBe('2029-09-25T00:00:00+08:00');

    await s.act(handle, resultUpdate, { actor: unit('330106-ZJ'), decision: 'explain' });
    const reports = await s.store.outbox.find({ caseId, kind: 'completion_report' }).lean();
    expect(reports.map((n) => n.recipient)).toEqual(['office']);
  });

  it('Art 24, 40: supervision climbs per clock, and the lead waits for a co-handler until its report is missing', async () => {
    s = await startTimeSkippingStack();
    await s.moveTo('2029-06-05T02:00:00Z');
    const { caseId, handle } = await inHandling({ regionCode: '320102', category: 'environment' }, NJ_HB, [NJ_GA]);

    // The co-handler has 30 days (to Thursday 5 July); the lead cannot decide before its report or that day.
    await s.moveTo('2029-06-20T02:00:00Z');
    expect(await refusal(s.act(handle, resultUpdate, { actor: unit(NJ_HB), decision: 'explain' }))).toEqual({
      type: 'BusinessRule',
      message: expect.stringContaining(`waits for the co-handlers' reports: ${NJ_GA} (report due 2029-07-05)`),
    });

    // The co-handler's report never comes: recorded missing, and its own supervision climbs.
    await s.moveTo('2029-07-20T02:00:00Z');
    const missing = await entry(s, caseId, 'co_handler_report_missing');
    expect(missing).toMatchObject({ unitCode: NJ_GA });
    expect((await s.view(handle)).coHandlers).toEqual([{ unitCode: NJ_GA, reported: false, missing: true }]);
    expect(await s.store.outbox.find({ caseId, kind: 'co_handler_report_missing' }).lean()).toHaveLength(1);

    // The lead's own clock runs out on 6 August: its supervision starts at level 1, whatever the co-handler's reached.
    await s.moveTo('2029-08-07T02:00:00Z');
    const supervised = (await s.timeline(caseId)).filter((e) => ['overdue_supervised', 'escalated'].includes(e.type));
    const byHolder = (holder: string) =>
      supervised
        .filter((e) => (e.detail as { holder: string }).holder === holder)
        .map((e) => `${toMinute(e.at)} L${e.escalationLevel} ${e.unitCode}`);
    expect(byHolder(NJ_GA)).toEqual([
      `2029-07-05T16:00Z L1 ${NJ_XFJ}`,
      // Five working days counted from the day after the last day: 6, 9, 10, 11, 12 July.
      '2029-07-12T16:00Z L2 320000-BGT',
    ]);
    expect(byHolder(NJ_HB)).toEqual([`2029-08-06T16:00Z L1 ${NJ_XFJ}`]);
    expect((await s.view(handle)).escalationLevel).toBe(2);

    // The lead decides without the missing report; the result says whose report was missing.
    await s.act(handle, resultUpdate, { actor: unit(NJ_HB), decision: 'explain' });
    expect((await entry(s, caseId, 'result_submitted')).detail).toMatchObject({ missingReports: [NJ_GA] });
  });

  it('a new calendar moves each clock by its own rule, never a window stated to the petitioner, never an expired clock', async () => {
    s = await startTimeSkippingStack();
    await s.moveTo('2029-06-05T02:00:00Z');
    const joint = await inHandling({ regionCode: '320102', category: 'environment' }, NJ_HB, [NJ_GA]);
    const replied = await inHandling({ regionCode: '320102', category: 'environment' }, NJ_HB);
    await s.act(replied.handle, resultUpdate, { actor: unit(NJ_HB), decision: 'explain' });
    const unanswered = await s.startCase({ regionCode: '320102', category: 'environment' });
    await s.act(unanswered.handle, acceptanceUpdate, { actor: office, decision: 'accept' });

    const before = {
      coHandler: clock(await s.view(joint.handle), `coHandler:${NJ_GA}`).deadline,
      handling: clock(await s.view(joint.handle), 'handling').deadline,
      window: clock(await s.view(replied.handle), 'reviewRequest').deadline,
    };
    expect(before.coHandler).toMatchObject({ length: 30, dueAt: '2029-07-06T00:00:00+08:00' });
    expect(before.window.explanation.lastDay).toBe('2029-07-05');

    // 3 working days to acknowledge run out on Friday 8 June: supervised.
    await s.moveTo('2029-06-11T02:00:00Z');
    expect(clock(await s.view(unanswered.handle), 'acknowledge').overdue).toBe(true);

    // An admin loads 2029 with holidays over the acknowledgement period, the window's last day and the handling's.
    await s.store.calendarYears.updateOne(
      { _id: 2029 },
      {
        $set: {
          holidays: ['2029-06-06', '2029-06-07', '2029-06-08', '2029-06-11', '2029-06-12', '2029-07-05', '2029-08-06'],
          workdays: [],
          source: 'admin',
          loadedAt: new Date(),
        },
      },
      { upsert: true },
    );
    for (const started of [joint, replied, unanswered]) {
      await started.handle.signal(calendarChangedSignal, { years: [2029] });
      await entry(s, started.caseId, 'deadlines_recomputed');
    }

    const jointAfter = await s.view(joint.handle);
    // The co-handler keeps its 30 days (not the lead's 60): its last day, 5 July, is now a holiday and rolls forward
    // one day. The lead's last day rolls forward too.
    expect(clock(jointAfter, `coHandler:${NJ_GA}`).deadline).toMatchObject({
      length: 30,
      explanation: { nominalLastDay: '2029-07-05', lastDay: '2029-07-06' },
    });
    expect(clock(jointAfter, 'handling').deadline.explanation).toMatchObject({ lastDay: '2029-08-07' });
    // The review window printed in the reply stays where it was, though its last day is now a holiday.
    expect(clock(await s.view(replied.handle), 'reviewRequest').deadline.dueAt).toBe(before.window.dueAt);
    // The expired acknowledgement is not revived by the days the new calendar adds.
    expect(clock(await s.view(unanswered.handle), 'acknowledge')).toMatchObject({ overdue: true });
    expect(await s.view(unanswered.handle)).toMatchObject({ overdue: true, escalationLevel: 1 });
  });

  it('Art 36: a hearing cannot start after the re-review clock expired, and one that overruns the profile’s limit ends by itself', async () => {
    s = await startTimeSkippingStack();
    // Monday 2 July 2029 in 西湖区 (Zhejiang: longest hearing 15 working days).
    await s.moveTo('2029-07-02T02:00:00Z');
    async function reReview() {
      const started = await inHandling({ regionCode: '330106', category: 'housing' }, '330106-ZJ');
      await s!.act(started.handle, resultUpdate, { actor: unit('330106-ZJ'), decision: 'explain' });
      await s!.act(started.handle, reviewRequestUpdate, { actor: petitioner });
      await s!.act(started.handle, reviewDecisionUpdate, { actor: unit('330100-FG'), decision: 'explain' });
      await s!.act(started.handle, reviewRequestUpdate, { actor: petitioner });
      return started;
    }
    const heard = await reReview();
    const expired = await reReview();

    // The hearing opens Monday 9 July; 15 working days end on Monday 30 July.
    await s.moveTo('2029-07-09T02:00:00Z');
    await s.act(heard.handle, hearingUpdate, { actor: unit('330000-ZJT'), action: 'start' });
    expect((await entry(s, heard.caseId, 'hearing_started')).detail).toEqual({ until: '2029-07-31T00:00:00+08:00' });

    // Nobody ends it: it ends at the limit and the clock runs again, 22 paused days later than its first due date.
    await s.moveTo('2029-07-31T02:00:00Z');
    expect((await entry(s, heard.caseId, 'hearing_ended')).detail).toEqual({
      dueAt: '2029-08-24T00:00:00+08:00',
      limitReached: true,
    });
    expect(clock(await s.view(heard.handle), 'reReviewDecision')).toMatchObject({ paused: false, overdue: false });

    // The other case's re-review decision was due by 1 August: supervision has begun, and a hearing cannot stop it.
    await s.moveTo('2029-08-02T02:00:00Z');
    expect(await s.view(expired.handle)).toMatchObject({ overdue: true, escalationLevel: 1 });
    expect(await refusal(s.act(expired.handle, hearingUpdate, { actor: unit('330000-ZJT'), action: 'start' }))).toEqual(
      {
        type: 'BusinessRule',
        message: 'the re-review decision was due by 2029-08-01; a hearing cannot start after the clock has expired',
      },
    );

    // And the heard case, once its moved deadline passes, is supervised like any other.
    await s.moveTo('2029-08-24T02:00:00Z');
    expect(await s.view(heard.handle)).toMatchObject({ overdue: true, escalationLevel: 1 });
  });

  it('finality by profile: an unused review window terminates a Zhejiang case for good and resolves a national one; C9 and C3 expire as the law says', async () => {
    s = await startTimeSkippingStack();
    // Monday 3 September 2029.
    await s.moveTo('2029-09-03T02:00:00Z');
    const zhejiang = await inHandling(
      { regionCode: '330106', category: 'housing', repeatKey: 'zj-matter-1' },
      '330106-ZJ',
    );
    await s.act(zhejiang.handle, resultUpdate, { actor: unit('330106-ZJ'), decision: 'explain' });
    const national = await inHandling(
      { regionCode: '320102', category: 'environment', repeatKey: 'nj-matter-1' },
      NJ_HB,
    );
    await s.act(national.handle, resultUpdate, { actor: unit(NJ_HB), decision: 'explain' });
    // C9: a review opinion nobody appeals.
    const reviewed = await inHandling({ regionCode: '320102', category: 'environment' }, NJ_HB);
    await s.act(reviewed.handle, resultUpdate, { actor: unit(NJ_HB), decision: 'explain' });
    await s.act(reviewed.handle, reviewRequestUpdate, { actor: petitioner });
    await s.act(reviewed.handle, reviewDecisionUpdate, { actor: unit('320000-BGT'), decision: 'explain' });
    // C3: a unit that never signs for a transferred case.
    const unsigned = await s.startCase({ regionCode: '320102', category: 'environment' });
    await s.act(unsigned.handle, acceptanceUpdate, { actor: office, decision: 'accept' });

    // 30 days from 3 September end on Wednesday 3 October.
    await s.moveTo('2029-10-04T02:00:00Z');
    expect(await zhejiang.handle.result()).toMatchObject({ stage: 'terminated' });
    expect((await entry(s, zhejiang.caseId, 'review_window_lapsed')).detail).toMatchObject({
      final: true,
      basis: expect.stringContaining('浙江省信访条例 Art 25'),
    });
    expect(await national.handle.result()).toMatchObject({ stage: 'resolved' });
    expect(await reviewed.handle.result()).toMatchObject({ stage: 'terminated' });
    expect(types(await s.timeline(reviewed.caseId))).toContain('re_review_window_lapsed');

    // The same matter again: refused in Zhejiang (终结), a case of its own nationally.
    const again = await s.startCase({
      regionCode: '330106',
      category: 'housing',
      repeatKey: 'zj-matter-1',
      waitFor: 'not_accepted',
    });
    expect((await entry(s, again.caseId, 'not_accepted')).detail).toMatchObject({
      reason: 'terminated_same_matter',
      earlierCase: zhejiang.caseId,
    });
    const anew = await s.startCase({ regionCode: '320102', category: 'environment', repeatKey: 'nj-matter-1' });
    expect((await s.view(anew.handle)).stage).toBe('registered');

    // C3: 3 working days from Monday 3 September end on Thursday 6 September; supervision by the city's petition
    // office, then after five working days (7, 10, 11, 12, 13 September) the unit's superior.
    const supervision = (await s.timeline(unsigned.caseId)).filter((e) =>
      ['overdue_supervised', 'escalated'].includes(e.type),
    );
    expect(
      supervision
        .slice(0, 2)
        .map((e) => [toMinute(e.at), e.escalationLevel, e.unitCode, (e.detail as { clock: string }).clock]),
    ).toEqual([
      ['2029-09-06T16:00Z', 1, NJ_XFJ, 'acknowledge'],
      ['2029-09-13T16:00Z', 2, '320000-BGT', 'acknowledge'],
    ]);
  });

  it('a routing failure or an uncountable date never ends a case: the office is told and can act', async () => {
    s = await startTimeSkippingStack();
    await s.moveTo('2029-06-05T02:00:00Z');
    const { caseId, handle } = await s.startCase({ regionCode: '320102', category: 'environment' });
    await s.act(handle, acceptanceUpdate, { actor: office, decision: 'accept' });
    // The unit leaves the directory while it holds the case; its acknowledgement clock runs out on Friday 8 June.
    await s.store.units.deleteOne({ _id: NJ_HB });
    await s.moveTo('2029-06-09T02:00:00Z');
    expect((await entry(s, caseId, 'problem')).detail).toMatchObject({
      kind: 'routing',
      step: 'escalation',
      reason: expect.stringContaining(`单位${NJ_HB}不在单位名录中`),
    });
    const described = await handle.describe();
    expect(described.status.name).toBe('RUNNING');
    expect(described.typedSearchAttributes.get(CaseProblem)).toBe('routing');
    expect((await s.store.outbox.find({ caseId, kind: 'problem' }).lean()).map((n) => n.recipient)).toEqual(['office']);

    // The office takes the case back from the vanished unit and sends it elsewhere; the problem clears.
    await s.act(handle, recusalUpdate, { actor: office, unitCode: NJ_HB });
    await s.act(handle, acceptanceUpdate, { actor: office, decision: 'accept', unitCode: NJ_GA });
    expect(await s.view(handle)).toMatchObject({ stage: 'transferred', leadUnit: NJ_GA });
    expect((await handle.describe()).typedSearchAttributes.get(CaseProblem)).toBeUndefined();

    // A receipt in year 42 cannot be counted: the case stays registered, the office is told, and it can act.
    const ancient = await s.startCase({ regionCode: '320102', receivedAt: '0042-03-01T02:00:00Z', waitFor: 'problem' });
    expect((await entry(s, ancient.caseId, 'problem')).detail).toMatchObject({ kind: 'deadline', clock: 'dispose' });
    await s.act(ancient.handle, acceptanceUpdate, { actor: office, decision: 'accept', unitCode: NJ_GA });
    expect((await s.view(ancient.handle)).stage).toBe('transferred');
  });
});
