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
  content: string;
  petitioner: { name: string; idNumber?: string; phone?: string; email?: string; address?: string };
  representatives: { name: string; idNumber?: string; phone?: string; email?: string; address?: string }[];
  anonymous: boolean;
  confidential: boolean;
  /** The petitioner agreed to the public Open311 listing; absent (no) in records sealed before it was asked. */
  publicationConsent?: boolean;
  /** The case's ID in the public listing (`publicRequestId`), never the case ID. */
  publicId?: string;
  accused: { units: string[]; persons: string[] };
  receivedAt: string;
  registeredAt: string;
  intakeKeyId?: string;
  repeatKey?: string;
}
