/**
 * The SMS provider's endpoint, on this machine: it accepts each `{ to, text }` the SMS sender posts
 * (activities/sms.ts) and keeps it, so a test can read what the petitioner's phone was sent. Set `status` to a
 * non-2xx code and it refuses what it is sent (kept in `refused`), as a provider that is down or out of credit does.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SmsMessage {
  to: string;
  text: string;
}

export interface SmsReceiver {
  url: string;
  messages: SmsMessage[];
  refused: SmsMessage[];
  /** The status it answers with: 202 (accepted) until a test says otherwise. */
  status: number;
  close(): Promise<void>;
}

export async function startSmsReceiver(): Promise<SmsReceiver> {
  const messages: SmsMessage[] = [];
  const refused: SmsMessage[] = [];
  const receiver = { status: 202 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        const message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SmsMessage;
        const accepted = receiver.status >= 200 && receiver.status < 300;
        (accepted ? messages : refused).push(message);
        res.writeHead(receiver.status).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`,
    messages,
    refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
