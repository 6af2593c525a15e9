/** Which action in which stage: data only (no zod), so the rule checks in workflow code read it. */
import type { ActionName, ActorRole } from './actions';
import type { Stage } from './types';

/**
 * The stages each action is allowed in, by who sends it: the rule checks (workflows/rules.ts, procedure-rules.ts) take
 * their stage lists from here, and README "Actions by stage" shows them. `coHandler` is a department that holds the
 * case as a co-handler (its result is its report to the lead, Art 24). Actions not listed are judged by other rules:
 * their windows (rating, review request), the case being open (supplement, withdrawal, service, supervision,
 * accusation, recusal, urgency), a dispute or an objection waiting (designation, decisions on objections and
 * extensions), a hearing in progress, an execution due.
 */
export const ACTION_STAGES = {
  acceptance: { office: ['registered'], department: ['acknowledged', 'transferred', 'assigned'] },
  acknowledgement: { department: ['transferred', 'assigned'] },
  objection: { department: ['transferred', 'assigned', 'acknowledged'] },
  extension: { department: ['handling'] },
  result: { department: ['handling', 'redo'], coHandler: ['handling'] },
  answer: { office: ['registered'], department: ['transferred', 'assigned', 'acknowledged', 'handling'] },
  diversion: { office: ['registered'], department: ['transferred', 'assigned', 'acknowledged'] },
  'repeat-decision': { office: ['registered'] },
  hearing: { department: ['re_review_requested'] },
  'review-request': { petitioner: ['reply_delivered', 'review_replied'] },
  'review-decision': { department: ['review_requested', 're_review_requested'] },
} as const satisfies Partial<Record<ActionName, Partial<Record<ActorRole | 'coHandler', readonly Stage[]>>>>;

/** The stages an action is allowed in for one sender, as the rule checks take them. */
export function stagesFor<N extends keyof typeof ACTION_STAGES>(
  action: N,
  by: keyof (typeof ACTION_STAGES)[N],
): Stage[] {
  return [...(ACTION_STAGES[action][by] as readonly Stage[])];
}
