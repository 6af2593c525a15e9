/**
 * Open311's translation, without servers: a GeoReport v2 request becomes an intake body, and a case record (or a
 * pending intake) becomes the public service request. Each mapping, and the edges a client can reach.
 */
import { z } from 'zod';
import { END_STAGES, STAGES } from '../domain/types';
import {
  agencyName,
  createdRequest,
  currentUnit,
  fieldDescriptions,
  isPublishable,
  maskLongNumbers,
  pendingSource,
  petitionerName,
  readRequest,
  serviceRequestOf,
  statusNotes,
  statusOf,
  toIntake,
  type PendingIntake,
  type Translation,
} from '../api/open311/translate';
import type { Lang } from '../domain/i18n';

function ok<T>(translation: Translation<T>): T {
  expect(translation).toEqual({ ok: true, value: expect.anything() });
  return (translation as { value: T }).value;
}

function refused<T>(translation: Translation<T>): string[] {
  expect(translation).toEqual({ ok: false, descriptions: expect.any(Array) });
  return (translation as { descriptions: string[] }).descriptions;
}

const base = { service_code: 'environment', description: 'Night-time noise', jurisdiction_id: '330106' };

/** A request as the form (or JSON) sent it, read and translated. */
function intake(fields: Record<string, unknown>, lang: Lang = 'en') {
  return toIntake(ok(readRequest(fields, lang)), lang);
}

describe('reading an Open311 request', () => {
  it('gathers flat form attributes and nested JSON ones into `attribute`, the form field winning', () => {
    const post = ok(
      readRequest(
        { ...base, 'attribute[kind]': 'suggestion', 'attribute[region_code]': '330102', attribute: { kind: 'report' } },
        'en',
      ),
    );
    expect(post.attribute).toEqual({ kind: 'suggestion', region_code: '330102' });
  });

  it('takes numbers and booleans as text, as form fields would carry them', () => {
    const post = ok(readRequest({ ...base, lat: 30.27, long: 120.15, attribute: { confidential: true } }, 'en'));
    expect(post).toMatchObject({ lat: '30.27', long: '120.15', attribute: { confidential: 'true' } });
  });

  it('names every missing field, in the caller’s language', () => {
    expect(refused(readRequest({}, 'en'))).toEqual([
      expect.stringMatching(/^service_code: /),
      expect.stringMatching(/^description: /),
    ]);
    expect(refused(readRequest(undefined, 'zh-CN'))).toEqual([
      expect.stringMatching(/^service_code：/),
      expect.stringMatching(/^description：/),
    ]);
  });

  it('refuses a description with nothing in it', () => {
    expect(refused(readRequest({ ...base, description: ' \n ' }, 'en'))).toEqual([
      expect.stringMatching(/^description: Too small/),
    ]);
  });
});

