/**
 * The pure checks the case workflow's update validators run (workflows/rules.ts) and the clock bookkeeping of its
 * clock loop (workflows/clocks.ts): which actor may do what in which stage, the Art 30 guard, the windows, and which
 * reminder, expiry or escalation comes next.
 *
 * Long because it is a table of rules: one short test per rule of workflows/rules.ts and workflows/clocks.ts.
 */
import { computeDeadline, createLegalCalendar } from '../domain/calendar';
import { builtInCalendarYears } from '../domain/calendar-source';
import { clockRule, profileById, type JurisdictionProfile } from '../domain/profiles';
import { STAGES, type ClockName, type Stage } from '../domain/types';
import {
  clockLabel,
  isActorClock,
  nextDeadline,
  nextEvent,
  pendingEvents,
  type RunningClock,
} from '../workflows/clocks';
import { REJECTION, type Actor } from '../workflows/messages';
import * as procedureChecks from '../workflows/procedure-rules';
import * as ruleChecks from '../workflows/rules';
import type { RuleState } from '../workflows/rules';
import { inLanguage, type RenderedRejection as Rejection } from './env/rejections';

/** The checks, each refusal in English. */
const rules = inLanguage(ruleChecks);
const procedureRules = inLanguage(procedureChecks);

const cal = createLegalCalendar(builtInCalendarYears());
const zhejiang = profileById('zhejiang');
const national = profileById('national');

const HB = '330100-HB';
const ZJ = '330106-ZJ';
const FG = '330100-FG';
const GA = '330106-GA';

const office: Actor = { role: 'office' };
const intake: Actor = { role: 'intake' };
const petitioner: Actor = { role: 'petitioner' };
const dept = (unitCode: string): Actor => ({ role: 'department', unitCode });

/** Monday 2 March 2026, 10:00 in Hangzhou. */
const MONDAY = '2026-03-02T10:00:00+08:00';

function running(
  clock: ClockName,
  options: Partial<Omit<RunningClock, 'deadline'>> & { startedAt?: string; profile?: JurisdictionProfile } = {},
): RunningClock {
  const { startedAt = MONDAY, profile = zhejiang, ...rest } = options;
  return {
    key: clock,
    clock,
    deadline: computeDeadline({ clock, rule: clockRule(profile, clock), startedAt }, cal),
    holder: HB,
    firedReminders: [],
    expired: false,
    pauses: [],
    ...rest,
  };
}

/** A complaint in `stage`, with 330100-HB as its lead once transferred. */
function caseInStage(stage: Stage, overrides: Partial<RuleState> = {}): RuleState {
  return {
    stage,
    kind: 'complaint',
    accusedUnits: [],
    leadUnit: stage === 'registered' ? undefined : HB,
    coHandlers: [],
    designatedUnits: [],
    clocks: [],
    profile: zhejiang,
    ...overrides,
  };
}

const caseIn = caseInStage;

const conflictIn = (stage: Stage) => ({
  type: REJECTION.conflict,
  message: expect.stringContaining(`while the case is ${stage} `),
});

/** Every stage, split by whether `check` refuses it as the wrong stage. */
function stagesAllowed(check: (stage: Stage) => Rejection | undefined): Stage[] {
  return STAGES.filter((stage) => {
    const rejection = check(stage);
    if (rejection?.type === REJECTION.conflict && rejection.message.includes(`while the case is ${stage} `))
      return false;
    expect([stage, rejection]).toEqual([stage, undefined]);
    return true;
  });
}

