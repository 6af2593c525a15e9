/**
 * Cases as the harness's users start them: petitions the suites and the fault suite register (made-up people, a
 * real-looking matter routed by the demo directory), and the workflow input of a case started without the API.
 */
import { randomBytes } from 'node:crypto';
import { petitionerCodes } from '../api/intake';
import { caseNumber, newCaseId } from '../domain/ids';
import type { Channel, Kind } from '../domain/types';
import type { IntakeRecord } from '../store/intake-record';
import type { Sealer } from '../store/sealed';
import type { CaseWorkflowInput } from '../workflows/case-state';

type CaseProfile = CaseWorkflowInput['profile'];

/** A complaint about construction noise in 西湖区 (330106): the demo rules send it to 330100-HB. */
export const noiseComplaint = {
  channel: 'online',
  kind: 'complaint',
  subject: 'Night-time construction noise',
  content: 'Work goes on past midnight at the Wensan Road site.',
  regionCode: '330106',
  category: 'environment',
  petitioner: { name: '王五', phone: '13700000000' },
};

/** A misconduct report about the district police, 330106-GA: the demo routing sends it to the discipline unit. */
export const misconductReport = {
  channel: 'online',
  kind: 'report',
  subject: 'An officer takes bribes',
  content: 'An officer of the district police took money.',
  regionCode: '330106',
  category: 'public_security',
  petitioner: { name: '赵六' },
  accused: { units: ['330106-GA'] },
};

/** A case as intake registers it, with every choice a caller may make; the rest as a plain complaint by letter. */
export interface CaseStartChoices {
  /** The registration instant; the case ID and number derive from it. */
  registered: Date;
  /** When the letter arrived (the dispose clock counts from here); defaults to `registered`. */
  receivedAt?: Date;
  regionCode: string;
  profile: CaseProfile;
  channel?: Channel;
  kind?: Kind;
  category?: string;
  subject: string;
  content: string;
  phone?: string;
  accusedUnits?: string[];
  anonymous?: boolean;
  confidential?: boolean;
  repeatKey?: string;
}

/**
 * The workflow input api/intake.ts `registerCase` builds (sealed intake record, digest, reference), for code that
 * starts `caseWorkflow` directly: the time-skipping stack and the benchmark's timer run.
 */
export function caseStartInput(
  sealer: Sealer,
  choices: CaseStartChoices,
): { caseId: string; caseNumber: string; input: CaseWorkflowInput } {
  const { registered, regionCode, profile } = choices;
  const caseId = newCaseId(registered.getTime(), randomBytes(10));
  const number = caseNumber(regionCode, registered, caseId);
  const codes = petitionerCodes(sealer, caseId);
  const channel = choices.channel ?? 'letter';
  const kind = choices.kind ?? 'complaint';
  const category = choices.category ?? 'environment';
  const record: IntakeRecord = {
    caseNumber: number,
    trackingCode: codes.trackingCode,
    pinHash: codes.pinHash,
    channel,
    kind,
    category,
    regionCode,
    profileId: profile.id,
    subject: choices.subject,
    content: choices.content,
    petitioner: { name: '王五', phone: choices.phone ?? '13800000000' },
    representatives: [],
    anonymous: choices.anonymous ?? false,
    confidential: choices.confidential ?? false,
    accused: { units: choices.accusedUnits ?? [], persons: [] },
    receivedAt: (choices.receivedAt ?? registered).toISOString(),
    registeredAt: registered.toISOString(),
    ...(choices.repeatKey ? { repeatKey: choices.repeatKey } : {}),
  };
  const input: CaseWorkflowInput = {
    ref: {
      caseId,
      caseNumber: number,
      channel,
      kind,
      category,
      regionCode,
      profileId: profile.id,
      receivedAt: record.receivedAt,
      registeredAt: record.registeredAt,
    },
    profile,
    sealedRecord: sealer.seal(record),
    intakeDigest: sealer.digest('intake', caseId).toString('hex'),
    accusedUnits: record.accused.units,
    confidential: record.confidential,
    ...(record.anonymous ? { anonymous: true } : {}),
  };
  return { caseId, caseNumber: number, input };
}