describe('an Open311 request as an intake body', () => {
  it('maps service_code to the category, and the kind attribute to the kind (a complaint by default)', () => {
    expect(ok(intake(base))).toMatchObject({ channel: 'online', category: 'environment', kind: 'complaint' });
    expect(ok(intake({ ...base, 'attribute[kind]': 'consultation' }))).toMatchObject({ kind: 'consultation' });
  });

  it('refuses an unknown kind and a malformed service code, naming the Open311 fields', () => {
    const descriptions = refused(intake({ ...base, service_code: 'Astrology!', 'attribute[kind]': 'prayer' }));
    expect(descriptions).toEqual(
      expect.arrayContaining([expect.stringMatching(/^attribute\[kind\]: /), expect.stringMatching(/^service_code: /)]),
    );
    expect(descriptions).toHaveLength(2);
  });

  it('takes the region from jurisdiction_id, else attribute[region_code]', () => {
    expect(ok(intake({ ...base, 'attribute[region_code]': '330102' })).regionCode).toBe('330106');
    const { jurisdiction_id: _, ...withoutJurisdiction } = base;
    expect(ok(intake({ ...withoutJurisdiction, 'attribute[region_code]': '330102' })).regionCode).toBe('330102');
  });

  it('never guesses the region from a position: coordinates and an address alone are refused', () => {
    const { jurisdiction_id: _, ...withoutJurisdiction } = base;
    const located = { ...withoutJurisdiction, lat: '30.27', long: '120.15', address_string: 'Wensan Road 100' };
    expect(refused(intake(located, 'en'))).toEqual([
      expect.stringMatching(/^jurisdiction_id or attribute\[region_code\] is required/),
    ]);
    expect(refused(intake(located, 'zh-CN'))).toEqual([
      expect.stringMatching(/^jurisdiction_id或attribute\[region_code\]为必填项/),
    ]);
  });

  it('refuses a region that is no 6-digit division code, under the Open311 names', () => {
    expect(refused(intake({ ...base, jurisdiction_id: '33' }))).toEqual([
      'jurisdiction_id or attribute[region_code]: must be a 6-digit administrative division code',
    ]);
  });

  it('writes the address and coordinates into the content, in the office’s language', () => {
    const body = ok(
      intake({ ...base, description: 'Noise\nAfter midnight', address_string: 'Road 1', lat: '30.27', long: '120.15' }),
    );
    expect(body.content).toBe('Noise\nAfter midnight\n\n地点：Road 1 — 30.27, 120.15');
    expect(ok(intake({ ...base, lat: '30.27', long: '120.15' })).content).toBe(
      'Night-time noise\n\n地点：30.27, 120.15',
    );
  });

  it('leaves out coordinates missing either half, and does not judge them: they are the clerks’ to read', () => {
    expect(ok(intake({ ...base, lat: '30.27' })).content).toBe('Night-time noise');
    expect(ok(intake({ ...base, long: '120.15', address_string: 'Road 1' })).content).toBe(
      'Night-time noise\n\n地点：Road 1',
    );
    expect(ok(intake({ ...base, lat: 'north', long: '999' })).content).toBe('Night-time noise\n\n地点：north, 999');
  });

  it('takes the subject from the first line with text, shortened past 200 characters', () => {
    expect(ok(intake({ ...base, description: '\n  \n  Dust at the site  \nDetails' })).subject).toBe(
      'Dust at the site',
    );
    const subject = ok(intake({ ...base, description: 'x'.repeat(250) })).subject;
    expect(subject).toHaveLength(200);
    expect(subject.endsWith('…')).toBe(true);
  });

  it('names the petitioner as the client wrote the name, or records an anonymous petition', () => {
    expect(petitionerName('三', '张')).toBe('张三');
    expect(petitionerName('John', 'Smith')).toBe('John Smith');
    expect(petitionerName('Wei', '张')).toBe('Wei 张');
    expect(petitionerName(undefined, 'Smith')).toBe('Smith');
    const named = ok(
      intake({ ...base, first_name: '三', last_name: '张', phone: '13800000000', email: 'z@example.cn' }),
    );
    expect(named).toMatchObject({
      anonymous: false,
      petitioner: { name: '张三', phone: '13800000000', email: 'z@example.cn' },
    });
    const anonymous = ok(intake(base));
    expect(anonymous).toMatchObject({ anonymous: true, petitioner: { name: '匿名 (anonymous)' } });
    expect(anonymous.petitioner).not.toHaveProperty('email');
  });

  it('refuses an invalid e-mail address under the Open311 field name', () => {
    expect(refused(intake({ ...base, email: 'not-an-email' }, 'zh-CN'))).toEqual([expect.stringMatching(/^email：/)]);
  });

  it('reads confidentiality and publication consent as yes only for "true"', () => {
    const yes = ok(intake({ ...base, attribute: { confidential: 'true', publication_consent: 'true' } }));
    expect(yes).toMatchObject({ confidential: true, publicationConsent: true });
    const other = ok(intake({ ...base, attribute: { confidential: 'yes', publication_consent: '1' } }));
    expect(other).toMatchObject({ confidential: false, publicationConsent: false });
    expect(ok(intake(base))).toMatchObject({ confidential: false, publicationConsent: false });
  });

  it('names a field by the mapper it is given', () => {
    const error = z.object({ a: z.object({ b: z.string() }) }).safeParse({ a: { b: 1 } }).error!;
    expect(fieldDescriptions(error, 'en', (path) => `<${path}>`)).toEqual([expect.stringMatching(/^<a\.b>: /)]);
  });
});

describe('the answer to a registration', () => {
  const registered = { caseId: 'CASE', caseNumber: 'N-1', trackingCode: 'TRACK', pin: '123456' };

  it('gives the public ID, and the case ID, tracking code and PIN for the front-end; no account', () => {
    const answer = createdRequest({ ...registered, deadlines: [] }, 'PUBLIC', 'en');
    expect(answer).toEqual({
      service_request_id: 'PUBLIC',
      case_id: 'CASE',
      service_notice: expect.stringMatching(/^Registered as case N-1\./),
      account_id: null,
      tracking_code: 'TRACK',
      pin: '123456',
    });
  });

  it('says by when acceptance is decided, from the first deadline', () => {
    const deadlines = [{ dueAt: '2026-12-10T15:59:59.999Z' }];
    expect(createdRequest({ ...registered, deadlines }, 'P', 'en').service_notice).toMatch(
      /^Registered as case N-1\. The petition office decides whether to accept it by 2026-12-10 24:00 \(\+08:00\)\./,
    );
    expect(createdRequest({ ...registered, deadlines }, 'P', 'zh-CN').service_notice).toMatch(
      /^已登记为信访事项N-1.+于2026年12月10日24时前决定是否受理/,
    );
  });
});