describe('stages: each action is allowed in its stages only, and the refusal names the stage', () => {
  const windows = [running('objection'), running('rating'), running('reviewRequest'), running('reReviewRequest')];
  /** The lead is set in every stage, so that only the stage decides. */
  const caseIn = (stage: Stage, overrides: Partial<RuleState> = {}) =>
    caseInStage(stage, { leadUnit: HB, ...overrides });

  it.each<[string, (stage: Stage) => Rejection | undefined, Stage[]]>([
    [
      'acceptance by the office',
      (s) => rules.checkAcceptance(caseIn(s), office, { decision: 'accept' }),
      ['registered'],
    ],
    [
      'acceptance by the unit',
      (s) => rules.checkAcceptance(caseIn(s), dept(HB), { decision: 'accept' }),
      ['transferred', 'assigned', 'acknowledged'],
    ],
    ['acknowledgement', (s) => rules.checkAcknowledgement(caseIn(s), dept(HB)), ['transferred', 'assigned']],
    [
      'objection',
      (s) => rules.checkObjection(caseIn(s, { clocks: windows }), dept(HB)),
      ['transferred', 'assigned', 'acknowledged'],
    ],
    ['extension request', (s) => rules.checkExtension(caseIn(s), dept(HB), 10), ['handling']],
    ['result', (s) => rules.checkResult(caseIn(s), dept(HB), 'explain'), ['handling', 'redo']],
    [
      'co-handler report',
      (s) => rules.checkResult(caseIn(s, { coHandlers: [{ unitCode: ZJ, reported: false }] }), dept(ZJ), undefined),
      ['handling'],
    ],
    [
      'review request',
      (s) => rules.checkReviewRequest(caseIn(s, { clocks: windows }), petitioner),
      ['reply_delivered', 'review_replied'],
    ],
    [
      'review decision',
      (s) => rules.checkReviewDecision(caseIn(s, { reviewUnit: FG }), dept(FG)),
      ['review_requested', 're_review_requested'],
    ],
    [
      'hearing',
      (s) => rules.checkHearing(caseIn(s, { reviewUnit: FG, clocks: [running('reReviewDecision')] }), office, 'start'),
      ['re_review_requested'],
    ],
  ])('%s', (_name, check, allowed) => {
    expect(stagesAllowed(check).sort()).toEqual([...allowed].sort());
  });

  it('names the stage and the stages that would allow the action', () => {
    expect(rules.checkAcknowledgement(caseIn('handling'), dept(HB))).toEqual({
      type: REJECTION.conflict,
      message: 'acknowledgement is not possible while the case is handling (allowed when transferred, assigned)',
    });
    expect(rules.checkAcceptance(caseIn('transferred'), office, { decision: 'accept' })).toEqual(
      conflictIn('transferred'),
    );
  });

  it('lets a supplement and a withdrawal come at any time until the case ends', () => {
    for (const stage of STAGES) {
      const ended = rules.isEnded(stage);
      expect([stage, rules.checkSupplement(caseIn(stage), petitioner)]).toEqual([
        stage,
        ended
          ? { type: REJECTION.conflict, message: `the case is ${stage}; register a new petition instead` }
          : undefined,
      ]);
      expect([stage, rules.checkWithdrawal(caseIn(stage), office)]).toEqual([
        stage,
        ended ? { type: REJECTION.conflict, message: `the case is already ${stage}` } : undefined,
      ]);
    }
  });

  it('knows which stages end a case', () => {
    expect(STAGES.filter(rules.isEnded).sort()).toEqual(
      ['answered', 'closed', 'diverted', 'merged', 'not_accepted', 'resolved', 'terminated', 'withdrawn'].sort(),
    );
  });
});

