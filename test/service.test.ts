/**
 * Service of notices (送达, issue 15): a letter petitioner with no e-mail is served on paper, the office records the
 * date (送达回证), and the windows that run against the petitioner count from that date, not from the write.
 * Time-skipping server, dates in 2029 (no holiday schedule loaded: only weekends are rest days).
 */
import { CaseStage } from '../domain/search-attributes';
import { acceptanceUpdate, resultUpdate, serviceUpdate, type Actor } from '../workflows/messages';
import { startTimeSkippingStack, toMinute, type TimeSkippingStack } from '../harness/time-skipping';

const office: Actor = { role: 'office' };
const unit = (unitCode: string): Actor => ({ role: 'department', unitCode });

describe('notices served on record (time-skipping)', () => {
  let s: TimeSkippingStack | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  it('follows a letter petitioner with no e-mail: printed notices served by post, the review window from service', async () => {
    // No SMS provider: a letter petitioner is served on paper.
    s = await startTimeSkippingStack({ sms: false });
    // Thursday 7 June 2029, 10:00 in Nanjing: the letter is registered and accepted by the competent unit.
    await s.moveTo('2029-06-07T02:00:00Z');
    const { caseId, handle } = await s.startCase({ channel: 'letter', regionCode: '320102', category: 'environment' });
    await s.act(handle, acceptanceUpdate, { actor: office, decision: 'accept' });
    await s.act(handle, acceptanceUpdate, { actor: unit('320100-HB'), decision: 'accept' });

    // The acceptance notice is composed and on record, to be printed: not served, so C2 still runs, and C14 with it.
    const acceptanceId = `${caseId}:acceptance:0`;
    const printed = await s.store.notices.findById(acceptanceId).lean();
    expect(printed).toMatchObject({ caseId, kind: 'acceptance', channel: 'post' });
    expect(printed?.servedAt).toBeFalsy();
    expect(printed?.text).toContain('受理告知书');
    expect(printed?.documentNumber).toMatch(/〔2029〕\d+号$/);
    let view = await s.view(handle);
    expect(view.clocks.map((c) => [c.key, c.holder])).toEqual(
      expect.arrayContaining([
        ['notify', '320100-HB'],
        [`service:${acceptanceId}`, 'office'],
      ]),
    );

    // Monday 11 June: the office records the service by post four days later (送达回证).
    await s.moveTo('2029-06-11T02:00:00Z');
    await s.act(handle, serviceUpdate, {
      actor: office,
      noticeId: acceptanceId,
      servedAt: '2029-06-11T02:00:00.000Z',
      method: 'post',
    });
    expect(await s.store.notices.findById(acceptanceId).lean()).toMatchObject({ serviceMethod: 'post' });
    view = await s.view(handle);
    expect(view.clocks.map((c) => c.key)).not.toContain('notify');
    expect(view.clocks.map((c) => c.key)).not.toContain(`service:${acceptanceId}`);

    // The unit writes its reply the same day. Nothing runs against the petitioner before it is served.
    await s.act(handle, resultUpdate, { actor: unit('320100-HB'), decision: 'explain' });
    const replyId = `${caseId}:reply:0`;
    view = await s.view(handle);
    expect(view.stage).toBe('reply_delivered');
    expect(view.clocks.map((c) => c.key)).toEqual([`service:${replyId}`]);
    const reply = await s.store.notices.findById(replyId).lean();
    expect(reply).toMatchObject({ channel: 'post' });
    expect(reply?.text).toContain('自收到本意见之日起30日内');

    // Friday 15 June: served by post. Review 30 days from service: 30 days after 15 June is Sunday 15 July, rolled
    // forward to Monday 16 July (from the write it would have been Wednesday 11 July). Rating 15 days: Saturday
    // 30 June, rolled forward to Monday 2 July.
    await s.moveTo('2029-06-15T02:00:00Z');
    await s.act(handle, serviceUpdate, {
      actor: office,
      noticeId: replyId,
      servedAt: '2029-06-15T02:00:00.000Z',
      method: 'post',
    });
    view = await s.view(handle);
    const window = view.clocks.find((c) => c.key === 'reviewRequest');
    expect(window?.deadline).toMatchObject({
      dueAt: '2029-07-17T00:00:00+08:00',
      startedAt: '2029-06-15T02:00:00.000Z',
    });
    expect(view.clocks.find((c) => c.key === 'rating')?.deadline.dueAt).toBe('2029-07-03T00:00:00+08:00');

    // Thursday 12 July, past the day the window would have closed had it run from the write: the case is open.
    await s.moveTo('2029-07-12T04:00:00Z');
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect((await s.view(handle)).stage).toBe('reply_delivered');

    // Nobody asks for review: the case ends as resolved at the end of Monday 16 July.
    expect(await handle.result()).toEqual({ caseId, stage: 'resolved', decision: 'explain' });
    const record = await s.store.cases.findById(caseId).lean();
    expect(record?.closedAt && toMinute(record.closedAt)).toBe('2029-07-16T16:00Z');
    expect((await handle.describe()).typedSearchAttributes.get(CaseStage)).toBe('resolved');
    const types = (await s.timeline(caseId)).map((e) => e.type);
    expect(types.filter((t) => t === 'notice_served')).toHaveLength(2);
  });
});
