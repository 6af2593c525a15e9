/**
 * The actions people take on a case, defined once (pure: zod only). Each action's body schema says what a caller
 * sends; `ACTION_WORDS` says which of its fields are words — reasons, facts, names — kept in MongoDB under the
 * request, never sent to Temporal; the rest is the structure the case workflow receives as its Update argument
 * (`ActionArgs`). The API validates with the schema, the workflow's Update types derive from it, and the OpenAPI
 * document is generated from it, so renaming a field fails type-checking wherever it is used.
 */
import { z } from 'zod';
import { AccusedPerson, ActionId, CaseId, LocalDate, NoticeId, UnitCode, VisibleText, accusedUnitsOf } from './fields';
import { invalid } from './i18n';
import { DECISIONS, DIVERSIONS, RATINGS, REFERRALS, SUPERVISION_REASONS } from './types';

const Text = VisibleText;
const Decision = z.enum(DECISIONS);

export type ActorRole = 'intake' | 'department' | 'office' | 'petitioner';

export interface Actor {
  role: ActorRole;
  /** Set for department actors: the unit their key is bound to. */
  unitCode?: string;
  /** The API key or session that acted, for the audit trail (never a person's name). */
  keyId?: string;
}

/** What every action's Update argument carries besides its own structure. */
export interface ActionBase {
  /** Client-chosen ID; one request per ID: the same request again is answered as a duplicate, another refused. */
  actionId: string;
  actor: Actor;
  /**
   * The API's keyed digest of the whole request (action, caller, body with its words), which tells the same request
   * from another one under the same action ID. Absent from actions sent before it existed.
   */
  digest?: string;
}

