// The desk services' one logger: JSON lines (pino) with level, time and a
// module per part (outbox, connection, sync, requests), personal data redacted
// by the logger's configuration (shared/logging/log-redaction.ts). Electron
// writes them to a file in the desk's data folder, rotated by size, browser
// mode to standard error.
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
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

/** How big a desk log file grows before it is rotated, and how many rotated files are kept. */
export interface LogRotation {
  maxBytes: number;
  keep: number;
}

/** 5 MiB a file and three older files: at most 20 MiB of logs on a shared PC. */
export const defaultLogRotation: LogRotation = { maxBytes: 5 * 1024 * 1024, keep: 3 };

/** `<file>.<keep - 1>` becomes `<file>.<keep>` (the oldest is replaced), ..., and `<file>` becomes `<file>.1`. */
function shiftLogFiles(path: string, keep: number): void {
  for (let index = keep - 1; index >= 1; index -= 1) {
    if (existsSync(`${path}.${index}`)) renameSync(`${path}.${index}`, `${path}.${index + 1}`);
  }
  if (existsSync(path)) renameSync(path, `${path}.1`);
}

export interface DeskLogFile extends DestinationStream {
  /** Writes what is buffered and closes the file. */
  end(): Promise<void>;
}

/**
 * A file destination that creates its folder, appends, and rotates by size:
 * once the file passes `maxBytes` it is renamed `<file>.1` (older ones move
 * up, `keep` are kept) and a new file is started. Desks run for months on
 * shared PCs, so the log must not grow without end. A line is never split
 * or lost: what was already handed to the open file lands in the renamed
 * one, and what follows in the new one.
 */
export function deskLogFile(path: string, rotation: LogRotation = defaultLogRotation): DeskLogFile {
  mkdirSync(dirname(path), { recursive: true });
  let written = statSync(path, { throwIfNoEntry: false })?.size ?? 0;
  if (written >= rotation.maxBytes) {
    shiftLogFiles(path, rotation.keep);
    written = 0;
  }
  // Written synchronously (to the page cache, not flushed to disk), so the
  // size counted is the file's and a rotation renames exactly what was
  // written; the services process, not the window's thread, pays for it.
  const file = pino.destination({ dest: path, sync: true });
  return {
    write(line: string) {
      file.write(line);
      written += Buffer.byteLength(line);
      if (written < rotation.maxBytes) return;
      shiftLogFiles(path, rotation.keep);
      file.reopen();
      written = 0;
    },
    end: () =>
      new Promise<void>((resolve) => {
        file.once('close', () => resolve());
        file.end();
      }),
  };
}

/** Standard error, so standard output stays free for browser mode's launch lines. */
export const standardError = (): DestinationStream => pino.destination({ dest: 2, sync: true });

/** For the services' tests and for hosts that give no logger. */
export const silentDeskLogger = (): DeskLogger => pino({ level: 'silent' });
