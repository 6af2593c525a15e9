/**
 * Field shapes that more than one message shares, as zod schemas (pure: no I/O), each pattern in one place: unit
 * codes, case IDs, action IDs, dates and the texts people write. Their messages are catalogue keys (domain/i18n),
 * rendered in the caller's language.
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { invalid } from './i18n';
import { CASE_ID_PATTERN, CROCKFORD_CHAR } from './ids';

extendZodWithOpenApi(z);

/** Bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069): they can make a text read backwards. */
export const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;
/** A character one can see: not a control, format, unassigned or separator character, nor a blank filler. */
export const VISIBLE = /[^\p{C}\p{Z}\u115f\u1160\u3164\uffa0\u2800]/u;

/** A name or a text a person wrote: bidi overrides stripped, trimmed, and something visible in it. */
export const VisibleText = (max: number) =>
  z
    .string()
    .overwrite((text) => text.replace(BIDI_CONTROLS, ''))
    .trim()
    .min(1)
    .max(max)
    .refine((text) => VISIBLE.test(text), invalid('validation.visible'));

export const UNIT_CODE_PATTERN = /^\d{6}-[A-Z]{1,10}$/;
export const UnitCode = z.string().regex(UNIT_CODE_PATTERN, invalid('validation.unitCode'));

/** A case ID: a ULID in Crockford base 32. */
export const CaseId = z.string().regex(CASE_ID_PATTERN, invalid('validation.caseId'));

export const ActionId = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{8,100}$/, invalid('validation.actionId'))
  .openapi({ description: 'Chosen by the caller; a retried call with the same actionId applies once.' });

export const LocalDate = z.iso.date(invalid('validation.date'));

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
const NOTICE_ID = `${CROCKFORD_CHAR}{26}:(?:${NOTICE_KINDS.join('|')}):\\d{1,2}`;
export const NOTICE_ID_PATTERN = new RegExp(`^${NOTICE_ID}$`);
export const NoticeId = z.string().regex(NOTICE_ID_PATTERN, invalid('validation.noticeId'));
/** A notice's PDF on the tracking page: `<noticeId>.pdf`. */
export const NoticeFile = z.string().regex(new RegExp(`^${NOTICE_ID}\\.pdf$`), invalid('validation.noticeFile'));