/** Each action's body as the caller sends it. */
export const ACTION_BODIES = {
  acceptance: z.discriminatedUnion('decision', [
    z
      .object({
        actionId: ActionId,
        decision: z.literal('accept'),
        mode: z.enum(['transfer', 'assign']).optional(),
        unitCode: UnitCode.optional(),
        coHandlers: z.array(UnitCode).max(10).optional(),
        assignDays: z.number().int().min(1).max(90).optional(),
        effectiveAt: z.iso
          .datetime({ offset: true })
          .optional()
          .openapi({ description: 'When a transfer made on paper was made; its clocks run from then.' }),
        note: Text(2000).optional(),
      })
      .strict(),
    z
      .object({
        actionId: ActionId,
        decision: z.literal('not_accept'),
        referral: z.enum(REFERRALS),
        reason: Text(2000),
      })
      .strict(),
  ]),
  acknowledgement: z.object({ actionId: ActionId }).strict(),
  objection: z.object({ actionId: ActionId, reason: Text(2000) }).strict(),
  'objection-decision': z
    .object({ actionId: ActionId, approve: z.boolean(), unitCode: UnitCode.optional(), reason: Text(2000).optional() })
    .strict(),
  extension: z.object({ actionId: ActionId, days: z.number().int().min(1).max(90), reason: Text(2000) }).strict(),
  'extension-decision': z
    .object({
      actionId: ActionId,
      approve: z.boolean(),
      days: z.number().int().min(1).max(90).optional(),
      reason: Text(2000).optional(),
    })
    .strict(),
  result: z
    .object({
      actionId: ActionId,
      decision: Decision.optional().openapi({
        description:
          'By kind (domain/profiles.json procedures): support, explain, not_support or mediated for complaints and requests; adopted, partly_adopted or not_adopted for suggestions and opinions; substantiated, partly_substantiated or not_substantiated for reports.',
      }),
      executeBy: LocalDate.optional().openapi({
        description:
          'With support: the date by which the decision is carried out (Art 32); the unit then reports execution.',
      }),
      contribution: z
        .boolean()
        .optional()
        .openapi({ description: 'A suggestion or opinion that made a contribution, put forward for reward (Art 29).' }),
      factsAndReasons: Text(20_000),
      legalBasis: Text(5_000).optional().openapi({
        description:
          "Required with a decision: every 处理意见书 states its legal basis (Art 32). A co-handler's report may omit it.",
      }),
    })
    .strict()
    .superRefine((body, ctx) => {
      if (body.decision && !body.legalBasis) {
        ctx.addIssue({
          code: 'custom',
          path: ['legalBasis'],
          message: invalid('validation.legalBasisRequired'),
        });
      }
    }),
  supplement: z.object({ actionId: ActionId, content: Text(20_000) }).strict(),
  hearing: z.object({ actionId: ActionId, action: z.enum(['start', 'end']), note: Text(2000).optional() }).strict(),
  rating: z
    .object({
      actionId: ActionId,
      rating: z.enum(RATINGS),
      comment: Text(2000).optional(),
    })
    .strict(),
  'review-request': z.object({ actionId: ActionId, reason: Text(5_000) }).strict(),
  'review-decision': z
    .object({
      actionId: ActionId,
      decision: Decision,
      factsAndReasons: Text(20_000),
      legalBasis: Text(5_000),
      executeBy: LocalDate.optional().openapi({ description: 'With support: the date by which it is carried out.' }),
    })
    .strict(),
  withdrawal: z.object({ actionId: ActionId, reason: Text(2000).optional() }).strict(),
  designation: z
    .object({
      actionId: ActionId,
      unitCode: UnitCode,
      reason: Text(2000),
      jointConference: z.boolean().optional().openapi({
        description:
          'The disputing units share no common superior: the office records that a joint conference (协商) was held.',
      }),
    })
    .strict(),
  accusation: z
    .object({
      actionId: ActionId,
      units: z.array(UnitCode).max(20).default([]),
      persons: z.array(AccusedPerson).max(20).default([]),
    })
    .strict()
    .refine((body) => body.units.length + body.persons.length > 0, {
      path: ['units'],
      message: invalid('validation.accusedRequired'),
    }),
  recusal: z.object({ actionId: ActionId, unitCode: UnitCode, reason: Text(2000) }).strict(),
  answer: z
    .object({ actionId: ActionId, answer: Text(20_000), legalBasis: Text(5_000).optional() })
    .strict()
    .openapi({ description: 'A consultation (咨询) answered, by the office at once or by the unit it went to.' }),
  diversion: z
    .object({ actionId: ActionId, procedure: z.enum(DIVERSIONS), organ: Text(300), reason: Text(2000) })
    .strict()
    .openapi({
      description: 'Art 31: the matter belongs in another procedure; the petitioner is told which and where.',
    }),
  'execution-report': z.object({ actionId: ActionId, report: Text(20_000) }).strict(),
  'callback-decision': z
    .object({
      actionId: ActionId,
      outcome: z.enum(['callback', 'redo']),
      redoDays: z.number().int().min(1).max(60).optional(),
      note: Text(2000),
    })
    .strict(),
  supervision: z
    .object({
      actionId: ActionId,
      unitCode: UnitCode.optional(),
      reason: z.enum(SUPERVISION_REASONS),
      replyDays: z.number().int().min(1).max(60).optional(),
      letter: Text(5_000),
    })
    .strict(),
  'supervision-reply': z
    .object({
      actionId: ActionId,
      itemId: z.string().regex(/^S\d{1,4}$/, invalid('validation.supervisionItem')),
      reply: Text(20_000),
    })
    .strict(),
  urgency: z.object({ actionId: ActionId, urgent: z.boolean(), reason: Text(2000) }).strict(),
  'repeat-decision': z
    .object({
      actionId: ActionId,
      decision: z.enum(['attach', 'same_matter_closed', 'own_case']),
      caseId: CaseId.optional(),
      note: Text(2000).optional(),
    })
    .strict(),
  service: z
    .object({
      actionId: ActionId,
      noticeId: NoticeId,
      servedAt: z.iso.datetime({ offset: true }).optional(),
      method: z.enum(['post', 'in_person']).optional(),
      undeliverable: z.literal(true).optional(),
    })
    .strict()
    .superRefine((body, ctx) => {
      if (body.undeliverable && (body.servedAt || body.method)) {
        ctx.addIssue({
          code: 'custom',
          path: ['undeliverable'],
          message: invalid('validation.undeliverableNoService'),
        });
      }
      if (!body.undeliverable && !body.servedAt)
        ctx.addIssue({ code: 'custom', path: ['servedAt'], message: invalid('validation.required') });
      if (!body.undeliverable && !body.method)
        ctx.addIssue({ code: 'custom', path: ['method'], message: invalid('validation.required') });
    }),
} as const;

