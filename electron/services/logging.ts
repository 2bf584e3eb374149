// The desk services' one logger: JSON lines (pino) with level, time and a
// module per part (outbox, connection, sync, requests), personal data redacted
// by the logger's configuration (shared/logging/log-redaction.ts). Electron
// writes them to a file in the desk's data folder, browser mode to standard error.
import pino, { type DestinationStream, type Logger } from 'pino';
import {
  personalLogPaths,
  redactionCensor,
  redactLogArguments,
} from '../../shared/logging/log-redaction';

export type DeskLogger = Logger;

export interface DeskLoggerOptions {
  level?: string;
  destination: DestinationStream;
}

export function createDeskLogger(options: DeskLoggerOptions): DeskLogger {
  return pino(
    {
      level: options.level ?? 'info',
      timestamp: pino.stdTimeFunctions.isoTime,
      // Not pino's \`name\`: "name" is a personal field the redaction censors.
      base: { pid: process.pid, service: 'adviser-desk' },
      redact: { paths: personalLogPaths, censor: redactionCensor },
      hooks: {
        logMethod(args, method) {
          method.apply(this, redactLogArguments(args) as Parameters<typeof method>);
        },
      },
    },
    options.destination,
  );
}

/** A file destination that creates its folder; appended to, never truncated. */
export function deskLogFile(path: string): DestinationStream {
  return pino.destination({ dest: path, mkdir: true, sync: false });
}

/** Standard error, so standard output stays free for browser mode's launch lines. */
export const standardError = (): DestinationStream => pino.destination({ dest: 2, sync: true });

/** For the services' tests and for hosts that give no logger. */
export const silentDeskLogger = (): DeskLogger => pino({ level: 'silent' });
