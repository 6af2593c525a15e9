/** Identifier formats, each with its inverse. */
import { localDateOf } from './calendar';

const WORKFLOW_PREFIX = 'case-';

export function caseWorkflowId(caseId: string): string {
  return `${WORKFLOW_PREFIX}${caseId}`;
}

export function caseIdFromWorkflowId(workflowId: string): string | undefined {
  return workflowId.startsWith(WORKFLOW_PREFIX) ? workflowId.slice(WORKFLOW_PREFIX.length) : undefined;
}

/** Who sent an action: the role, a department's unit and the API key — never a person's name. */
export function callerId(actor: { role: string; unitCode?: string; keyId?: string }): string {
  return [actor.role, actor.unitCode, actor.keyId].filter((part) => part).join('/');
}

/**
 * Where the words of one action request are kept (\`action_texts\`): per case, caller and action ID, and the request's
 * digest, so a reply is composed only from the words of the request that was applied, sent by the unit that sent it.
 */
export function actionTextsId(caseId: string, caller: string, actionId: string, digest?: string): string {
  return [caseId, caller, actionId, digest].filter((part) => part).join(':');
}

/** The single task queue every case workflow and activity runs on. */
export const TASK_QUEUE = 'xinfang-cases';

/** One character of Crockford base 32, the alphabet of every generated identifier (no I, L, O or U). */
export const CROCKFORD_CHAR = '[0-9A-HJKMNP-TV-Z]';
/** Case IDs are ULID-like: time-ordered, URL-safe, upper-case Crockford base32. */
export const CASE_ID_PATTERN = new RegExp(`^${CROCKFORD_CHAR}{26}$`);
/** The public ID Open311 clients see as `service_request_id`. */
export const PUBLIC_ID_PATTERN = new RegExp(`^${CROCKFORD_CHAR}{16}$`);
/** The tracking code a petitioner reads off their receipt. */
export const TRACKING_CODE_PATTERN = new RegExp(`^${CROCKFORD_CHAR}{12}$`);
/** A county-level (6-digit) administrative region code, GB/T 2260. */
export const REGION_CODE_PATTERN = /^\d{6}$/;

/** Human case number shown on letters: `XF-<region>-<yyyymmdd>-<last 6 of id>`. */
export function caseNumber(regionCode: string, registeredAt: Date, caseId: string): string {
  const local = localDateOf(registeredAt.toISOString()).replace(/-/g, '');
  return `XF-${regionCode}-${local}-${caseId.slice(-6)}`;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Encodes bytes as Crockford base32, `length` characters (5 bits each). */
export function crockford(bytes: Uint8Array, length: number): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += CROCKFORD[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (out.length < length) throw new RangeError(`need ${Math.ceil((length * 5) / 8)} bytes for ${length} characters`);
  return out;
}

/** A ULID-shaped case ID: 48 bits of milliseconds (10 characters), then 80 bits from `entropy` (16 characters). */
export function newCaseId(atMs: number, entropy: Uint8Array): string {
  let time = '';
  let t = atMs;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  return time + crockford(entropy, 16);
}

/** The issuer of the office's notices where the directory names no petition office for the region. */
export const OFFICE_ISSUER = 'office';
