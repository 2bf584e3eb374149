// The server's one logger: JSON lines (pino) with level, time and module, and
// personal data redacted by the logger itself (shared/logging/log-redaction.ts).
// Each module may have a level of its own: LOG_LEVEL="info,routing=debug,
// socket adapter=warn" logs routing's detail and only the adapter's trouble.
import pino, { type DestinationStream, type Logger } from 'pino';
import { fail, ok, type Result } from '../shared/result';
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
      level: options.level ?? 'info',
      timestamp: pino.stdTimeFunctions.isoTime,
      // Not pino's \`name\`: "name" is a personal field the redaction censors.
      base: { pid: process.pid, service: 'helpline-server' },
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

export const logLevels = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof logLevels)[number];

/**
 * What the server's modules are given to log with: a line whose prefix before
 * the first colon names the module ("routing: …"), at info unless it says.
 * Trouble an operator must act on is `error`; trouble the server rode out
 * (a refusal, a retry) is `warn`; detail for finding a fault is `debug`.
 */
export type LogLine = (line: string, level?: LogLevel) => void;

/** A default level and the modules that differ from it. */
export interface LogLevels {
  level: LogLevel | 'silent';
  modules: Record<string, LogLevel | 'silent'>;
}

const levelWords: readonly string[] = [...logLevels, 'silent'];
const isLevel = (word: string): word is LogLevel | 'silent' => levelWords.includes(word);

/**
 * Reads "info" or "info,routing=debug,socket adapter=warn": the default first
 * (info when left out), then module=level pairs, modules named as their lines
 * name them.
 */
export function parseLogLevels(text: string | undefined): Result<LogLevels> {
  const levels: LogLevels = { level: 'info', modules: {} };
  const parts = (text ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  for (const [index, part] of parts.entries()) {
    const pair = /^([a-z][a-z ]{0,30})\s*=\s*([a-z]+)$/.exec(part);
    if (pair) {
      const [, module = '', level = ''] = pair;
      if (!isLevel(level)) {
        return fail(
          'invalid_input',
          `LOG_LEVEL: "${level}" for ${module} is not one of ${levelWords.join(', ')}`,
        );
      }
      levels.modules[module.trim()] = level;
    } else if (index === 0 && isLevel(part)) {
      levels.level = part;
    } else {
      return fail(
        'invalid_input',
        `LOG_LEVEL: "${part}" is neither a level (${levelWords.join(', ')}) first nor module=level`,
      );
    }
  }
  return ok(levels);
}

/**
 * The `log(line, level)` the server's modules are given, as structured
 * records: the part before the first colon ("routing: …", "history: …")
 * becomes the module, logged through that module's own level.
 */
export function lineLogger(logger: ServerLogger, levels?: LogLevels): LogLine {
  const children = new Map<string, ServerLogger>();
  const forModule = (module: string): ServerLogger => {
    let child = children.get(module);
    if (!child) {
      const level = levels?.modules[module];
      child = logger.child({ module }, level ? { level } : {});
      children.set(module, child);
    }
    return child;
  };
  return (line, level = 'info') => {
    const module = /^([a-z][a-z ]{1,30}):\s/.exec(line)?.[1];
    (module ? forModule(module) : logger)[level](line);
  };
}
