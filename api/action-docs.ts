/**
 * How each action is documented: who may send it, what it does, an example body, and the answers every action
 * route may give. The case routes (api/cases/actions.ts) and the petitioner's (api/track/actions.ts) are made from it.
 */
import type { z } from 'zod';
import { ActionBodies, ActionResultSchema, problemResponse, type ActionName } from './schemas';

type ActionExample<A extends ActionName> = z.input<(typeof ActionBodies)[A]>;

/** Who may send each action, what it does, and an example body (checked against its schema by the tests). */
export const ACTIONS: { [A in ActionName]: { summary: string; callers: string; example: ActionExample<A> } } = {
  acceptance: {
    summary: 'Accept and route, or not accept with a referral (受理 / 不予受理)',
    callers: 'office; a department accepts a case transferred to it',
    example: { actionId: 'acc-20261126-0001', decision: 'accept', mode: 'transfer', unitCode: '330100-HB' },
  },
  acknowledgement: {
    summary: 'The unit confirms it received the case (签收)',
    callers: 'department',
    example: { actionId: 'ack-20261126-0001' },
  },
  objection: {
    summary: 'The unit says the case is not its competence, within 5 working days (异议, Art 23)',
    callers: 'department',
    example: {
      actionId: 'obj-20261126-0001',
      reason: 'Construction noise is enforced by the urban management bureau.',
    },
  },
  'objection-decision': {
    summary: 'The office approves an objection (and re-routes) or rejects it (the unit is designated)',
    callers: 'office',
    example: {
      actionId: 'objd-20261127-0001',
      approve: true,
      unitCode: '330106-ZJ',
      reason: 'Site permits are housing.',
    },
  },
  extension: {
    summary: 'The unit asks for the one extension of the handling clock (延期, Art 34)',
    callers: 'department',
    example: {
      actionId: 'ext-20261201-0001',
      days: 30,
      reason: 'An on-site inspection with two agencies is scheduled.',
    },
  },
  'extension-decision': {
    summary: 'The office approves or rejects the extension; the petitioner is told the reason',
    callers: 'office',
    example: { actionId: 'extd-20261202-0001', approve: true, days: 20, reason: 'Joint inspection needed.' },
  },
  result: {
    summary: 'The lead unit submits its result (处理意见); the written reply goes to the petitioner',
    callers: 'department (lead unit)',
    example: {
      actionId: 'res-20261215-0001',
      decision: 'support',
      factsAndReasons:
        'Inspection on 2026-12-10 confirmed work after 22:00; the site was fined and night work stopped.',
      legalBasis: 'Noise Pollution Prevention Law Art 43',
    },
  },
  supplement: {
    summary: 'Add material to an open case',
    callers: 'office; the petitioner through /v1/track/{trackingCode}/supplement',
    example: { actionId: 'sup-20261128-0001', content: 'Photos of the site at 01:00 on 27 November are attached.' },
  },
  hearing: {
    summary: 'Start or end a hearing (听证); its time does not count toward the re-review clock (Art 36)',
    callers: 'office, or the unit deciding the re-review',
    example: { actionId: 'hear-20270110-0001', action: 'start', note: 'Hearing at the district office, room 3.' },
  },
  rating: {
    summary: 'Rate the reply (满意度评价)',
    callers: 'the petitioner only, through /v1/track/{trackingCode}/rating (other roles get 403)',
    example: {
      actionId: 'rate-20261220-0001',
      rating: 'basically_satisfied',
      comment: 'Quieter now, but still dusty.',
    },
  },
  'review-request': {
    summary: 'Ask the next-higher unit to review the reply (复查, within 30 days, Art 35)',
    callers: 'the petitioner only, through /v1/track/{trackingCode}/review-request (other roles get 403)',
    example: { actionId: 'rev-20261221-0001', reason: 'Night work started again on 20 December.' },
  },
  'review-decision': {
    summary: 'The reviewing unit decides the review or re-review (复查 / 复核意见)',
    callers: 'the reviewing unit, or the office',
    example: {
      actionId: 'revd-20270115-0001',
      decision: 'explain',
      factsAndReasons: 'The work after 20 December was an emergency repair permitted by Art 43(2).',
      legalBasis: 'Noise Pollution Prevention Law Art 43(2)',
    },
  },
  withdrawal: {
    summary: 'The petitioner withdraws the case',
    callers: "office on the petitioner's behalf; the petitioner through /v1/track/{trackingCode}/withdrawal",
    example: { actionId: 'wd-20261130-0001', reason: 'Resolved directly with the site manager.' },
  },
  designation: {
    summary:
      'The common superior of units that dispute a case designates the lead (Art 24); the office may do it on its behalf, or after a joint conference (协商) when there is none',
    callers: 'the common superior named in the dispute (department), or the office',
    example: {
      actionId: 'des-20261203-0001',
      unitCode: '330100-HB',
      reason: 'Night-time construction noise is enforced by the ecology and environment bureau.',
    },
  },
  accusation: {
    summary:
      'Name further accused units or persons of a report (Art 30): every guard applies from then on, and a guarded unit holding the case has it recalled',
    callers: 'office',
    example: { actionId: 'accu-20261204-0001', persons: [{ name: '李某', unitCode: '330106-GA' }] },
  },
  recusal: {
    summary:
      'Recuse a unit with an interest in the case (回避, Art 28): routing, co-handling, supervision and review skip it, and it loses the case if it holds it',
    callers: 'office',
    example: {
      actionId: 'recu-20261204-0001',
      unitCode: '330106-ZJ',
      reason: 'The bureau is a party to the contract.',
    },
  },
  answer: {
    summary:
      'Answer a consultation (咨询): the office at once, or the unit it was dispatched to within its answer clock; the petitioner rates it, no review',
    callers: 'office (case registered); the unit holding a dispatched consultation',
    example: {
      actionId: 'ans-20261201-0001',
      answer: 'Residence permits are issued by the district police service hall within 5 working days.',
    },
  },
  diversion: {
    summary:
      'Divert a 申诉求决 matter into litigation, arbitration, administrative reconsideration, a Party-member appeal or another administrative procedure (导入, Art 31); the case ends diverted and the petitioner is told',
    callers: 'office (case registered); the unit it was transferred to, before accepting it',
    example: {
      actionId: 'div-20261203-0001',
      procedure: 'arbitration',
      organ: '杭州市劳动人事争议仲裁委员会',
      reason: 'A wage dispute with an employer is for labour arbitration first.',
    },
  },
  'execution-report': {
    summary: 'Report that a supported decision was carried out (督促执行, Art 32); until then the case stays open',
    callers: 'the unit whose decision was supported',
    example: { actionId: 'exe-20270110-0001', report: 'Night work stopped from 20 December; the permit was amended.' },
  },
  'callback-decision': {
    summary:
      'After a dissatisfied rating: call the petitioner back and close, or return the case once to the unit for redo with its own deadline and a new reply',
    callers: 'office',
    example: {
      actionId: 'cb-20261222-0001',
      outcome: 'redo',
      redoDays: 10,
      note: 'The reply did not address the dust.',
    },
  },
  supervision: {
    summary:
      'Open a supervision item (督办, Art 40) on a unit holding the case, with a reply deadline; an unanswered item climbs the hierarchy',
    callers: 'office',
    example: {
      actionId: 'sup-20261215-0001',
      reason: 'delay',
      replyDays: 5,
      letter: 'Explain in writing why the inspection has not taken place.',
    },
  },
  'supervision-reply': {
    summary: 'The supervised unit answers a supervision item in writing',
    callers: 'the unit the item was opened on',
    example: { actionId: 'supr-20261218-0001', itemId: 'S1', reply: 'The inspection is set for 20 December.' },
  },
  urgency: {
    summary:
      'Mark a matter major or urgent (Art 22(1), 25): the office head and the office a level up are told at once, shortened clocks apply',
    callers: 'office',
    example: { actionId: 'urg-20261201-0001', urgent: true, reason: 'A crowd of about 40 people at the site gate.' },
  },
  'repeat-decision': {
    summary:
      'Decide a likely repeat: attach it to open case X, refuse it as the same facts and reasons as closed case X (Art 36), or keep it as a case of its own',
    callers: 'office (case registered)',
    example: { actionId: 'rep-20261201-0001', decision: 'attach', caseId: '01KAZQ2BX5M7T3W9R6YV4P8N2C' },
  },
  service: {
    summary:
      'Record the service of a printed notice (送达回证): the date and method (post, in person), or that it is undeliverable; the petitioner’s windows run from the service date, C2 is met when the acceptance notice is served',
    callers: 'office',
    example: {
      actionId: 'srv-20261205-0001',
      noticeId: '01KAZQ2BX5M7T3W9R6YV4P8N2C:acceptance:0',
      servedAt: '2026-12-05T10:00:00+08:00',
      method: 'post',
    },
  },
};

function pascal(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, _dash: string, letter: string) => letter.toUpperCase());
}

/** Each action's body, named and with its example, as a component of the document. */
export function actionBody(name: ActionName) {
  return ActionBodies[name].openapi(`${pascal(name)}Action`, { example: ACTIONS[name].example });
}

export const actionResponses = {
  200: {
    description:
      'Applied now, or this very request (same caller, action and body) was applied before: the earlier answer with ' +
      '`duplicate: true`',
    content: { 'application/json': { schema: ActionResultSchema } },
  },
  400: problemResponse(
    'Invalid body: each field and the rule it broke; a duplicate JSON key; a text with nothing visible',
  ),
  404: problemResponse('No such case, or not with the caller (also for an actionId it used before)'),
  409: problemResponse(
    'The case is not at a stage that takes this action; the case has ended (`stage` names the ending); or the ' +
      'actionId was already used on this case for another request (the detail names the earlier action)',
  ),
  413: problemResponse('Body larger than 256 kB'),
  422: problemResponse('A rule of the regulation refuses the action (e.g. the objection window has closed)'),
  429: problemResponse('Too many requests; see Retry-After'),
  503: problemResponse('Temporal or MongoDB is unreachable; retry after Retry-After'),
};
