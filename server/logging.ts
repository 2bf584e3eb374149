// The server's one logger: JSON lines (pino) with level, time and module, and
// personal data redacted by the logger itself (shared/logging/log-redaction.ts).
import pino, { type DestinationStream, type Logger } from 'pino';
import {
  personalLogPaths,
  redactionCensor,
  redactLogArguments,
} from '../shared/logging/log-redaction';

export type ServerLogger = Logger;

export interface ServerLoggerOptions {
  /** Defaults to info; LOG_LEVEL in the server's configuration. */
  level?: string;
  /** Defaults to standard output. */
  destination?: DestinationStream;
}

export function createServerLogger(options: ServerLoggerOptions = {}): ServerLogger {
  return pino(
    {
      name: 'helpline-server',
      level: options.level ?? 'info',
      timestamp: pino.stdTimeFunctions.isoTime,
      base: { pid: process.pid },
      redact: { paths: personalLogPaths, censor: redactionCensor },
      hooks: {
        logMethod(args, method) {
          method.apply(this, redactLogArguments(args) as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/**
 * The `log(line)` the server's modules are given, as structured records: the
 * part before the first colon ("routing: …", "history: …") becomes the module.
 */
export function lineLogger(logger: ServerLogger): (line: string) => void {
  return (line) => {
    const module = /^([a-z][a-z ]{1,30}):\s/.exec(line)?.[1];
    if (module) logger.info({ module }, line);
    else logger.info(line);
  };
}