describe('roles and units', () => {
  it('refuses an actor of the wrong role with Forbidden, naming the roles allowed', () => {
    const handling = caseIn('handling', { clocks: [running('rating')] });
    expect(rules.checkRating(handling, dept(HB))).toEqual({
      type: REJECTION.forbidden,
      message: 'a rating is not for department (only for petitioner)',
    });
    expect(rules.checkAcceptance(caseIn('registered'), intake, { decision: 'accept' })).toEqual({
      type: REJECTION.forbidden,
      message: 'acceptance is not for intake (only for office)',
    });
    expect(rules.checkAcknowledgement(caseIn('transferred'), office)?.type).toBe(REJECTION.forbidden);
    expect(rules.checkObjection(caseIn('transferred'), petitioner)?.type).toBe(REJECTION.forbidden);
    expect(rules.checkExtension(caseIn('handling'), office, 10)?.type).toBe(REJECTION.forbidden);
    expect(rules.checkExtensionDecision(caseIn('handling'), dept(HB), undefined)?.type).toBe(REJECTION.forbidden);
    expect(rules.checkObjectionDecision(caseIn('transferred'), dept(HB), { approve: true })?.type).toBe(
      REJECTION.forbidden,
    );
    expect(rules.checkResult(caseIn('handling'), office, 'support')?.type).toBe(REJECTION.forbidden);
    expect(rules.checkSupplement(caseIn('handling'), dept(HB))?.type).toBe(REJECTION.forbidden);
    expect(rules.checkReviewRequest(caseIn('reply_delivered'), office)?.type).toBe(REJECTION.forbidden);
    expect(rules.checkReviewDecision(caseIn('review_requested'), petitioner)?.type).toBe(REJECTION.forbidden);
    expect(rules.checkHearing(caseIn('re_review_requested'), petitioner, 'start')?.type).toBe(REJECTION.forbidden);
    expect(rules.checkWithdrawal(caseIn('handling'), dept(HB))).toEqual({
      type: REJECTION.forbidden,
      message: 'a withdrawal is not for department (only for petitioner, office)',
    });
  });

  it('tells a unit that does not hold the case that it does not exist (NotFound), whatever the stage', () => {
    const notFound = { type: REJECTION.notFound, message: 'case not found' };
    for (const stage of STAGES) {
      const state = caseIn(stage, { clocks: [running('objection')] });
      expect(rules.checkAcknowledgement(state, dept(GA))).toEqual(notFound);
      expect(rules.checkObjection(state, dept(GA))).toEqual(notFound);
      expect(rules.checkExtension(state, dept(GA), 5)).toEqual(notFound);
      expect(rules.checkResult(state, dept(GA), 'support')).toEqual(notFound);
      expect(rules.checkAcceptance(state, dept(GA), { decision: 'accept' })).toEqual(notFound);
    }
    // Before the transfer no unit holds it at all.
    expect(rules.checkAcknowledgement(caseIn('registered'), dept(HB))).toEqual(notFound);
    // Review and hearing belong to the reviewing unit only.
    const review = caseIn('re_review_requested', { reviewUnit: FG, clocks: [running('reReviewDecision')] });
    expect(rules.checkReviewDecision(review, dept(HB))).toEqual(notFound);
    expect(rules.checkHearing(review, dept(HB), 'start')).toEqual(notFound);
    expect(rules.checkHearing(review, dept(FG), 'start')).toBeUndefined();
  });

  it('lets only the lead act for the case; co-handlers are told so', () => {
    const joint = caseIn('transferred', { coHandlers: [{ unitCode: ZJ, reported: false }] });
    const onlyLead = { type: REJECTION.forbidden, message: `only the lead unit ${HB} may do this` };
    expect(rules.checkAcknowledgement(joint, dept(ZJ))).toEqual(onlyLead);
    expect(rules.checkAcceptance(joint, dept(ZJ), { decision: 'accept' })).toEqual(onlyLead);
    expect(rules.checkObjection({ ...joint, clocks: [running('objection')] }, dept(ZJ))).toEqual(onlyLead);
    expect(rules.checkExtension({ ...joint, stage: 'handling' }, dept(ZJ), 5)).toEqual(onlyLead);
  });

  it('computes which units may read and act on a case', () => {
    const state = caseIn('review_requested', { coHandlers: [{ unitCode: ZJ, reported: true }], reviewUnit: FG });
    expect(rules.unitsHoldingCase(state).sort()).toEqual([FG, HB, ZJ].sort());
    expect(rules.departmentMayRead(state, ZJ)).toBe(true);
    expect(rules.departmentMayRead(state, GA)).toBe(false);
    expect(rules.departmentMayRead(state, undefined)).toBe(false);
    expect(rules.unitsHoldingCase(caseIn('registered'))).toEqual([]);
  });
});

describe('whistleblower guard (Art 30)', () => {
  const report = (stage: Stage, overrides: Partial<RuleState> = {}) =>
    caseIn(stage, { kind: 'report', accusedUnits: [GA], ...overrides });
  const art30 = {
    type: REJECTION.businessRule,
    message: `the report accuses unit ${GA}; Regulations on Letters and Visits Art 30 forbids transferring it or disclosing it there`,
  };

  it('refuses to route, add as co-handler or re-route a report to the accused unit', () => {
    expect(rules.checkAcceptance(report('registered'), office, { decision: 'accept', unitCode: GA })).toEqual(art30);
    expect(
      rules.checkAcceptance(report('registered'), office, { decision: 'accept', unitCode: ZJ, coHandlers: [HB, GA] }),
    ).toEqual(art30);
    const objected = report('transferred', { pendingObjection: { unitCode: HB } });
    expect(rules.checkObjectionDecision(objected, office, { approve: true, unitCode: GA })).toEqual(art30);
  });

  it('lets the report go anywhere else, let the routing rules choose, or be refused', () => {
    expect(rules.checkAcceptance(report('registered'), office, { decision: 'accept' })).toBeUndefined();
    expect(rules.checkAcceptance(report('registered'), office, { decision: 'accept', unitCode: ZJ })).toBeUndefined();
    expect(rules.checkAcceptance(report('registered'), office, { decision: 'not_accept' })).toBeUndefined();
    const objected = report('transferred', { pendingObjection: { unitCode: HB } });
    expect(rules.checkObjectionDecision(objected, office, { approve: true, unitCode: ZJ })).toBeUndefined();
    // Rejecting the objection keeps the report where it is: no transfer, no guard.
    expect(rules.checkObjectionDecision(objected, office, { approve: false, unitCode: GA })).toBeUndefined();
  });

  it('guards reports only', () => {
    expect(rules.guardAccused(report('registered'), [undefined, ZJ, GA])).toEqual(art30);
    expect(rules.guardAccused(report('registered'), [undefined, ZJ])).toBeUndefined();
    const complaint = caseIn('registered', { accusedUnits: [GA] });
    expect(rules.guardAccused(complaint, [GA])).toBeUndefined();
    expect(rules.checkAcceptance(complaint, office, { decision: 'accept', unitCode: GA })).toBeUndefined();
  });
});

