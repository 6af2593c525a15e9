/**
 * Each kind of matter follows its own procedure (DESIGN.md §4a), on the time-skipping test server: every case runs
 * from registration to its end along its kind's path, and each test states the stages it went through, the stage it
 * ended in, the clocks that ran, what the petitioner was sent — and that nothing else was offered (no review window
 * where the procedure has none, no rating where it has none).
 *
 * Zhejiang cases (西湖区 330106) end their 申诉求决 replies as terminated when no review is asked (浙江省信访条例
 * Art 25), so the paths that end `resolved` after the review window run in Nanjing (320102, national profile).
 * Scenarios run in 2029 (only weekends rest). Instants are UTC; Asia/Shanghai is UTC+8, so 10:00 local is 02:00Z.
 *
 * Long because each kind of matter has its own path to follow to its end; the paths share the helpers above.
 */
import { CaseStage } from '../domain/search-attributes';
import type { TimelineDoc } from '../store/models';
import * as m from '../workflows/messages';
import { eventually } from '../harness/case-stack';
import { startTimeSkippingStack, type CaseHandle, type TimeSkippingStack } from '../harness/time-skipping';
import { refusal } from './env/rejections';

const office: m.Actor = { role: 'office' };
const petitioner: m.Actor = { role: 'petitioner' };
const unit = (unitCode: string): m.Actor => ({ role: 'department', unitCode });

const XH_OFFICE = '330106-XFJ'; // 杭州市西湖区信访局
const XH_GA = '330106-GA'; // public_security in 330106
const XH_ZJ = '330106-ZJ'; // housing in 330106
const XH_JW = '330106-JW'; // 杭州市西湖区纪委监委 (discipline)
const NJ_HB = '320100-HB'; // environment in 3201xx

/** The stages the case went through, from the CaseStage search attribute the workflow upserted at each change. */
async function stagesOf(handle: CaseHandle): Promise<string[]> {
  const history = await handle.fetchHistory();
  const stages = (history.events ?? []).flatMap((event) => {
    const payload =
      event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.[CaseStage.name];
    return payload?.data ? [JSON.parse(Buffer.from(payload.data).toString()) as string] : [];
  });
  return stages.filter((stage, i) => stage !== stages[i - 1]);
}

/** Every clock whose deadline the case computed (started, or moved), from the computeDeadlines it ran (local or not). */
async function clocksRun(handle: CaseHandle): Promise<Set<string>> {
  const history = await handle.fetchHistory();
  const json = (payload?: { data?: Uint8Array | null } | null) =>
    payload?.data ? (JSON.parse(Buffer.from(payload.data).toString()) as unknown) : undefined;
  const clocks = (history.events ?? []).flatMap((event) => {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name === 'computeDeadlines') {
      return (json(scheduled.input?.payloads?.[0]) as { clock: string }[]).map((request) => request.clock);
    }
    // A local activity's marker holds its type and its result, not its input: the deadlines name their clocks.
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_local_activity') return [];
    const { activity_type } = json(marker.details?.data?.payloads?.[0]) as { activity_type: string };
    if (activity_type !== 'computeDeadlines') return [];
    return (json(marker.details?.result?.payloads?.[0]) as { clock: string }[]).map((deadline) => deadline.clock);
  });
  return new Set(clocks);
}

/** What the petitioner was sent, in order: the outbox rows addressed to them. */
async function sentToPetitioner(s: TimeSkippingStack, caseId: string) {
  const rows = await s.store.outbox.find({ caseId, recipient: 'petitioner' }).sort({ createdAt: 1, _id: 1 }).lean();
  return rows.map((row) => ({ kind: row.kind, payload: (row.payload ?? {}) as Record<string, unknown> }));
}

/** What a reply says where its kind's procedure has no 复查/复核 (it is not a final re-review opinion either). */
const NO_REVIEW = /^本答复不适用复查、复核程序（《信访工作条例》第三十五条、?和?第三十六条）。$/;

const types = (entries: TimelineDoc[]) => entries.map((e) => e.type);

/** Waits (in real time; the test server's clock stands still meanwhile) for a timeline entry of `type`. */
async function entry(s: TimeSkippingStack, caseId: string, type: string): Promise<TimelineDoc> {
  return eventually(async () => (await s.timeline(caseId)).find((e) => e.type === type));
}

