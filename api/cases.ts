import { Router } from 'express';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { list, message, translate, type Lang } from '../domain/i18n';
import { GUARD_EVENTS, isOneOf } from '../domain/events';
import { caseWorkflowId } from '../domain/ids';
import { caseViewQuery, type CaseView } from '../workflows/messages';
import type { CaseDoc, Store } from '../store/models';
import { missingUnits, unknownReferences } from './admin/common';
import type { Actor } from '../workflows/messages';
import type { z } from 'zod';
import type { Sealer } from '../store/sealed';
import { requireRole, type Principal } from './auth';
import { registerCase } from './intake';
import { problems } from './problem';
import { deadlinesFor, requestLanguage } from './language';
import { applyAction } from './actions';
import {
  ACTION_NAMES,
  ActionBodies,
  CaseIdParams,
  IdempotencyKey,
  IntakeBody,
  parseRequest,
  type ActionName,
} from './schemas';

export interface CaseRouterDeps {
  client: Client;
  store: Store;
  sealer: Sealer;
  taskQueue: string;
}

/** What a caller may see of one case record. Departments never see who wrote a report (Art 30). */
export function caseForRole(doc: CaseDoc, principal: Principal) {
  const hideIdentity =
    principal.role === 'department' && (doc.kind === 'report' || doc.confidential === true || doc.anonymous === true);
  const showIdentity = principal.role === 'office' || principal.role === 'intake' || !hideIdentity;
  return {
    caseId: doc._id,
    caseNumber: doc.caseNumber,
    trackingCode: principal.role === 'department' ? undefined : doc.trackingCode,
    channel: doc.channel,
    kind: doc.kind,
    category: doc.category,
    regionCode: doc.regionCode,
    profileId: doc.profileId,
    subject: doc.subject,
    content: doc.content,
    petitioner: showIdentity ? doc.petitioner : undefined,
    representatives: showIdentity ? doc.representatives : undefined,
    anonymous: doc.anonymous,
    confidential: doc.confidential,
    publicationConsent: doc.publicationConsent ?? false,
    accused: principal.role === 'department' ? undefined : doc.accused,
    receivedAt: doc.receivedAt,
    registeredAt: doc.registeredAt,
    stage: doc.stage,
    units: doc.units,
    leadUnit: doc.leadUnit,
    escalationLevel: doc.escalationLevel,
    overdue: doc.overdue,
    nextDeadlineAt: doc.nextDeadlineAt,
    deadlines: doc.deadlines,
  };
}

/** Timeline entries about the whistleblower guard (Art 28, 30): the office's alone. */