describe('objections (Art 23, 24)', () => {
  const transferred = (overrides: Partial<RuleState> = {}) =>
    caseIn('transferred', { clocks: [running('objection')], ...overrides });

  it('accepts an objection within the window', () => {
    expect(rules.checkObjection(transferred(), dept(HB))).toBeUndefined();
    expect(rules.checkObjection({ ...transferred(), stage: 'acknowledged' }, dept(HB))).toBeUndefined();
  });

  it('names the closing date when the 5-working-day window has passed', () => {
    const expired = transferred({ clocks: [running('objection', { expired: true })] });
    expect(rules.checkObjection(expired, dept(HB))).toEqual({
      type: REJECTION.businessRule,
      message: 'the objection window closed on 2026-03-09 (5 working days after 2026-03-02)',
    });
    // Across National Day 2026 (1–7 Oct, make-up working day Saturday 10 Oct).
    const holiday = transferred({
      clocks: [running('objection', { expired: true, startedAt: '2026-09-29T10:00:00+08:00' })],
    });
    expect(rules.checkObjection(holiday, dept(HB))).toEqual({
      type: REJECTION.businessRule,
      message: 'the objection window closed on 2026-10-12 (5 working days after 2026-09-29)',
    });
  });

  it('refuses an objection once the window is gone (the unit accepted, or was designated)', () => {
    expect(rules.checkObjection(caseIn('acknowledged'), dept(HB))).toEqual({
      type: REJECTION.businessRule,
      message: 'the objection window is not open',
    });
    const designated = transferred({ designatedUnits: [HB], clocks: [] });
    expect(rules.checkObjection(designated, dept(HB))).toEqual({
      type: REJECTION.businessRule,
      message: `unit ${HB} was designated after a rejected objection and cannot object again`,
    });
  });

  it('takes one objection at a time, and the office decides only a waiting one', () => {
    const waiting = transferred({ pendingObjection: { unitCode: HB } });
    expect(rules.checkObjection(waiting, dept(HB))).toEqual({
      type: REJECTION.conflict,
      message: 'an objection is already waiting for the office',
    });
    expect(rules.checkObjectionDecision(transferred(), office, { approve: false })).toEqual({
      type: REJECTION.conflict,
      message: 'there is no objection waiting for a decision',
    });
    expect(rules.checkObjectionDecision(waiting, office, { approve: true })).toBeUndefined();
    expect(rules.checkObjectionDecision(waiting, office, { approve: true, unitCode: ZJ })).toBeUndefined();
    expect(rules.checkObjectionDecision(waiting, office, { approve: true, unitCode: HB })).toEqual({
      type: REJECTION.businessRule,
      message: 'an approved objection must send the case to another unit',
    });
  });
});

describe('a unit whose objection waits for the office (Art 23)', () => {
  const waiting = (kind: string, overrides: Partial<RuleState> = {}) =>
    caseIn('acknowledged', { kind, pendingObjection: { unitCode: HB }, clocks: [running('objection')], ...overrides });
  const ownObjectionWaits = {
    type: REJECTION.conflict,
    message: "the unit's objection is waiting for the office's decision; until then it cannot take the case on",
  };

  it('does not let it accept, answer or divert the case until the office decides', () => {
    const holds = { objectionHolds: true };
    expect(rules.checkAcceptance(waiting('complaint', holds), dept(HB), { decision: 'accept' })).toEqual(
      ownObjectionWaits,
    );
    expect(procedureRules.checkAnswer(waiting('consultation', holds), dept(HB))).toEqual(ownObjectionWaits);
    expect(procedureRules.checkDiversion(waiting('complaint', holds), dept(HB))).toEqual(ownObjectionWaits);
    // Once the office rejected the objection, the unit keeps the case and accepts it.
    expect(rules.checkAcceptance(caseIn('acknowledged', holds), dept(HB), { decision: 'accept' })).toBeUndefined();
  });

  it('lets cases started before patch objection-holds-case go on as they did', () => {
    expect(rules.checkAcceptance(waiting('complaint'), dept(HB), { decision: 'accept' })).toBeUndefined();
    expect(procedureRules.checkAnswer(waiting('consultation'), dept(HB))).toBeUndefined();
    expect(procedureRules.checkDiversion(waiting('complaint'), dept(HB))).toBeUndefined();
  });
});

