/** Every request and response shape, defined once: validation, TypeScript types and OpenAPI come from here. */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { CHANNELS, CLOCKS, KINDS, PERIOD_UNITS, RATINGS, STAGES } from '../domain/types';
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

export const CategoryCode = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, invalid('validation.category'));

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

export const IsoInstant = z.string().openapi({ format: 'date-time', example: '2026-03-02T09:30:00.000Z' });

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
