import request from 'supertest';
import { eventually, startCaseStack, type CaseStack } from './env/case-stack';
import { uniqueName } from './env/servers';

const LIST_FIELDS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
].sort();

interface CaseRecord {
  kind: string;
  category: string;
  confidential: boolean;
  subject: string;
  content: string;
  petitioner: object;
  nextDeadlineAt: string;
  deadlines: { dueAt: string }[];
}

interface ServiceRequest {
  service_request_id: string;
  status: string;
  description: string;
  agency_responsible: string | null;
  expected_datetime: string | null;
}

describe('Open311 GeoReport v2 facade', () => {
  let stack: CaseStack;
  beforeAll(async () => {
    stack = await startCaseStack({ departments: ['330100-HB'] });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const office = (path: string) => request(stack.app).get(path).set('Authorization', `Bearer ${stack.keys.office}`);
  const byId = (id: string) => request(stack.app).get(`/open311/v2/requests/${id}.json`);
  /** Waits until the workflow has written the case record, so a 404 means hidden rather than not yet written. */
  const recorded = (caseId: string) =>
    eventually(async () => {
      const res = await office(`/v1/cases/${caseId}`);
      return res.status === 200 && !res.body.recordPending ? (res.body as CaseRecord) : undefined;
    });

  it('lists services from the routing rules and the catalogue, with their attributes', async () => {
    const services = await request(stack.app).get('/open311/v2/services.json').expect(200);
    const codes = (services.body as { service_code: string }[]).map((s) => s.service_code);
    expect(codes).toEqual(expect.arrayContaining(['environment', 'housing', 'public_security', 'labour', 'other']));
    expect(services.body[0]).toMatchObject({ metadata: true, type: 'batch', service_name: expect.any(String) });

    const definition = (await request(stack.app).get('/open311/v2/services/environment.json').expect(200)).body as {
      service_code: string;
      attributes: { code: string; values?: { key: string }[] }[];
    };
    expect(definition.service_code).toBe('environment');
    const region = definition.attributes.find((a) => a.code === 'region_code');
    expect(region).toMatchObject({ required: true, datatype: 'string' });
    const kind = definition.attributes.find((a) => a.code === 'kind');
    expect(kind?.values?.map((v) => v.key)).toContain('complaint');

    const missing = await request(stack.app).get('/open311/v2/services/astrology.json').expect(404);
    expect(missing.body).toEqual([{ code: 404, description: expect.stringContaining('astrology') }]);
  });

  it('registers a form-encoded request and shows its progress, deadline and responsible unit', async () => {
    const subject = uniqueName('Night-time construction noise');
    const created = await request(stack.app)
      .post('/open311/v2/requests.json')
      .type('form')
      .send({
        api_key: stack.keys.intake!,
        service_code: 'environment',
        jurisdiction_id: '330106',
        description: `${subject}\nThe Wensan Road site works past midnight; secret detail 7731.`,
        address_string: 'Wensan Road 100',
        last_name: '张',
        first_name: '三',
        phone: '13800000001',
      })
      .expect(201);
    expect(created.body).toEqual([
      {
        service_request_id: expect.stringMatching(/^[0-9A-Z]{26}$/),
        service_notice: expect.stringMatching(/Registered as case/),
        tracking_code: expect.any(String),
        pin: expect.stringMatching(/^\d{6}$/),
      },
    ]);
    const caseId: string = created.body[0].service_request_id;
    const record = await recorded(caseId);
    expect(record).toMatchObject({ kind: 'complaint', category: 'environment', regionCode: '330106', subject });
    expect(record.petitioner).toMatchObject({ name: '张三', phone: '13800000001' });
    expect(record.content).toMatch(/Location: Wensan Road 100/);

    const before = (await byId(caseId).expect(200)).body as ServiceRequest[];
    expect(before).toHaveLength(1);
    expect(Object.keys(before[0]!).sort()).toEqual(LIST_FIELDS);
    expect(before[0]).toMatchObject({
      service_request_id: caseId,
      status: 'open',
      service_code: 'environment',
      description: subject,
      agency_responsible: '杭州市西湖区信访局',
      requested_datetime: expect.stringMatching(/\+08:00$/),
    });

    await request(stack.app)
      .post(`/v1/cases/${caseId}/acceptance`)
      .set('Authorization', `Bearer ${stack.keys.office}`)
      .send({ actionId: uniqueName('accept'), decision: 'accept' })
      .expect(200);
    const after = await eventually(async () => {
      const res = await byId(caseId);
      const [view] = res.body as ServiceRequest[];
      return view?.agency_responsible === '杭州市生态环境局' ? view : undefined;
    });
    expect(after.status).toBe('open');
    const detail = (await office(`/v1/cases/${caseId}`).expect(200)).body as CaseRecord;
    expect(after.expected_datetime).toMatch(/\+08:00$/);
    expect(Date.parse(after.expected_datetime!)).toBe(Date.parse(detail.nextDeadlineAt));
    // The current statutory deadline: the earliest clock running (acknowledge, objection or notify).
    const dues = detail.deadlines.map((d) => Date.parse(d.dueAt));
    expect(Date.parse(after.expected_datetime!)).toBe(Math.min(...dues));

    const list = (await request(stack.app).get('/open311/v2/requests.json').expect(200)).body as ServiceRequest[];
    const listed = list.find((r) => r.service_request_id === caseId);
    expect(listed).toMatchObject({ status: 'open', agency_responsible: '杭州市生态环境局', description: subject });
    expect(JSON.stringify(list)).not.toMatch(/secret detail 7731|13800000001|张三/);
    const closedOnly = await request(stack.app).get('/open311/v2/requests.json?status=closed').expect(200);
    expect((closedOnly.body as ServiceRequest[]).map((r) => r.service_request_id)).not.toContain(caseId);
  });

  it('never shows a misconduct report or a confidential case, in the list or by id', async () => {
    const post = (attribute: Record<string, string>) =>
      request(stack.app)
        .post('/open311/v2/requests.json')
        .set('Authorization', `Bearer ${stack.keys.intake}`)
        .send({
          service_code: 'public_security',
          description: `${uniqueName('hidden')}\nDetails`,
          first_name: 'Li',
          last_name: 'Si',
          attribute: { region_code: '330106', ...attribute },
        })
        .expect(201);
    const report = (await post({ kind: 'report' })).body[0].service_request_id as string;
    const confidential = (await post({ confidential: 'true' })).body[0].service_request_id as string;
    expect((await recorded(report)).kind).toBe('report');
    expect((await recorded(confidential)).confidential).toBe(true);

    for (const hidden of [report, confidential]) {
      const res = await byId(hidden).expect(404);
      expect(res.body).toEqual([{ code: 404, description: expect.any(String) }]);
    }
    const listed = (await request(stack.app).get('/open311/v2/requests.json').expect(200)).body as ServiceRequest[];
    const ids = listed.map((r) => r.service_request_id);
    expect(ids).not.toContain(report);
    expect(ids).not.toContain(confidential);
    const asked = await request(stack.app)
      .get(`/open311/v2/requests.json?service_request_id=${report},${confidential}`)
      .expect(200);
    expect(asked.body).toEqual([]);
  });

  it("answers errors in Open311's form with the HTTP status", async () => {
    const post = () => request(stack.app).post('/open311/v2/requests.json');
    const body = { service_code: 'environment', description: 'Noise', jurisdiction_id: '330106' };

    const noKey = await post().send(body).expect(401);
    expect(noKey.body).toEqual([{ code: 401, description: expect.stringMatching(/api_key/) }]);
    await post().set('Authorization', 'Bearer not-a-key').send(body).expect(401);
    const department = await post()
      .send({ ...body, api_key: stack.keys['dept:330100-HB'] })
      .expect(403);
    expect(department.body[0].code).toBe(403);

    const intake = () => post().set('Authorization', `Bearer ${stack.keys.intake}`);
    const noRegion = await intake()
      .send({ ...body, jurisdiction_id: undefined })
      .expect(400);
    expect(noRegion.body[0]).toEqual({
      code: 400,
      description: expect.stringMatching(/jurisdiction_id or attribute\[region_code\]/),
    });
    const badRegion = await intake()
      .send({ ...body, jurisdiction_id: '33' })
      .expect(400);
    expect(badRegion.body[0].description).toMatch(/^jurisdiction_id or attribute\[region_code\]: must be a 6-digit/);
    const badService = await intake()
      .send({ ...body, service_code: 'astrology' })
      .expect(400);
    expect(badService.body[0].description).toMatch(/service_code/);
    const badEmail = await intake()
      .send({ ...body, email: 'not-an-email' })
      .expect(400);
    expect(badEmail.body[0].description).toMatch(/^email:/);
    const malformed = await intake().set('Content-Type', 'application/json').send('{"service_code":').expect(400);
    expect(malformed.body).toEqual([{ code: 400, description: expect.any(String) }]);
    const plain = await intake().set('Content-Type', 'text/plain').send('service_code=environment').expect(415);
    expect(plain.body[0].code).toBe(415);

    const badId = await request(stack.app).get('/open311/v2/requests/nope.json').expect(404);
    expect(badId.body[0].code).toBe(404);
    const badStatus = await request(stack.app).get('/open311/v2/requests.json?status=pending').expect(400);
    expect(badStatus.body[0].description).toMatch(/^status/);
    const xml = await request(stack.app).get('/open311/v2/services.xml').expect(404);
    expect(xml.body[0].description).toMatch(/JSON/);
  });
});