describe('acceptance, joint handling and results', () => {
  it('makes a unit that is not competent object instead of refusing', () => {
    expect(rules.checkAcceptance(caseIn('transferred'), dept(HB), { decision: 'not_accept' })).toEqual({
      type: REJECTION.businessRule,
      message: 'a unit that is not competent raises an objection instead',
    });
  });

  it('refuses a lead that is also a co-handler', () => {
    expect(
      rules.checkAcceptance(caseIn('registered'), office, { decision: 'accept', unitCode: HB, coHandlers: [HB] }),
    ).toEqual({ type: REJECTION.businessRule, message: 'the lead unit cannot also be a co-handler' });
    expect(
      rules.checkAcceptance(caseIn('registered'), office, { decision: 'accept', unitCode: HB, coHandlers: [ZJ] }),
    ).toBeUndefined();
  });

  it('takes one report from each co-handler, and a decision from the lead', () => {
    const joint = caseIn('handling', { coHandlers: [{ unitCode: ZJ, reported: false }] });
    expect(rules.checkResult(joint, dept(ZJ), undefined)).toBeUndefined();
    expect(
      rules.checkResult({ ...joint, coHandlers: [{ unitCode: ZJ, reported: true }] }, dept(ZJ), undefined),
    ).toEqual({
      type: REJECTION.conflict,
      message: `co-handler ${ZJ} has already reported to the lead`,
    });
    expect(rules.checkResult(joint, dept(HB), undefined)).toEqual({
      type: REJECTION.businessRule,
      message: "the lead unit's result needs a decision: support, explain or not_support",
    });
    expect(rules.checkResult(joint, dept(HB), 'explain')).toBeUndefined();
  });
});

describe('extensions (Regulations on Letters and Visits Art 34)', () => {
  const handling = (overrides: Partial<RuleState> = {}) => caseIn('handling', overrides);

  it('allows one extension of 1 to the profile’s maximum days', () => {
    expect(rules.checkExtension(handling(), dept(HB), 60)).toBeUndefined();
    expect(rules.checkExtension(handling(), dept(HB), 61)).toEqual({
      type: REJECTION.businessRule,
      message: 'an extension must be 1 to 60 days under the zhejiang profile, not 61',
    });
    expect(rules.checkExtension(handling({ profile: national }), dept(HB), 31)).toEqual({
      type: REJECTION.businessRule,
      message: 'an extension must be 1 to 30 days under the national profile, not 31',
    });
    expect(rules.checkExtension(handling(), dept(HB), 0)?.type).toBe(REJECTION.businessRule);
  });

  it('refuses a second request, whatever became of the first', () => {
    for (const status of ['requested', 'approved', 'rejected'] as const) {
      expect(rules.checkExtension(handling({ extension: { days: 10, status } }), dept(HB), 5)).toEqual({
        type: REJECTION.businessRule,
        message: 'the handling period can be extended once only (Regulations on Letters and Visits Art 34)',
      });
    }
  });

  it('lets the office decide a waiting request, within the limit', () => {
    const requested = handling({ extension: { days: 10, status: 'requested' } });
    expect(rules.checkExtensionDecision(requested, office, undefined)).toBeUndefined();
    expect(rules.checkExtensionDecision(requested, office, 60)).toBeUndefined();
    expect(rules.checkExtensionDecision(requested, office, 90)?.type).toBe(REJECTION.businessRule);
    expect(rules.checkExtensionDecision(handling(), office, undefined)).toEqual({
      type: REJECTION.conflict,
      message: 'there is no extension request waiting',
    });
    expect(
      rules.checkExtensionDecision(handling({ extension: { days: 10, status: 'approved' } }), office, undefined)?.type,
    ).toBe(REJECTION.conflict);
  });
});

