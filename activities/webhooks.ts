import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { DEFAULT_LANG, message, translate } from '../domain/i18n';
import { petitionOfficeFor } from '../domain/routing';
import type { Store } from '../store/models';
import {
  WebhookAllowlist,
  WebhookTargetRefused,
  checkAddress,
  checkingLookup,
  literalAddress,
  urlProblem,
} from '../outbound/webhook-targets';
import { activityFailure } from './failures';

export interface WebhookResult {
  outcome: 'delivered' | 'no_webhook';
  status?: number;
}

export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface WebhookOptions {
  /** Non-public targets the admin allows (`XINFANG_WEBHOOK_ALLOW`). */
  allowlist?: WebhookAllowlist;
  timeoutMs?: number;
}

/**
 * POSTs one outbox notification to its unit's webhook, signed with HMAC-SHA256 over the raw body. A 4xx answer
 * will not change on retry, so it fails for good, as do a redirect (never followed: it would re-send the signed body
 * elsewhere) and a target the address policy refuses; anything else is retried by the activity's retry policy.
 * The body names the case and what happened; it never carries the petitioner's identity.
 */
export async function deliverWebhook(
  store: Store,
  outboxId: string,
  { allowlist = new WebhookAllowlist(), timeoutMs = 10_000 }: WebhookOptions = {},
): Promise<WebhookResult> {
  const notification = await store.outbox.findById(outboxId).lean();
  if (!notification) throw activityFailure(message('activity.outboxNotWritten', { outboxId }), { nonRetryable: false });
  if (notification.deliveredAt) return { outcome: 'delivered' };
  const unitCode = await webhookUnit(store, notification);
  const unit = await store.units.findById(unitCode).lean();
  if (!unit?.webhookUrl || !unit.webhookSecret) return { outcome: 'no_webhook' };
  const record = await store.cases
    .findById(notification.caseId, { caseNumber: 1, kind: 1, category: 1, regionCode: 1, stage: 1, deadlines: 1 })
    .lean();
  const body = JSON.stringify({
    id: outboxId,
    event: notification.kind,
    unitCode,
    case: record && {
      caseId: notification.caseId,
      caseNumber: record.caseNumber,
      kind: record.kind,
      category: record.category,
      regionCode: record.regionCode,
      stage: record.stage,
      deadlines: record.deadlines,
    },
    detail: (notification.payload ?? {}) as Record<string, unknown>,
    createdAt: notification.createdAt,
  });
  let status: number | undefined;
  let error: string | undefined;
  let refusal: WebhookTargetRefused | undefined;
  try {
    status = await post(new URL(unit.webhookUrl), body, {
      headers: {
        'Content-Type': 'application/json',
        'X-Xinfang-Delivery': outboxId,
        'X-Xinfang-Event': notification.kind,
        'X-Xinfang-Signature': signature(unit.webhookSecret, body),
      },
      allowlist,
      timeoutMs,
    });
  } catch (cause) {
    if (cause instanceof WebhookTargetRefused) refusal = cause;
    error = cause instanceof Error ? cause.message : String(cause);
  }
  const delivered = status !== undefined && status >= 200 && status < 300;
  // The delivery log is the operators': in Chinese.
  if (status !== undefined && status >= 300 && status < 400) {
    error = translate(DEFAULT_LANG, 'webhook.redirected', { status });
  }
  const lastError = error ?? translate(DEFAULT_LANG, 'webhook.answered', { status: String(status) });
  await store.outbox.updateOne(
    { _id: outboxId },
    {
      $inc: { attempts: 1 },
      $set: {
        lastError: delivered ? null : lastError,
        ...(delivered ? { deliveredAt: new Date() } : {}),
      },
      $push: { deliveries: { at: new Date(), status: status ?? null, error: error ?? null } },
    },
  );
  if (delivered) return { outcome: 'delivered', status };
  if (refusal) throw activityFailure(refusal.detail, { type: 'WebhookTargetRefused', nonRetryable: true });
  const recipient = notification.recipient;
  if (status !== undefined && status >= 300 && status < 500 && status !== 408 && status !== 429) {
    const refused = message(status < 400 ? 'webhook.refusedRedirect' : 'webhook.refused', { unit: recipient, status });
    throw activityFailure(refused, { type: 'WebhookRefused', nonRetryable: true });
  }
  throw activityFailure(message('webhook.failed', { unit: recipient, error: lastError }), {
    type: 'WebhookFailed',
    nonRetryable: false,
  });
}

/**
 * The unit whose endpoint receives a notification: its recipient, or for one addressed to `office` (a problem the
 * office must solve) the petition office of the case's region, or of the nearest region above that has one.
 */
async function webhookUnit(store: Store, notification: { recipient: string; caseId?: string | null }): Promise<string> {
  if (notification.recipient !== 'office' || !notification.caseId) return notification.recipient;
  const record = await store.cases.findById(notification.caseId, { regionCode: 1 }).lean();
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
  return (record?.regionCode && petitionOfficeFor(record.regionCode, directory)) || notification.recipient;
}

/**
 * One POST over node:http(s), which never follows redirects, on a connection of its own whose address passed the
 * target policy; resolves to the status code.
 */
async function post(
  url: URL,
  body: string,
  options: { headers: Record<string, string>; allowlist: WebhookAllowlist; timeoutMs: number },
): Promise<number> {
  const problem = urlProblem(url);
  if (problem) throw new WebhookTargetRefused(problem);
  const literal = literalAddress(url);
  if (literal) checkAddress(url, literal, options.allowlist);
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method: 'POST',
        headers: { ...options.headers, 'Content-Length': Buffer.byteLength(body) },
        agent: false,
        lookup: checkingLookup(url, options.allowlist),
        timeout: options.timeoutMs,
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    // Recorded in the delivery log, which operators read.
    const silence = () => new Error(translate(DEFAULT_LANG, 'webhook.noAnswer', { ms: options.timeoutMs }));
    request.on('timeout', () => request.destroy(silence()));
    request.on('error', reject);
    request.end(body);
  });
}
