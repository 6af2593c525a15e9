/**
 * The SMS provider's endpoint, on this machine: it accepts each `{ to, text }` the SMS sender posts
 * (activities/sms.ts) and keeps it, so a test can read what the petitioner's phone was sent.
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
  close(): Promise<void>;
}

export async function startSmsReceiver(): Promise<SmsReceiver> {
  const messages: SmsMessage[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        messages.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as SmsMessage);
        res.writeHead(202).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`,
    messages,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
