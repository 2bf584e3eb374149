// The EmailRelay over SMTP with nodemailer: a real relay from SMTP_URL, or the
// embedded sink on loopback. One connection per message (no pool): transcripts
// come at human pace (a few hundred a day), and a fresh connection picks up a
// relay that restarted. Against the sink that is about 8 a second, most of
// each send being smtp-server's fixed 100 ms wait for clients that talk early.
import { createTransport } from 'nodemailer';
import type { EmailRelay, TranscriptEmail } from './types';

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

export function smtpRelay(target: SmtpRelayTarget, from: string): EmailRelay {
  const transport = createTransport({
    url: target.url,
    ...(target.auth ? { auth: target.auth } : {}),
    ...timeouts,
  });
  return {
    async send(email: TranscriptEmail) {
      const info = await transport.sendMail({
        from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: email.messageId,
        // Tells mail systems not to send out-of-office replies to a machine.
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
      const rejected = (info.rejected ?? []).map(String);
      if (rejected.length > 0) {
        // The answer, not the address: errors reach the server log.
        throw new Error(`The relay refused the recipient: ${info.response}`);
      }
    },
    close() {
      transport.close();
    },
  };
}