describe('a case as a public service request', () => {
  const due = new Date('2026-12-10T15:59:59.999Z');
  const now = new Date('2026-12-02T00:00:00Z');

  it('is closed exactly at the stages where a case has ended', () => {
    for (const stage of STAGES) {
      expect({ stage, status: statusOf(stage) }).toEqual({
        stage,
        status: END_STAGES.includes(stage) ? 'closed' : 'open',
      });
    }
    expect(statusOf('registered')).toBe('open');
    expect(statusOf('review_requested')).toBe('open');
    expect(statusOf('withdrawn')).toBe('closed');
    expect(statusOf(undefined)).toBe('open');
    expect(statusOf('something_new')).toBe('open');
  });

  it('explains every stage in both languages, with the deadline while the request is open', () => {
    for (const stage of STAGES) {
      for (const lang of ['en', 'zh-CN'] as const) {
        const note = statusNotes(stage, due, lang);
        expect({ stage, lang, untranslated: note.includes('open311.') }).toEqual({ stage, lang, untranslated: false });
        const hasDeadline = lang === 'en' ? note.includes('2026-12-10 24:00') : note.includes('2026年12月10日24时');
        expect({ stage, lang, hasDeadline }).toEqual({ stage, lang, hasDeadline: !END_STAGES.includes(stage) });
      }
    }
    expect(statusNotes('registered', due, 'en')).toBe(
      'Registered; the petition office decides whether to accept it. Current deadline: 2026-12-10 24:00 (+08:00).',
    );
    expect(statusNotes('registered', undefined, 'en')).toBe(
      'Registered; the petition office decides whether to accept it.',
    );
    expect(statusNotes('resolved', due, 'en')).toBe('Closed: answered, and no review was asked.');
  });

  it('shows a stage it does not know as it is', () => {
    expect(statusNotes('something_new', due, 'en')).toBe('something_new');
  });

  it('holds the lead unit responsible, and during a review the reviewing unit', () => {
    expect(currentUnit({ stage: 'handling', leadUnit: 'LEAD', units: ['LEAD', 'UP'] })).toBe('LEAD');
    expect(currentUnit({ stage: 'review_requested', leadUnit: 'LEAD', units: ['LEAD', 'UP'] })).toBe('UP');
    expect(currentUnit({ stage: 'terminated', leadUnit: 'LEAD', units: ['LEAD', 'UP', 'TOP'] })).toBe('TOP');
    expect(currentUnit({ stage: 'registered' })).toBeUndefined();
  });

  it('names the responsible agency: the unit by name or code, else the nearest petition office of the region', () => {
    const names = new Map([['330100-HB', '杭州市生态环境局']]);
    const offices = [
      { name: '浙江省信访局', regionCode: '330000' },
      { name: '杭州市信访局', regionCode: '330100' },
      { name: '杭州市西湖区信访局', regionCode: '330106' },
    ];
    expect(agencyName({ stage: 'handling', leadUnit: '330100-HB' }, names, offices)).toBe('杭州市生态环境局');
    expect(agencyName({ stage: 'handling', leadUnit: '330100-ZJ' }, names, offices)).toBe('330100-ZJ');
    expect(agencyName({ stage: 'registered', regionCode: '330106' }, names, offices)).toBe('杭州市西湖区信访局');
    expect(agencyName({ stage: 'registered', regionCode: '330108' }, names, offices)).toBe('杭州市信访局');
    expect(agencyName({ stage: 'registered', regionCode: '320102' }, names, offices)).toBeNull();
    expect(agencyName({ stage: 'registered' }, names, offices)).toBeNull();
  });

  it('publishes the subject with long digit runs masked, the service by name, and times in +08:00', () => {
    const view = serviceRequestOf(
      {
        publicId: 'P1',
        stage: 'transferred',
        category: 'housing',
        subject: 'Call 13800001111 about room 1203',
        receivedAt: new Date('2026-12-01T01:00:00Z'),
        updatedAt: new Date('2026-12-01T02:30:00Z'),
        nextDeadlineAt: due,
      },
      '杭州市住房保障和房产管理局',
      'en',
      now,
    );
    expect(view).toEqual({
      service_request_id: 'P1',
      status: 'open',
      status_notes: 'Transferred to the competent unit. Current deadline: 2026-12-10 24:00 (+08:00).',
      service_name: 'Housing and construction',
      service_code: 'housing',
      description: 'Call *********** about room 1203',
      agency_responsible: '杭州市住房保障和房产管理局',
      requested_datetime: '2026-12-01T09:00:00+08:00',
      updated_datetime: '2026-12-01T10:30:00+08:00',
      expected_datetime: '2026-12-10T23:59:59+08:00',
    });
  });

  it('names a category outside the catalogue by its code, and a case without one as other matters', () => {
    const own = serviceRequestOf({ stage: 'registered', category: 'night_markets' }, null, 'en', now);
    expect(own).toMatchObject({ service_code: 'night_markets', service_name: 'Other category (night_markets)' });
    const none = serviceRequestOf({ stage: 'registered' }, null, 'zh-CN', now);
    expect(none).toMatchObject({ service_code: 'other', service_request_id: '', description: '' });
    expect(none.service_name).not.toMatch(/open311\./);
  });

  it('falls back for its times: updated at registration, else now; requested at receipt, else registration', () => {
    const registeredAt = new Date('2026-12-01T04:00:00Z');
    const fromRegistration = serviceRequestOf({ stage: 'registered', registeredAt }, null, 'en', now);
    expect(fromRegistration).toMatchObject({
      requested_datetime: '2026-12-01T12:00:00+08:00',
      updated_datetime: '2026-12-01T12:00:00+08:00',
      expected_datetime: null,
    });
    const fromNow = serviceRequestOf({ stage: 'registered' }, null, 'en', now);
    expect(fromNow).toMatchObject({ requested_datetime: '2026-12-02T08:00:00+08:00' });
  });

  it('masks what looks like a phone or ID number, and nothing shorter', () => {
    expect(maskLongNumbers('13800001111')).toBe('***********');
    expect(maskLongNumbers('138-0000-2222 or 138 0000 3333')).toBe('***-****-**** or *** **** ****');
    expect(maskLongNumbers('ID 33010619800101123X')).toBe('ID ******************');
    expect(maskLongNumbers('１３８０００１１１１')).toBe('**********');
    expect(maskLongNumbers('room 1203 since 2026, code 123456')).toBe('room 1203 since 2026, code 123456');
    expect(maskLongNumbers('1234567')).toBe('*******');
  });
});

