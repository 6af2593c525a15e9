import { randomBytes } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { computeDeadline, type Deadline, type LegalCalendar } from '../domain/calendar';
import { DEFAULT_LANG, message, translator } from '../domain/i18n';
import { builtInCalendar, loadLegalCalendar } from '../store/calendar';
import { caseNumber, caseWorkflowId, crockford, newCaseId } from '../domain/ids';
import { profileForRegion, type JurisdictionProfile } from '../domain/profiles';
import {
  CaseEscalationLevel,
  CaseKind,
  CaseNumber,
  CaseOverdue,
  CaseRegion,
  CaseStage,
  CaseUnit,
  CaseUrgent,
} from '../domain/search-attributes';
import { accusedUnitsOf, type IntakeRecord } from '../store/intake-record';
import type { Store } from '../store/models';
import { PendingNotes } from '../store/tracking-codes';
import { canonical, type Sealer } from '../store/sealed';
import type { caseWorkflow } from '../workflows';
import type { CaseWorkflowInput } from '../workflows/case-state';
import type { Principal } from './auth';
import { problems } from './problem';
import type { IntakeBody } from './schemas';

export interface IntakeDeps {
  client: Client;
  taskQueue: string;
  sealer: Sealer;
  /** Where admin corrections of the holiday calendar live; without it the built-in schedule quotes deadlines. */
  store?: Store;
  /** The codes this replica gave out and has not written yet (api/app.ts makes one per app); one per call otherwise. */
  notes?: PendingNotes;
}

export interface IntakeResult {
  created: boolean;
  caseId: string;
  caseNumber: string;
  trackingCode: string;
  pin: string;
  stage: 'registered';
  profileId: string;
  deadlines: Deadline[];
}

const CALENDAR_TTL_MS = 60_000;
const CALENDAR_WAIT_MS = 500;
let quoting: { calendar: LegalCalendar; until: number } | undefined;

/**
 * The calendar that quotes the first deadline in the intake answer: the built-in schedule with the admin's
 * corrections, refreshed every minute. Intake never waits long for MongoDB; the workflow computes the binding one.
 */
async function quotingCalendar(store: Store | undefined): Promise<LegalCalendar> {
  if (!store) return builtInCalendar;
  if (quoting && quoting.until > Date.now()) return quoting.calendar;
  const load = loadLegalCalendar(store)
    .then((calendar) => {
      quoting = { calendar, until: Date.now() + CALENDAR_TTL_MS };
      return calendar;
    })
    .catch(() => undefined);
  const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), CALENDAR_WAIT_MS).unref());
  return (await Promise.race([load, timeout])) ?? quoting?.calendar ?? builtInCalendar;
}

/** The codes a petitioner gets, derived from the case ID with the server's secret: a retried intake returns them again. */
export function petitionerCodes(
  sealer: Sealer,
  caseId: string,
): { trackingCode: string; pin: string; pinHash: string } {
  const trackingCode = crockford(sealer.digest('tracking-code', caseId), 12);
  const pin = String(sealer.digest('pin', caseId).readUInt32BE(0) % 1_000_000).padStart(6, '0');
  return { trackingCode, pin, pinHash: pinHash(sealer, caseId, pin) };
}

/** The case's ID in the public Open311 listing: derived with the server's secret, so it cannot lead to the case ID. */
export function publicRequestId(sealer: Sealer, caseId: string): string {
  return crockford(sealer.digest('public-request-id', caseId), 16);
}

export function pinHash(sealer: Sealer, caseId: string, pin: string): string {
  return sealer.digest('pin-hash', `${caseId}:${pin}`).toString('hex');
}

/** Same petitioner and same matter (Art 19): the identity that best names the person, and the matter's words. */
function repeatKey(sealer: Sealer, body: IntakeBody): string | undefined {
  const person = body.petitioner.idNumber?.toUpperCase() ?? body.petitioner.phone?.replace(/\D/g, '');
  if (!person || body.anonymous) return undefined;
  const matter = [body.regionCode, body.category, body.subject.replace(/\s+/g, '').toLowerCase()].join('|');
  return sealer.digest('repeat', `${person}|${matter}`).toString('hex');
}

/** How long intake waits for its codes to be noted while MongoDB is connected: its own bound on a slow write. */
const TRACKING_NOTE_WAIT_MS = 5_000;

/**
 * Notes the case's codes → case ID (its tracking code, and its public ID when the public may see it), so the
 * petitioner and Open311 can follow the case before the workflow has written its record (served from the workflow
 * then). Intake needs only Temporal: while MongoDB is known to be away it
 * does not wait, and a slow write is waited for at most `TRACKING_NOTE_WAIT_MS`; the replica that answered keeps
 * any code not written yet (`PendingNotes`) and writes it as soon as MongoDB takes it.
 */
async function noteCodes(notes: PendingNotes, caseId: string, record: IntakeRecord): Promise<void> {
  const written = notes.note(caseId, record);
  if (!notes.connected) return;
  let cap: NodeJS.Timeout | undefined;
  await Promise.race([written, new Promise<void>((resolve) => (cap = setTimeout(resolve, TRACKING_NOTE_WAIT_MS)))]);
  clearTimeout(cap);
}

/**
 * How a case workflow is started: its ID, the memo that answers a retried intake, the summary and details operators
 * read in the Temporal UI, and the search attributes they filter on. Codes and dates only.
 */
