// The EmailRelay over SMTP with nodemailer: a real relay from SMTP_URL, or the
// embedded sink on loopback. One connection per message (no pool): transcripts
// come at human pace (a few hundred a day), and a fresh connection picks up a
// relay that restarted. Against the sink that is about 8 a second, most of
// each send being smtp-server's fixed 100 ms wait for clients that talk early.
import { createTransport } from 'nodemailer';
import { z } from 'zod';
import { PermanentRefusalError, type EmailRelay, type TranscriptEmail } from './types';

export interface SmtpRelayTarget {
  /** smtp://user:pass@host:587 or smtps://…; credentials in the URL are used for AUTH. */
  url: string;
  /** Overrides credentials in the URL (the embedded sink's per-start password). */
  auth?: { user: string; pass: string };
}

/**
 * Timeouts well under the sender's claim lease (see sender.ts), so a relay
 * that hangs fails the attempt before the claim lapses and another sender
 * could pick the same transcript up.
 */
const timeouts = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };

/** The parts of a nodemailer error that say what the relay answered, and to which command. */
const smtpErrorSchema = z.object({
  responseCode: z.number().int().optional(),
  command: z.string().optional(),
});

/**
 * Which refusals are final: a 5xx answer to RCPT TO (this recipient will never
 * be taken) or to the message itself. 4xx answers, connection failures and
 * timeouts are passing; so is a 5xx to AUTH or MAIL FROM, which is about our
 * own account and address and an operator can put right within the retry window.
 * 503 (bad sequence of commands) is the client's confusion, not the recipient's.
 */
function isFinalRefusal(error: unknown): boolean {
  const parsed = smtpErrorSchema.safeParse(error);
  if (!parsed.success) return false;
  const { responseCode, command } = parsed.data;
  return (
    responseCode !== undefined &&
    responseCode >= 500 &&
    responseCode < 600 &&
    responseCode !== 503 &&
    (command === 'RCPT TO' || command === 'DATA')
  );
}

export function smtpRelay(target: SmtpRelayTarget, from: string): EmailRelay {
  const transport = createTransport({
    url: target.url,
    ...(target.auth ? { auth: target.auth } : {}),
    ...timeouts,
  });
  return {
    async send(email: TranscriptEmail) {
      const info = await transport
        .sendMail({
          from,
          // An address object, not a string: nodemailer parses a string as an
          // address list (commas, groups, display names), and takes an object's
          // address as the one recipient, both in To and in the envelope.
          to: { name: '', address: email.to },
          subject: email.subject,
          text: email.text,
          html: email.html,
          messageId: email.messageId,
          // Tells mail systems not to send out-of-office replies to a machine.
          headers: { 'Auto-Submitted': 'auto-generated' },
        })
        .catch((error: unknown): never => {
          if (!isFinalRefusal(error)) throw error;
          const reason = error instanceof Error ? error.message : String(error);
          throw new PermanentRefusalError(`The relay refused the transcript for good: ${reason}`);
        });
      const rejected = (info.rejected ?? []).map(String);
      if (rejected.length > 0) {
        // Only reached when some recipients were taken and others not, which one
        // recipient cannot do; treated as the recipient refused, for good.
        // The answer, not the address: errors reach the server log.
        throw new PermanentRefusalError(`The relay refused the recipient: ${info.response}`);
      }
    },
    close() {
      transport.close();
    },
  };
}
