/** Every request and response shape, defined once: validation, TypeScript types and OpenAPI come from here. */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { UNIT_LEVELS, UNIT_ROLES } from '../domain/directory';
import { CHANNELS, CLOCKS, KINDS, PERIOD_UNITS, RATINGS, ROLES, STAGES } from '../domain/types';
import { AccusedPerson, BIDI_CONTROLS, CaseId, UnitCode, VISIBLE, VisibleText } from '../domain/fields';
import { invalid, invalidWith, type Lang } from '../domain/i18n';
import { REGION_CODE_PATTERN, TRACKING_CODE_PATTERN } from '../domain/ids';
import { validationProblem } from './problem';
import { safeParseIn } from './validation';

export { NoticeFile } from '../domain/fields';

extendZodWithOpenApi(z);

const Person = z
  .object({
    name: VisibleText(100),
    idNumber: z
      .string()
      .regex(/^\d{17}[\dXx]$/, invalid('validation.residentId'))
      .optional(),
    phone: z
      .string()
      .regex(/^\+?[\d -]{5,20}$/, invalid('validation.phone'))
      .optional(),
    email: z.email().optional(),
    address: z
      .string()
      .overwrite((text) => text.replace(BIDI_CONTROLS, ''))
      .max(300)
      .refine((text) => text === '' || VISIBLE.test(text), invalid('validation.visible'))
      .optional(),
  })
  .strict();

/** The earliest receipt a case may carry: older dates are typing mistakes, and the legal calendar starts later. */
export const EARLIEST_RECEIPT = '2000-01-01T00:00:00+08:00';

const CategoryCode = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, invalid('validation.category'));

export const IntakeBody = z
  .object({
    channel: z.enum(CHANNELS),
    kind: z.enum(KINDS),
    subject: VisibleText(200),
    request: VisibleText(2_000).optional().openapi({
      description:
        "The petitioner's request (诉求), stated in the written reply (Art 32). Older clients may leave it out: the reply then states the subject.",
    }),
    content: VisibleText(20_000),
    regionCode: z.string().regex(REGION_CODE_PATTERN, invalid('validation.regionCode')),
    category: CategoryCode,
    petitioner: Person,
    anonymous: z.boolean().default(false),
    confidential: z.boolean().default(false),
    urgent: z.boolean().optional().openapi({
      description:
        'A major or urgent matter (Art 22(1), 25): the head of the office and the office a level up are told at once, and shortened clocks apply.',
    }),
    groupSize: z.number().int().min(1).max(100_000).optional().openapi({
      description:
        'How many people the petition is from; five or more (or any representatives) make a group petition (Art 20).',
    }),
    publicationConsent: z
      .boolean()
      .default(false)
      .openapi({
        description:
          'The petitioner agrees that the subject and progress of the case appear in the public Open311 listing ' +
          '(under a public ID, long digit runs masked). Reports and confidential cases never appear.',
      }),
    accused: z
      .object({
        units: z.array(UnitCode).max(20).default([]),
        persons: z.array(AccusedPerson).max(20).default([]),
      })
      .strict()
      .optional()
      .openapi({
        description:
          'Reports (检举控告) only: the accused units, and the accused persons with the unit each works for. The report ' +
          'never reaches those units or their accused superiors (Art 30).',
      }),
    // Art 20: a group petition chooses at most 5 representatives.
    representatives: z.array(Person).max(5, invalid('validation.representatives')).default([]),
    receivedAt: z.iso
      .datetime({ offset: true })
      .refine(
        (value) => Date.parse(value) >= Date.parse(EARLIEST_RECEIPT),
        invalidWith('validation.notBefore', { earliest: EARLIEST_RECEIPT }),
      )
      .optional()
      .openapi({ description: 'When the letter or visit was received, if before registration; clocks count from it.' }),
  })
  .strict()
  .superRefine((body, ctx) => {
    // Art 30 guards a report's accused; a complaint about a unit is handled by that unit, so naming it accused there
    // would be silently meaningless. A unit with an interest in any case is recused by the office instead (Art 28).
    const accused = body.accused;
    if (body.kind !== 'report' && accused && (accused.units.length > 0 || accused.persons.length > 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['accused'],
        ...invalidWith('validation.accusedOnlyInReports', { kind: body.kind }),
      });
    }
  })
  .openapi('IntakeRequest', {
    example: {
      channel: 'online',
      kind: 'complaint',
      subject: 'Construction noise at night',
      content: 'A building site on Wensan Road works past midnight every day.',
      regionCode: '330106',
      category: 'environment',
      petitioner: { name: '张三', phone: '13800000000' },
    },
  });
