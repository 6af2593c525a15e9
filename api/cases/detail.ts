/**
 * One case as the caller may see it: the office everything (the read is logged), intake the cases it registered, a
 * department the cases now with its unit, without the identity of a reporter or of a confidential petitioner.
 */
import { z } from 'zod';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { GUARD_EVENTS, isOneOf } from '../../domain/events';
import { message, translate, type Lang } from '../../domain/i18n';
import { caseWorkflowId } from '../../domain/ids';
import { caseTimeline } from '../../store/case-entries';
import type { CaseDoc, Store } from '../../store/models';
import type { Principal } from '../auth';
import { deadlinesFor } from '../language';
import { problems } from '../problem';
import { defineRoute } from '../route';
import { CaseDetail, CaseIdParams, PendingCase, problemResponse, security } from '../schemas';
import { liveView } from './live-view';

type Detail = z.infer<typeof CaseDetail>;

/**
 * What a caller may see of one case record. Departments never see who wrote a report (Art 30). The record's enums and
 * nested shapes were checked by the intake schema or written by the workflow; the store types them loosely, so they
 * are read as the answer's types here.
 */
export function caseForRole(doc: CaseDoc, principal: Principal) {
  const hideIdentity =
    principal.role === 'department' && (doc.kind === 'report' || doc.confidential === true || doc.anonymous === true);
  const showIdentity = principal.role === 'office' || principal.role === 'intake' || !hideIdentity;
  return {
    caseId: doc._id,
    caseNumber: doc.caseNumber,
    trackingCode: principal.role === 'department' ? undefined : doc.trackingCode,
    channel: doc.channel as Detail['channel'],
    kind: doc.kind as Detail['kind'],
    category: doc.category as string,
    regionCode: doc.regionCode as string,
    profileId: doc.profileId as string,
    subject: doc.subject as string,
    content: doc.content as string,
    petitioner: showIdentity ? (doc.petitioner as Detail['petitioner']) : undefined,
    representatives: showIdentity ? (doc.representatives as Detail['representatives']) : undefined,
    anonymous: doc.anonymous as boolean | undefined,
    confidential: doc.confidential as boolean | undefined,
    publicationConsent: doc.publicationConsent ?? false,
    accused: principal.role === 'department' ? undefined : (doc.accused as Detail['accused']),
    receivedAt: doc.receivedAt as Date,
    registeredAt: doc.registeredAt as Date,
    stage: doc.stage as Detail['stage'],
    units: doc.units,
    leadUnit: doc.leadUnit as string | undefined,
    escalationLevel: doc.escalationLevel,
    overdue: doc.overdue,
    nextDeadlineAt: doc.nextDeadlineAt,
    deadlines: doc.deadlines as unknown as Detail['deadlines'],
  };
}