describe('a request before its record is written', () => {
  const sealed: PendingIntake = {
    kind: 'complaint',
    confidential: false,
    publicationConsent: true,
    publicId: 'P1',
    category: 'environment',
    subject: 'Dust',
    regionCode: '330106',
    receivedAt: '2026-12-01T01:00:00.000Z',
    registeredAt: '2026-12-01T01:00:05.000Z',
  };

  it('is public only with consent, for no report or confidential case, and under its own public ID', () => {
    expect(isPublishable(sealed, 'P1')).toBe(true);
    expect(isPublishable({ ...sealed, publicationConsent: undefined }, 'P1')).toBe(false);
    expect(isPublishable({ ...sealed, kind: 'report' }, 'P1')).toBe(false);
    expect(isPublishable({ ...sealed, confidential: true }, 'P1')).toBe(false);
    expect(isPublishable(sealed, 'P2')).toBe(false);
  });

  it('stands registered until the workflow answers, then at the workflow’s stage and deadline', () => {
    const waiting = pendingSource(sealed, 'P1', undefined);
    expect(waiting).toMatchObject({ publicId: 'P1', stage: 'registered', units: [], category: 'environment' });
    expect(waiting.updatedAt).toEqual(new Date(sealed.registeredAt));
    expect(waiting.nextDeadlineAt).toBeUndefined();
    const live = pendingSource(sealed, 'P1', {
      stage: 'transferred',
      units: ['330100-HB'],
      leadUnit: '330100-HB',
      nextDeadline: '2026-12-10T15:59:59.999Z',
    });
    expect(live).toMatchObject({ stage: 'transferred', leadUnit: '330100-HB' });
    expect(live.nextDeadlineAt).toEqual(new Date('2026-12-10T15:59:59.999Z'));
    const view = serviceRequestOf(live, 'E', 'en', new Date());
    expect(view).toMatchObject({ status: 'open', requested_datetime: '2026-12-01T09:00:00+08:00' });
  });
});
