/** The shapes of GeoReport v2 (Open311) as this facade speaks it: validation, types and OpenAPI from the same schemas. */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { PUBLIC_ID_PATTERN } from '../../domain/ids';
import type { MessageKey } from '../../domain/i18n';

extendZodWithOpenApi(z);

export const Service = z
  .object({
    service_code: z.string(),
    service_name: z.string(),
    description: z.string(),
    metadata: z.boolean(),
    type: z.enum(['realtime', 'batch', 'blackbox']),
    keywords: z.string(),
    group: z.string(),
  })
  .openapi('Open311Service');
export type Service = z.infer<typeof Service>;

export const Attribute = z
  .object({
    variable: z.boolean(),
    code: z.string(),
    datatype: z.enum(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']),
    required: z.boolean(),
    datatype_description: z.string().nullable(),
    order: z.number().int(),
    description: z.string(),
    values: z.array(z.object({ key: z.string(), name: z.string() })).optional(),
  })
  .openapi('Open311Attribute');
export type Attribute = z.infer<typeof Attribute>;

export const ServiceDefinition = z
  .object({ service_code: z.string(), attributes: z.array(Attribute) })
  .openapi('Open311ServiceDefinition');

const Scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);

/** POST requests.json, as JSON or as Open311's form fields (`attribute[region_code]=330106`). */
export const PostRequestBody = z
  .object({
    api_key: z.string().optional(),
    jurisdiction_id: z.string().optional(),
    service_code: z.string().min(1),
    description: z.string().trim().min(1).max(20_000),
    first_name: z.string().trim().max(50).optional(),
    last_name: z.string().trim().max(50).optional(),
    email: z.string().trim().optional(),
    phone: z.string().trim().optional(),
    address_string: z.string().trim().max(300).optional(),
    lat: Scalar.optional(),
    long: Scalar.optional(),
    attribute: z.record(z.string(), Scalar).optional(),
  })
  .openapi('Open311RequestBody', {
    example: {
      jurisdiction_id: '330106',
      service_code: 'environment',
      description: 'Construction noise at night\nThe site on Wensan Road works past midnight.',
      first_name: '三',
      last_name: '张',
      phone: '13800000000',
      attribute: { kind: 'complaint' },
    },
  });
export type PostRequestBody = z.infer<typeof PostRequestBody>;

export const PostRequestAnswer = z
  .array(
    z.object({
      service_request_id: z.string().openapi({ description: 'The public ID (never the case ID)' }),
      case_id: z.string().openapi({
        description: 'Extension, for the registering front-end only: the case ID of the /v1 API',
      }),
      service_notice: z.string(),
      account_id: z.null().openapi({ description: 'Open311: no accounts here; always null (an empty element in XML)' }),
      tracking_code: z.string().openapi({ description: "Extension: the petitioner's tracking code for /v1/track" }),
      pin: z.string().openapi({ description: 'Extension: shown once; the petitioner needs it with the tracking code' }),
    }),
  )
  .openapi('Open311RequestCreated');
export type PostRequestAnswer = z.infer<typeof PostRequestAnswer>;

export const ServiceRequest = z
  .object({
    service_request_id: z.string().openapi({ description: 'The public ID, derived from the case ID with a secret' }),
    status: z.enum(['open', 'closed']),
    status_notes: z.string(),
    service_name: z.string(),
    service_code: z.string(),
    description: z.string().openapi({
      description: 'The subject only, runs of 7 or more digits masked; never the content or the petitioner',
    }),
    agency_responsible: z.string().nullable(),
    requested_datetime: z.string(),
    updated_datetime: z.string(),
    expected_datetime: z.string().nullable().openapi({ description: 'The current statutory deadline' }),
  })
  .openapi('Open311ServiceRequest');
export type ServiceRequest = z.infer<typeof ServiceRequest>;

export const Open311Error = z
  .array(z.object({ code: z.number().int(), description: z.string() }))
  .openapi('Open311Errors');

/** Open311's own rules give their message as a catalogue key, rendered in the caller's language. */
type RuleKey = Extract<MessageKey, `open311.rule.${string}`>;
const ruleKey = (key: RuleKey): string => key;

const PublicIdList = z
  .string()
  .transform((list) => list.split(',').map((id) => id.trim()))
  .pipe(z.array(z.string().regex(PUBLIC_ID_PATTERN, ruleKey('open311.rule.serviceRequestIds'))).max(100));

export const RequestsQuery = z.object({
  service_request_id: PublicIdList.optional(),
  service_code: z.string().optional(),
  start_date: z.iso.datetime({ offset: true }).optional(),
  end_date: z.iso.datetime({ offset: true }).optional(),
  status: z
    .string()
    .transform((list) => list.split(',').map((s) => s.trim()))
    .pipe(z.array(z.enum(['open', 'closed'])))
    .optional(),
  jurisdiction_id: z
    .string()
    .regex(/^\d{2}(\d{2}){0,2}$/, ruleKey('open311.rule.jurisdictionId'))
    .optional(),
});
export type RequestsQuery = z.infer<typeof RequestsQuery>;

export const Discovery = z
  .object({
    changeset: z.string(),
    contact: z.string(),
    key_service: z.string(),
    endpoints: z.array(
      z.object({
        specification: z.string(),
        url: z.string(),
        changeset: z.string(),
        type: z.enum(['production', 'test']),
        formats: z.array(z.string()),
      }),
    ),
  })
  .openapi('Open311Discovery');