export type IntakeBody = z.infer<typeof IntakeBody>;

export const Deadline = z
  .object({
    clock: z.enum(CLOCKS),
    dueAt: z.string(),
    unit: z.enum(PERIOD_UNITS),
    length: z.number().int(),
    startedAt: z.string(),
    explanation: z.record(z.string(), z.unknown()),
  })
  .openapi('Deadline');

export const IntakeResponse = z
  .object({
    caseId: z.string(),
    caseNumber: z.string(),
    trackingCode: z.string(),
    pin: z.string().openapi({ description: 'Shown to the petitioner with the tracking code; stored only hashed.' }),
    stage: z.enum(STAGES),
    profileId: z.string(),
    deadlines: z.array(Deadline),
  })
  .openapi('IntakeResponse');

export const CaseIdParams = z.object({ caseId: CaseId });

export const IdempotencyKey = z
  .string()
  .min(8, invalid('validation.minLength'))
  .max(200, invalid('validation.maxLength'))
  .regex(/^[\x21-\x7e]+$/, invalid('validation.idempotencyKey'))
  .optional();

export { UnitCode };

/** Each action's body, defined in domain/actions.ts with its words and Update argument. */
export { ACTION_BODIES as ActionBodies, ACTION_NAMES, type ActionName } from '../domain/actions';

export const ActionResultSchema = z
  .object({ actionId: z.string(), stage: z.enum(STAGES), message: z.string(), duplicate: z.boolean().optional() })
  .openapi('ActionResult');

export const TrackingParams = z.object({
  trackingCode: z.string().regex(TRACKING_CODE_PATTERN, invalid('validation.trackingCode')),
});
export const TrackingPin = z.string().regex(/^\d{6}$/, invalid('validation.pin'));

// ── Shared answer shapes ────────────────────────────────────────────────────────────────────────────────────────

/** RFC 9457 problem details, as `sendProblem` writes them. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ field: z.string(), rule: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: 'Validation failures: the field by its path (`body.unitCode`) and the rule it broke.' }),
    stage: z.string().optional().openapi({ description: 'On a 409 for a case that has ended: how it ended.' }),
  })
  .openapi('Problem', {
    example: {
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'body.unitCode: a department key must be bound to a unit',
      instance: '/v1/admin/api-keys',
      errors: [{ field: 'body.unitCode', rule: 'custom', message: 'a department key must be bound to a unit' }],
    },
  });

/** An OpenAPI response entry for a problem+json answer. */
export function problemResponse(description: string) {
  return { description, content: { 'application/problem+json': { schema: Problem } } };
}

/** Security requirements, by the scheme names `openApiDocument` registers. */
export const security = {
  apiKey: [{ apiKey: [] as string[] }],
  trackingPin: [{ trackingPin: [] as string[] }],
  none: [] as Record<string, string[]>[],
};

/** Parses one part of a request, or throws a 400 naming each field that broke a rule, in the caller's language. */
export function parseRequest<S extends z.ZodType>(
  schema: S,
  value: unknown,
  location: 'body' | 'query' | 'params' | 'headers',
  lang: Lang,
): z.output<S> {
  const result = safeParseIn(schema, value, lang);
  if (!result.success) throw validationProblem(result.error, location);
  return result.data;
}

const IsoInstant = z.string().openapi({ format: 'date-time', example: '2026-03-02T09:30:00.000Z' });

