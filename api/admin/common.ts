/** What the administration routes share: their dependencies, their refusals, and the check of unit references. */
import type { Client } from '@temporalio/client';
import type { WebhookAllowlist } from '../../outbound/webhook-targets';
import { message, type Message } from '../../domain/i18n';
import { unknownUnitCodes, type Store } from '../../store/models';
import type { KeyRing } from '../auth';
import { HttpProblem } from '../problem';
import { problemResponse, security } from '../schemas';

export interface AdminDeps {
  client: Client;
  store: Store;
  taskQueue: string;
  keys: KeyRing;
  webhookAllowlist?: WebhookAllowlist;
}

/** Every administration route: admin keys only. */
export const admin = { tags: ['admin'], security: security.apiKey, roles: ['admin' as const] };

export const adminProblems = {
  401: problemResponse('No or unknown API key'),
  403: problemResponse('Not an admin key'),
  503: problemResponse('MongoDB or Temporal is unreachable; retry'),
};

/** A reference to something that must exist, e.g. a unit code: 422 naming the field. */
export function unknownReferences(errors: { field: string; message: Message }[]): HttpProblem {
  return new HttpProblem(
    422,
    'Unprocessable Content',
    errors.map((e) => ({ ...e, rule: 'unknown_reference' })),
  );
}

export async function missingUnits(store: Store, references: { field: string; unitCode: string }[]) {
  const unknown = await unknownUnitCodes(
    store,
    references.map((r) => r.unitCode),
  );
  return references
    .filter((r) => unknown.includes(r.unitCode))
    .map((r) => ({ field: r.field, message: message('validation.unitNotInDirectory', { unitCode: r.unitCode }) }));
}
