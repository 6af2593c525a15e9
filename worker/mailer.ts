import nodemailer from 'nodemailer';

export type SendMail = (message: { to: string; subject: string; text: string }) => Promise<boolean>;

/**
 * E-mail is optional: without SMTP_URL (e.g. `smtp://user:pass@mail.example:587`) replies stay in the outbox for the
 * office's own delivery. A failed send throws, so the activity retries it.
 */
export function createMailer(
  smtpUrl: string | undefined,
  from = 'Xinfang <no-reply@xinfang.invalid>',
): SendMail | undefined {
  if (!smtpUrl) return undefined;
  const transport = nodemailer.createTransport(smtpUrl);
  return async (message) => {
    await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    return true;
  };
}
