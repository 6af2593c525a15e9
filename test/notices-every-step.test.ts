/**
 * Every notice the law requires reaches the petitioner on record (issue 15 item 3), not only the acceptance notice
 * and the reply: the not-accepted notice (不予受理告知书, Art 22–23) with the office's reason and where to turn, the
 * transfer notice (转送告知, Art 23) and the extension notice (延期告知书, Art 34) with the unit's reason. Served by
 * SMS when the provider takes them; on paper when it refuses or the petitioner has no phone, and then the office's
 * clock C14 runs until the office records the service. A case not accepted ends only once its notice is served.
 * Dev server, FerretDB and a local SMS provider.
 */
import { caller, type CaseStack, eventually, startCaseStack } from '../harness/case-stack';
import { noiseComplaint } from '../harness/case-start';
import { uniqueName } from '../harness/shared-servers';
import { caseWorkflowId } from '../domain/ids';
import { caseViewQuery } from '../workflows/messages';

describe('every notice served on record', () => {
  let stack: CaseStack;
  beforeAll(async () => {
    stack = await startCaseStack({ departments: ['330100-HB'] });
  });
  afterEach(() => {
    stack.smsProvider!.status = 202;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const as = (key: string) => caller(stack.app, key);
  const office = () => as(stack.keys.office!);
  const unit = () => as(stack.keys['dept:330100-HB']!);

  async function letter(petitioner: { name: string; phone?: string }, kind = 'complaint') {
    const intake = await as(stack.keys.intake!)
      .post('/v1/cases', { ...noiseComplaint, kind, channel: 'letter', petitioner, subject: uniqueName('noise') })
      .expect(201);
    const { caseId } = intake.body as { caseId: string };
    await eventually(() => stack.store.cases.findById(caseId).lean());
    return caseId;
  }

  const notice = (id: string) => stack.store.notices.findById(id).lean();
  const status = async (caseId: string) =>
    (await stack.client.workflow.getHandle(caseWorkflowId(caseId)).describe()).status.name;
  const clockKeys = async (caseId: string) =>
    (await stack.client.workflow.getHandle(caseWorkflowId(caseId)).query(caseViewQuery)).clocks.map((c) => c.key);

  it('keeps a case not accepted open until its printed notice, with the reason and the court, is served', async () => {
    const caseId = await letter({ name: '李四' });
    const reason = '该事项系民事合同纠纷，应当通过诉讼途径解决';
    await office()
      .post(`/v1/cases/${caseId}/acceptance`, {
        actionId: uniqueName('na'),
        decision: 'not_accept',
        referral: 'court',
        reason,
      })
      .expect(200);

    const noticeId = `${caseId}:not_accepted:0`;
    const printed = await eventually(() => notice(noticeId));
    expect(printed).toMatchObject({ kind: 'not_accepted', channel: 'post', title: '信访事项不予受理告知书' });
    expect(printed.servedAt).toBeFalsy();
    expect(printed.text).toContain(reason);
    expect(printed.text).toContain('你可以依法向有管辖权的人民法院提起诉讼。');
    expect(printed.text).toContain('《信访工作条例》第二十二条、第二十三条');
    expect(printed.documentNumber).toMatch(/信不受〔\d{4}〕\d+号$/);

    // Not accepted, and open: the office's clock to serve the notice runs until the 送达回证 is recorded.
    const view = await office().get(`/v1/cases/${caseId}`).expect(200);
    expect(view.body.stage).toBe('not_accepted');
    expect(await clockKeys(caseId)).toEqual([`service:${noticeId}`]);
    expect(await status(caseId)).toBe('RUNNING');

    await office()
      .post(`/v1/cases/${caseId}/service`, {
        actionId: uniqueName('svc'),
        noticeId,
        servedAt: new Date().toISOString(),
        method: 'post',
      })
      .expect(200);
    await eventually(async () => (await status(caseId)) === 'COMPLETED');
    expect(await notice(noticeId)).toMatchObject({ serviceMethod: 'post' });
  });

  it('serves the transfer and extension notices by SMS, the extension with the reason the unit gave', async () => {
    const caseId = await letter({ name: '王五', phone: '13700000001' });
    const path = `/v1/cases/${caseId}`;
    await office()
      .post(`${path}/acceptance`, { actionId: uniqueName('a'), decision: 'accept' })
      .expect(200);

    const transferId = `${caseId}:transfer:0`;
    const transfer = await eventually(async () => (await notice(transferId))?.servedAt && notice(transferId));
    expect(transfer).toMatchObject({ kind: 'transfer', channel: 'sms', serviceMethod: 'sms' });
    expect(transfer.title).toBe('信访事项转送告知书');
    expect(transfer.text).toMatch(/杭州市生态环境局|330100-HB/);
    expect(stack.sms.some((m) => m.to === '13700000001' && m.text.includes('信访事项转送告知书'))).toBe(true);

    await eventually(async () => (await unit().get(path)).status === 200);
    await unit()
      .post(`${path}/acceptance`, { actionId: uniqueName('acc'), decision: 'accept' })
      .expect(200);
    const reason = '需委托第三方检测机构对夜间噪声进行连续监测';
    await unit()
      .post(`${path}/extension`, { actionId: uniqueName('ext'), days: 20, reason })
      .expect(200);
    await office()
      .post(`${path}/extension-decision`, { actionId: uniqueName('extd'), approve: true })
      .expect(200);

    const extensionId = `${caseId}:extension:0`;
    const extension = await eventually(async () => (await notice(extensionId))?.servedAt && notice(extensionId));
    expect(extension).toMatchObject({ kind: 'extension', channel: 'sms', serviceMethod: 'sms' });
    expect(extension.title).toBe('信访事项延长办理期限告知书');
    expect(extension.text).toContain(reason);
    expect(extension.text).toContain('《信访工作条例》第三十四条');
    expect(extension.text).toMatch(/延长\s*20\s*日/);
    const types = (await stack.store.timeline.find({ caseId }).lean()).map((e) => e.type);
    expect(types.filter((t) => t === 'notice_served').length).toBeGreaterThanOrEqual(3);
  });

  it('prints a notice the SMS provider refuses, and the office serves it: C2 and C14 run until then', async () => {
    const caseId = await letter({ name: '赵六', phone: '13700000002' });
    const path = `/v1/cases/${caseId}`;
    stack.smsProvider!.status = 503;
    await office()
      .post(`${path}/acceptance`, { actionId: uniqueName('a'), decision: 'accept' })
      .expect(200);
    await eventually(async () => (await unit().get(path)).status === 200);
    await unit()
      .post(`${path}/acceptance`, { actionId: uniqueName('acc'), decision: 'accept' })
      .expect(200);

    const acceptanceId = `${caseId}:acceptance:0`;
    const printed = await eventually(() => notice(acceptanceId));
    // The provider was asked and refused; the notice went to paper, the letter's channel.
    expect(stack.smsProvider!.refused.some((m) => m.to === '13700000002')).toBe(true);
    expect(stack.sms.some((m) => m.to === '13700000002')).toBe(false);
    expect(printed).toMatchObject({ channel: 'post' });
    expect(printed.servedAt).toBeFalsy();
    const running = await eventually(async () => {
      const keys = await clockKeys(caseId);
      return keys.includes(`service:${acceptanceId}`) && keys;
    });
    expect(running).toEqual(expect.arrayContaining(['notify', `service:${acceptanceId}`, 'handling']));

    await office()
      .post(`${path}/service`, {
        actionId: uniqueName('svc'),
        noticeId: acceptanceId,
        servedAt: new Date().toISOString(),
        method: 'in_person',
      })
      .expect(200);
    const after = await clockKeys(caseId);
    expect(after).not.toContain('notify');
    expect(after).not.toContain(`service:${acceptanceId}`);
  });

  it('serves the diversion notice naming the organ, and the diverted case ends once it is served (Art 31)', async () => {
    const caseId = await letter({ name: '钱七', phone: '13700000003' }, 'request');
    await office()
      .post(`/v1/cases/${caseId}/diversion`, {
        actionId: uniqueName('div'),
        procedure: 'arbitration',
        organ: '杭州仲裁委员会',
        reason: '该争议系劳动合同纠纷，依法应当申请仲裁',
      })
      .expect(200);
    const noticeId = `${caseId}:diversion:0`;
    const served = await eventually(async () => (await notice(noticeId))?.servedAt && notice(noticeId));
    expect(served).toMatchObject({ kind: 'diversion', serviceMethod: 'sms' });
    expect(served.text).toContain('你可以依法向杭州仲裁委员会申请仲裁。');
    expect(served.documentNumber).toMatch(/信导〔\d{4}〕\d+号$/);
    await eventually(async () => (await status(caseId)) === 'COMPLETED');
  });
});
