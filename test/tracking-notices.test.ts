/**
 * The tracking page shows the petitioner's notices (issue 15 item 4): each notice's title, number, dates and text,
 * and its PDF under the same PIN. A notice waiting online is served when the petitioner first opens the page; no
 * other case's notice is reachable with this code. Dev server and FerretDB, no SMS provider: an online petition.
 */
import request from 'supertest';
import { caller, type CaseStack, eventually, startCaseStack } from '../harness/case-stack';
import { noiseComplaint } from '../harness/case-start';
import { uniqueName } from '../harness/shared-servers';

interface TrackedNotice {
  id: string;
  kind: string;
  title: string;
  documentNumber?: string;
  issuedAt: string;
  servedAt?: string;
  serviceMethod?: string;
  text: string;
  pdf: string;
}

describe('notices on the tracking page', () => {
  let stack: CaseStack;
  beforeAll(async () => {
    stack = await startCaseStack({ departments: ['330100-HB'], sms: false });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const as = (key: string) => caller(stack.app, key);

  /** An online complaint accepted by the office and by 330100-HB: its acceptance notice waits on the tracking page. */
  async function acceptedCase() {
    const intake = await as(stack.keys.intake!)
      .post('/v1/cases', { ...noiseComplaint, subject: uniqueName('noise') })
      .expect(201);
    const { caseId, trackingCode, pin } = intake.body as { caseId: string; trackingCode: string; pin: string };
    const path = `/v1/cases/${caseId}`;
    await as(stack.keys.office!).post(`${path}/acceptance`, { actionId: uniqueName('a'), decision: 'accept' });
    const unit = as(stack.keys['dept:330100-HB']!);
    await eventually(async () => (await unit.get(path)).status === 200);
    await unit.post(`${path}/acceptance`, { actionId: uniqueName('acc'), decision: 'accept' }).expect(200);
    // Listed on the tracking page once the case has recorded it as issued.
    await eventually(() =>
      stack.store.timeline
        .findOne({ caseId, type: 'notice_issued', 'detail.noticeId': `${caseId}:acceptance:0` })
        .lean(),
    );
    return { caseId, trackingCode, pin };
  }

  const track = (trackingCode: string, pin: string, suffix = '') =>
    request(stack.app).get(`/v1/track/${trackingCode}${suffix}`).set('X-Tracking-Pin', pin);

  it('lists the acceptance notice, serves it online at the first opening, and gives its PDF under the PIN', async () => {
    const { caseId, trackingCode, pin } = await acceptedCase();
    const noticeId = `${caseId}:acceptance:0`;
    expect(await stack.store.notices.findById(noticeId).lean()).toMatchObject({ channel: 'online' });
    expect((await stack.store.notices.findById(noticeId).lean())?.servedAt).toBeFalsy();

    // Unserved, the unit's C2 (tell the petitioner it accepted) still runs.
    const before = await as(stack.keys.office!).get(`/v1/cases/${caseId}`).expect(200);
    expect(JSON.stringify(before.body)).toMatch(/"clock":"notify"/);

    const first = await track(trackingCode, pin).expect(200);
    const notices = first.body.notices as TrackedNotice[];
    // The transfer notice (转送告知) came first, when the office sent the case to the unit; then the acceptance.
    expect(notices.map((n) => n.kind)).toEqual(['transfer', 'acceptance']);
    const accepted = notices[1]!;
    expect(accepted).toMatchObject({
      id: noticeId,
      kind: 'acceptance',
      title: expect.stringContaining('受理告知书'),
      documentNumber: expect.stringMatching(/〔\d{4}〕\d+号$/),
      pdf: `/v1/track/${trackingCode}/notices/${noticeId}.pdf`,
    });
    expect(accepted.text).toContain('受理告知书');
    expect(notices[0]!.title).toBe('信访事项转送告知书');

    // Opening the page served it (送达, online): the case records the service and C2 is met.
    const served = await eventually(async () => {
      const notice = await stack.store.notices.findById(noticeId).lean();
      return notice?.servedAt ? notice : undefined;
    });
    expect(served.serviceMethod).toBe('online');
    const again = await track(trackingCode, pin).expect(200);
    const acceptedAgain = (again.body.notices as TrackedNotice[]).find((n) => n.id === noticeId)!;
    expect(acceptedAgain).toMatchObject({ serviceMethod: 'online' });
    expect(Date.parse(acceptedAgain.servedAt!)).toBe(served.servedAt!.getTime());
    const view = await as(stack.keys.office!).get(`/v1/cases/${caseId}`).expect(200);
    expect(JSON.stringify(view.body)).not.toMatch(/"clock":"notify"/);

    const pdf = await track(trackingCode, pin, `/notices/${noticeId}.pdf`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((pdf.body as Buffer).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  /** An accepted case whose acceptance notice was served by opening the page, and the service recorded. */
  async function servedCase() {
    const accepted = await acceptedCase();
    const { caseId } = accepted;
    await track(accepted.trackingCode, accepted.pin).expect(200);
    await eventually(() =>
      stack.store.timeline
        .findOne({ caseId, type: 'notice_served', 'detail.noticeId': `${caseId}:acceptance:0` })
        .lean(),
    );
    return accepted;
  }

  it("reads the case's own timeline and notices by _id: FerretDB answers any other filter by reading every case's", async () => {
    const { caseId, trackingCode, pin } = await servedCase();
    const timelineScans = jest.spyOn(stack.store.timeline, 'find');
    const noticeScans = jest.spyOn(stack.store.notices, 'find');
    try {
      const tracked = await track(trackingCode, pin).expect(200);
      expect((tracked.body.notices as TrackedNotice[]).map((n) => n.kind)).toEqual(['transfer', 'acceptance']);
      const steps = (tracked.body.progress as { step: string }[]).map((p) => p.step);
      expect(steps[0]).toBe('registered');
      expect(steps).toEqual(expect.arrayContaining(['transferred', 'notice_issued', 'accepted', 'notice_served']));
      const detail = await as(stack.keys.office!).get(`/v1/cases/${caseId}`).expect(200);
      expect((detail.body.timeline as { type: string }[]).map((t) => t.type)).toEqual(steps);
      expect(timelineScans).not.toHaveBeenCalled();
      expect(noticeScans).not.toHaveBeenCalled();
    } finally {
      timelineScans.mockRestore();
      noticeScans.mockRestore();
    }
  });

  it("finds a case's documents by _id alone from intake to the notice served: FerretDB reads the whole collection for any other filter", async () => {
    const growing = new Set(['cases', 'timeline', 'outbox', 'notices', 'action_texts', 'tracking_codes', 'public_ids']);
    const filtered = new Set([
      'find',
      'findOne',
      'updateOne',
      'updateMany',
      'replaceOne',
      'deleteOne',
      'countDocuments',
    ]);
    const sent: string[] = [];
    stack.store.connection.set('debug', (collection: string, method: string, filter: unknown) => {
      if (growing.has(collection) && filtered.has(method))
        sent.push(`${collection}.${method} ${JSON.stringify(filter)}`);
    });
    try {
      await servedCase();
    } finally {
      stack.store.connection.set('debug', undefined);
    }
    const byIdAlone = (line: string) => /^\S+ \{"_id":"[^"]+"\}$/.test(line);
    // The helpers' own waits for the notice's steps, not the product's.
    const helpersWait = (line: string) => /^timeline\.findOne \{"caseId":.*"detail\.noticeId"/.test(line);
    expect(sent.filter((line) => line.startsWith('notices.updateOne')).length).toBeGreaterThan(0);
    expect(sent.filter((line) => !byIdAlone(line) && !helpersWait(line))).toEqual([]);
  });

  it('still lists every step and notice of a record written before records listed their entries', async () => {
    const { caseId, trackingCode, pin } = await servedCase();
    const listed = await track(trackingCode, pin).expect(200);
    await stack.store.cases.updateOne({ _id: caseId }, { $unset: { listsEntries: 1, timelineKeys: 1 } });
    const older = await track(trackingCode, pin).expect(200);
    expect(older.body.progress).toEqual(listed.body.progress);
    expect((older.body.notices as TrackedNotice[]).map((n) => n.id)).toEqual(
      (listed.body.notices as TrackedNotice[]).map((n) => n.id),
    );
    const detail = await as(stack.keys.office!).get(`/v1/cases/${caseId}`).expect(200);
    expect((detail.body.timeline as { type: string }[]).map((t) => t.type)).toEqual(
      (listed.body.progress as { step: string }[]).map((p) => p.step),
    );
  });

  it('answers 404 for a notice of another case, and for a wrong PIN, with the same body as an unknown code', async () => {
    const mine = await acceptedCase();
    const theirs = await acceptedCase();
    const other = `${theirs.caseId}:acceptance:0`;
    const refused = await track(mine.trackingCode, mine.pin, `/notices/${other}.pdf`).expect(404);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    const wrongPin = mine.pin === '000000' ? '111111' : '000000';
    await track(mine.trackingCode, wrongPin, `/notices/${mine.caseId}:acceptance:0.pdf`).expect(404);
    await track(mine.trackingCode, mine.pin, '/notices/not-a-notice.pdf').expect(400);
  });
});
