/** The admin API's request and response shapes: API keys, units, routing rules, the legal calendar. */
import { z } from 'zod';
import { UNIT_LEVELS, UNIT_ROLES } from '../../domain/directory';
import { CLOCKS, KINDS, ROLES } from '../../domain/types';
import { VisibleText, UnitCode } from '../../domain/fields';
import { invalid, invalidWith } from '../../domain/i18n';
import { CategoryCode, IsoInstant } from '../schemas';

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