export function caseStartOptions(input: CaseWorkflowInput, taskQueue: string) {
  const { ref, profile } = input;
  const t = translator(DEFAULT_LANG);
  return {
    workflowId: caseWorkflowId(ref.caseId),
    taskQueue,
    args: [input] as [CaseWorkflowInput],
    workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
    memo: { intakeDigest: input.intakeDigest, caseNumber: ref.caseNumber, receivedAt: ref.receivedAt },
    staticSummary: t('summary.case', {
      caseNumber: ref.caseNumber,
      kind: t(`kind.${ref.kind}`),
      channel: t(`channel.${ref.channel}`),
      regionCode: ref.regionCode,
      profile: profile.id,
    }),
    staticDetails: [
      t('details.case', { caseNumber: ref.caseNumber, caseId: ref.caseId }),
      t('details.matter', {
        kind: t(`kind.${ref.kind}`),
        channel: t(`channel.${ref.channel}`),
        category: ref.category,
      }),
      t('details.region', { regionCode: ref.regionCode, profile: profile.name }),
      t('details.received', { receivedAt: ref.receivedAt }),
    ].join('\n\n'),
    typedSearchAttributes: [
      { key: CaseStage, value: 'registered' },
      { key: CaseKind, value: ref.kind },
      { key: CaseRegion, value: ref.regionCode },
      { key: CaseUnit, value: [] },
      { key: CaseEscalationLevel, value: 0 },
      { key: CaseOverdue, value: false },
      { key: CaseNumber, value: ref.caseNumber },
      ...(input.urgent ? [{ key: CaseUrgent, value: true }] : []),
    ],
  };
}

/**
 * Registers a case: only Temporal is needed, so intake keeps working while MongoDB is down. The record travels
 * sealed to the workflow, whose first activity writes it to MongoDB.
 */
export async function registerCase(
  deps: IntakeDeps,
  principal: Principal,
  body: IntakeBody,
  idempotencyKey: string | undefined,
): Promise<IntakeResult> {
  const { sealer, client } = deps;
  const registeredAt = new Date();
  const caseId = idempotencyKey
    ? crockford(sealer.digest('idempotency', `${principal.keyId}\0${idempotencyKey}`), 26)
    : newCaseId(registeredAt.getTime(), randomBytes(10));
  const intakeDigest = sealer.digest('intake', canonical(body)).toString('hex');
  const profile = profileForRegion(body.regionCode);
  const codes = petitionerCodes(sealer, caseId);
  const receivedAt = body.receivedAt ? new Date(body.receivedAt) : registeredAt;
  if (receivedAt.getTime() > registeredAt.getTime() + 5 * 60_000) {
    throw problems.businessRule(message('problem.detail.receivedInFuture'));
  }
  let number = caseNumber(body.regionCode, registeredAt, caseId);
  const record: IntakeRecord = {
    caseNumber: number,
    trackingCode: codes.trackingCode,
    pinHash: codes.pinHash,
    channel: body.channel,
    kind: body.kind,
    category: body.category,
    regionCode: body.regionCode,
    profileId: profile.id,
    subject: body.subject,
    request: body.request,
    content: body.content,
    petitioner: body.petitioner,
    representatives: body.representatives,
    anonymous: body.anonymous,
    confidential: body.confidential,
    urgent: body.urgent,
    group: isGroupPetition(body, profile),
    publicationConsent: body.publicationConsent,
    publicId: publicRequestId(sealer, caseId),
    accused: { units: body.accused?.units ?? [], persons: body.accused?.persons ?? [] },
    receivedAt: receivedAt.toISOString(),
    registeredAt: registeredAt.toISOString(),
    intakeKeyId: principal.keyId,
    repeatKey: repeatKey(sealer, body),
  };
  const input: CaseWorkflowInput = {
    ref: {
      caseId,
      caseNumber: number,
      channel: body.channel,
      kind: body.kind,
      category: body.category,
      regionCode: body.regionCode,
      profileId: profile.id,
      receivedAt: record.receivedAt,
      registeredAt: record.registeredAt,
    },
    profile,
    sealedRecord: sealer.seal(record),
    intakeDigest,
    accusedUnits: accusedUnitsOf(record.accused),
    confidential: body.confidential,
    anonymous: body.anonymous,
    ...(body.urgent ? { urgent: true } : {}),
  };
  let created = true;
  let startedAt = record.receivedAt;
  const notes = deps.notes ?? (deps.store && new PendingNotes(deps.store));
  // A request the public may see has its public ID noted too: Open311 serves it from the workflow until recorded.
  const noted = notes && noteCodes(notes, caseId, record);
  try {
    await client.workflow.start<typeof caseWorkflow>('caseWorkflow', caseStartOptions(input, deps.taskQueue));
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    // The Idempotency-Key was used before: the same request gets the same case, a different one is refused.
    const existing = await client.workflow.getHandle(caseWorkflowId(caseId)).describe();
    if (existing.memo?.intakeDigest !== intakeDigest) {
      throw problems.conflict(message('problem.detail.idempotencyKeyReused'), { caseId });
    }
    created = false;
    number = String(existing.memo.caseNumber);
    startedAt = String(existing.memo.receivedAt);
  }
  await noted;
  return {
    created,
    caseId,
    caseNumber: number,
    trackingCode: codes.trackingCode,
    pin: codes.pin,
    stage: 'registered',
    profileId: profile.id,
    deadlines: [
      computeDeadline({ clock: 'dispose', rule: profile.clocks.dispose, startedAt }, await quotingCalendar(deps.store)),
    ],
  };
}

/** Art 20: five or more petitioners, or any representatives, make a group petition; it is flagged and counted. */
function isGroupPetition(body: IntakeBody, profile: JurisdictionProfile): boolean {
  const size = profile.group?.size ?? 5;
  return body.representatives.length > 0 || (body.groupSize ?? 1) >= size;
}
