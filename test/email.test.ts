import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { eventually, startCaseStack, type CaseStack } from '../harness/case-stack';
import { uniqueName } from '../harness/shared-servers';
import { caseWorkflowId } from '../domain/ids';

/** The text of a single-part message, decoded from its transfer encoding (nodemailer picks base64 or QP for Chinese). */
function mailText(raw: string): string {
  const split = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, split);
  const body = raw.slice(split + 4);
  const encoding = /^Content-Transfer-Encoding:\s*(\S+)/im.exec(headers)?.[1]?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const soft = body.replace(/=\r?\n/g, '');
    const bytes: number[] = [];
    for (let i = 0; i < soft.length; i += 1) {
      const hex = soft.slice(i + 1, i + 3);
      if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
      } else bytes.push(...Buffer.from(soft[i]!, 'utf8'));
    }
    return Buffer.from(bytes).toString('utf8');
  }
  return body;
}

describe('the written reply by e-mail (a real local SMTP server)', () => {
  let stack: CaseStack;
  let smtp: SMTPServer;
  const mails: { to: string[]; raw: string }[] = [];
  /** Addresses whose next message the server refuses once (451), as a mail server that is briefly unavailable. */
  const refuseOnce = new Set<string>();
  let refused = 0;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
        stream.on('end', () => {
          const to = session.envelope.rcptTo.map((r) => r.address);
          const refusing = to.find((address) => refuseOnce.delete(address));
          if (refusing) {
            refused += 1;
            return callback(Object.assign(new Error('mailbox busy, try again later'), { responseCode: 451 }));
          }
          mails.push({ to, raw });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as AddressInfo;
    stack = await startCaseStack({ departments: ['330100-HB'], smtpUrl: `smtp://127.0.0.1:${port}` });
  });
  /** An online complaint about the environment in 330106 by a petitioner with an e-mail address. */
  const complaint = (email: string, name: string, subject: string, content: string) =>
    request(stack.app)
      .post('/v1/cases')
      .set('Authorization', `Bearer ${stack.keys.intake}`)
      .send({
        channel: 'online',
        kind: 'complaint',
        subject,
        content,
        regionCode: '330106',
        category: 'environment',
        petitioner: { name, email },
      })
      .expect(201);
  afterAll(async () => {
    await stack?.stop();
    await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  });

  it('mails the transfer and acceptance notices and the reply, each once; the reply with its decision, legal basis and review period', async () => {
    const email = `${uniqueName('petitioner')}@example.org`;
    const intake = await complaint(email, '周九', 'Smoke from a factory chimney', 'Black smoke every evening.');
    const path = `/v1/cases/${intake.body.caseId}`;
    const as = (key: string, action: string, body: object) =>
      request(stack.app).post(`${path}/${action}`).set('Authorization', `Bearer ${key}`).send(body).expect(200);
    await as(stack.keys.office!, 'acceptance', { actionId: uniqueName('a'), decision: 'accept' });
    const unit = stack.keys['dept:330100-HB']!;
    await eventually(
      async () => (await stack.store.cases.findById(intake.body.caseId).lean())?.stage === 'transferred',
    );
    await as(unit, 'acceptance', { actionId: uniqueName('acc'), decision: 'accept' });
    await as(unit, 'result', {
      actionId: uniqueName('r'),
      decision: 'explain',
      factsAndReasons: 'The chimney meets the emission standard; the smoke is steam.',
      legalBasis: 'Air Pollution Prevention Law Art 18',
    });
    // Three notices reach the petitioner's mailbox: the office's transfer notice (转送告知书), the unit's acceptance
    // notice (受理告知书), then the reply.
    const toPetitioner = () => mails.filter((m) => m.to.includes(email));
    const mail = await eventually(() =>
      Promise.resolve(toPetitioner().find((m) => /处理意见书/.test(mailText(m.raw)))),
    );
    expect(mailText(toPetitioner()[0]!.raw)).toContain('信访事项转送告知书');
    expect(mailText(toPetitioner()[1]!.raw)).toContain('信访事项受理告知书');
    const text = mailText(mail.raw);
    expect(text).toContain('法律依据：Air Pollution Prevention Law Art 18');
    expect(text).toContain('处理意见：你的诉求合理但缺乏法律依据，特此解释说明。');
    expect(text).toMatch(/请求复查（《信访工作条例》第三十五条）/);
    expect(mail.raw).toMatch(/^Subject: =\?UTF-8\?/m);
    // Served by e-mail, on record (送达): the petitioner's windows run from that date.
    const notice = await eventually(async () => {
      const served = await stack.store.notices.findById(`${intake.body.caseId}:reply:0`).lean();
      return served?.servedAt ? served : undefined;
    });
    expect(notice).toMatchObject({ channel: 'email', serviceMethod: 'email' });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(toPetitioner()).toHaveLength(3);
  });

  it('mails a notice the mail server refused at first: the action is answered, the notice sent again by the activity task, once', async () => {
    const email = `${uniqueName('petitioner')}@example.org`;
    const intake = await complaint(
      email,
      '吴十',
      'Noise from a night market',
      'Loudspeakers until two in the morning.',
    );
    const caseId = intake.body.caseId as string;
    await eventually(async () => (await stack.store.cases.findById(caseId).lean()) ?? undefined);
    refuseOnce.add(email);
    const refusedBefore = refused;
    await request(stack.app)
      .post(`/v1/cases/${caseId}/acceptance`)
      .set('Authorization', `Bearer ${stack.keys.office}`)
      .send({ actionId: uniqueName('a'), decision: 'accept' })
      .expect(200);
    // The try in the action's workflow task met the refusal; the activity task sent it again, and it was served.
    expect(refused - refusedBefore).toBe(1);
    const notice = await stack.store.notices.findById(`${caseId}:transfer:0`).lean();
    expect(notice).toMatchObject({ channel: 'email', serviceMethod: 'email' });
    expect(notice?.servedAt).toBeInstanceOf(Date);
    const history = await stack.client.workflow.getHandle(caseWorkflowId(caseId)).fetchHistory();
    const scheduled = (history.events ?? []).map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name);
    expect(scheduled).toContain('issueNotice');
    await new Promise((r) => setTimeout(r, 1_000));
    const transferNotices = mails.filter((m) => m.to.includes(email) && /转送告知书/.test(mailText(m.raw)));
    expect(transferNotices).toHaveLength(1);
  });
});