describe('each kind of matter follows its own procedure (time-skipping)', () => {
  let s: TimeSkippingStack | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  it('a consultation answered at once by the petition office ends answered, rated, with no review', async () => {
    s = await startTimeSkippingStack();
    // Monday 2 July 2029, 10:00 in Hangzhou.
    await s.moveTo('2029-07-02T02:00:00Z');
    const { caseId, handle } = await s.startCase({
      kind: 'consultation',
      regionCode: '330106',
      category: 'public_security',
    });

    await s.act(handle, m.answerUpdate, { actor: office });
    const answered = await s.view(handle);
    expect(answered).toMatchObject({ stage: 'reply_delivered', decision: 'answered' });
    // Only the rating window follows an answer: no review window (复查 does not apply to a consultation).
    expect(answered.clocks.map((c) => c.key)).toEqual(['rating']);
    expect((await entry(s, caseId, 'answered_by')).unitCode).toBe(XH_OFFICE);

    expect(await refusal(s.act(handle, m.reviewRequestUpdate, { actor: petitioner }))).toEqual({
      type: m.REJECTION.businessRule,
      message: expect.stringMatching(
        /^复查 and 复核 \(Regulations on Letters and Visits Art 35, Art 36\) do not apply to a consultation: .*Art 11/,
      ),
    });

    await s.act(handle, m.ratingUpdate, { actor: petitioner, rating: 'satisfied' });
    expect(await handle.result()).toEqual({ caseId, stage: 'answered', decision: 'answered', rating: 'satisfied' });

    expect(await stagesOf(handle)).toEqual(['registered', 'result_submitted', 'reply_delivered', 'answered']);
    expect(types(await s.timeline(caseId))).toEqual([
      'registered',
      'dispose_clock_started',
      'answered_by',
      'reply_delivered',
      // The answer is a notice on record, served at once by SMS.
      'notice_issued',
      'notice_served',
      'rated',
    ]);
    expect([...(await clocksRun(handle))].sort()).toEqual(['dispose', 'rating']);
    // The petitioner got the answer, from the petition office, and nothing else: no notice of a transfer, no right
    // to ask for review.
    const sent = await sentToPetitioner(s, caseId);
    expect(sent.map((n) => n.kind)).toEqual(['reply']);
    expect(sent[0]!.payload).toMatchObject({ decision: 'answered', unit: '杭州市西湖区信访局' });
    expect(sent[0]!.payload.rightToReview).toMatch(NO_REVIEW);
  });

  it('a consultation dispatched to a unit is answered by it within its answer clock of 3 working days', async () => {
    s = await startTimeSkippingStack();
    // Monday 2 July 2029: dispatched to 杭州市公安局西湖区分局 at once.
    await s.moveTo('2029-07-02T02:00:00Z');
    const { caseId, handle } = await s.startCase({
      kind: 'consultation',
      regionCode: '330106',
      category: 'public_security',
    });
    await s.act(handle, m.acceptanceUpdate, { actor: office, decision: 'accept' });

    const dispatched = await s.view(handle);
    expect(dispatched).toMatchObject({ stage: 'transferred', leadUnit: XH_GA });
    // The answer clock runs from the dispatch; there is no acceptance notice to give, so no notify clock (C2).
    expect(dispatched.clocks.map((c) => c.key).sort()).toEqual(['acknowledge', 'handling', 'objection']);
    const answerClock = dispatched.clocks.find((c) => c.key === 'handling')!;
    expect(answerClock).toMatchObject({ holder: XH_GA, overdue: false });
    expect(answerClock.deadline).toMatchObject({
      length: 3,
      unit: 'working_days',
      dueAt: '2029-07-06T00:00:00+08:00',
      explanation: { lastDay: '2029-07-05' },
    });

    // Wednesday: the unit signs for it and answers, in time.
    await s.moveTo('2029-07-04T02:00:00Z');
    await s.act(handle, m.acknowledgementUpdate, { actor: unit(XH_GA) });
    await s.act(handle, m.answerUpdate, { actor: unit(XH_GA) });
    const answered = await s.view(handle);
    expect(answered).toMatchObject({ stage: 'reply_delivered', decision: 'answered', overdue: false });
    expect(answered.clocks.map((c) => c.key)).toEqual(['rating']);
    expect(await entry(s, caseId, 'answered_by')).toMatchObject({ unitCode: XH_GA, detail: { by: 'department' } });

    // Nobody rates: the rating window (15 days) lapses and the consultation ends answered.
    expect(await handle.result()).toEqual({ caseId, stage: 'answered', decision: 'answered' });
    expect(await stagesOf(handle)).toEqual([
      'registered',
      'transferred',
      'acknowledged',
      'result_submitted',
      'reply_delivered',
      'answered',
    ]);
    const timeline = types(await s.timeline(caseId));
    expect(timeline.filter((t) => t !== 'reminder')).toEqual([
      'registered',
      'dispose_clock_started',
      'transferred',
      'acknowledged',
      'answered_by',
      'reply_delivered',
      'notice_issued',
      'notice_served',
      'not_rated',
    ]);
    expect(timeline).not.toContain('overdue_supervised');
    expect([...(await clocksRun(handle))].sort()).toEqual([
      'acknowledge',
      'dispose',
      'handling',
      'objection',
      'rating',
    ]);
    const sent = await sentToPetitioner(s, caseId);
    expect(sent.map((n) => n.kind)).toEqual(['transferred_notice', 'reply']);
    expect(sent[1]!.payload).toMatchObject({ decision: 'answered', unit: '杭州市公安局西湖区分局' });
    expect(sent[1]!.payload.rightToReview).toMatch(NO_REVIEW);
  });

  it('a suggestion partly adopted, its contribution put forward for reward, ends without review (Art 29)', async () => {
    s = await startTimeSkippingStack();
    await s.moveTo('2029-07-02T02:00:00Z');
    const { caseId, handle } = await s.startCase({ kind: 'suggestion', regionCode: '330106', category: 'housing' });
    await s.act(handle, m.acceptanceUpdate, { actor: office, decision: 'accept' });
    await s.act(handle, m.acknowledgementUpdate, { actor: unit(XH_ZJ) });
    await s.act(handle, m.acceptanceUpdate, { actor: unit(XH_ZJ), decision: 'accept' });

    await s.moveTo('2029-07-16T02:00:00Z');
    // A suggestion is studied, not decided: a 申诉求决 outcome is refused, naming the suggestion's own procedure.
    expect(await refusal(s.act(handle, m.resultUpdate, { actor: unit(XH_ZJ), decision: 'support' }))).toEqual({
      type: m.REJECTION.businessRule,
      message: expect.stringMatching(
        /^a reply to a suggestion decides adopted, partly_adopted, not_adopted, not support \(.*Art 29/,
      ),
    });
    await s.act(handle, m.resultUpdate, { actor: unit(XH_ZJ), decision: 'partly_adopted', contribution: true });

    const replied = await s.view(handle);
    expect(replied).toMatchObject({ stage: 'reply_delivered', decision: 'partly_adopted' });
    expect(replied.clocks.map((c) => c.key)).toEqual(['rating']);
    expect(await entry(s, caseId, 'contribution_flagged')).toMatchObject({ unitCode: XH_ZJ });
    const toOffice = await s.store.outbox.find({ caseId, recipient: 'office' }).lean();
    expect(toOffice.map((n) => n.kind)).toContain('reward_proposal');

    // No 复查 for a suggestion: the refusal cites the articles.
    const refused = await refusal(s.act(handle, m.reviewRequestUpdate, { actor: petitioner }));
    expect(refused.type).toBe(m.REJECTION.businessRule);
    expect(refused.message).toContain('Art');
    expect(refused.message).toMatch(
      /^复查 and 复核 \(Regulations on Letters and Visits Art 35, Art 36\) do not apply to a suggestion: 信访工作条例 Art 29/,
    );

    await s.act(handle, m.ratingUpdate, { actor: petitioner, rating: 'basically_satisfied' });
    expect(await handle.result()).toEqual({
      caseId,
      stage: 'resolved',
      decision: 'partly_adopted',
      rating: 'basically_satisfied',
    });
    expect(await stagesOf(handle)).toEqual([
      'registered',
      'transferred',
      'acknowledged',
      'handling',
      'result_submitted',
      'reply_delivered',
      'resolved',
    ]);
    const timeline = types(await s.timeline(caseId));
    expect(timeline).toEqual(expect.arrayContaining(['result_submitted', 'contribution_flagged', 'rated']));
    expect(timeline).not.toContain('review_requested');
    expect(timeline).not.toContain('review_window_lapsed');
    const clocks = await clocksRun(handle);
    expect(clocks).toEqual(new Set(['dispose', 'acknowledge', 'objection', 'notify', 'handling', 'rating']));
    const sent = await sentToPetitioner(s, caseId);
    expect(sent.map((n) => n.kind)).toEqual(['transferred_notice', 'acceptance_notice', 'reply']);
    expect(sent[2]!.payload).toMatchObject({ decision: 'partly_adopted' });
    expect(sent[2]!.payload.rightToReview).toMatch(NO_REVIEW);
  });

  it('a report answered by the discipline unit ends resolved with its result notice; an anonymous reporter is sent nothing (Art 30)', async () => {
    s = await startTimeSkippingStack();
    await s.moveTo('2029-07-02T02:00:00Z');
    const named = await s.startCase({ kind: 'report', regionCode: '330106', category: 'public_security' });
    const anonymous = await s.startCase({
      kind: 'report',
      regionCode: '330106',
      category: 'public_security',
      anonymous: true,
    });

    for (const { handle } of [named, anonymous]) {
      await s.act(handle, m.acceptanceUpdate, { actor: office, decision: 'accept', unitCode: XH_JW });
      await s.act(handle, m.acknowledgementUpdate, { actor: unit(XH_JW) });
      await s.act(handle, m.acceptanceUpdate, { actor: unit(XH_JW), decision: 'accept' });
    }
    await s.moveTo('2029-07-20T02:00:00Z');
    for (const { caseId, handle } of [named, anonymous]) {
      // A reporter neither rates nor asks for review on the 信访 path.
      expect(await refusal(s.act(handle, m.ratingUpdate, { actor: petitioner, rating: 'satisfied' }))).toEqual({
        type: m.REJECTION.businessRule,
        message: expect.stringMatching(/^a report is not rated on the 信访 path \(信访工作条例 Art 30/),
      });
      expect(await refusal(s.act(handle, m.reviewRequestUpdate, { actor: petitioner }))).toEqual({
        type: m.REJECTION.businessRule,
        message: expect.stringMatching(
          /^复查 and 复核 \(Regulations on Letters and Visits Art 35, Art 36\) do not apply to a report: 信访工作条例 Art 30/,
        ),
      });
      // The result notice ends a report at once: no rating, no review window follows it.
      await s.act(handle, m.resultUpdate, { actor: unit(XH_JW), decision: 'not_substantiated' });
      expect(await handle.result()).toEqual({ caseId, stage: 'resolved', decision: 'not_substantiated' });
      expect(await stagesOf(handle)).toEqual([
        'registered',
        'transferred',
        'acknowledged',
        'handling',
        'result_submitted',
        'resolved',
      ]);
      const timeline = types(await s.timeline(caseId));
      expect(timeline.slice(-2)).toEqual(['result_submitted', 'reply_delivered']);
      expect(timeline).not.toContain('not_rated');
      expect(await clocksRun(handle)).toEqual(new Set(['dispose', 'acknowledge', 'objection', 'notify', 'handling']));
    }

    const toNamed = await sentToPetitioner(s, named.caseId);
    expect(toNamed.map((n) => n.kind)).toEqual(['transferred_notice', 'acceptance_notice', 'reply']);
    expect(toNamed[2]!.payload).toMatchObject({ decision: 'not_substantiated', unit: '杭州市西湖区纪委监委' });
    expect(toNamed[2]!.payload.rightToReview).toMatch(NO_REVIEW);
    expect(await sentToPetitioner(s, anonymous.caseId)).toEqual([]);
  });

  it('an anonymous report registered before procedures by kind still writes its notices, as it always did', async () => {
    s = await startTimeSkippingStack();
    await s.moveTo('2029-07-02T02:00:00Z');
    const { caseId, handle } = await s.startCase({
      kind: 'report',
      regionCode: '330106',
      category: 'public_security',
      anonymous: true,
      procedures: false,
    });
    await s.act(handle, m.acceptanceUpdate, { actor: office, decision: 'accept', unitCode: XH_JW });
    await s.act(handle, m.acceptanceUpdate, { actor: unit(XH_JW), decision: 'accept' });
    expect((await sentToPetitioner(s, caseId)).map((n) => n.kind)).toEqual(['transferred_notice', 'acceptance_notice']);
  });

  it('a request diverted to arbitration ends diverted, and the petitioner is told where to go (Art 31)', async () => {
    s = await startTimeSkippingStack();
    await s.moveTo('2029-06-05T02:00:00Z');
    const { caseId, handle } = await s.startCase({ kind: 'request', regionCode: '320102', category: 'environment' });

    await s.act(handle, m.diversionUpdate, { actor: office, procedure: 'arbitration' });
    expect(await handle.result()).toEqual({ caseId, stage: 'diverted' });
    expect(await stagesOf(handle)).toEqual(['registered', 'diverted']);
    // The diversion notice (导入告知) is served at once, by SMS: the case ends then.
    expect(types(await s.timeline(caseId))).toEqual([
      'registered',
      'dispose_clock_started',
      'diverted',
      'notice_issued',
      'notice_served',
    ]);
    expect(await entry(s, caseId, 'diverted')).toMatchObject({ detail: { procedure: 'arbitration', by: 'office' } });
    expect(await clocksRun(handle)).toEqual(new Set(['dispose']));

    const sent = await sentToPetitioner(s, caseId);
    // Diverted, not decided: no reply, nothing to rate, no review to ask — the notice is all the petitioner gets.
    expect(sent).toEqual([
      { kind: 'diversion_notice', payload: expect.objectContaining({ procedure: 'arbitration' }) },
    ]);
    expect(await s.store.outbox.countDocuments({ caseId, kind: 'reply' })).toBe(0);
  });

  it('a supported request is carried out late: supervised, a supervision item answered, then resolved once executed (Art 32, 40)', async () => {
    s = await startTimeSkippingStack();
    // Tuesday 5 June 2029, Nanjing: 南京市生态环境局 accepts and supports the request, to be done by Monday 25 June.
    await s.moveTo('2029-06-05T02:00:00Z');
    const { caseId, handle } = await s.startCase({ kind: 'request', regionCode: '320102', category: 'environment' });
    await s.act(handle, m.acceptanceUpdate, { actor: office, decision: 'accept' });
    await s.act(handle, m.acknowledgementUpdate, { actor: unit(NJ_HB) });
    await s.act(handle, m.acceptanceUpdate, { actor: unit(NJ_HB), decision: 'accept' });
    await s.act(handle, m.resultUpdate, { actor: unit(NJ_HB), decision: 'support', executeBy: '2029-06-25' });

    const supported = await s.view(handle);
    expect(supported).toMatchObject({ stage: 'reply_delivered', decision: 'support', execution: { unitCode: NJ_HB } });
    expect(supported.clocks.map((c) => c.key).sort()).toEqual(['execution', 'rating', 'reviewRequest']);
    const execution = supported.clocks.find((c) => c.key === 'execution')!;
    expect(execution).toMatchObject({ holder: NJ_HB });
    expect(execution.deadline).toMatchObject({ dueAt: '2029-06-26T00:00:00+08:00', length: 20, unit: 'calendar_days' });
    const reviewUntil = supported.clocks.find((c) => c.key === 'reviewRequest')!.deadline.dueAt;
    expect(reviewUntil).toBe('2029-07-06T00:00:00+08:00');

    // Thursday 28 June: nothing reported. The unit was reminded, then the execution clock expired and is supervised.
    await s.moveTo('2029-06-28T02:00:00Z');
    const overdue = await s.view(handle);
    expect(overdue).toMatchObject({ stage: 'reply_delivered', overdue: true, escalationLevel: 1 });
    const timeline = await s.timeline(caseId);
    const onExecution = (e: TimelineDoc) => (e.detail as { clock?: string } | undefined)?.clock === 'execution';
    expect(timeline.filter((e) => e.type === 'reminder' && onExecution(e)).length).toBeGreaterThan(0);
    expect(timeline.find((e) => e.type === 'overdue_supervised' && onExecution(e))).toMatchObject({
      escalationLevel: 1,
      detail: { holder: NJ_HB, dueAt: '2029-06-26T00:00:00+08:00' },
    });
    expect(types(timeline)).toContain('not_rated');
    const toUnit = (await s.store.outbox.find({ caseId, recipient: NJ_HB }).lean()).map((n) => n.kind);
    expect(toUnit).toEqual(expect.arrayContaining(['execution_due', 'reminder', 'overdue']));

    // The office supervises the unit for the decision not carried out; the unit answers in writing, in time.
    await s.act(handle, m.supervisionUpdate, { actor: office, reason: 'non_execution', replyDays: 5 });
    expect((await s.view(handle)).supervisions).toMatchObject([{ id: 'S1', unitCode: NJ_HB, reason: 'non_execution' }]);
    await s.moveTo('2029-06-29T02:00:00Z');
    await s.act(handle, m.supervisionReplyUpdate, { actor: unit(NJ_HB), itemId: 'S1' });
    expect(await entry(s, caseId, 'supervision_replied')).toMatchObject({ detail: { itemId: 'S1', late: false } });

    // The review window closes with the decision still not carried out: the case waits for the execution.
    await s.moveTo('2029-07-09T02:00:00Z');
    const waiting = await s.view(handle);
    expect(waiting).toMatchObject({ stage: 'awaiting_execution', execution: { unitCode: NJ_HB } });
    expect(waiting.clocks.map((c) => c.key)).toEqual(['execution']);
    expect(await refusal(s.act(handle, m.reviewRequestUpdate, { actor: petitioner }))).toMatchObject({
      type: m.REJECTION.conflict,
    });

    // Carried out at last, and reported (late): the case is resolved now.
    await s.act(handle, m.executionReportUpdate, { actor: unit(NJ_HB) });
    expect(await handle.result()).toEqual({ caseId, stage: 'resolved', decision: 'support' });
    expect(await entry(s, caseId, 'execution_reported')).toMatchObject({ unitCode: NJ_HB, detail: { late: true } });
    expect(await stagesOf(handle)).toEqual([
      'registered',
      'transferred',
      'acknowledged',
      'handling',
      'result_submitted',
      'reply_delivered',
      'awaiting_execution',
      'resolved',
    ]);
    const story = types(await s.timeline(caseId));
    expect(story.indexOf('review_window_lapsed')).toBeLessThan(story.indexOf('execution_reported'));
    expect(story.at(-1)).toBe('execution_reported');
    expect(await clocksRun(handle)).toEqual(
      new Set([
        'dispose',
        'acknowledge',
        'objection',
        'notify',
        'handling',
        'reviewRequest',
        'execution',
        'rating',
        'supervisionReply',
      ]),
    );
    const sent = await sentToPetitioner(s, caseId);
    expect(sent.map((n) => n.kind)).toEqual(['transferred_notice', 'acceptance_notice', 'reply']);
    expect(sent[2]!.payload).toMatchObject({ decision: 'support' });
    // Art 35: 30 days from receipt; served by SMS when written, the case ran the window to 5 July.
    expect(sent[2]!.payload.rightToReview).toMatch(
      /^如对本意见不服，你可以自收到本意见之日起30日内向上一级机关请求复查/,
    );
    expect(await s.store.outbox.findOne({ caseId, kind: 'execution_reported', recipient: 'office' })).not.toBeNull();
  });

  it('a supported request executed in time still waits for its review window before it is resolved (Art 32, 35)', async () => {
    s = await startTimeSkippingStack();
    await s.moveTo('2029-06-05T02:00:00Z');
    const { caseId, handle } = await s.startCase({ kind: 'request', regionCode: '320102', category: 'environment' });
    await s.act(handle, m.acceptanceUpdate, { actor: office, decision: 'accept' });
    await s.act(handle, m.acceptanceUpdate, { actor: unit(NJ_HB), decision: 'accept' });
    await s.act(handle, m.resultUpdate, { actor: unit(NJ_HB), decision: 'support', executeBy: '2029-06-25' });
    await s.act(handle, m.ratingUpdate, { actor: petitioner, rating: 'satisfied' });

    // Monday 11 June: carried out and reported, in time. The review window (to 5 July) keeps the case open.
    await s.moveTo('2029-06-11T02:00:00Z');
    await s.act(handle, m.executionReportUpdate, { actor: unit(NJ_HB) });
    const executed = await s.view(handle);
    expect(executed).toMatchObject({ stage: 'reply_delivered', overdue: false, escalationLevel: 0 });
    expect(executed.execution).toMatchObject({ unitCode: NJ_HB, reportedAt: expect.any(String) });
    expect(executed.clocks.map((c) => c.key)).toEqual(['reviewRequest']);
    expect(await entry(s, caseId, 'execution_reported')).toMatchObject({ detail: { late: false } });
    // Reported once: a second report is refused.
    expect(await refusal(s.act(handle, m.executionReportUpdate, { actor: unit(NJ_HB) }))).toMatchObject({
      type: m.REJECTION.conflict,
      message: expect.stringMatching(/^the execution was reported on 2029-06-11/),
    });

    expect(await handle.result()).toEqual({ caseId, stage: 'resolved', decision: 'support', rating: 'satisfied' });
    expect(await stagesOf(handle)).toEqual([
      'registered',
      'transferred',
      'handling',
      'result_submitted',
      'reply_delivered',
      'resolved',
    ]);
    const story = types(await s.timeline(caseId));
    expect(story.slice(-3)).toEqual(['rated', 'execution_reported', 'review_window_lapsed']);
    expect(story).not.toContain('overdue_supervised');
    expect((await sentToPetitioner(s, caseId)).map((n) => n.kind)).toEqual([
      'transferred_notice',
      'acceptance_notice',
      'reply',
    ]);
  });

  it('a dissatisfied rating: the office returns the case for redo once, the unit replies again, and it ends', async () => {
    s = await startTimeSkippingStack();
    await s.moveTo('2029-06-05T02:00:00Z');
    const { caseId, handle } = await s.startCase({ kind: 'complaint', regionCode: '320102', category: 'environment' });
    await s.act(handle, m.acceptanceUpdate, { actor: office, decision: 'accept' });
    await s.act(handle, m.acknowledgementUpdate, { actor: unit(NJ_HB) });
    await s.act(handle, m.acceptanceUpdate, { actor: unit(NJ_HB), decision: 'accept' });
    await s.act(handle, m.resultUpdate, { actor: unit(NJ_HB), decision: 'explain' });

    // Thursday 7 June: dissatisfied. The office has 5 working days to call back or return the case for redo.
    await s.moveTo('2029-06-07T02:00:00Z');
    await s.act(handle, m.ratingUpdate, { actor: petitioner, rating: 'dissatisfied' });
    const rated = await s.view(handle);
    expect(rated.clocks.map((c) => c.key).sort()).toEqual(['callbackDecision', 'reviewRequest']);
    expect(rated.clocks.find((c) => c.key === 'callbackDecision')).toMatchObject({
      holder: 'office',
      deadline: { length: 5, unit: 'working_days', dueAt: '2029-06-15T00:00:00+08:00' },
    });
    expect(await s.store.outbox.findOne({ caseId, kind: 'callback_needed', recipient: 'office' })).not.toBeNull();
    // The profile allows at most 15 working days for a redo.
    expect(
      await refusal(s.act(handle, m.callbackDecisionUpdate, { actor: office, outcome: 'redo', redoDays: 20 })),
    ).toEqual({
      type: m.REJECTION.businessRule,
      message: expect.stringMatching(/^a redo gets at most 15 working days/),
    });
    await s.act(handle, m.callbackDecisionUpdate, { actor: office, outcome: 'redo', redoDays: 10 });

    const redo = await s.view(handle);
    expect(redo).toMatchObject({ stage: 'redo', redone: true, leadUnit: NJ_HB });
    // The first reply's windows are closed: the unit's new clock is all that runs.
    expect(redo.clocks.map((c) => c.key)).toEqual(['handling']);
    expect(redo.clocks[0]!.deadline).toMatchObject({ length: 10, unit: 'working_days' });
    expect(await s.store.outbox.findOne({ caseId, kind: 'redo', recipient: NJ_HB })).not.toBeNull();

    // Monday 18 June: the unit replies again; the new reply opens its own windows.
    await s.moveTo('2029-06-18T02:00:00Z');
    await s.act(handle, m.resultUpdate, { actor: unit(NJ_HB), decision: 'explain' });
    const again = await s.view(handle);
    expect(again).toMatchObject({ stage: 'reply_delivered', decision: 'explain' });
    expect(again.clocks.map((c) => c.key).sort()).toEqual(['rating', 'reviewRequest']);
    expect(again.clocks.find((c) => c.key === 'reviewRequest')!.deadline.dueAt).toBe('2029-07-19T00:00:00+08:00');

    // Dissatisfied again: a second redo is refused; the office calls back instead.
    await s.act(handle, m.ratingUpdate, { actor: petitioner, rating: 'dissatisfied' });
    expect(await refusal(s.act(handle, m.callbackDecisionUpdate, { actor: office, outcome: 'redo' }))).toEqual({
      type: m.REJECTION.businessRule,
      message: 'a case is returned for redo once only',
    });
    await s.act(handle, m.callbackDecisionUpdate, { actor: office, outcome: 'callback' });
    expect((await s.view(handle)).stage).toBe('reply_delivered');

    // No review asked within 30 days of the second reply: resolved (national profile).
    expect(await handle.result()).toEqual({ caseId, stage: 'resolved', decision: 'explain', rating: 'dissatisfied' });
    expect(await stagesOf(handle)).toEqual([
      'registered',
      'transferred',
      'acknowledged',
      'handling',
      'result_submitted',
      'reply_delivered',
      'redo',
      'result_submitted',
      'reply_delivered',
      'resolved',
    ]);
    const story = types(await s.timeline(caseId)).filter((t) => t !== 'reminder');
    // After registration, the transfer and its notice (served at once) and the acknowledgement.
    expect(story.slice(6)).toEqual([
      'accepted',
      'notice_issued',
      'notice_served',
      'result_submitted',
      'reply_delivered',
      'notice_issued',
      'notice_served',
      'rated',
      'callback_needed',
      'returned_for_redo',
      'result_submitted',
      'reply_delivered',
      'notice_issued',
      'notice_served',
      'rated',
      'callback_needed',
      'called_back',
      'review_window_lapsed',
    ]);
    expect(await clocksRun(handle)).toEqual(
      new Set([
        'dispose',
        'acknowledge',
        'objection',
        'notify',
        'handling',
        'rating',
        'reviewRequest',
        'callbackDecision',
      ]),
    );
    // Two replies, each with its own right to review; nothing else to the petitioner.
    const sent = await sentToPetitioner(s, caseId);
    expect(sent.map((n) => n.kind)).toEqual(['transferred_notice', 'acceptance_notice', 'reply', 'reply']);
    expect(sent[3]!.payload.rightToReview).toMatch(
      /^如对本意见不服，你可以自收到本意见之日起30日内向上一级机关请求复查/,
    );
    expect(await s.store.outbox.findById(`${caseId}:reply:3`).lean()).not.toBeNull();
  });

  it('refusals name the rule of the kind’s procedure', async () => {
    s = await startTimeSkippingStack();
    await s.moveTo('2029-06-05T02:00:00Z');
    const suggestion = await s.startCase({ kind: 'suggestion', regionCode: '320102', category: 'environment' });
    const request = await s.startCase({ kind: 'request', regionCode: '320102', category: 'environment' });
    const complaint = await s.startCase({ kind: 'complaint', regionCode: '320102', category: 'environment' });
    const report = await s.startCase({ kind: 'report', regionCode: '320102', category: 'environment' });
    const rule = (message: RegExp) => ({ type: m.REJECTION.businessRule, message: expect.stringMatching(message) });

    // Only a 申诉求决 matter is diverted; only a consultation is answered; only a report names accused units.
    expect(
      await refusal(s.act(suggestion.handle, m.diversionUpdate, { actor: office, procedure: 'litigation' })),
    ).toEqual(
      rule(/^a suggestion is not diverted into another procedure: .*\(Regulations on Letters and Visits Art 31\)$/),
    );
    expect(await refusal(s.act(complaint.handle, m.answerUpdate, { actor: office }))).toEqual(
      rule(/^only a consultation \(咨询\) is answered; a complaint gets a result$/),
    );
    expect(await refusal(s.act(complaint.handle, m.accusationUpdate, { actor: office, units: [NJ_HB] }))).toEqual(
      rule(
        /\(检举控告, Regulations on Letters and Visits Art 30\).*recused instead \(Regulations on Letters and Visits Art 28\)$/,
      ),
    );
    // A suggestion and a report are never reviewed; a report is never rated.
    expect(await refusal(s.act(suggestion.handle, m.reviewRequestUpdate, { actor: petitioner }))).toEqual(
      rule(
        /^复查 and 复核 \(Regulations on Letters and Visits Art 35, Art 36\) do not apply to a suggestion: 信访工作条例 Art 29/,
      ),
    );
    expect(await refusal(s.act(report.handle, m.ratingUpdate, { actor: petitioner, rating: 'dissatisfied' }))).toEqual(
      rule(/^a report is not rated on the 信访 path \(信访工作条例 Art 30/),
    );

    for (const { handle } of [suggestion, request]) {
      await s.act(handle, m.acceptanceUpdate, { actor: office, decision: 'accept' });
      await s.act(handle, m.acceptanceUpdate, { actor: unit(NJ_HB), decision: 'accept' });
    }
    const result = (handle: CaseHandle, args: Omit<m.ResultArgs, 'actionId' | 'actor'>) =>
      refusal(s!.act(handle, m.resultUpdate, { actor: unit(NJ_HB), ...args }));
    // Outcomes are the kind's own; a contribution is a suggestion's or an opinion's.
    expect(await result(suggestion.handle, { decision: 'not_support' })).toEqual(rule(/not not_support \(.*Art 29/));
    expect(await result(request.handle, { decision: 'adopted' })).toEqual(rule(/not adopted \(.*Art 31–36/));
    expect(await result(request.handle, { decision: 'explain', contribution: true })).toEqual(
      rule(
        /^only a suggestion or an opinion is put forward for reward as a contribution \(Regulations on Letters and Visits Art 29\)$/,
      ),
    );
    // Art 32: a supported decision says by when it is carried out, within the profile's 90 days.
    expect(await result(request.handle, { decision: 'support' })).toEqual(
      rule(/\(executeBy, Regulations on Letters and Visits Art 32\)$/),
    );
    expect(await result(request.handle, { decision: 'support', executeBy: '2029-12-31' })).toEqual(
      rule(/^executeBy 2029-12-31 must lie after today \(2029-06-05\) and at most 90 days ahead.*Art 32/),
    );
    expect(await result(request.handle, { decision: 'explain', executeBy: '2029-07-01' })).toEqual(
      rule(/^only a supported decision is carried out by a date$/),
    );
    // Nothing was applied by any refusal.
    expect((await s.view(suggestion.handle)).stage).toBe('handling');
    expect((await s.view(request.handle)).stage).toBe('handling');
    expect((await s.view(complaint.handle)).stage).toBe('registered');
  });
});
