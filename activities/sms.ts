/**
 * SMS through a provider interface: one HTTP POST of JSON `{ to, text }` to the provider's endpoint
 * (`XINFANG_SMS_URL`); any 2xx answer means the provider accepted the message. A provider with another API sits
 * behind a small adapter at that URL.
 */
export type SmsSender = (message: { to: string; text: string }) => Promise<boolean>;

export function createSmsSender(url: string | undefined, options: { timeoutMs?: number } = {}): SmsSender | undefined {
  if (!url) return undefined;
  return async ({ to, text }) => {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ to, text }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      return response.ok;
    } catch {
      return false;
    }
  };
}