export function casesRouter(deps: CaseRouterDeps): Router {
  const router = Router();

  router.post('/', requireRole('intake', 'office'), async (req, res) => {
    const lang = requestLanguage(req);
    const body = parseRequest(IntakeBody, req.body, 'body', lang);
    const key = parseRequest(IdempotencyKey, req.get('Idempotency-Key'), 'headers', lang);
    const result = await registerCase(deps, req.principal!, body, key);
    const { created, ...answer } = result;
    res
      .status(created ? 201 : 200)
      .location(`${req.baseUrl}/${result.caseId}`)
      .json(answer);
  });

  router.get('/:caseId', async (req, res) => {
    const lang = requestLanguage(req);
    const { caseId } = parseRequest(CaseIdParams, req.params, 'params', lang);
    const principal = req.principal!;
    const doc = await deps.store.cases.findById(caseId).lean<CaseDoc>();
    if (!doc) return res.json(await pendingRecord(deps.client, caseId, principal, lang));
    if (!mayRead(doc, principal)) throw problems.notFound(message('problem.detail.caseNotFound', { caseId }));
    const live = await liveView(deps.client, caseId);
    // The workflow is the source of truth: a unit the case has just left no longer sees it.
    if (live && principal.role === 'department' && !live.units.includes(principal.unitCode ?? '')) {
      throw problems.notFound(message('problem.detail.caseNotFound', { caseId }));
    }
    if (principal.role === 'office')
      req.log.info({ caseId, keyId: principal.keyId }, 'office read a case record with identity');
    const timeline = await deps.store.timeline.find({ caseId }).sort({ at: 1, _id: 1 }).lean();
    // Art 30: a department never learns which unit a report accuses, not even from the reasons of routing steps.
    const withhold =
      principal.role === 'department'
        ? accusedWithheld(doc.accused?.units ?? [], translate(lang, 'case.accusedWithheld'))
        : (v: unknown) => v;
    // Nor from the guard's own entries, which name accused and recused units for the office.
    const shown = principal.role === 'department' ? timeline.filter((t) => !isOneOf(GUARD_EVENTS, t.type)) : timeline;
    res.json({
      ...caseForRole(doc, principal),
      ...(live && {
        stage: live.stage,
        units: live.units,
        leadUnit: live.leadUnit,
        escalationLevel: live.escalationLevel,
        overdue: live.overdue,
        nextDeadlineAt: live.nextDeadline,
      }),
      deadlines: live
        ? deadlinesFor(
            req,
            live.clocks.map((clock) => clock.deadline),
          )
        : deadlinesFor(req, doc.deadlines),
      /** `workflow` when the live state came from the case's workflow, `record` when only the projection answered. */
      source: live ? 'workflow' : 'record',
      timeline: shown.map((t) => ({
        at: t.at,
        type: t.type,
        unitCode: t.unitCode,
        escalationLevel: t.escalationLevel,
        detail: withhold(t.detail),
      })),
    });
  });

  router.post('/:caseId/:action', requireRole('office', 'department'), async (req, res) => {
    const lang = requestLanguage(req);
    const { caseId } = parseRequest(CaseIdParams, { caseId: req.params.caseId }, 'params', lang);
    const action = req.params.action as ActionName;
    if (!ACTION_NAMES.includes(action)) {
      const actions = list(ACTION_NAMES, lang);
      throw problems.notFound(message('problem.detail.unknownAction', { action: String(req.params.action), actions }));
    }
    const body = parseRequest(ActionBodies[action], req.body, 'body', lang);
    const { role, unitCode, keyId } = req.principal!;
    const actor = { role: role as 'office' | 'department', unitCode, keyId };
    if (role === 'office') await refuseUnknownUnits(deps.store, unitReferences(body));
    if (action === 'accusation') {
      return res.json(await addAccused(deps, caseId, actor, body as AccusationBody));
    }
    res.json(await applyAction(deps, caseId, action, actor, body));
  });

  return router;
}

const LIVE_QUERY_TIMEOUT_MS = 2_000;

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

/** The case's live state from its workflow, or undefined when no worker answers in time. */
async function liveView(client: Client, caseId: string): Promise<CaseView | undefined> {
  const query = client.workflow.getHandle(caseWorkflowId(caseId)).query(caseViewQuery);
  const timeout = new Promise<undefined>((resolve) =>
    setTimeout(() => resolve(undefined), LIVE_QUERY_TIMEOUT_MS).unref(),
  );
  return Promise.race([query.catch(() => undefined), timeout]);
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
      caseNumber: description.memo?.caseNumber,
      stage: 'registered',
      recordPending: true,
      detail: translate(lang, 'case.recordPending'),
    };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError)
      throw problems.notFound(message('problem.detail.caseNotFound', { caseId }));
    throw error;
  }
}

/** The unit codes an office action names as a destination: each must be a unit of the directory. */
function unitReferences(body: Record<string, unknown>): { field: string; unitCode: string }[] {
  const references: { field: string; unitCode: string }[] = [];
  if (typeof body.unitCode === 'string') references.push({ field: 'body.unitCode', unitCode: body.unitCode });
  if (Array.isArray(body.coHandlers)) {
    body.coHandlers.forEach((code, i) => references.push({ field: `body.coHandlers.${i}`, unitCode: String(code) }));
  }
  return references;
}

/** 422 naming each field whose unit is not in the directory (a mistyped code would strand the case). */
async function refuseUnknownUnits(store: Store, references: { field: string; unitCode: string }[]): Promise<void> {
  const missing = await missingUnits(store, references);
  if (missing.length) throw unknownReferences(missing);
}

type AccusationBody = z.output<(typeof ActionBodies)['accusation']>;

/**
 * Art 30: further accused of a report. The workflow learns only unit codes (a person's name never enters Temporal);
 * once it has applied the guard, the names join the case record. A retry with the same action ID completes it.
 */
async function addAccused(deps: CaseRouterDeps, caseId: string, actor: Actor, body: AccusationBody) {
  // The workflow receives the units (named, and those of the named persons); the names stay in MongoDB.
  const result = await applyAction(deps, caseId, 'accusation', actor, body);
  const { persons } = body;
  await deps.store.cases.updateOne(
    { _id: caseId },
    { $addToSet: { 'accused.units': { $each: body.units }, 'accused.persons': { $each: persons } } },
  );
  return result;
}
