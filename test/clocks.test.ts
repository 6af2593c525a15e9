/**
 * The case clocks of DESIGN.md §4 on the time-skipping test server: what happens, to whom, and when.
 *
 * The test server starts at the real time and only moves forward, so each scenario gets a server of its own and
 * first skips to fixed instants in 2029: far enough ahead that the suite keeps working for years, and a year with no
 * holiday schedule loaded (only weekends are rest days, and every deadline says so in `unscheduledYears`). Dates
 * that cross real holidays (2025, 2026) are tested through the computeDeadlines activity, and by a workflow whose
 * dispose clock counts from a `receivedAt` in 2026.
 *
 * Instants in the expectations are UTC; Asia/Shanghai is UTC+8, so 10:00 local is 02:00Z, reminders at 09:00 local
 * are 01:00Z, and a deadline at 24:00 local is 16:00Z.
 *
 * Long because each scenario is one clock rule followed through weeks of skipped time, with the story it writes.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities, type CaseActivities } from '../activities';
import type { DeadlineRequest } from '../activities/types';
import type { Deadline } from '../domain/calendar';
import { spreadOffsetSeconds } from '../domain/reminders';
import { CaseEscalationLevel, CaseNextDeadline, CaseOverdue, CaseStage, CaseUnit } from '../domain/search-attributes';
import type { TimelineDoc } from '../store/models';
import { Sealer } from '../store/sealed';
import {
  acceptanceUpdate,
  acknowledgementUpdate,
  extensionDecisionUpdate,
  extensionUpdate,
  hearingUpdate,
  objectionUpdate,
  ratingUpdate,
  resultUpdate,
  reviewDecisionUpdate,
  reviewRequestUpdate,
  supplementUpdate,
  type Actor,
  type CaseView,
  type ClockView,
} from '../workflows/messages';
import { eventually } from '../harness/case-stack';
import { connectTestStore, testSecret } from '../harness/shared-servers';
import { startTimeSkippingStack, toMinute, type CaseHandle, type TimeSkippingStack } from '../harness/time-skipping';
import { refusal } from './env/rejections';

const office: Actor = { role: 'office' };
const petitioner: Actor = { role: 'petitioner' };
const unit = (unitCode: string): Actor => ({ role: 'department', unitCode });

/** One line per timeline entry: `<minute> <type> [unit] [L<level>] [— reminder label]`. */
function story(entries: TimelineDoc[]): string[] {
  return entries.map((e) => {
    const detail = (e.detail ?? {}) as { label?: string };
    return [
      toMinute(e.at),
      e.type,
      e.unitCode ?? '',
      e.escalationLevel ? `L${e.escalationLevel}` : '',
      e.type === 'reminder' ? `— ${detail.label}` : '',
    ]
      .filter(Boolean)
      .join(' ');
  });
}

function clock(view: CaseView, key: string): ClockView {
  const found = view.clocks.find((c) => c.key === key);
  if (!found) throw new Error(`clock ${key} is not running; running: ${view.clocks.map((c) => c.key).join(', ')}`);
  return found;
}

/** Registers a case, has the office transfer it and the unit accept it: the handling clock (C5) starts now. */
async function caseInHandling(
  s: TimeSkippingStack,
  overrides: Parameters<TimeSkippingStack['startCase']>[0],
  unitCode: string,
) {
  const started = await s.startCase(overrides);
  await s.act(started.handle, acceptanceUpdate, { actor: office, decision: 'accept' });
  await s.act(started.handle, acceptanceUpdate, { actor: unit(unitCode), decision: 'accept' });
  return started;
}

async function searchAttributes(handle: CaseHandle) {
  const { typedSearchAttributes: sa } = await handle.describe();
  return {
    stage: sa.get(CaseStage),
    units: sa.get(CaseUnit),
    escalationLevel: sa.get(CaseEscalationLevel),
    overdue: sa.get(CaseOverdue),
  };
}

/** What an operator's list (search attributes) and the case's detail (its query) say: they must say the same. */
async function listedAndShown(s: TimeSkippingStack, handle: CaseHandle) {
  const { typedSearchAttributes: sa } = await handle.describe();
  const view = await s.view(handle);
  const listed = sa.get(CaseNextDeadline);
  return {
    listed: { ...(await searchAttributes(handle)), nextDeadline: listed ? listed.toISOString() : undefined },
    shown: {
      stage: view.stage,
      units: view.units,
      escalationLevel: view.escalationLevel,
      overdue: view.overdue,
      nextDeadline: view.nextDeadline ? new Date(view.nextDeadline).toISOString() : undefined,
    },
  };
}

describe('time-skipping harness', () => {
  it('needs the case search attributes registered: the test server refuses unknown ones', async () => {
    const s = await startTimeSkippingStack({ registerSearchAttributes: false });
    try {
      const error = (await s.startCase().catch((e: unknown) => e)) as Error & { cause?: Error };
      expect(error).toBeInstanceOf(Error);
      expect(`${error.message} ${error.cause?.message ?? ''}`).toMatch(
        /INVALID_ARGUMENT: search attribute Case\w+ is not defined/,
      );
    } finally {
      await s.stop();
    }
  });
});

