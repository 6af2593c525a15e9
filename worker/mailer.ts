/** E-mail is optional: without SMTP_URL replies stay in the outbox for the office's own delivery. */
export function createMailer(smtpUrl: string | undefined) {
  if (!smtpUrl) return undefined;
  return async (_message: { to: string; subject: string; text: string }): Promise<boolean> => {
    throw new Error(`SMTP delivery to ${smtpUrl} is not available in this build; unset SMTP_URL`);
  };
}