describe('the petitioner’s windows: rating (C6), review (C7) and re-review (C9)', () => {
  it('takes a rating within the window, and names the closing date after it', () => {
    const delivered = caseIn('reply_delivered', { clocks: [running('rating', { holder: 'petitioner' })] });
    expect(rules.checkRating(delivered, petitioner)).toBeUndefined();
    const lapsed = caseIn('reply_delivered', { clocks: [running('rating', { holder: 'petitioner', expired: true })] });
    expect(rules.checkRating(lapsed, petitioner)).toEqual({
      type: REJECTION.businessRule,
      message: 'the rating window closed on 2026-03-17 (15 calendar days after 2026-03-02)',
    });
    expect(rules.checkRating(caseIn('handling'), petitioner)).toEqual({
      type: REJECTION.businessRule,
      message: 'the rating window is not open',
    });
  });

  it('takes a review request within 30 days of the reply, then a re-review request within 30 days of the opinion', () => {
    const delivered = caseIn('reply_delivered', { clocks: [running('reviewRequest', { holder: 'petitioner' })] });
    expect(rules.checkReviewRequest(delivered, petitioner)).toBeUndefined();
    const lapsed = caseIn('reply_delivered', {
      clocks: [running('reviewRequest', { holder: 'petitioner', expired: true })],
    });
    expect(rules.checkReviewRequest(lapsed, petitioner)).toEqual({
      type: REJECTION.businessRule,
      message: 'the review window closed on 2026-04-01 (30 calendar days after 2026-03-02)',
    });
    // After the review opinion it is the re-review window (C9) that counts.
    const replied = caseIn('review_replied', {
      reviewUnit: FG,
      clocks: [running('reviewRequest', { holder: 'petitioner' })],
    });
    expect(rules.checkReviewRequest(replied, petitioner)).toEqual({
      type: REJECTION.businessRule,
      message: 'the re-review window is not open',
    });
    replied.clocks = [running('reReviewRequest', { holder: 'petitioner' })];
    expect(rules.checkReviewRequest(replied, petitioner)).toBeUndefined();
  });
});

describe('hearings (Art 36)', () => {
  const reReview = (pausedSince?: string) =>
    caseIn('re_review_requested', {
      reviewUnit: FG,
      clocks: [running('reReviewDecision', { holder: FG, pausedSince })],
    });

  it('starts and ends one hearing at a time, and no decision while it runs', () => {
    expect(rules.checkHearing(reReview(), office, 'start')).toBeUndefined();
    expect(rules.checkHearing(reReview(), office, 'end')).toEqual({
      type: REJECTION.conflict,
      message: 'no hearing is in progress',
    });
    const during = reReview('2026-03-05T02:00:00.000Z');
    expect(rules.checkHearing(during, dept(FG), 'start')).toEqual({
      type: REJECTION.conflict,
      message: 'a hearing is already in progress',
    });
    expect(rules.checkHearing(during, dept(FG), 'end')).toBeUndefined();
    expect(rules.checkReviewDecision(during, dept(FG))).toEqual({
      type: REJECTION.conflict,
      message: 'end the hearing before deciding',
    });
    expect(rules.checkReviewDecision(reReview(), office)).toBeUndefined();
  });
});

