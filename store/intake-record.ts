import type { Channel, Kind } from '../domain/types';

/** What the API hands the workflow (sealed) so the record can be written once MongoDB is reachable. */
export interface IntakeRecord {
  caseNumber: string;
  trackingCode: string;
  pinHash: string;
  channel: Channel;
  kind: Kind;
  category: string;
  regionCode: string;
  profileId: string;
  subject: string;
  /** The petitioner's request (诉求), stated in the reply (Art 32); older intakes have only the subject. */
  request?: string;
  content: string;
  petitioner: { name: string; idNumber?: string; phone?: string; email?: string; address?: string };
  representatives: { name: string; idNumber?: string; phone?: string; email?: string; address?: string }[];
  anonymous: boolean;
  confidential: boolean;
  /** Major or urgent at intake (Art 22(1), 25). */
  urgent?: boolean;
  /** A group petition (Art 20): flagged and counted. */
  group?: boolean;
  /** A report's accused: units by code, persons by name with their unit when known (Art 30). */
  accused: { units: string[]; persons: AccusedPerson[] };
  /** The petitioner agreed to the public Open311 listing; absent (no) in records sealed before it was asked. */
  publicationConsent?: boolean;
  /** The case's ID in the public listing (`publicRequestId`), never the case ID. */
  publicId?: string;
  receivedAt: string;
  registeredAt: string;
  intakeKeyId?: string;
  repeatKey?: string;
}

/** An accused person: the unit they work for is guarded like an accused unit. Older records hold bare names. */
export interface AccusedPerson {
  name: string;
  unitCode?: string;
}

export { accusedUnitsOf } from '../domain/fields';