export const CaseDetail = z
  .object({
    caseId: z.string(),
    caseNumber: z.string(),
    trackingCode: z.string().optional().openapi({ description: 'Not shown to departments.' }),
    channel: z.enum(CHANNELS),
    kind: z.enum(KINDS),
    category: z.string(),
    regionCode: z.string(),
    profileId: z.string(),
    subject: z.string(),
    content: z.string(),
    petitioner: Person.optional().openapi({
      description: 'Absent for departments on reports, anonymous and confidential cases (Art 30).',
    }),
    representatives: z.array(Person).optional(),
    anonymous: z.boolean().optional(),
    confidential: z.boolean().optional(),
    publicationConsent: z.boolean().optional(),
    accused: z.object({ units: z.array(z.string()), persons: z.array(AccusedPerson) }).optional(),
    receivedAt: IsoInstant,
    registeredAt: IsoInstant,
    stage: z.enum(STAGES),
    units: z.array(z.string()),
    leadUnit: z.string().optional(),
    escalationLevel: z.number().int(),
    overdue: z.boolean(),
    nextDeadlineAt: IsoInstant.nullable().optional(),
    deadlines: z.array(Deadline),
    source: z.enum(['workflow', 'record']).openapi({
      description:
        '`workflow`: stage, units and deadlines are live from the case workflow; `record`: from the stored projection.',
    }),
    timeline: z.array(
      z.object({
        at: IsoInstant,
        type: z.string(),
        unitCode: z.string().optional(),
        escalationLevel: z.number().int().optional(),
        detail: z.record(z.string(), z.unknown()).optional(),
      }),
    ),
  })
  .openapi('CaseDetail');

export const PendingCase = z
  .object({
    caseId: z.string(),
    caseNumber: z.string().optional(),
    stage: z.literal('registered'),
    recordPending: z.literal(true),
    detail: z.string(),
  })
  .openapi('PendingCase', { description: 'Registered while the case store was unreachable; the record follows.' });

export const TrackedNotice = z
  .object({
    id: z.string(),
    kind: z.string(),
    title: z.string(),
    documentNumber: z.string().optional(),
    issuedAt: IsoInstant,
    servedAt: IsoInstant.optional(),
    serviceMethod: z.string().optional(),
    undeliverable: z.literal(true).optional(),
    text: z.string(),
    pdf: z.string().openapi({ description: 'The printable PDF, under the same tracking code and PIN.' }),
  })
  .openapi('TrackedNotice');

export const TrackingView = z
  .object({
    caseNumber: z.string(),
    subject: z.string(),
    stage: z.enum(STAGES),
    units: z.array(z.object({ code: z.string(), name: z.string() })),
    deadlines: z.array(Deadline),
    replies: z.record(z.string(), z.record(z.string(), z.unknown())).openapi({
      description: 'The written replies by round: 0 the reply, 1 the review opinion, 2 the re-review opinion.',
    }),
    rating: z.enum(RATINGS).optional(),
    progress: z.array(z.object({ at: IsoInstant, step: z.string() })),
    notices: z
      .array(TrackedNotice)
      .optional()
      .openapi({
        description:
          'The notices on record, oldest first (受理告知书, the written replies…). Opening this view serves those ' +
          'that wait on the tracking page (送达, online).',
      }),
    recordPending: z
      .literal(true)
      .optional()
      .openapi({
        description:
          'The case was registered a moment ago and its record is not written yet: stage, units and deadlines come ' +
          'from its workflow; subject and progress follow with the record.',
      }),
  })
  .openapi('TrackingView');

// ── Admin: API keys, units, routing rules, calendar ─────────────────────────────────────────────────────────────

export const ApiKeyIdParams = z.object({
  id: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, invalid('validation.apiKeyId')),
});

export const ApiKeyBody = z
  .object({
    role: z.enum(ROLES),
    unitCode: UnitCode.optional().openapi({ description: 'Required for, and only for, department keys.' }),
    label: VisibleText(200),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.role === 'department' && !body.unitCode) {
      ctx.addIssue({ code: 'custom', path: ['unitCode'], message: invalid('validation.departmentKeyNeedsUnit') });
    }
    if (body.role !== 'department' && body.unitCode) {
      ctx.addIssue({
        code: 'custom',
        path: ['unitCode'],
        ...invalidWith('validation.onlyDepartmentKeysBound', { role: body.role }),
      });
    }
  })
  .openapi('ApiKeyRequest', {
    example: { role: 'department', unitCode: '330106-GA', label: 'Xihu public security case system' },
  });
export type ApiKeyBody = z.infer<typeof ApiKeyBody>;

