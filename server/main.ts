// The central server's command line: `npx tsx server/main.ts --data-dir .data/server
// --port 4300 --host 127.0.0.1 [--database postgres://…]` (or SERVER_DATA_DIR,
// SERVER_PORT, DATABASE_URL). Says which database it uses, prints one line when
// it is listening; SIGINT or SIGTERM closes it cleanly. Logs are JSON lines on
// standard output (LOG_LEVEL or --log-level sets the level, per module too); the one plain line, "server
// listening on <url>", is the start-up announcement launchers wait for.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from './app';
import { createServerLogger, lineLogger, parseLogLevels, type LogLevels } from './logging';
import { parseServiceHours } from '../shared/time/service-hours';
import { transcriptSettingsFromEnv } from './transcripts/settings';
import { loadSafeguardingProtocol } from './safeguarding/protocol';
import { readOutcomeCodesFile } from './wrap-up/outcome-codes';

function fromArgs() {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'service-hours': { type: 'string' },
      database: { type: 'string' },
      'dispute-days': { type: 'string' },
      'sample-per-adviser': { type: 'string' },
      'simulated-clock': { type: 'boolean', default: false },
      'log-level': { type: 'string' },
      'safeguarding-protocol': { type: 'string' },
      'outcome-codes': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(`Usage: npx tsx server/main.ts [--data-dir .data/server] [--port 4300] [--host 127.0.0.1]
  --data-dir  where the SQLite database, keys and call recordings are kept (env SERVER_DATA_DIR)
  --database  postgres://user:password@host:5432/database to use PostgreSQL instead
              of SQLite in the data folder (env DATABASE_URL)
  --port      port for HTTP and socket.io; 0 picks a free one (env SERVER_PORT)
  --host      address to listen on
  --service-hours  when web chat is open and follow-ups may be booked, HH:MM-HH:MM
              UK time (default 08:00-22:00; 00:00-24:00 for always; env SERVICE_HOURS)
  --dispute-days  days an adviser has to dispute a published quality review (default 14;
              env QUALITY_DISPUTE_DAYS)
  --sample-per-adviser  interactions drawn at random per adviser for the weekly review
              sample (default 3; env QUALITY_SAMPLE_PER_ADVISER)
  --simulated-clock  for training and tests: the telephony simulator may move the
              server's clock (POST /api/telephony/clock), so follow-ups fall due now
  --outcome-codes  a JSON file of wrap-up outcome codes, [{ "id": "guidance_given",
              "label": "Guidance given" }, …] (default: the built-in list; env OUTCOME_CODES_FILE)
  --log-level  info (the default), error, warn, debug or silent, then module=level
              pairs for modules that differ, e.g. info,routing=debug (env LOG_LEVEL)
  --safeguarding-protocol  a JSON file with the service's immediate-risk protocol, shown
              to advisers (default: the built-in one; env SAFEGUARDING_PROTOCOL_FILE)
Transcripts go to an SMTP sink inside the server (mail kept in <data-dir>/mail) unless
  SMTP_URL=smtp://user:pass@host:587 names a real relay (then TRANSCRIPT_FROM too);
  TRANSCRIPT_FROM='Name <address>' sets the From; SMTP_SINK_PORT the sink's loopback port`);
    process.exit(0);
  }
  const portText = values.port ?? process.env.SERVER_PORT ?? '4300';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    console.error(`--port must be a number from 0 to 65535, not ${portText}`);
    process.exit(2);
  }
  const hoursText = values['service-hours'] ?? process.env.SERVICE_HOURS;
  const serviceHours = hoursText === undefined ? undefined : parseServiceHours(hoursText);
  if (serviceHours === null) {
    console.error(`--service-hours takes HH:MM-HH:MM, opening before closing, not ${hoursText}`);
    process.exit(2);
  }
  const whole = (name: string, text: string | undefined, max: number): number | undefined => {
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text) || Number(text) > max) {
      console.error(`--${name} must be a whole number from 0 to ${max}, not ${text}`);
      process.exit(2);
    }
    return Number(text);
  };
  const disputeWindowDays = whole(
    'dispute-days',
    values['dispute-days'] ?? process.env.QUALITY_DISPUTE_DAYS,
    365,
  );
  const perAdviser = whole(
    'sample-per-adviser',
    values['sample-per-adviser'] ?? process.env.QUALITY_SAMPLE_PER_ADVISER,
    50,
  );
  const databaseUrl = values.database ?? process.env.DATABASE_URL ?? null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    console.error(
      '--database takes a postgres://… URL; leave it out for SQLite in the data folder',
    );
    process.exit(2);
  }
  const safeguardingProtocol = loadSafeguardingProtocol(
    values['safeguarding-protocol'] ?? process.env.SAFEGUARDING_PROTOCOL_FILE,
  );
  if (!safeguardingProtocol.ok) {
    console.error(safeguardingProtocol.error.message);
    process.exit(2);
  }
  const outcomeCodesFile = values['outcome-codes'] ?? process.env.OUTCOME_CODES_FILE;
  const outcomeCodes =
    outcomeCodesFile === undefined ? undefined : readOutcomeCodesFile(resolve(outcomeCodesFile));
  if (outcomeCodes && !outcomeCodes.ok) {
    console.error(outcomeCodes.error.message);
    process.exit(2);
  }
  return {
    databaseUrl,
    safeguardingProtocol: safeguardingProtocol.value,
    wrapUp: { outcomeCodes: outcomeCodes?.value },
    serviceHours,
    dataDir: resolve(values['data-dir'] ?? process.env.SERVER_DATA_DIR ?? '.data/server'),
    port,
    host: values.host ?? '127.0.0.1',
    transcripts: transcriptSettingsFromEnv(process.env),
    quality: { disputeWindowDays, perAdviser },
    simulatedClock: values['simulated-clock'],
    logLevels: logLevelsFrom(values['log-level'] ?? process.env.LOG_LEVEL),
  };
}

function logLevelsFrom(text: string | undefined): LogLevels {
  const levels = parseLogLevels(text);
  if (!levels.ok) {
    console.error(levels.error.message);
    process.exit(2);
  }
  return levels.value;
}

const { logLevels, ...options } = fromArgs();
const logger = createServerLogger({ level: logLevels.level });

async function main(): Promise<void> {
  const starting = startServer({ ...options, log: lineLogger(logger, logLevels) });
  // Listening before the server is up, so Ctrl-C during start-up also closes cleanly.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'closing');
    starting
      .then((server) => server.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'could not close cleanly');
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  const server = await starting;
  logger.info({ url: server.url }, 'listening');
  process.stdout.write(`server listening on ${server.url}\n`);
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'server could not start');
  process.exit(1);
});