describe('patch law-on-every-path: rules judged on the path where they could fail', () => {
  const law = (state: RuleState, now: string) => ({ ...state, law: true, now: Date.parse(now) });

  it('judges a window by its due instant, not by whether its expiry was handled yet', () => {
    // The review window's last day is 1 April 2026; a request and the expiry arrive together on 2 April.
    const delivered = caseIn('reply_delivered', { clocks: [running('reviewRequest', { holder: 'petitioner' })] });
    expect(rules.checkReviewRequest(law(delivered, '2026-04-01T23:59:00+08:00'), petitioner)).toBeUndefined();
    expect(rules.checkReviewRequest(law(delivered, '2026-04-02T00:00:00+08:00'), petitioner)).toEqual({
      type: REJECTION.businessRule,
      message: 'the review window closed on 2026-04-01 (30 calendar days after 2026-03-02)',
    });
    const rating = caseIn('reply_delivered', { clocks: [running('rating', { holder: 'petitioner' })] });
    expect(rules.checkRating(law(rating, '2026-03-18T00:00:01+08:00'), petitioner)?.message).toMatch(
      /closed on 2026-03-17/,
    );
    const objection = caseIn('transferred', { clocks: [running('objection')] });
    expect(rules.checkObjection(law(objection, '2026-03-10T00:00:00+08:00'), dept(HB))?.message).toMatch(
      /^the objection window closed on 2026-03-09/,
    );
    // Before the patch reaches a case, its rules are the old ones.
    expect(
      rules.checkReviewRequest({ ...delivered, now: Date.parse('2026-04-02T00:00:00+08:00') }, petitioner),
    ).toBeUndefined();
  });

  it('refuses an extension once the handling period has expired, naming the day (Regulations on Letters and Visits Art 34)', () => {
    const handling = caseIn('handling', { clocks: [running('handling')] });
    expect(rules.checkExtension(law(handling, '2026-04-01T12:00:00+08:00'), dept(HB), 10)).toBeUndefined();
    expect(rules.checkExtension(law(handling, '2026-04-02T09:00:00+08:00'), dept(HB), 10)?.message).toMatch(
      /^the handling period \(30 calendar days from 2026-03-02\) expired on 2026-04-01; .*only be asked while it runs \(Regulations on Letters and Visits Art 34\)$/,
    );
  });

  it('makes the lead wait for co-handlers whose sub-deadline runs, and not for those reported or missing (Art 24)', () => {
    const coHandlers = [
      { unitCode: ZJ, reported: false },
      { unitCode: FG, reported: true },
      { unitCode: GA, reported: false, missing: true },
    ];
    const state = caseIn('handling', {
      coHandlers,
      clocks: [running('handling'), running('handling', { key: `coHandler:${ZJ}`, holder: ZJ })],
    });
    expect(rules.checkResult(law(state, '2026-03-20T10:00:00+08:00'), dept(HB), 'support')?.message).toMatch(
      /waits for the co-handlers' reports: 330106-ZJ \(report due 2026-04-01\)/,
    );
    // Its sub-deadline has passed (its expiry not yet handled): the lead may decide.
    expect(rules.checkResult(law(state, '2026-04-02T10:00:00+08:00'), dept(HB), 'explain')).toBeUndefined();
  });

  it('bounds an assignment by the handling limit of the profile (Art 22(3), 34)', () => {
    const registered = law(caseIn('registered'), MONDAY);
    const assign = (assignDays: number) => ({ decision: 'accept' as const, mode: 'assign', assignDays });
    expect(rules.checkAcceptance(registered, office, assign(30))).toBeUndefined();
    expect(rules.checkAcceptance(registered, office, assign(31))?.message).toMatch(
      /at most the handling limit, 30 days under the zhejiang profile .*not 31$/,
    );
    expect(rules.checkAcceptance({ ...registered, profile: national }, office, assign(60))).toBeUndefined();
  });

  it('refuses a hearing after the re-review clock expired (Art 36)', () => {
    const state = caseIn('re_review_requested', {
      reviewUnit: FG,
      clocks: [running('reReviewDecision', { holder: FG })],
    });
    expect(rules.checkHearing(law(state, '2026-03-20T10:00:00+08:00'), dept(FG), 'start')).toBeUndefined();
    expect(rules.checkHearing(law(state, '2026-04-02T10:00:00+08:00'), dept(FG), 'start')?.message).toBe(
      'the re-review decision was due by 2026-04-01; a hearing cannot start after the clock has expired',
    );
  });

  it('guards recused units for every kind, and accused units for reports (Art 28, 30)', () => {
    const complaint = caseIn('registered', { recused: [ZJ], accusedUnits: [GA] });
    expect(rules.guardAccused(complaint, [ZJ])?.message).toMatch(/recused .*Art 28/);
    expect(rules.guardAccused(complaint, [GA])).toBeUndefined();
    expect(rules.guardedUnits({ ...complaint, kind: 'report' })).toEqual([GA, ZJ]);
    expect(rules.guardedUnits(complaint)).toEqual([ZJ]);
  });
});

// ── workflows/clocks.ts ──────────────────────────────────────────────────────────────────────────────────────