export const ApiKey = z
  .object({
    id: z.string(),
    role: z.enum(ROLES),
    unitCode: z.string().optional(),
    label: z.string().optional(),
    createdAt: IsoInstant.optional(),
    revokedAt: IsoInstant.optional(),
  })
  .openapi('ApiKey');

export const CreatedApiKey = ApiKey.extend({
  key: z.string().openapi({ description: 'The bearer key. Shown once; only its hash is stored.' }),
}).openapi('CreatedApiKey');

export const ApiKeyList = z.object({ items: z.array(ApiKey) }).openapi('ApiKeyList');

export const UnitCodeParams = z.object({ unitCode: UnitCode });

export const UnitBody = z
  .object({
    name: VisibleText(200),
    level: z.enum(UNIT_LEVELS),
    regionCode: z.string().regex(/^\d{6}(\d{3}){0,2}$/, invalid('validation.unitRegionCode')),
    parentCode: UnitCode.optional().openapi({
      description: 'The superior (上级机关): escalation, review and disputes.',
    }),
    kinds: z.array(z.enum(KINDS)).max(KINDS.length).optional(),
    role: z.enum(UNIT_ROLES).optional().openapi({ description: 'Absent means department.' }),
    webhookUrl: z
      .url({ protocol: /^https?$/, error: invalid('validation.httpUrl') })
      .max(2000)
      .refine((url) => {
        // Zod runs this after a failed URL check too: a text that is no URL is that check's to report.
        if (!URL.canParse(url)) return true;
        const { username, password } = new URL(url);
        return !username && !password;
      }, invalid('validation.urlCredentials'))
      .optional()
      .openapi({
        description:
          'Transfers, reminders, escalations and decisions are POSTed here, signed. Public addresses only: loopback, ' +
          'private and link-local targets are refused (422) unless the XINFANG_WEBHOOK_ALLOW setting names them, ' +
          'checked again at every delivery; redirects are not followed; no credentials in the URL (400).',
      }),
  })
  .strict()
  .openapi('UnitRequest', {
    example: {
      name: '杭州市西湖区城市管理局',
      level: 'county',
      regionCode: '330106',
      parentCode: '330106-BGT',
      role: 'department',
      webhookUrl: 'https://cg.xihu.example.gov.cn/xinfang/webhook',
    },
  });
export type UnitBody = z.infer<typeof UnitBody>;

export const UnitView = z
  .object({
    code: z.string(),
    name: z.string(),
    level: z.enum(UNIT_LEVELS),
    regionCode: z.string(),
    parentCode: z.string().optional(),
    kinds: z.array(z.enum(KINDS)).optional(),
    role: z.enum(UNIT_ROLES),
    webhookUrl: z.string().optional(),
    webhookSecretSet: z
      .boolean()
      .openapi({ description: 'Whether webhooks are signed; the secret itself is never listed.' }),
  })
  .openapi('Unit');

export const SavedUnit = UnitView.extend({
  webhookSecret: z.string().optional().openapi({
    description:
      'HMAC-SHA256 key for the X-Xinfang-Signature header. Present only in the answer that created it: store it then.',
  }),
}).openapi('SavedUnit');

export const UnitList = z.object({ items: z.array(UnitView) }).openapi('UnitList');

export const RoutingRule = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/, invalid('validation.ruleId')),
    kinds: z.array(z.enum(KINDS)).min(1).optional(),
    categories: z.array(CategoryCode).min(1).max(100).optional(),
    regionPrefix: z
      .string()
      .regex(/^\d{1,12}$/, invalid('validation.regionPrefix'))
      .optional(),
    level: z.enum(UNIT_LEVELS).optional().openapi({ description: 'Administrative level of the case region.' }),
    unitCode: UnitCode,
    priority: z.number().int().min(-1000).max(1000).optional(),
  })
  .strict()
  .openapi('RoutingRule', {
    description:
      'Every field that is set must match the case; among matching rules the longest regionPrefix wins, then the higher priority, then the earlier rule.',
  });

