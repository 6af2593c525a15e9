import { createHmac } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { petitionOfficeFor } from '../domain/routing';
import type { Store } from '../store/models';

export interface WebhookResult {
  outcome: 'delivered' | 'no_webhook';
  status?: number;
}

export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * POSTs one outbox notification to its unit's webhook, signed with HMAC-SHA256 over the raw body. A 4xx answer
 * will not change on retry, so it fails for good; anything else is retried by the activity's retry policy.
 * The body names the case and what happened; it never carries the petitioner's identity.
 */
export async function deliverWebhook(store: Store, outboxId: string, timeoutMs = 10_000): Promise<WebhookResult> {
  const message = await store.outbox.findById(outboxId).lean();
  if (!message) throw ApplicationFailure.retryable(`outbox message ${outboxId} is not written yet`);
  if (message.deliveredAt) return { outcome: 'delivered' };
  const unitCode = await webhookUnit(store, message);
  const unit = await store.units.findById(unitCode).lean();
  if (!unit?.webhookUrl || !unit.webhookSecret) return { outcome: 'no_webhook' };
  const record = await store.cases
    .findById(message.caseId, { caseNumber: 1, kind: 1, category: 1, regionCode: 1, stage: 1, deadlines: 1 })
    .lean();
  const body = JSON.stringify({
    id: outboxId,
    event: message.kind,
    unitCode,
    case: record && {
      caseId: message.caseId,
      caseNumber: record.caseNumber,
      kind: record.kind,
      category: record.category,
      regionCode: record.regionCode,
      stage: record.stage,
      deadlines: record.deadlines,
    },
    detail: (message.payload ?? {}) as Record<string, unknown>,
    createdAt: message.createdAt,
  });
  let status: number | undefined;
  let error: string | undefined;
  try {
    const response = await fetch(unit.webhookUrl, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Xinfang-Delivery': outboxId,
        'X-Xinfang-Event': message.kind,
        'X-Xinfang-Signature': signature(unit.webhookSecret, body),
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.status;
  } catch (cause) {
    error = cause instanceof Error ? cause.message : String(cause);
  }
  const delivered = status !== undefined && status >= 200 && status < 300;
  await store.outbox.updateOne(
    { _id: outboxId },
    {
      $inc: { attempts: 1 },
      $set: {
        lastError: delivered ? null : (error ?? `HTTP ${status}`),
        ...(delivered ? { deliveredAt: new Date() } : {}),
      },
      $push: { deliveries: { at: new Date(), status: status ?? null, error: error ?? null } },
    },
  );
  if (delivered) return { outcome: 'delivered', status };
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    throw ApplicationFailure.nonRetryable(
      `unit ${message.recipient} refused the webhook with HTTP ${status}`,
      'WebhookRefused',
    );
  }
  throw ApplicationFailure.retryable(
    `webhook to unit ${message.recipient} failed: ${error ?? `HTTP ${status}`}`,
    'WebhookFailed',
  );
}

/**
 * The unit whose endpoint receives a notification: its recipient, or for one addressed to `office` (a problem the
 * office must solve) the petition office of the case's region, or of the nearest region above that has one.
 */
async function webhookUnit(store: Store, message: { recipient: string; caseId?: string | null }): Promise<string> {
  if (message.recipient !== 'office' || !message.caseId) return message.recipient;
  const record = await store.cases.findById(message.caseId, { regionCode: 1 }).lean();
  const offices = await store.units.find({ role: 'petition_office' }, { regionCode: 1 }).lean();
  const directory = {
    units: offices.map((u) => ({
      code: u._id,
      name: '',
      level: 'county' as const,
      regionCode: u.regionCode,
      role: 'petition_office' as const,
    })),
    rules: [],
  };
  return (record?.regionCode && petitionOfficeFor(record.regionCode, directory)) || message.recipient;
}
