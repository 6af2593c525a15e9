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