export const RoutingRules = z
  .object({ rules: z.array(RoutingRule).max(2000) })
  .strict()
  .superRefine(({ rules }, ctx) => {
    const seen = new Set<string>();
    rules.forEach((rule, index) => {
      if (seen.has(rule.id))
        ctx.addIssue({
          code: 'custom',
          path: ['rules', index, 'id'],
          ...invalidWith('validation.ruleListedTwice', { id: rule.id }),
        });
      seen.add(rule.id);
    });
  })
  .openapi('RoutingRules', {
    example: {
      rules: [
        { id: 'housing-330106', categories: ['housing'], regionPrefix: '330106', unitCode: '330106-ZJ' },
        { id: 'environment-3301', categories: ['environment'], regionPrefix: '3301', unitCode: '330100-HB' },
      ],
    },
  });

export const CalendarYearParams = z.object({
  year: z
    .string()
    .regex(/^\d{4}$/, invalid('validation.year'))
    .transform(Number)
    .pipe(z.number().int().min(2000, invalid('validation.minimum')).max(2199, invalid('validation.maximum')))
    .openapi({ type: 'integer', example: 2027 }),
});

const LocalDateSchema = z.iso.date(invalid('validation.date'));

export const CalendarBody = z
  .object({
    holidays: z
      .array(LocalDateSchema)
      .max(366)
      .openapi({ description: 'Statutory rest days (法定节假日), any weekday.' }),
    workdays: z
      .array(LocalDateSchema)
      .max(366)
      .openapi({ description: 'Make-up working days (调休): Saturdays or Sundays declared working days.' }),
  })
  .strict()
  .openapi('CalendarYearRequest', {
    example: {
      holidays: ['2027-01-01', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11'],
      workdays: ['2027-02-14', '2027-02-20'],
    },
  });

/** The body for one year: its dates lie in that year, make-up days are weekend days, no date is both. */
export function calendarBodyFor(year: number) {
  return CalendarBody.superRefine((body, ctx) => {
    const holidays = new Set(body.holidays);
    for (const field of ['holidays', 'workdays'] as const) {
      body[field].forEach((date, index) => {
        if (Number(date.slice(0, 4)) !== year) {
          ctx.addIssue({
            code: 'custom',
            path: [field, index],
            ...invalidWith('validation.dateNotInYear', { date, year }),
          });
        }
      });
    }
    body.workdays.forEach((date, index) => {
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
      if (weekday !== 0 && weekday !== 6) {
        ctx.addIssue({
          code: 'custom',
          path: ['workdays', index],
          ...invalidWith('validation.workdayOnWeekday', { date }),
        });
      }
      if (holidays.has(date)) {
        ctx.addIssue({
          code: 'custom',
          path: ['workdays', index],
          ...invalidWith('validation.holidayAndWorkday', { date }),
        });
      }
    });
  });
}

export const CalendarYearView = z
  .object({
    year: z.number().int(),
    source: z.string().openapi({ description: '`admin`, or the built-in package and version (`chinese-days@1.5.7`).' }),
    holidays: z.array(z.string()),
    workdays: z.array(z.string()),
    names: z.record(z.string(), z.string()).optional().openapi({ description: 'Holiday names, for built-in years.' }),
    loadedAt: IsoInstant.optional(),
  })
  .openapi('CalendarYear');

export const CalendarDryRunQuery = z
  .object({
    dryRun: z
      .enum(['true', 'false'], { error: invalid('validation.boolean') })
      .transform((v) => v === 'true')
      .optional()
      .openapi({ description: 'List the open cases whose deadlines would move, and change nothing.' }),
  })
  .strict();

export const CalendarDryRun = z
  .object({
    year: z.number().int(),
    dryRun: z.literal(true),
    openCases: z.number().int().openapi({ description: 'Open cases looked at.' }),
    moves: z.array(
      z.object({
        caseId: z.string(),
        caseNumber: z.string(),
        clock: z.enum(CLOCKS),
        key: z.string().optional(),
        holder: z.string().optional(),
        from: z.string().openapi({ description: 'The deadline now (dueAt).' }),
        to: z.string().openapi({ description: 'The deadline once the year is loaded.' }),
        fromLastDay: z.string(),
        toLastDay: z.string(),
      }),
    ),
  })
  .openapi('CalendarDryRun', {
    description:
      'What loading the year would do to open cases. Windows already stated to the petitioner and expired clocks never move.',
  });

export const SavedCalendarYear = CalendarYearView.extend({
  openCasesSignalled: z.number().int().openapi({ description: 'Open cases told to recompute their future deadlines.' }),
}).openapi('SavedCalendarYear');

// ── Office lists and department inboxes ─────────────────────────────────────────────────────────────────────────

const DateOrInstant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: invalid('validation.dateOrInstant'),
  })
  .openapi({ example: '2026-03-01' });