export const caseDetailRoute = defineRoute({
  method: 'get',
  path: '/v1/cases/{caseId}',
  summary: 'A case as the caller may see it',
  description:
    'Office: everything (the read is logged). Intake: cases it registered. Department: cases currently with its unit, ' +
    'without the identity of a reporter, an anonymous or a confidential petitioner.',
  tags: ['cases'],
  security: security.apiKey,
  request: { params: CaseIdParams },
  responses: {
    200: {
      description: 'The case with its deadlines and timeline (or a registered case whose record is pending)',
      content: { 'application/json': { schema: z.union([CaseDetail, PendingCase]) } },
    },
    400: problemResponse('Invalid case ID'),
    401: problemResponse('No or unknown API key'),
    404: problemResponse('No such case, or not with the caller'),
    429: problemResponse('Too many requests; see Retry-After'),
  },
  handler: async ({ params: { caseId }, lang, req }, deps: { client: Client; store: Store }) => {
    const principal = req.principal!;
    const doc = await deps.store.cases.findById(caseId).lean<CaseDoc>();
    if (!doc) return pendingRecord(deps.client, caseId, principal, lang);
    if (!mayRead(doc, principal)) throw problems.notFound(message('problem.detail.caseNotFound', { caseId }));
    const live = await liveView(deps.client, caseId);
    // The workflow is the source of truth: a unit the case has just left no longer sees it.
    if (live && principal.role === 'department' && !live.units.includes(principal.unitCode ?? '')) {
      throw problems.notFound(message('problem.detail.caseNotFound', { caseId }));
    }
    if (principal.role === 'office')
      req.log.info({ caseId, keyId: principal.keyId }, 'office read a case record with identity');
    const timeline = await caseTimeline(deps.store, doc);
    // Art 30: a department never learns which unit a report accuses, not even from the reasons of routing steps.
    const withhold =
      principal.role === 'department'
        ? accusedWithheld(doc.accused?.units ?? [], translate(lang, 'case.accusedWithheld'))
        : (v: unknown) => v;
    // Nor from the guard's own entries, which name accused and recused units for the office.
    const shown = principal.role === 'department' ? timeline.filter((t) => !isOneOf(GUARD_EVENTS, t.type)) : timeline;
    return {
      ...caseForRole(doc, principal),
      ...(live && {
        stage: live.stage,
        units: live.units,
        leadUnit: live.leadUnit,
        escalationLevel: live.escalationLevel,
        overdue: live.overdue,
        nextDeadlineAt: live.nextDeadline,
      }),
      // The workflow's deadlines, or the record's as the workflow wrote them: each in the caller's language.
      deadlines: (live
        ? deadlinesFor(
            req,
            live.clocks.map((clock) => clock.deadline),
          )
        : deadlinesFor(req, doc.deadlines)) as unknown as Detail['deadlines'],
      /** `workflow` when the live state came from the case's workflow, `record` when only the projection answered. */
      source: live ? ('workflow' as const) : ('record' as const),
      timeline: shown.map((t) => ({
        at: t.at,
        type: t.type,
        unitCode: t.unitCode as string | undefined,
        escalationLevel: t.escalationLevel as number | undefined,
        detail: withhold(t.detail) as Detail['timeline'][number]['detail'],
      })),
    };
  },
});

/**
 * Replaces every mention of an accused unit — its code, and the name that follows it in a reason ("330106-GA
 * (西湖区公安分局)") — in the strings of a timeline entry's detail.
 */
function accusedWithheld(accusedUnits: string[], withheld: string): (value: unknown) => unknown {
  if (accusedUnits.length === 0) return (value) => value;
  const codes = accusedUnits.map((code) => code.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&'));
  const mention = new RegExp(`(?:${codes.join('|')})(?: \\([^()]*\\))?`, 'g');
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return value.replace(mention, withheld);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, walk(v)]));
    }
    return value;
  };
  return walk;
}

function mayRead(doc: CaseDoc, principal: Principal): boolean {
  switch (principal.role) {
    case 'office':
      return true;
    case 'intake':
      return doc.intakeKeyId === principal.keyId;
    case 'department':
      return !!principal.unitCode && (doc.units ?? []).includes(principal.unitCode);
    default:
      return false;
  }
}

/** The workflow exists but has not written its record yet (MongoDB was down at intake). */
async function pendingRecord(client: Client, caseId: string, principal: Principal, lang: Lang) {
  if (principal.role !== 'office' && principal.role !== 'intake') {
    throw problems.notFound(message('problem.detail.caseNotFound', { caseId }));
  }
  try {
    const description = await client.workflow.getHandle(caseWorkflowId(caseId)).describe();
    return {
      caseId,
      // Intake writes the case number into the workflow's memo.
      caseNumber: description.memo?.caseNumber as string | undefined,
      stage: 'registered' as const,
      recordPending: true as const,
      detail: translate(lang, 'case.recordPending'),
    };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError)
      throw problems.notFound(message('problem.detail.caseNotFound', { caseId }));
    throw error;
  }
}
