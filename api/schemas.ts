/** Every request and response shape, defined once: validation, TypeScript types and OpenAPI come from here. */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { CHANNELS, CLOCKS, KINDS, PERIOD_UNITS, STAGES } from '../domain/types';

extendZodWithOpenApi(z);

const Person = z
  .object({
    name: z.string().trim().min(1).max(100),
    idNumber: z
      .string()
      .regex(/^\d{17}[\dXx]$/, 'must be an 18-character resident ID number')
      .optional(),
    phone: z
      .string()
      .regex(/^\+?[\d -]{5,20}$/, 'must be a phone number')
      .optional(),
    email: z.email().optional(),
    address: z.string().max(300).optional(),
  })
  .strict();

export const IntakeBody = z
  .object({
    channel: z.enum(CHANNELS),
    kind: z.enum(KINDS),
    subject: z.string().trim().min(1).max(200),
    content: z.string().trim().min(1).max(20_000),
    regionCode: z.string().regex(/^\d{6}$/, 'must be a 6-digit administrative division code'),
    category: z
      .string()
      .regex(/^[a-z][a-z0-9_]{1,39}$/, 'must be a category code such as housing or public_security'),
    petitioner: Person,
    anonymous: z.boolean().default(false),
    confidential: z.boolean().default(false),
    accused: z
      .object({
        units: z.array(z.string().regex(/^\d{6}-[A-Z]{1,10}$/, 'must be a unit code such as 330106-GA')).max(20).default([]),
        persons: z.array(z.string().trim().min(1).max(100)).max(20).default([]),
      })
      .strict()
      .optional(),
    // Art 20: a group petition chooses at most 5 representatives.
    representatives: z.array(Person).max(5, 'a group petition has at most 5 representatives (Art 20)').default([]),
    receivedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
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

export const CaseIdParams = z.object({ caseId: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a case ID') });

export const IdempotencyKey = z
  .string()
  .min(8, 'must be 8 to 200 characters')
  .max(200, 'must be 8 to 200 characters')
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
  .optional();

const ActionId = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{8,100}$/, 'must be 8 to 100 letters, digits or . _ : -')
  .openapi({ description: 'Chosen by the caller; a retried call with the same actionId applies once.' });
const UnitCode = z.string().regex(/^\d{6}-[A-Z]{1,10}$/, 'must be a unit code such as 330106-GA');
const Text = (max: number) => z.string().trim().min(1).max(max);
const Decision = z.enum(['support', 'explain', 'not_support']);

/** Each action's body: structured fields go to the workflow, texts stay in MongoDB. */
export const ActionBodies = {
  acceptance: z.discriminatedUnion('decision', [
    z
      .object({
        actionId: ActionId,
        decision: z.literal('accept'),
        mode: z.enum(['transfer', 'assign']).optional(),
        unitCode: UnitCode.optional(),
        coHandlers: z.array(UnitCode).max(10).optional(),
        assignDays: z.number().int().min(1).max(90).optional(),
        note: Text(2000).optional(),
      })
      .strict(),
    z
      .object({
        actionId: ActionId,
        decision: z.literal('not_accept'),
        referral: z.enum(['court', 'procuratorate', 'arbitration', 'administrative_review', 'discipline', 'people_congress', 'other']),
        reason: Text(2000),
      })
      .strict(),
  ]),
  acknowledgement: z.object({ actionId: ActionId }).strict(),
  objection: z.object({ actionId: ActionId, reason: Text(2000) }).strict(),
  'objection-decision': z
    .object({ actionId: ActionId, approve: z.boolean(), unitCode: UnitCode.optional(), reason: Text(2000).optional() })
    .strict(),
  extension: z
    .object({ actionId: ActionId, days: z.number().int().min(1).max(90), reason: Text(2000) })
    .strict(),
  'extension-decision': z
    .object({ actionId: ActionId, approve: z.boolean(), days: z.number().int().min(1).max(90).optional(), reason: Text(2000).optional() })
    .strict(),
  result: z
    .object({
      actionId: ActionId,
      decision: Decision.optional(),
      factsAndReasons: Text(20_000),
      legalBasis: Text(5_000).optional(),
    })
    .strict(),
  supplement: z.object({ actionId: ActionId, content: Text(20_000) }).strict(),
  hearing: z.object({ actionId: ActionId, action: z.enum(['start', 'end']), note: Text(2000).optional() }).strict(),
  rating: z
    .object({ actionId: ActionId, rating: z.enum(['satisfied', 'basically_satisfied', 'dissatisfied']), comment: Text(2000).optional() })
    .strict(),
  'review-request': z.object({ actionId: ActionId, reason: Text(5_000) }).strict(),
  'review-decision': z
    .object({ actionId: ActionId, decision: Decision, factsAndReasons: Text(20_000), legalBasis: Text(5_000) })
    .strict(),
  withdrawal: z.object({ actionId: ActionId, reason: Text(2000).optional() }).strict(),
} as const;
export type ActionName = keyof typeof ActionBodies;
export const ACTION_NAMES = Object.keys(ActionBodies) as ActionName[];

/** The fields of each action that are words, not codes: kept in MongoDB, never sent to Temporal. */
export const TEXT_FIELDS = ['note', 'reason', 'factsAndReasons', 'legalBasis', 'content', 'comment'] as const;

export const ActionResultSchema = z
  .object({ actionId: z.string(), stage: z.enum(STAGES), message: z.string(), duplicate: z.boolean().optional() })
  .openapi('ActionResult');

export const TrackingParams = z.object({ trackingCode: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{12}$/, 'must be a 12-character tracking code') });
export const TrackingPin = z.string().regex(/^\d{6}$/, 'must be the 6-digit PIN');