describe('clocks of a running case (time-skipping)', () => {
  let s: TimeSkippingStack | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  it('reminds a unit that does not answer, then supervises and escalates up the hierarchy (national, Nanjing)', async () => {
    s = await startTimeSkippingStack();
    // Tuesday 5 June 2029, 10:00 in Nanjing: registered, transferred to 南京市生态环境局 and accepted.
    await s.moveTo('2029-06-05T02:00:00Z');
    const { caseId, handle } = await caseInHandling(s, { regionCode: '320102', category: 'environment' }, '320100-HB');

    // 60 days from 5 June end on Saturday 4 August; the period rolls forward to Monday 6 August (Civil Code Art 203).
    const accepted = await s.view(handle);
    expect(accepted).toMatchObject({ stage: 'handling', leadUnit: '320100-HB', escalationLevel: 0, overdue: false });
    expect(clock(accepted, 'handling').deadline).toMatchObject({
      dueAt: '2029-08-07T00:00:00+08:00',
      length: 60,
      unit: 'calendar_days',
      explanation: {
        startLocalDate: '2029-06-05',
        nominalLastDay: '2029-08-04',
        lastDay: '2029-08-06',
        rolledForward: { from: '2029-08-04', to: '2029-08-06' },
        unscheduledYears: [2029],
      },
    });

    // An hour before the deadline: all four reminders, nothing overdue yet.
    await s.moveTo('2029-08-06T15:00:00Z');
    expect(await s.view(handle)).toMatchObject({ escalationLevel: 0, overdue: false });

    // Just after it: level 1, supervision (督办) by the city petition office.
    await s.moveTo('2029-08-06T16:01:00Z');
    const supervised = await s.view(handle);
    expect(supervised).toMatchObject({ escalationLevel: 1, overdue: true });
    expect(clock(supervised, 'handling').overdue).toBe(true);

    // Five working days counted from the day after the last day (Mon 6 Aug is day 0; 7, 8, 9, 10, 13 Aug) level 2,
    // the unit's superior; five more and the hierarchy has nothing above 江苏省人民政府办公厅.
    await s.moveTo('2029-08-23T00:00:00Z');
    const escalated = await s.view(handle);
    expect(escalated).toMatchObject({ stage: 'handling', escalationLevel: 2, overdue: true });

    const timeline = await s.timeline(caseId);
    expect(story(timeline)).toEqual([
      '2029-06-05T02:00Z registered',
      '2029-06-05T02:00Z dispose_clock_started',
      '2029-06-05T02:00Z transferred 320100-HB',
      '2029-06-05T02:00Z notice_issued',
      '2029-06-05T02:00Z notice_served',
      '2029-06-05T02:00Z accepted 320100-HB',
      '2029-06-05T02:00Z notice_issued',
      '2029-06-05T02:00Z notice_served',
      // Half of 5 Jun 02:00Z → 6 Aug 16:00Z (62 d 14 h) is 31 d 7 h: 6 July (a Friday), at 09:00 local.
      '2029-07-06T01:00Z reminder 320100-HB — C5 办理期限 — 过半提醒',
      // 09:00 local on 27 July, 3 August and 6 August (10, 3 and 0 days before the last day).
      '2029-07-27T01:00Z reminder 320100-HB — C5 办理期限 — 剩余10天提醒',
      '2029-08-03T01:00Z reminder 320100-HB — C5 办理期限 — 剩余3天提醒',
      '2029-08-06T01:00Z reminder 320100-HB — C5 办理期限 — 当日到期提醒',
      '2029-08-06T16:00Z overdue_supervised 320100-XFJ L1',
      '2029-08-13T16:00Z escalated 320000-BGT L2',
      '2029-08-20T16:00Z escalation_exhausted 320100-HB',
    ]);
    expect(timeline.find((e) => e.type === 'escalated')?.detail).toMatchObject({
      clock: 'handling',
      holder: '320100-HB',
      dueAt: '2029-08-07T00:00:00+08:00',
    });

    // Every reminder and escalation is also a notification (webhook) to the unit and the supervisors.
    const outbox = await s.store.outbox.find({ caseId }).lean();
    const sent = (kind: string) =>
      outbox
        .filter((n) => n.kind === kind)
        .map(
          (n) =>
            `${n.recipient}${(n.payload as { level?: number }).level ? ` L${(n.payload as { level: number }).level}` : ''}`,
        )
        .sort();
    expect(sent('reminder')).toEqual(Array(4).fill('320100-HB'));
    expect(sent('overdue')).toEqual(['320100-HB L1', '320100-HB L2']);
    expect(sent('escalation')).toEqual(['320000-BGT L2', '320100-XFJ L1']);

    // …and visible in Temporal.
    expect(await searchAttributes(handle)).toEqual({
      stage: 'handling',
      units: ['320100-HB'],
      escalationLevel: 2,
      overdue: true,
    });
  });

  it('keeps the reminder timer through changes that leave the next reminder in place, and still reminds on time, once', async () => {
    s = await startTimeSkippingStack();
    await s.moveTo('2029-06-05T02:00:00Z');
    const { caseId, handle } = await caseInHandling(s, { regionCode: '320102', category: 'environment' }, '320100-HB');
    const acceptedAt = (await handle.fetchHistory()).events?.length ?? 0;

    // Two supplements from the petitioner before the first reminder (6 July 09:00 local): changes to the case that
    // leave its next clock event where it was.
    await s.moveTo('2029-06-20T02:00:00Z');
    await s.act(handle, supplementUpdate, { actor: petitioner });
    await s.moveTo('2029-07-01T02:00:00Z');
    await s.act(handle, supplementUpdate, { actor: petitioner });
    await s.moveTo('2029-07-06T02:00:00Z');

    const timeline = await s.timeline(caseId);
    expect(story(timeline.filter((e) => e.type === 'reminder' || e.type === 'supplement'))).toEqual([
      '2029-06-20T02:00Z supplement',
      '2029-07-01T02:00Z supplement',
      '2029-07-06T01:00Z reminder 320100-HB — C5 办理期限 — 过半提醒',
    ]);
    // The clock loop's timer for that reminder, started at the acceptance, was neither cancelled nor started again
    // by the supplements: the next timer event after the acceptance is its firing.
    const events = ((await handle.fetchHistory()).events ?? []).slice(acceptedAt);
    const firedAt = events.findIndex((e) => e.timerFiredEventAttributes);
    expect(firedAt).toBeGreaterThan(-1);
    const beforeFiring = events.slice(0, firedAt);
    expect(beforeFiring.filter((e) => e.timerStartedEventAttributes || e.timerCanceledEventAttributes)).toEqual([]);
    expect(beforeFiring.filter((e) => e.workflowExecutionUpdateCompletedEventAttributes)).toHaveLength(2);
  });

  it('moves the handling deadline by an approved extension, and the reminders with it; a second one is refused', async () => {
    s = await startTimeSkippingStack();
    // Monday 4 June 2029: 60 days end on Friday 3 August, 80 days on Thursday 23 August (no roll-forward either way).
    await s.moveTo('2029-06-04T02:00:00Z');
    const { caseId, handle } = await caseInHandling(s, { regionCode: '320102', category: 'environment' }, '320100-HB');
    expect(clock(await s.view(handle), 'handling').deadline.dueAt).toBe('2029-08-04T00:00:00+08:00');

    // Day 45 (Thursday 19 July): the half-time reminder has fired; the unit asks for 20 days and the office agrees.
    await s.moveTo('2029-07-19T02:00:00Z');
    await s.act(handle, extensionUpdate, { actor: unit('320100-HB'), days: 20 });
    await s.act(handle, extensionDecisionUpdate, { actor: office, approve: true });

    const extended = await s.view(handle);
    expect(extended.extension).toEqual({ days: 20, status: 'approved' });
    // 60 + 20 days counted from the same acceptance.
    const handling = clock(extended, 'handling').deadline;
    expect(handling).toMatchObject({
      dueAt: '2029-08-24T00:00:00+08:00',
      length: 80,
      explanation: {
        startLocalDate: '2029-06-04',
        lastDay: '2029-08-23',
        extension: { days: 20, reason: '经信访工作机构批准延期' },
        rolledForward: null,
      },
    });
    expect(toMinute(handling.startedAt)).toBe('2029-06-04T02:00Z');
    const approved = (await s.timeline(caseId)).find((e) => e.type === 'extension_approved');
    expect(approved?.detail).toEqual({ days: 20, dueAt: '2029-08-24T00:00:00+08:00' });

    // Art 34: one extension only.
    expect(await refusal(s.act(handle, extensionUpdate, { actor: unit('320100-HB'), days: 5 }))).toEqual({
      type: 'BusinessRule',
      message: 'the handling period can be extended once only (Regulations on Letters and Visits Art 34)',
    });

    await s.moveTo('2029-08-24T00:00:00Z');
    expect(story(await s.timeline(caseId))).toEqual([
      '2029-06-04T02:00Z registered',
      '2029-06-04T02:00Z dispose_clock_started',
      '2029-06-04T02:00Z transferred 320100-HB',
      '2029-06-04T02:00Z notice_issued',
      '2029-06-04T02:00Z notice_served',
      '2029-06-04T02:00Z accepted 320100-HB',
      '2029-06-04T02:00Z notice_issued',
      '2029-06-04T02:00Z notice_served',
      // Half of 4 Jun 02:00Z → 3 Aug 16:00Z (60 d 14 h): 4 July, at 09:00 local.
      '2029-07-04T01:00Z reminder 320100-HB — C5 办理期限 — 过半提醒',
      '2029-07-19T02:00Z extension_requested 320100-HB',
      '2029-07-19T02:00Z extension_approved 320100-HB',
      '2029-07-19T02:00Z notice_issued',
      '2029-07-19T02:00Z notice_served',
      // Nothing on 24 July (10 days before the old deadline); the half-time of the extended period (14 July) had
      // passed when it was approved, so it is not sent late. The rest follow the new last day, 23 August.
      '2029-08-13T01:00Z reminder 320100-HB — C5 办理期限 — 剩余10天提醒',
      '2029-08-20T01:00Z reminder 320100-HB — C5 办理期限 — 剩余3天提醒',
      '2029-08-23T01:00Z reminder 320100-HB — C5 办理期限 — 当日到期提醒',
      '2029-08-23T16:00Z overdue_supervised 320100-XFJ L1',
    ]);

    // The petitioner is told of the extension (Art 34).
    const notices = await s.store.outbox.find({ caseId, kind: 'extension_notice' }).lean();
    expect(notices.map((n) => [n.recipient, (n.payload as { days: number }).days])).toEqual([['petitioner', 20]]);
  });

  it('ends the case as resolved when no review is asked within 30 days of the reply (rating lapses first)', async () => {
    s = await startTimeSkippingStack();
    // Thursday 7 June 2029: the unit answers at once and the reply is delivered.
    await s.moveTo('2029-06-07T02:00:00Z');
    const { caseId, handle } = await caseInHandling(s, { regionCode: '320102', category: 'environment' }, '320100-HB');
    await s.act(handle, resultUpdate, { actor: unit('320100-HB'), decision: 'explain' });

    const delivered = await s.view(handle);
    expect(delivered.stage).toBe('reply_delivered');
    // C6: 15 days → Friday 22 June. C7: 30 days → Saturday 7 July, rolled forward to Monday 9 July.
    expect(clock(delivered, 'rating').deadline.dueAt).toBe('2029-06-23T00:00:00+08:00');
    expect(clock(delivered, 'reviewRequest').deadline).toMatchObject({
      dueAt: '2029-07-10T00:00:00+08:00',
      explanation: {
        nominalLastDay: '2029-07-07',
        lastDay: '2029-07-09',
        rolledForward: { from: '2029-07-07', to: '2029-07-09' },
      },
    });
    // Art 32, 35: the reply states the period, counted from its receipt; served by SMS at once, the case runs the
    // window to 9 July, as above.
    const reply = await s.store.outbox.findById(`${caseId}:reply:0`).lean();
    expect((reply?.payload as { rightToReview: string }).rightToReview).toMatch(
      /^如对本意见不服，你可以自收到本意见之日起30日内向上一级机关请求复查/,
    );
    expect(s.sms.map((m) => m.text).join('\n')).toMatch(/处理意见书/);

    // After the rating window: not rated, and a late rating is refused naming the day the window closed.
    await s.moveTo('2029-06-25T02:00:00Z');
    expect(await refusal(s.act(handle, ratingUpdate, { actor: petitioner, rating: 'satisfied' }))).toEqual({
      type: 'BusinessRule',
      message: 'the rating window closed on 2029-06-22 (15 calendar days after 2029-06-07)',
    });

    // Nobody asks for review: awaiting the result skips to the end of the review window.
    expect(await handle.result()).toEqual({ caseId, stage: 'resolved', decision: 'explain' });
    expect(story(await s.timeline(caseId))).toEqual([
      '2029-06-07T02:00Z registered',
      '2029-06-07T02:00Z dispose_clock_started',
      '2029-06-07T02:00Z transferred 320100-HB',
      '2029-06-07T02:00Z notice_issued',
      '2029-06-07T02:00Z notice_served',
      '2029-06-07T02:00Z accepted 320100-HB',
      '2029-06-07T02:00Z notice_issued',
      '2029-06-07T02:00Z notice_served',
      '2029-06-07T02:00Z result_submitted 320100-HB',
      '2029-06-07T02:00Z reply_delivered 320100-HB',
      '2029-06-07T02:00Z notice_issued',
      '2029-06-07T02:00Z notice_served',
      '2029-06-22T16:00Z not_rated',
      '2029-07-09T16:00Z review_window_lapsed',
    ]);
    const record = await s.store.cases.findById(caseId).lean();
    expect(record).toMatchObject({ stage: 'resolved', overdue: false });
    expect(record?.closedAt && toMinute(record.closedAt)).toBe('2029-07-09T16:00Z');
  });

  it('does not count hearing days toward the re-review decision (Art 36), and shows the moved deadline', async () => {
    s = await startTimeSkippingStack();
    // Monday 2 July 2029 in Hangzhou 西湖区: reply, review by 杭州市住房保障和房产管理局 and its opinion, then a
    // re-review request to 浙江省住房和城乡建设厅, all the same morning.
    await s.moveTo('2029-07-02T02:00:00Z');
    const { caseId, handle } = await caseInHandling(s, { regionCode: '330106', category: 'housing' }, '330106-ZJ');
    await s.act(handle, resultUpdate, { actor: unit('330106-ZJ'), decision: 'explain' });
    await s.act(handle, reviewRequestUpdate, { actor: petitioner });
    await s.act(handle, reviewDecisionUpdate, { actor: unit('330100-FG'), decision: 'explain' });
    await s.act(handle, reviewRequestUpdate, { actor: petitioner });

    const requested = await s.view(handle);
    expect(requested).toMatchObject({ stage: 're_review_requested', profileId: 'zhejiang', reviewRound: 2 });
    // 30 days from 2 July: Wednesday 1 August.
    expect(clock(requested, 'reReviewDecision')).toMatchObject({
      holder: '330000-ZJT',
      paused: false,
      deadline: { dueAt: '2029-08-02T00:00:00+08:00', explanation: { pausedDays: 0 } },
    });

    // The hearing runs from Monday 9 July 10:00 to Friday 13 July 16:00: five local days.
    await s.moveTo('2029-07-09T02:00:00Z');
    await s.act(handle, hearingUpdate, { actor: unit('330000-ZJT'), action: 'start' });
    await s.moveTo('2029-07-13T08:00:00Z');
    expect(clock(await s.view(handle), 'reReviewDecision').paused).toBe(true);
    await s.act(handle, hearingUpdate, { actor: office, action: 'end' });

    const resumed = clock(await s.view(handle), 'reReviewDecision');
    expect(resumed.paused).toBe(false);
    expect(resumed.deadline).toMatchObject({
      dueAt: '2029-08-07T00:00:00+08:00',
      length: 30,
      explanation: {
        lastDay: '2029-08-06',
        pausedDays: 5,
        pauses: [{ days: 5, reason: 'hearing (听证)' }],
      },
    });
    const [pause] = resumed.deadline.explanation.pauses;
    expect([toMinute(pause!.from), toMinute(pause!.to)]).toEqual(['2029-07-09T02:00Z', '2029-07-13T08:00Z']);
    expect(resumed.deadline.explanation.text).toContain('中止期间5日不计入：hearing (听证)');

    // The half-time reminder follows the moved deadline: not 17 July 09:00Z (half of the original 30 d 14 h) but
    // half of 2 Jul 02:00Z → 6 Aug 16:00Z (35 d 14 h) = 19 July 21:00Z.
    await s.moveTo('2029-07-20T00:00:00Z');
    await s.act(handle, reviewDecisionUpdate, { actor: unit('330000-ZJT'), decision: 'explain' });
    expect(await handle.result()).toEqual({ caseId, stage: 'terminated', decision: 'explain' });

    const timeline = await s.timeline(caseId);
    expect(story(timeline)).toEqual([
      '2029-07-02T02:00Z registered',
      '2029-07-02T02:00Z dispose_clock_started',
      '2029-07-02T02:00Z transferred 330106-ZJ',
      '2029-07-02T02:00Z notice_issued',
      '2029-07-02T02:00Z notice_served',
      '2029-07-02T02:00Z accepted 330106-ZJ',
      '2029-07-02T02:00Z notice_issued',
      '2029-07-02T02:00Z notice_served',
      '2029-07-02T02:00Z result_submitted 330106-ZJ',
      '2029-07-02T02:00Z reply_delivered 330106-ZJ',
      '2029-07-02T02:00Z notice_issued',
      '2029-07-02T02:00Z notice_served',
      '2029-07-02T02:00Z review_requested 330100-FG',
      '2029-07-02T02:00Z review_replied 330100-FG',
      '2029-07-02T02:00Z notice_issued',
      '2029-07-02T02:00Z notice_served',
      '2029-07-02T02:00Z re_review_requested 330000-ZJT',
      '2029-07-09T02:00Z hearing_started 330000-ZJT',
      '2029-07-13T08:00Z hearing_ended 330000-ZJT',
      // The half-time reminder falls on 20 July at 09:00 local: the opinion came first, at 08:00.
      '2029-07-20T00:00Z re_review_replied 330000-ZJT',
    ]);
    expect(timeline.find((e) => e.type === 'hearing_ended')?.detail).toEqual({ dueAt: '2029-08-07T00:00:00+08:00' });
  });

  it('lists a case with a paused clock as its detail shows it: next deadline, units, overdue', async () => {
    s = await startTimeSkippingStack();
    // Monday 2 July 2029 in Hangzhou 西湖区: reply, review and re-review request the same morning, then a hearing
    // pauses the re-review clock (Art 36) while the decision's execution clock keeps running.
    await s.moveTo('2029-07-02T02:00:00Z');
    const { handle } = await caseInHandling(s, { regionCode: '330106', category: 'housing' }, '330106-ZJ');
    await s.act(handle, resultUpdate, { actor: unit('330106-ZJ'), decision: 'explain' });
    await s.act(handle, reviewRequestUpdate, { actor: petitioner });
    await s.act(handle, reviewDecisionUpdate, { actor: unit('330100-FG'), decision: 'explain' });
    await s.act(handle, reviewRequestUpdate, { actor: petitioner });
    const before = await listedAndShown(s, handle);
    expect(before.listed).toEqual(before.shown);

    await s.moveTo('2029-07-09T02:00:00Z');
    await s.act(handle, hearingUpdate, { actor: unit('330000-ZJT'), action: 'start' });
    expect(clock(await s.view(handle), 'reReviewDecision').paused).toBe(true);
    const paused = await listedAndShown(s, handle);
    expect(paused.listed).toEqual(paused.shown);

    await s.moveTo('2029-07-13T08:00:00Z');
    await s.act(handle, hearingUpdate, { actor: office, action: 'end' });
    const resumed = await listedAndShown(s, handle);
    expect(resumed.listed).toEqual(resumed.shown);
  });

  it('runs Zhejiang clocks in working days and refuses an objection after its window, naming the closing date', async () => {
    s = await startTimeSkippingStack();
    // Thursday 6 September 2029 in Hangzhou 西湖区: 5 working days to dispose skip the weekend of 8–9 September.
    await s.moveTo('2029-09-06T02:00:00Z');
    const { caseId, handle } = await s.startCase({ regionCode: '330106', category: 'public_security' });
    const registered = await s.view(handle);
    expect(registered.profileId).toBe('zhejiang');
    expect(clock(registered, 'dispose').deadline).toMatchObject({
      dueAt: '2029-09-14T00:00:00+08:00',
      length: 5,
      unit: 'working_days',
      explanation: {
        lastDay: '2029-09-13',
        skippedDays: [
          { date: '2029-09-08', reason: 'weekend' },
          { date: '2029-09-09', reason: 'weekend' },
        ],
        unscheduledYears: [2029],
      },
    });

    // Friday 7 September: transferred to 西湖区公安分局, which acknowledges; its objection window is 5 working days.
    await s.moveTo('2029-09-07T02:00:00Z');
    await s.act(handle, acceptanceUpdate, { actor: office, decision: 'accept' });
    await s.act(handle, acknowledgementUpdate, { actor: unit('330106-GA') });
    const transferred = await s.view(handle);
    expect(transferred).toMatchObject({ stage: 'acknowledged', leadUnit: '330106-GA' });
    expect(clock(transferred, 'objection').deadline).toMatchObject({
      dueAt: '2029-09-15T00:00:00+08:00',
      explanation: { startLocalDate: '2029-09-07', lastDay: '2029-09-14' },
    });
    expect(clock(transferred, 'notify').deadline.dueAt).toBe('2029-09-15T00:00:00+08:00');

    // Monday 17 September: too late to object.
    await s.moveTo('2029-09-17T02:00:00Z');
    expect(await refusal(s.act(handle, objectionUpdate, { actor: unit('330106-GA') }))).toEqual({
      type: 'BusinessRule',
      message: 'the objection window closed on 2029-09-14 (5 working days after 2029-09-07)',
    });

    const after = await s.view(handle);
    // The unit still has not told the petitioner it accepted the case (C2, 5 working days in Zhejiang): supervised.
    expect(after).toMatchObject({ stage: 'acknowledged', escalationLevel: 1, overdue: true });
    expect(story(await s.timeline(caseId))).toEqual([
      '2029-09-06T02:00Z registered',
      '2029-09-06T02:00Z dispose_clock_started',
      '2029-09-07T02:00Z transferred 330106-GA',
      '2029-09-07T02:00Z notice_issued',
      '2029-09-07T02:00Z notice_served',
      '2029-09-07T02:00Z acknowledged 330106-GA',
      // 5 working days from Friday 7 Sep: half-time is 2 working days in (Tue 11 Sep, 09:00), and 3 working days
      // before the last day is the same day, so one reminder; no "10 days left" on a 5-working-day clock.
      '2029-09-11T01:00Z reminder 330106-GA — C2 告知期限 — 过半提醒',
      '2029-09-14T01:00Z reminder 330106-GA — C2 告知期限 — 当日到期提醒',
      '2029-09-14T16:00Z objection_window_closed 330106-GA',
      '2029-09-14T16:00Z overdue_supervised 330106-XFJ L1',
    ]);
  });

  it('counts the dispose clock of a late-registered letter from its receipt, across National Day 2026', async () => {
    s = await startTimeSkippingStack();
    // Registered now (the real date), received weeks ago: the clock counts from receipt and is already overdue.
    const zhejiang = await s.startCase({
      regionCode: '330106',
      category: 'housing',
      receivedAt: '2026-09-28T10:00:00+08:00',
    });
    const national = await s.startCase({
      regionCode: '320102',
      category: 'environment',
      receivedAt: '2026-09-16T10:00:00+08:00',
    });

    // Zhejiang, 5 working days from Monday 28 Sept: 29, 30 Sept, (National Day 1–7 Oct), 8, 9 Oct and the make-up
    // working Saturday 10 Oct.
    const zj = await s.view(zhejiang.handle);
    expect(clock(zj, 'dispose').deadline).toMatchObject({
      dueAt: '2026-10-11T00:00:00+08:00',
      unit: 'working_days',
      explanation: {
        startLocalDate: '2026-09-28',
        lastDay: '2026-10-10',
        makeUpDaysCounted: ['2026-10-10'],
        skippedDays: ['01', '02', '03', '04', '05', '06', '07'].map((d) => ({
          date: `2026-10-${d}`,
          reason: 'holiday',
          name: 'National Day',
        })),
        unscheduledYears: [],
      },
    });
    // National, 15 calendar days from 16 Sept end on 1 Oct (National Day) and roll forward to Thursday 8 Oct.
    const nat = await s.view(national.handle);
    expect(clock(nat, 'dispose').deadline).toMatchObject({
      dueAt: '2026-10-09T00:00:00+08:00',
      unit: 'calendar_days',
      explanation: {
        nominalLastDay: '2026-10-01',
        lastDay: '2026-10-08',
        rolledForward: { from: '2026-10-01', to: '2026-10-08' },
      },
    });

    for (const started of [zhejiang, national]) {
      // The deadline had passed at registration: the head of the office supervises at once, with no time skipped.
      const view = await eventually(async () => {
        const v = await s!.view(started.handle);
        return v.escalationLevel > 0 ? v : undefined;
      });
      expect(view).toMatchObject({ stage: 'registered', escalationLevel: 1, overdue: true });
      const timeline = await s.timeline(started.caseId);
      expect(timeline.map((e) => [e.type, e.unitCode, e.escalationLevel])).toEqual([
        ['registered', undefined, undefined],
        ['dispose_clock_started', undefined, undefined],
        ['overdue_supervised', 'office-head', 1],
      ]);
      const supervisedAt = timeline[2]!.at.getTime();
      expect(supervisedAt - Date.parse(started.registeredAt)).toBeGreaterThanOrEqual(0);
      expect(supervisedAt - Date.parse(started.registeredAt)).toBeLessThan(30_000);
    }
  });
  it('sends a reminder that fell due between registration and a late first workflow task, not one before it', async () => {
    s = await startTimeSkippingStack();
    await s.moveTo('2029-03-07T12:00:00+08:00');
    // Both letters arrived on Monday 26 February; the 15-day dispose clock's half-time reminder is due on Tuesday
    // 6 March at 09:00. The API registered the first case on Friday 2 March, but its clock starts only now (the worker
    // or Temporal was down in between): the reminder fell due after the case was registered, so it is sent, late.
    // The second letter was registered now, after the reminder's time: a back-dated receipt's passed reminders are
    // not sent late.
    const receivedAt = '2029-02-26T10:00:00+08:00';
    const late = await s.startCase({ receivedAt, registeredAt: '2029-03-02T10:00:00+08:00' });
    const backDated = await s.startCase({ receivedAt });
    const half = clock(await s.view(late.handle), 'dispose').deadline.reminders?.find((r) => r.key.endsWith(':half'));
    expect(half?.at).toBe('2029-03-06T01:00:00.000Z');

    const sent = await eventually(async () => {
      const entries = await s!.timeline(late.caseId);
      return entries.some((e) => e.type === 'reminder') ? entries : undefined;
    });
    expect(story(sent)).toEqual([
      '2029-03-02T02:00Z registered',
      '2029-03-07T04:00Z dispose_clock_started',
      '2029-03-07T04:00Z reminder — C1 处理期限 — 过半提醒',
    ]);
    // The back-dated case's clock started in the same minute; an hour on, it has sent nothing.
    await s.skip(60 * 60_000);
    expect(story(await s.timeline(backDated.caseId))).toEqual([
      '2029-03-07T04:00Z registered',
      '2029-03-07T04:00Z dispose_clock_started',
    ]);
    expect(story(await s.timeline(late.caseId))).toHaveLength(3);
  });
});

