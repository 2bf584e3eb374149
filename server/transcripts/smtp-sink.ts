// The embedded default relay: an SMTP server inside the central server, on a
// loopback port, that keeps every message it accepts in the mail folder. It
// answers 250 only after the message and its index line are on disk, so the
// sender records a transcript as sent only once it is kept. A per-start
// password keeps other local processes from adding mail to the operators' view.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import type { MailFolder } from './mail-folder';
import type { LogLine } from '../logging';

/** Bigger than any transcript (200 KB text + 400 KB HTML, encoded), small enough to hold in memory. */
export const sinkMaxMessageBytes = 5 * 1024 * 1024;

export interface SmtpSinkOptions {
  folder: MailFolder;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  log: LogLine;
}

export interface RunningSmtpSink {
  host: string;
  port: number;
  /** Credentials the sender uses; made fresh at every start, never stored. */
  auth: { user: string; pass: string };
  close(): Promise<void>;
}

const sinkUser = 'transcripts';

class SinkError extends Error {
  constructor(
    message: string,
    readonly responseCode: number,
  ) {
    super(message);
  }
}

async function collect(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startSmtpSink(options: SmtpSinkOptions): Promise<RunningSmtpSink> {
  const host = options.host ?? '127.0.0.1';
  const pass = randomBytes(24).toString('base64url');
  const server = new SMTPServer({
    // Loopback only, so no TLS: there is no network to protect, and the
    // library's built-in certificate would be no protection anyway.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    size: sinkMaxMessageBytes,
    banner: 'careers helpline mail sink',
    // The only client is this process, on loopback: a reverse DNS lookup per
    // connection would tell us nothing.
    disableReverseLookup: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === sinkUser && auth.password === pass) {
        callback(null, { user: sinkUser });
      } else {
        callback(new SinkError('Authentication failed', 535));
      }
    },
    onData(stream, session, callback) {
      collect(stream)
        .then(async (raw) => {
          if (stream.sizeExceeded) {
            throw new SinkError(`Message is larger than ${sinkMaxMessageBytes} bytes`, 552);
          }
          const entry = await options.folder.keepEmail(raw, {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
            to: session.envelope.rcptTo.map((recipient) => recipient.address),
          });
          callback(null, `Kept as ${entry.id}`);
        })
        .catch((error: unknown) => {
          if (error instanceof SinkError) return callback(error);
          options.log(`mail sink could not keep a message: ${String(error)}`, 'error');
          // 451: a local problem (a full disk, say); the sender tries again later.
          callback(new SinkError('The sink could not keep the message; try again later', 451));
        });
    },
  });
  server.on('error', (error) => options.log(`mail sink error: ${error.message}`, 'error'));

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    host,
    port,
    auth: { user: sinkUser, pass },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
