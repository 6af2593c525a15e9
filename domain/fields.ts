/**
 * Field shapes that more than one message shares, as zod schemas (pure: no I/O), each pattern in one place: unit
 * codes, case IDs, action IDs, dates and the texts people write.
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

/** Bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069): they can make a text read backwards. */
export const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;
/** A character one can see: not a control, format, unassigned or separator character, nor a blank filler. */
export const VISIBLE = /[^\p{C}\p{Z}\u115f\u1160\u3164\uffa0\u2800]/u;
export const INVISIBLE_MESSAGE = 'must contain visible characters, not only invisible or control characters';

/** A name or a text a person wrote: bidi overrides stripped, trimmed, and something visible in it. */
export const VisibleText = (max: number) =>
  z
    .string()
    .overwrite((text) => text.replace(BIDI_CONTROLS, ''))
    .trim()
    .min(1)
    .max(max)
    .refine((text) => VISIBLE.test(text), INVISIBLE_MESSAGE);

export const UNIT_CODE_PATTERN = /^\d{6}-[A-Z]{1,10}$/;
export const UnitCode = z.string().regex(UNIT_CODE_PATTERN, 'must be a unit code such as 330106-GA');

/** A case ID: a ULID in Crockford base 32. */
export const CASE_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
export const CaseId = z.string().regex(CASE_ID_PATTERN, 'must be a case ID');

export const ActionId = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{8,100}$/, 'must be 8 to 100 letters, digits or . _ : -')
  .openapi({ description: 'Chosen by the caller; a retried call with the same actionId applies once.' });

export const LocalDate = z.iso.date('must be a date YYYY-MM-DD');

/**
 * An accused person by name, with the unit they work for when known (that unit is guarded like an accused unit).
 * Older clients send a bare name, taken as `{ name }`.
 */
export const AccusedPerson = z.preprocess(
  (value) => (typeof value === 'string' ? { name: value } : value),
  z
    .object({ name: VisibleText(100), unitCode: UnitCode.optional() })
    .strict()
    .openapi({ description: 'An accused person; a bare name string is also accepted.' }),
);

/** The units a report's accused stand for: the named units and the units of the named persons. */
export function accusedUnitsOf(
  accused: { units?: string[]; persons?: ({ name: string; unitCode?: string } | string)[] } | undefined,
): string[] {
  const persons = (accused?.persons ?? []).flatMap((p) => (typeof p === 'string' || !p.unitCode ? [] : [p.unitCode]));
  return [...new Set([...(accused?.units ?? []), ...persons])];
}

/** Notices on record by kind, as their IDs spell it (`<caseId>:<kind>:<n>`, activities/notices.ts). */
export const NOTICE_KINDS = [
  'acceptance',
  'not_accepted',
  'not_accepted_again',
  'transfer',
  'extension',
  'diversion',
  'reply',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** `<caseId>:<kind>:<n>`: the case, the kind of notice, and the how-manieth of that kind in the case. */
const NOTICE_ID = `[0-9A-HJKMNP-TV-Z]{26}:(?:${NOTICE_KINDS.join('|')}):\\d{1,2}`;
export const NOTICE_ID_PATTERN = new RegExp(`^${NOTICE_ID}$`);
export const NoticeId = z.string().regex(NOTICE_ID_PATTERN, 'must be a notice ID such as <caseId>:reply:0');
/** A notice's PDF on the tracking page: `<noticeId>.pdf`. */
export const NoticeFile = z.string().regex(new RegExp(`^${NOTICE_ID}\\.pdf$`), 'must be a notice ID followed by .pdf');
