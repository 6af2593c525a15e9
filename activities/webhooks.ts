import { createHmac } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
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
  const unit = await store.units.findById(message.recipient).lean();
  if (!unit?.webhookUrl || !unit.webhookSecret) return { outcome: 'no_webhook' };
  const record = await store.cases
    .findById(message.caseId, { caseNumber: 1, kind: 1, category: 1, regionCode: 1, stage: 1, deadlines: 1 })
    .lean();
  const body = JSON.stringify({
    id: outboxId,
    event: message.kind,
    unitCode: message.recipient,
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