describe('pendingEvents', () => {
  // zhejiang C5: 30 calendar days from Monday 2 March 2026 → last day Wednesday 1 April, due 2 April 00:00 (+08:00).
  const handling = () => running('handling');

  it('gives an actor clock its reminder ladder, then its expiry, earliest first', () => {
    const clock = handling();
    expect(clock.deadline.dueAt).toBe('2026-04-02T00:00:00+08:00');
    expect(
      pendingEvents(clock, zhejiang.reminders).map((e) => [e.type, new Date(e.at).toISOString(), e.label]),
    ).toEqual([
      // Half of 2 Mar 02:00Z → 1 Apr 16:00Z is 15 d 7 h; then 09:00 local on 22 Mar, 29 Mar and 1 Apr.
      ['reminder', '2026-03-17T09:00:00.000Z', 'C5 办理期限 — 过半提醒'],
      ['reminder', '2026-03-22T01:00:00.000Z', 'C5 办理期限 — 剩余10天提醒'],
      ['reminder', '2026-03-29T01:00:00.000Z', 'C5 办理期限 — 剩余3天提醒'],
      ['reminder', '2026-04-01T01:00:00.000Z', 'C5 办理期限 — 当日到期提醒'],
      ['expiry', '2026-04-01T16:00:00.000Z', 'C5 办理期限届满'],
    ]);
    expect(pendingEvents(clock, zhejiang.reminders).every((e) => e.clockKey === 'handling')).toBe(true);
  });

  it('skips the reminders already sent', () => {
    const clock = { ...handling(), firedReminders: ['handling:half', 'handling:d-10'] };
    const events = pendingEvents(clock, zhejiang.reminders);
    expect(events.map((e) => (e.type === 'reminder' ? e.reminderKey : e.type))).toEqual([
      'handling:d-3',
      'handling:d-0',
      'expiry',
    ]);
  });

  it('gives a window clock (objection, rating, review request) its expiry only', () => {
    for (const clock of ['objection', 'rating', 'reviewRequest', 'reReviewRequest'] as const) {
      expect(isActorClock(clock)).toBe(false);
      const events = pendingEvents(running(clock, { holder: 'petitioner' }), zhejiang.reminders);
      expect(events.map((e) => e.type)).toEqual(['expiry']);
    }
    for (const clock of [
      'dispose',
      'notify',
      'acknowledge',
      'handling',
      'reviewDecision',
      'reReviewDecision',
    ] as const) {
      expect(isActorClock(clock)).toBe(true);
    }
  });

  it('after expiry, gives an actor clock its next supervision step, and a window clock nothing', () => {
    const overdue = { ...handling(), expired: true, nextEscalationAt: '2026-04-09T00:00:00+08:00' };
    expect(pendingEvents(overdue, zhejiang.reminders)).toEqual([
      {
        type: 'escalation',
        at: Date.parse('2026-04-09T00:00:00+08:00'),
        clockKey: 'handling',
        label: 'C5 办理仍逾期：督办上升一级',
      },
    ]);
    // Nothing above to escalate to: the clock stays overdue and quiet.
    expect(pendingEvents({ ...overdue, nextEscalationAt: undefined }, zhejiang.reminders)).toEqual([]);
    const lapsedWindow = { ...running('objection'), expired: true, nextEscalationAt: '2026-04-09T00:00:00+08:00' };
    expect(pendingEvents(lapsedWindow, zhejiang.reminders)).toEqual([]);
  });

  it('gives a paused clock (a hearing) no events at all', () => {
    const paused = running('reReviewDecision', { pausedSince: '2026-03-05T02:00:00.000Z' });
    expect(pendingEvents(paused, zhejiang.reminders)).toEqual([]);
  });

  it('labels a co-handler’s sub-deadline with its unit', () => {
    const sub = { ...handling(), key: `coHandler:${ZJ}`, holder: ZJ };
    expect(clockLabel(sub)).toBe(`C5 办理 (${ZJ})`);
    const events = pendingEvents(sub, zhejiang.reminders);
    expect(events[0]).toMatchObject({
      clockKey: `coHandler:${ZJ}`,
      label: `C5 办理 (${ZJ})期限 — 过半提醒`,
    });
    expect(events.at(-1)).toMatchObject({ type: 'expiry', label: `C5 办理 (${ZJ})期限届满` });
  });
});

describe('nextEvent and nextDeadline', () => {
  it('pick the earliest event and deadline over every running clock', () => {
    const clocks = [running('handling'), running('acknowledge'), running('objection')];
    // C3: 3 working days from Monday 2 March → Thursday 5 March; its half-time reminder comes first.
    const next = nextEvent(clocks, zhejiang.reminders);
    expect(next).toMatchObject({ type: 'reminder', clockKey: 'acknowledge', reminderKey: 'acknowledge:half' });
    expect(nextDeadline(clocks)).toBe('2026-03-06T00:00:00+08:00');

    clocks[1]!.firedReminders = ['acknowledge:half', 'acknowledge:d-0'];
    expect(nextEvent(clocks, zhejiang.reminders)).toMatchObject({ type: 'expiry', clockKey: 'acknowledge' });
  });

  it('skip paused clocks and give nothing when nothing runs', () => {
    expect(nextEvent([], zhejiang.reminders)).toBeUndefined();
    expect(nextDeadline([])).toBeUndefined();
    const paused = running('reReviewDecision', { pausedSince: '2026-03-03T02:00:00.000Z' });
    expect(nextEvent([paused], zhejiang.reminders)).toBeUndefined();
    expect(nextDeadline([paused])).toBeUndefined();
    const window = running('reReviewRequest', { startedAt: '2026-03-03T10:00:00+08:00' });
    expect(nextDeadline([paused, window])).toBe(window.deadline.dueAt);
    expect(nextEvent([paused, window], zhejiang.reminders)).toMatchObject({
      type: 'expiry',
      clockKey: 'reReviewRequest',
    });
  });

  it('order deadlines by instant, not by text', () => {
    const early = {
      ...running('objection'),
      deadline: { ...running('objection').deadline, dueAt: '2026-03-10T00:00:00+08:00' },
    };
    const late = {
      ...running('handling'),
      deadline: { ...running('handling').deadline, dueAt: '2026-03-09T17:00:00Z' },
    };
    // 2026-03-09T17:00Z is 10 March 01:00 in Hangzhou: later than 10 March 00:00 (+08:00), though it sorts first as text.
    expect(nextDeadline([late, early])).toBe('2026-03-10T00:00:00+08:00');
  });
});