export type ActionName = keyof typeof ACTION_BODIES;
export const ACTION_NAMES = Object.keys(ACTION_BODIES) as ActionName[];

/** A body as validated: defaults applied, texts trimmed. */
export type ActionBody<N extends ActionName> = z.output<(typeof ACTION_BODIES)[N]>;

type BodyField<N extends ActionName> = ActionBody<N> extends infer B ? (B extends unknown ? keyof B : never) : never;

/**
 * The fields of each action that are words, not codes: kept in MongoDB with the request that carried them, never
 * sent to Temporal. An accusation's persons are names: they go to the case record, their units to the workflow.
 */
export const ACTION_WORDS = {
  acceptance: ['note', 'reason'],
  acknowledgement: [],
  objection: ['reason'],
  'objection-decision': ['reason'],
  extension: ['reason'],
  'extension-decision': ['reason'],
  result: ['factsAndReasons', 'legalBasis'],
  supplement: ['content'],
  hearing: ['note'],
  rating: ['comment'],
  'review-request': ['reason'],
  'review-decision': ['factsAndReasons', 'legalBasis'],
  withdrawal: ['reason'],
  designation: ['reason'],
  accusation: ['persons'],
  recusal: ['reason'],
  answer: ['answer', 'legalBasis'],
  diversion: ['organ', 'reason'],
  'execution-report': ['report'],
  'callback-decision': ['note'],
  supervision: ['letter'],
  'supervision-reply': ['reply'],
  urgency: ['reason'],
  'repeat-decision': ['note'],
  service: [],
} as const satisfies { [N in ActionName]: readonly BodyField<N>[] };

type Words<N extends ActionName> = (typeof ACTION_WORDS)[N][number];
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The Update argument of action `N`: its body without its words, with the actor and the request's digest. */
export type ActionArgs<N extends ActionName> = ActionBase & DistributiveOmit<ActionBody<N>, Words<N>>;

/** Actions a petitioner sends from the tracking page (with the tracking code and PIN). */
export const PETITIONER_ACTIONS = [
  'rating',
  'review-request',
  'withdrawal',
  'supplement',
] as const satisfies readonly ActionName[];

/**
 * Splits a validated body into the Update argument and the words. An accusation's units are its named units and the
 * units of its named persons (Art 30: every one of them is guarded).
 */
export function splitAction<N extends ActionName>(
  action: N,
  body: ActionBody<N>,
  actor: Actor,
  digest: string,
): { args: ActionArgs<N>; words: Record<string, unknown> } {
  const wordFields: readonly string[] = ACTION_WORDS[action];
  const structure: Record<string, unknown> = {};
  const words: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(body)) {
    if (wordFields.includes(field)) words[field] = value;
    else structure[field] = value;
  }
  if (isAction(action, 'accusation', body)) structure.units = accusedUnitsOf(body);
  // The structure is the body's own fields less its words: ActionArgs<N> by construction.
  return { args: { ...structure, actor, digest } as ActionArgs<N>, words };
}

/** Whether `action` is `name`: narrows the body that goes with it. */
export function isAction<K extends ActionName>(action: ActionName, name: K, _body: unknown): _body is ActionBody<K> {
  return action === name;
}
