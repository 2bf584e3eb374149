// The central server's command line: `npx tsx server/main.ts --data-dir .data/server
// --port 4300 --host 127.0.0.1 [--database postgres://…]` (or SERVER_DATA_DIR,
// SERVER_PORT, DATABASE_URL). Says which database it uses, prints one line when
// it is listening; SIGINT or SIGTERM closes it cleanly.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from './app';
import { parseServiceHours } from './chat/service-hours';
import { transcriptSettingsFromEnv } from './transcripts/settings';

function fromArgs() {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'service-hours': { type: 'string' },
      database: { type: 'string' },
      'simulated-clock': { type: 'boolean', default: false },
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
  --service-hours  when web chat is open, HH:MM-HH:MM UK time (default 08:00-22:00;
              00:00-24:00 for always; env SERVICE_HOURS)
  --simulated-clock  for training and tests: the telephony simulator may move the
              server's clock (POST /api/telephony/clock), so follow-ups fall due now
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
  const databaseUrl = values.database ?? process.env.DATABASE_URL ?? null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    console.error(
      '--database takes a postgres://… URL; leave it out for SQLite in the data folder',
    );
    process.exit(2);
  }
  return {
    databaseUrl,
    chat: serviceHours ? { serviceHours } : undefined,
    dataDir: resolve(values['data-dir'] ?? process.env.SERVER_DATA_DIR ?? '.data/server'),
    port,
    host: values.host ?? '127.0.0.1',
    transcripts: transcriptSettingsFromEnv(process.env),
    simulatedClock: values['simulated-clock'],
  };
}

async function main(): Promise<void> {
  const options = fromArgs();
  const starting = startServer({ ...options, log: (line) => console.log(line) });
  // Listening before the server is up, so Ctrl-C during start-up also closes cleanly.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: closing`);
    starting
      .then((server) => server.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(`could not close cleanly: ${String(error)}`);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  const server = await starting;
  console.log(`server listening on ${server.url}`);
}

main().catch((error: unknown) => {
  console.error(
    `server could not start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