describe('deadlines across the 2025 and 2026 holidays (computeDeadlines activity)', () => {
  // Past dates cannot be reached by the test server's clock: ask the activity the workflow asks.
  let s: { activities: CaseActivities; spread: CaseActivities; close: () => Promise<void> } | undefined;
  beforeAll(async () => {
    const { store, close } = await connectTestStore();
    const deps = { store, sealer: new Sealer(testSecret) };
    s = { activities: createActivities(deps), spread: createActivities({ ...deps, reminderSpread: 3600 }), close };
  });
  afterAll(async () => {
    await s?.close();
  });

  const national = { calendar: { length: 15, unit: 'calendar_days', basis: '信访工作条例 Art 22' } } as const;
  const fiveWorkingDays = { length: 5, unit: 'working_days', basis: '信访工作条例 Art 23' } as const;

  it('rolls a 15-day dispose clock from 31 January 2026 past the Spring Festival to 24 February', async () => {
    const [fromLocal, fromUtc] = await s!.activities.computeDeadlines([
      { clock: 'dispose', rule: national.calendar, startedAt: '2026-01-31T10:00:00+08:00' },
      // 17:00Z on 30 January is already 31 January in Shanghai.
      { clock: 'dispose', rule: national.calendar, startedAt: '2026-01-30T17:00:00Z' },
    ]);
    for (const deadline of [fromLocal, fromUtc]) {
      expect(deadline).toMatchObject({
        dueAt: '2026-02-25T00:00:00+08:00',
        explanation: {
          startLocalDate: '2026-01-31',
          nominalLastDay: '2026-02-15',
          lastDay: '2026-02-24',
          unscheduledYears: [],
        },
      });
      expect(deadline!.explanation.rolledForward?.restDays).toEqual(
        ['15', '16', '17', '18', '19', '20', '21', '22', '23'].map((d) => ({
          date: `2026-02-${d}`,
          reason: 'holiday',
          name: 'Spring Festival',
        })),
      );
      expect(deadline!.explanation.text).toContain('顺延至其后第一个工作日2026年2月24日');
    }
  });

  it('counts make-up working days and skips National Day in 5-working-day windows of 2025', async () => {
    const [fromFriday, fromTuesday] = await s!.activities.computeDeadlines([
      { clock: 'objection', rule: fiveWorkingDays, startedAt: '2025-09-26T10:00:00+08:00' },
      { clock: 'objection', rule: fiveWorkingDays, startedAt: '2025-09-30T10:00:00+08:00' },
    ]);
    const nationalDay = ['01', '02', '03', '04', '05', '06', '07', '08'].map((d) => `2025-10-${d}`);

    // From Friday 26 Sept: Sunday 28 Sept is a make-up working day (1), 29 and 30 Sept (2, 3), then 1–8 Oct are
    // holidays, and 9, 10 Oct (4, 5). The make-up Saturday 11 Oct comes after the window.
    expect(fromFriday).toMatchObject({
      dueAt: '2025-10-11T00:00:00+08:00',
      explanation: { lastDay: '2025-10-10', makeUpDaysCounted: ['2025-09-28'], rolledForward: null },
    });
    expect(fromFriday!.explanation.skippedDays.map((d) => `${d.date} ${d.reason}`)).toEqual([
      '2025-09-27 weekend',
      ...nationalDay.map((d) => `${d} holiday`),
    ]);
    expect(fromFriday!.explanation.skippedDays.find((d) => d.date === '2025-10-06')?.name).toBe('Mid-autumn Festival');

    // From Tuesday 30 Sept: 9, 10 Oct, the make-up Saturday 11 Oct, (Sunday 12 Oct), 13, 14 Oct.
    expect(fromTuesday).toMatchObject({
      dueAt: '2025-10-15T00:00:00+08:00',
      explanation: { lastDay: '2025-10-14', makeUpDaysCounted: ['2025-10-11'] },
    });
    expect(fromTuesday!.explanation.skippedDays.map((d) => d.date)).toEqual([...nationalDay, '2025-10-12']);
    expect(fromTuesday!.explanation.text).toContain('计入调休工作日2025年10月11日');
  });

  it('counts the Spring Festival make-up Saturdays of 2026 in a Zhejiang 5-working-day dispose clock', async () => {
    const [beforeFestival, afterFestival] = await s!.activities.computeDeadlines([
      // Friday 13 Feb: Saturday 14 Feb (make-up, 1), 15–23 Feb holidays, 24, 25, 26, 27 Feb (2–5).
      { clock: 'dispose', rule: fiveWorkingDays, startedAt: '2026-02-13T10:00:00+08:00' },
      // Tuesday 24 Feb: 25, 26, 27 Feb, Saturday 28 Feb (make-up), Monday 2 Mar.
      { clock: 'dispose', rule: fiveWorkingDays, startedAt: '2026-02-24T10:00:00+08:00' },
    ]);
    expect(beforeFestival).toMatchObject({
      dueAt: '2026-02-28T00:00:00+08:00',
      explanation: { lastDay: '2026-02-27', makeUpDaysCounted: ['2026-02-14'] },
    });
    expect(beforeFestival!.explanation.skippedDays.filter((d) => d.name === 'Spring Festival')).toHaveLength(9);
    expect(afterFestival).toMatchObject({
      dueAt: '2026-03-03T00:00:00+08:00',
      explanation: {
        lastDay: '2026-03-02',
        makeUpDaysCounted: ['2026-02-28'],
        skippedDays: [{ date: '2026-03-01', reason: 'weekend' }],
      },
    });
  });

  it('spreads a case’s reminders over the hour after the reminder time, by its workflow ID', async () => {
    const request = {
      clock: 'handling' as const,
      rule: { length: 60, unit: 'calendar_days', basis: '信访工作条例 Art 32' } as const,
      startedAt: '2026-03-02T10:00:00+08:00',
      reminders: [{ atFraction: 0.5 }, { daysBefore: 0 }],
    };
    const reminders = async (workflowId: string) => {
      const env = new MockActivityEnvironment({ workflowExecution: { workflowId, runId: 'run-1' } });
      const compute = (requests: DeadlineRequest[]): Promise<Deadline[]> => s!.spread.computeDeadlines(requests);
      const [deadline] = await env.run<[DeadlineRequest[]], Deadline[], typeof compute>(compute, [request]);
      return deadline!.reminders!.map((r) => r.at);
    };
    const [plain] = await s!.activities.computeDeadlines([request]);
    const plainAt = plain!.reminders!.map((r) => Date.parse(r.at));
    expect(plain!.reminders!.map((r) => r.at)).toEqual(['2026-04-03T01:00:00.000Z', '2026-05-06T01:00:00.000Z']);
    for (const workflowId of ['case-C-20260302-0001', 'case-C-20260302-0002', 'case-C-20260302-0003']) {
      const offset = spreadOffsetSeconds(workflowId, 3600) * 1000;
      expect(await reminders(workflowId)).toEqual(plainAt.map((at) => new Date(at + offset).toISOString()));
    }
    // Three cases, three instants: the burst at 09:00 is spread.
    const firsts = await Promise.all(['case-a', 'case-b', 'case-c'].map(async (id) => (await reminders(id))[0]));
    expect(new Set(firsts).size).toBe(3);
  });

  it('marks a deadline in a year with no loaded schedule as provisional', async () => {
    const [deadline] = await s!.activities.computeDeadlines([
      { clock: 'dispose', rule: national.calendar, startedAt: '2026-12-20T10:00:00+08:00' },
    ]);
    // 20 Dec + 15 = Monday 4 January 2027, for which no State Council schedule is loaded.
    expect(deadline).toMatchObject({
      dueAt: '2027-01-05T00:00:00+08:00',
      explanation: { lastDay: '2027-01-04', unscheduledYears: [2027] },
    });
    expect(deadline!.explanation.text).toContain('暂定：尚未载入2027年的节假日安排');
  });
});
