/**
 * The GeoReport v2 (Open311) facade through HTTP: discovery, services, posting requests as JSON and form fields, and
 * reading them back in JSON and XML, with Open311's own errors. Long because each operation is checked in both
 * formats, on one shared stack.
 */
import request from 'supertest';
import { caseWorkflowId } from '../domain/ids';
import { eventually, startCaseStack, type CaseStack } from '../harness/case-stack';
import { uniqueName } from '../harness/shared-servers';
import { trusted } from '../store/models';
import { indexCaseCodes, PendingNotes } from '../store/tracking-codes';
import { expectSchema } from './env/schemas';

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
  status_notes: string;
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
  /** A form-encoded environment request in Xihu district, posted to `app`. */
  const postForm = (app: typeof stack.app, fields: Record<string, string>) =>
    request(app)
      .post('/open311/v2/requests.json')
      .type('form')
      .send({ api_key: stack.keys.intake!, service_code: 'environment', jurisdiction_id: '330106', ...fields })
      .expect(201);
  /** Published text masks long digit runs: a unique name with its digits spelt as letters. */
  const digitless = (name: string) => uniqueName(name).replace(/\d/g, (d) => 'ghijklmnop'[Number(d)]!);
  /** Waits until the workflow has written the case record, so a 404 means hidden rather than not yet written. */
  const recorded = (caseId: string) =>
    eventually(async () => {
      const res = await office(`/v1/cases/${caseId}`);
      return res.status === 200 && !res.body.recordPending ? (res.body as CaseRecord) : undefined;
    });

  it('lists services from the routing rules and the catalogue, with their attributes', async () => {
    const services = await request(stack.app).get('/open311/v2/services.json').expect(200);
    const codes = expectSchema<{ service_code: string }[]>(services).map((s) => s.service_code);
    expect(codes).toEqual(expect.arrayContaining(['environment', 'housing', 'public_security', 'labour', 'other']));
    expect(services.body[0]).toMatchObject({ metadata: true, type: 'batch', service_name: expect.any(String) });

    const definition = expectSchema<{
      service_code: string;
      attributes: { code: string; values?: { key: string }[] }[];
    }>(await request(stack.app).get('/open311/v2/services/environment.json').expect(200));
    expect(definition.service_code).toBe('environment');
    const region = definition.attributes.find((a) => a.code === 'region_code');
    expect(region).toMatchObject({ required: true, datatype: 'string' });
    const kind = definition.attributes.find((a) => a.code === 'kind');
    expect(kind?.values?.map((v) => v.key)).toContain('complaint');

    const missing = await request(stack.app).get('/open311/v2/services/astrology.json').expect(404);
    expect(missing.body).toEqual([{ code: 404, description: expect.stringContaining('astrology') }]);
  });

  it('answers in Chinese by default and in English when the client asks (Accept-Language), errors included', async () => {
    const get = (path: string, lang?: string) => {
      const req = request(stack.app).get(path);
      return lang ? req.set('Accept-Language', lang) : req;
    };
    const environment = (body: { service_code: string }[]) => body.find((s) => s.service_code === 'environment');

    const zh = await get('/open311/v2/services.json').expect(200);
    expect(environment(zh.body)).toMatchObject({
      service_name: '生态环境',
      description: expect.stringMatching(/信访/),
    });
    expect(zh.headers['content-language']).toBe('zh-CN');
    expect(zh.headers.vary).toMatch(/Accept-Language/);
    const en = await get('/open311/v2/services.json', 'en').expect(200);
    expect(environment(en.body)).toMatchObject({ service_name: 'Environment' });
    expect(en.headers['content-language']).toBe('en');

    const definition = await get('/open311/v2/services/environment.json').expect(200);
    const region = (definition.body.attributes as { code: string; description: string }[]).find(
      (a) => a.code === 'region_code',
    );
    expect(region?.description).toMatch(/行政区划代码/);

    const missing = await get('/open311/v2/services/astrology.json').expect(404);
    expect(missing.body).toEqual([{ code: 404, description: expect.stringMatching(/没有“astrology”这项服务/) }]);
    const missingEn = await get('/open311/v2/services/astrology.json', 'en').expect(404);
    expect(missingEn.body).toEqual([{ code: 404, description: expect.stringMatching(/no service "astrology"/) }]);
    expect(missingEn.headers['content-language']).toBe('en');

    const xml = await get('/open311/v2/services.xml').expect(200);
    expect(xml.text).toContain('<service_name>生态环境</service_name>');
    const xmlEn = await get('/open311/v2/services.xml', 'en-US,en;q=0.9').expect(200);
    expect(xmlEn.text).toContain('<service_name>Environment</service_name>');
    const missingXml = await get('/open311/v2/services/astrology.xml').expect(404);
    expect(missingXml.text).toMatch(/<description>没有“astrology”这项服务/);
    const discovery = await get('/open311/discovery.json').expect(200);
    expect(discovery.body.contact).toMatch(/信访/);

    const created = await request(stack.app)
      .post('/open311/v2/requests.json')
      .set('Accept-Language', 'en')
      .type('form')
      .send({
        api_key: stack.keys.intake!,
        service_code: 'environment',
        jurisdiction_id: '330106',
        description: uniqueName('Noise'),
      })
      .expect(201);
    expect(created.headers['content-language']).toBe('en');
    expect(created.body[0].service_notice).toMatch(
      /^Registered as case \S+\. The petition office decides whether to accept it by \d{4}-\d\d-\d\d 24:00 \(\+08:00\)\./,
    );
  });

  it('registers a form-encoded request and shows its progress, deadline and responsible unit', async () => {
    // Published text masks long digit runs; this subject has none.
    const subject = digitless('Night-time construction noise');
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
        'attribute[publication_consent]': 'true',
      })
      .expect(201);
    expect(expectSchema(created)).toEqual([
      {
        service_request_id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{16}$/),
        case_id: expect.stringMatching(/^[0-9A-Z]{26}$/),
        service_notice: expect.stringMatching(/^已登记为信访事项.+于\d{4}年\d{1,2}月\d{1,2}日24时前决定是否受理/),
        account_id: null,
        tracking_code: expect.any(String),
        pin: expect.stringMatching(/^\d{6}$/),
      },
    ]);
    const publicId: string = created.body[0].service_request_id;
    const caseId: string = created.body[0].case_id;
    const record = await recorded(caseId);
    expect(record).toMatchObject({ kind: 'complaint', category: 'environment', regionCode: '330106', subject });
    expect(record.petitioner).toMatchObject({ name: '张三', phone: '13800000001' });
    expect(record.content).toMatch(/地点：Wensan Road 100/);

    const before = expectSchema<ServiceRequest[]>(await byId(publicId).expect(200));
    expect(before).toHaveLength(1);
    expect(Object.keys(before[0]!).sort()).toEqual(LIST_FIELDS);
    expect(before[0]).toMatchObject({
      service_request_id: publicId,
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
      const res = await byId(publicId);
      const [view] = res.body as ServiceRequest[];
      return view?.agency_responsible === '杭州市生态环境局' ? view : undefined;
    });
    expect(after.status).toBe('open');
    expect(after.status_notes).toMatch(/^已转送有权处理的机关、单位。当前期限截至\d{4}年\d{1,2}月\d{1,2}日24时。$/);
    const detail = (await office(`/v1/cases/${caseId}`).expect(200)).body as CaseRecord;
    expect(after.expected_datetime).toMatch(/\+08:00$/);
    expect(Date.parse(after.expected_datetime!)).toBe(Date.parse(detail.nextDeadlineAt));
    // The current statutory deadline: the earliest clock running (acknowledge, objection or notify).
    const dues = detail.deadlines.map((d) => Date.parse(d.dueAt));
    expect(Date.parse(after.expected_datetime!)).toBe(Math.min(...dues));

    const list = expectSchema<ServiceRequest[]>(await request(stack.app).get('/open311/v2/requests.json').expect(200));
    const listed = list.find((r) => r.service_request_id === publicId);
    expect(listed).toMatchObject({ status: 'open', agency_responsible: '杭州市生态环境局', description: subject });
    expect(JSON.stringify(list)).not.toMatch(/secret detail 7731|13800000001|张三/);
    expect(JSON.stringify(list)).not.toContain(caseId);
    const closedOnly = await request(stack.app).get('/open311/v2/requests.json?status=closed').expect(200);
    expect((closedOnly.body as ServiceRequest[]).map((r) => r.service_request_id)).not.toContain(publicId);
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
          // Even with the petitioner's consent.
          attribute: { region_code: '330106', publication_consent: 'true', ...attribute },
        })
        .expect(201);
    const [reportAnswer] = (await post({ kind: 'report' })).body;
    const [confidentialAnswer] = (await post({ confidential: 'true' })).body;
    const report = reportAnswer.service_request_id as string;
    const confidential = confidentialAnswer.service_request_id as string;
    expect((await recorded(reportAnswer.case_id)).kind).toBe('report');
    expect((await recorded(confidentialAnswer.case_id)).confidential).toBe(true);

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

  /** Registers a request through Open311 and waits for its record; its public and case IDs. */
  async function registered(fields: Record<string, string>): Promise<{ publicId: string; caseId: string }> {
    const created = await request(stack.app)
      .post('/open311/v2/requests.json')
      .type('form')
      .send({ api_key: stack.keys.intake!, service_code: 'environment', first_name: 'Wu', ...fields })
      .expect(201);
    const [answer] = expectSchema<{ service_request_id: string; case_id: string }[]>(created);
    await recorded(answer!.case_id);
    return { publicId: answer!.service_request_id, caseId: answer!.case_id };
  }
  const listed = async (query = '') =>
    expectSchema<ServiceRequest[]>(await request(stack.app).get(`/open311/v2/requests.json${query}`).expect(200)).map(
      (r) => r.service_request_id,
    );

  it('publishes only requests whose petitioner consented, under a public ID that is not the case ID', async () => {
    const consented = await registered({
      description: uniqueName('Consented'),
      jurisdiction_id: '330106',
      'attribute[publication_consent]': 'true',
    });
    const silent = await registered({ description: uniqueName('Not consented'), jurisdiction_id: '330106' });
    expect(consented.publicId).not.toBe(consented.caseId);
    const ids = await listed();
    expect(ids).toContain(consented.publicId);
    expect(ids).not.toContain(silent.publicId);
    await byId(consented.publicId).expect(200);
    await byId(silent.publicId).expect(404);
    // A case ID is no public ID.
    await byId(consented.caseId).expect(404);
    expect(await listed(`?service_request_id=${silent.publicId}`)).toEqual([]);
    await request(stack.app).get(`/open311/v2/requests.json?service_request_id=${consented.caseId}`).expect(400);
    expect(await listed(`?service_request_id=${consented.publicId}`)).toEqual([consented.publicId]);
    // Consent is kept in the record, and defaults to no.
    expect(await recorded(consented.caseId)).toMatchObject({ publicationConsent: true });
    expect(await recorded(silent.caseId)).toMatchObject({ publicationConsent: false });
  });

  it('finds a request by its public ID with reads by _id alone: FerretDB reads the whole cases collection for any other filter', async () => {
    const shown = await registered({
      description: digitless('By id'),
      jurisdiction_id: '330106',
      'attribute[publication_consent]': 'true',
    });
    const silent = await registered({ description: digitless('By id silent'), jurisdiction_id: '330106' });
    const unknown = 'ZZZZZZZZZZZZZZZZ';
    const sent: string[] = [];
    stack.store.connection.set('debug', (collection: string, method: string, filter: unknown) => {
      if (['cases', 'public_ids'].includes(collection)) sent.push(`${collection}.${method} ${JSON.stringify(filter)}`);
    });
    try {
      await byId(shown.publicId).expect(200);
      await byId(silent.publicId).expect(404);
      await byId(unknown).expect(404);
      const ids = [shown.publicId, silent.publicId, unknown].join(',');
      expect(await listed(`?service_request_id=${ids}`)).toEqual([shown.publicId]);
    } finally {
      stack.store.connection.set('debug', undefined);
    }
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((line) => !/^\S+ \{"_id":"[^"]+"\}$/.test(line))).toEqual([]);
  });

  it("notes a request's public ID with its record when intake could not, and once for records written before", async () => {
    const notes = new PendingNotes(stack.store);
    // The replica gave the request its public ID and then lost its note (a restart before MongoDB took it).
    jest.spyOn(notes, 'note').mockResolvedValue();
    const app = stack.replica({ notes });
    const [created] = (
      await postForm(app, { description: digitless('Lost note'), 'attribute[publication_consent]': 'true' })
    ).body as { service_request_id: string; case_id: string }[];
    await recorded(created!.case_id);
    await eventually(async () => (await stack.store.publicIds.findById(created!.service_request_id).lean()) !== null);
    await byId(created!.service_request_id).expect(200);

    // Records written before public IDs were noted: their entries, and the mark that they were added, are missing.
    const shown = await registered({
      description: digitless('Older'),
      jurisdiction_id: '330106',
      'attribute[publication_consent]': 'true',
    });
    const silent = await registered({ description: digitless('Older silent'), jurisdiction_id: '330106' });
    await stack.store.publicIds.deleteMany({ _id: trusted({ $in: [shown.publicId, silent.publicId] }) });
    await stack.store.revisions.deleteOne({ _id: 'public-ids-indexed' });
    expect(await indexCaseCodes(stack.store)).toBeGreaterThanOrEqual(1);
    expect(await stack.store.publicIds.findById(shown.publicId).lean()).toMatchObject({ caseId: shown.caseId });
    // Only a request the public may see is noted.
    expect(await stack.store.publicIds.findById(silent.publicId).lean()).toBeNull();
    expect(await indexCaseCodes(stack.store)).toBe(0);
    await byId(shown.publicId).expect(200);
  });

  it('never publishes digits that look like phone or ID numbers', async () => {
    const subject = `${uniqueName('Call')} 13800001111 or 138-0000-2222, ID 33010619800101123X, room 1203 since 2026`;
    const { publicId } = await registered({
      description: subject,
      jurisdiction_id: '330106',
      'attribute[publication_consent]': 'true',
    });
    const [view] = expectSchema<ServiceRequest[]>(await byId(publicId).expect(200));
    expect(view!.description).not.toMatch(/\d{7}|0000|1111|2222|123X/);
    expect(view!.description).toMatch(/room 1203 since 2026$/);
    const listedView = (
      (await request(stack.app).get('/open311/v2/requests.json').expect(200)).body as ServiceRequest[]
    ).find((r) => r.service_request_id === publicId);
    expect(listedView!.description).toBe(view!.description);
  });

  it('filters the list by jurisdiction_id', async () => {
    const xihu = await registered({
      description: uniqueName('Xihu'),
      jurisdiction_id: '330106',
      'attribute[publication_consent]': 'true',
    });
    const shangcheng = await registered({
      description: uniqueName('Shangcheng'),
      jurisdiction_id: '330102',
      'attribute[publication_consent]': 'true',
    });
    const district = await listed('?jurisdiction_id=330106');
    expect(district).toContain(xihu.publicId);
    expect(district).not.toContain(shangcheng.publicId);
    expect(await listed('?jurisdiction_id=3301')).toEqual(expect.arrayContaining([xihu.publicId, shangcheng.publicId]));
    expect(await listed('?jurisdiction_id=320000')).not.toContain(xihu.publicId);
    const bad = await request(stack.app).get('/open311/v2/requests.json?jurisdiction_id=hangzhou').expect(400);
    expect(bad.body[0].description).toMatch(/^jurisdiction_id/);
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
      description: expect.stringMatching(/^jurisdiction_id或attribute\[region_code\]为必填项/),
    });
    const badRegion = await intake()
      .set('Accept-Language', 'en')
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
    expect(badEmail.body[0].description).toMatch(/^email：/);
    const malformed = await intake().set('Content-Type', 'application/json').send('{"service_code":').expect(400);
    expect(malformed.body).toEqual([{ code: 400, description: expect.any(String) }]);
    const plain = await intake().set('Content-Type', 'text/plain').send('service_code=environment').expect(415);
    expect(plain.body[0].code).toBe(415);

    const badId = await request(stack.app).get('/open311/v2/requests/nope.json').expect(404);
    expect(badId.body[0].code).toBe(404);
    const badStatus = await request(stack.app).get('/open311/v2/requests.json?status=pending').expect(400);
    expect(badStatus.body[0].description).toMatch(/^status/);
    const yaml = await request(stack.app).get('/open311/v2/services.yaml').expect(404);
    expect(yaml.body[0].description).toMatch(/\.json 或 \.xml/);
  });

  it('answers every resource in XML with the spec element names, escaped, errors included', async () => {
    const services = await request(stack.app).get('/open311/v2/services.xml').expect(200);
    expect(services.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(services.text).toMatch(
      /^<\?xml version="1.0" encoding="utf-8"\?>\n<services>\n {2}<service>\n {4}<service_code>/,
    );
    expect(services.text).toContain('<metadata>true</metadata>');
    const definition = await request(stack.app).get('/open311/v2/services/environment.xml').expect(200);
    expect(definition.text).toMatch(
      /<service_definition>\n {2}<service_code>environment<\/service_code>\n {2}<attributes>/,
    );
    expect(definition.text).toMatch(/<values>\n\s+<value>\n\s+<key>false<\/key>/);
    expect(definition.text).toContain('<datatype_description/>');

    const subject = digitless('Dust & noise <at night>');
    const created = await request(stack.app)
      .post('/open311/v2/requests.xml')
      .type('form')
      .send({
        api_key: stack.keys.intake!,
        service_code: 'environment',
        jurisdiction_id: '330106',
        description: subject,
        'attribute[publication_consent]': 'true',
      })
      .expect(201);
    expect(created.headers['content-type']).toBe('text/xml; charset=utf-8');
    const publicId = /<service_request_id>([0-9A-Z]{16})<\/service_request_id>/.exec(created.text)?.[1];
    expect(created.text).toMatch(/<service_requests>\n {2}<request>\n {4}<service_request_id>/);
    expect(created.text).toContain('<account_id/>');
    expect(publicId).toBeDefined();
    const one = await eventually(async () => {
      const res = await request(stack.app).get(`/open311/v2/requests/${publicId}.xml`);
      return res.status === 200 ? res : undefined;
    });
    expect(one.text).toContain(`<service_request_id>${publicId}</service_request_id>`);
    const escaped = subject.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    expect(one.text).toContain(`<description>${escaped}</description>`);
    expect(one.text).toContain('<status>open</status>');
    const list = await request(stack.app).get('/open311/v2/requests.xml').expect(200);
    expect(list.text).toMatch(/^<\?xml[^>]*>\n<service_requests>/);

    const missing = await request(stack.app).get('/open311/v2/services/astrology.xml').expect(404);
    expect(missing.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(missing.text).toMatch(/<errors>\n {2}<error>\n {4}<code>404<\/code>\n {4}<description>[^<]*astrology/);
    const noKey = await request(stack.app)
      .post('/open311/v2/requests.xml')
      .type('form')
      .send({ service_code: 'environment', description: 'Noise', jurisdiction_id: '330106' })
      .expect(401);
    expect(noKey.text).toMatch(/<errors>\n {2}<error>\n {4}<code>401<\/code>/);
    const badQuery = await request(stack.app).get('/open311/v2/requests.xml?status=pending').expect(400);
    expect(badQuery.text).toMatch(/<description>status/);
  });

  it('serves the discovery document in both formats', async () => {
    const json = await request(stack.app).get('/open311/discovery.json').expect(200);
    expect(expectSchema(json)).toEqual({
      changeset: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      contact: expect.any(String),
      key_service: expect.any(String),
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/open311\/v2$/),
          changeset: json.body.changeset,
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    });
    const xml = await request(stack.app).get('/open311/discovery.xml').expect(200);
    expect(xml.text).toContain('<specification>http://wiki.open311.org/GeoReport_v2</specification>');
    expect(xml.text).toMatch(/<formats>\n\s+<format>text\/xml<\/format>\n\s+<format>application\/json<\/format>/);
    expect(xml.text).toMatch(/^<\?xml[^>]*>\n<discovery>\n {2}<changeset>/);
  });

  it('reads a request at once, from its workflow, before the record is written; never a hidden one', async () => {
    // No worker polls this task queue: the workflows start but never write their records.
    const queue = uniqueName('no-worker');
    const app = stack.replica({ taskQueue: queue });
    const post = (fields: Record<string, string>) => postForm(app, fields);
    const subject = digitless('Pending');
    const [shown] = (await post({ description: subject, 'attribute[publication_consent]': 'true' })).body;
    const [silent] = (await post({ description: uniqueName('Pending silent') })).body;
    const [report] = (
      await post({
        description: uniqueName('Pending report'),
        'attribute[kind]': 'report',
        'attribute[publication_consent]': 'true',
      })
    ).body;
    const [confidential] = (
      await post({
        description: uniqueName('Pending confidential'),
        'attribute[confidential]': 'true',
        'attribute[publication_consent]': 'true',
      })
    ).body;
    try {
      expect(await stack.store.cases.countDocuments({ _id: shown.case_id })).toBe(0);
      const [view] = expectSchema<ServiceRequest[]>(await byId(shown.service_request_id).expect(200));
      expect(Object.keys(view!).sort()).toEqual(LIST_FIELDS);
      expect(view).toMatchObject({
        service_request_id: shown.service_request_id,
        status: 'open',
        service_code: 'environment',
        description: subject,
        agency_responsible: '杭州市西湖区信访局',
      });
      const xml = await request(stack.app).get(`/open311/v2/requests/${shown.service_request_id}.xml`).expect(200);
      expect(xml.text).toContain(`<description>${subject}</description>`);
      const asked = await request(stack.app)
        .get(`/open311/v2/requests.json?service_request_id=${shown.service_request_id},${silent.service_request_id}`)
        .expect(200);
      expect((asked.body as ServiceRequest[]).map((r) => r.service_request_id)).toEqual([shown.service_request_id]);
      for (const hidden of [silent, report, confidential]) {
        const res = await byId(hidden.service_request_id).expect(404);
        expect(res.body).toEqual([{ code: 404, description: expect.any(String) }]);
      }
    } finally {
      for (const { case_id } of [shown, silent, report, confidential]) {
        await stack.client.workflow
          .getHandle(caseWorkflowId(case_id))
          .terminate('test cleanup')
          .catch(() => undefined);
      }
    }
  });

  it('reads a request at once on the replica that registered it, while MongoDB refuses the note of its public ID', async () => {
    const notes = new PendingNotes(stack.store);
    const app = stack.replica({ taskQueue: uniqueName('no-worker'), notes });
    const refused = jest.spyOn(stack.store.publicIds, 'create').mockRejectedValue(new Error('public_ids refused'));
    let created: { service_request_id: string; case_id: string } | undefined;
    try {
      const description = digitless('Refused note');
      [created] = (await postForm(app, { description, 'attribute[publication_consent]': 'true' })).body;
      const [view] = expectSchema<ServiceRequest[]>(
        await request(app).get(`/open311/v2/requests/${created!.service_request_id}.json`).expect(200),
      );
      expect(view).toMatchObject({ service_request_id: created!.service_request_id, description, status: 'open' });
    } finally {
      refused.mockRestore();
    }
    // Once MongoDB takes it, the note is written and every replica reads the request.
    await eventually(() => Promise.resolve(notes.size === 0));
    await byId(created!.service_request_id).expect(200);
    await stack.client.workflow
      .getHandle(caseWorkflowId(created!.case_id))
      .terminate('test cleanup')
      .catch(() => undefined);
  });
});