const Limit = z.coerce
  .number({ error: invalid('validation.wholeNumber') })
  .int(invalid('validation.wholeNumber'))
  .min(1, invalid('validation.minimum'))
  .max(100, invalid('validation.maximum'))
  .default(20);

const Cursor = z.string().max(300).openapi({ description: 'The `nextCursor` of the previous page; opaque.' });

export const CaseListQuery = z
  .object({
    stage: z.enum(STAGES).optional(),
    unit: UnitCode.optional().openapi({
      description: 'Cases currently with this unit (lead, co-handler or reviewer).',
    }),
    kind: z.enum(KINDS).optional(),
    regionCode: z.string().regex(REGION_CODE_PATTERN, invalid('validation.regionCode')).optional(),
    overdue: z
      .enum(['true', 'false'], { error: invalid('validation.boolean') })
      .transform((v) => v === 'true')
      .optional()
      .openapi({
        description:
          'Cases with a clock past its deadline; with `stage=awaiting_execution`, supported decisions whose execution is overdue (Art 32).',
      }),
    urgent: z
      .enum(['true', 'false'], { error: invalid('validation.boolean') })
      .transform((v) => v === 'true')
      .optional()
      .openapi({ description: 'Major or urgent matters (Art 22(1), 25).' }),
    group: z
      .enum(['true', 'false'], { error: invalid('validation.boolean') })
      .transform((v) => v === 'true')
      .optional()
      .openapi({ description: 'Group petitions (Art 20).' }),
    escalationLevel: z.coerce
      .number({ error: invalid('validation.wholeNumber') })
      .int(invalid('validation.wholeNumber'))
      .min(0, invalid('validation.minimum'))
      .max(50, invalid('validation.maximum'))
      .optional()
      .openapi({
        type: 'integer',
        minimum: 0,
        maximum: 50,
        description: 'Minimum escalation level: 1 supervised by the office, 2 and up escalated to superiors.',
      }),
    from: DateOrInstant.optional().openapi({
      description: 'Registered at or after; a date means its start in Asia/Shanghai.',
    }),
    to: DateOrInstant.optional().openapi({
      description: 'Registered before; a date means up to its end in Asia/Shanghai.',
    }),
    limit: Limit,
    cursor: Cursor.optional(),
  })
  .strict();
export type CaseListQuery = z.infer<typeof CaseListQuery>;

export const InboxQuery = z.object({ limit: Limit, cursor: Cursor.optional() }).strict();

export const CaseListItem = z
  .object({
    caseId: z.string(),
    caseNumber: z.string(),
    kind: z.enum(KINDS),
    category: z.string(),
    regionCode: z.string(),
    subject: z.string(),
    stage: z.enum(STAGES),
    units: z.array(z.string()),
    leadUnit: z.string().optional(),
    escalationLevel: z.number().int(),
    overdue: z.boolean(),
    urgent: z.boolean().openapi({ description: 'Major or urgent (Art 22(1), 25).' }),
    group: z.boolean().openapi({ description: 'A group petition (Art 20).' }),
    nextDeadlineAt: IsoInstant.nullable(),
    registeredAt: IsoInstant,
  })
  .openapi('CaseListItem');

export const CaseList = z
  .object({
    items: z.array(CaseListItem),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last.' }),
  })
  .openapi('CaseList');

export const InboxItem = CaseListItem.extend({
  nextDeadline: Deadline.nullable().openapi({ description: 'The earliest deadline still running on the case.' }),
}).openapi('InboxItem', { description: 'A case in a unit inbox: never the identity of the petitioner.' });

export const Inbox = z
  .object({ unitCode: z.string(), items: z.array(InboxItem), nextCursor: z.string().nullable() })
  .openapi('Inbox');

/** A whole number in a query string, within bounds. */
export const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ error: invalid('validation.wholeNumber') })
    .int(invalid('validation.wholeNumber'))
    .min(min, invalid('validation.minimum'))
    .max(max, invalid('validation.maximum'));
