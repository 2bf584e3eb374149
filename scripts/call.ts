// The simulated telephony platform's command line: offers a voice call to an
// adviser's desk, hangs one up as the customer would, or says whether a
// customer picks up when a follow-up call rings them.
//   npx tsx scripts/call.ts --adviser demo-adviser --cli 07700900123 [--server URL] [--data-dir DIR]
//   npx tsx scripts/call.ts --end <callId>
//   npx tsx scripts/call.ts --customer 07700900123 --answers no
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { resultSchema } from '../shared/result';
import { telephonyCallOfferedSchema, telephonyCallRequestSchema } from '../shared/wire/http';
import { callEndedSchema, callIdSchema } from '../shared/wire/socket';

const customerBehaviourSchema = z.object({ number: z.string(), answers: z.boolean() });

const usage = `Usage:
  npm run call -- --adviser <username> [--cli <number>] [--server http://127.0.0.1:4300] [--data-dir .data/server]
  npm run call -- --end <call id> [--server …] [--data-dir …]
  npm run call -- --customer <number> --answers yes|no [--server …] [--data-dir …]
    (whether that customer picks up when a follow-up call rings them; yes until told)
The telephony key is read from <data-dir>/telephony.key, or from TELEPHONY_KEY.`;

class CallCommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

function readArgs() {
  try {
    const { values } = parseArgs({
      options: {
        adviser: { type: 'string' },
        cli: { type: 'string' },
        end: { type: 'string' },
        customer: { type: 'string' },
        answers: { type: 'string' },
        server: { type: 'string', default: 'http://127.0.0.1:4300' },
        'data-dir': { type: 'string', default: '.data/server' },
        help: { type: 'boolean', default: false },
      },
    });
    return values;
  } catch (error) {
    throw new CallCommandError(
      `${error instanceof Error ? error.message : String(error)}\n${usage}`,
      2,
    );
  }
}

function telephonyKey(dataDir: string): string {
  const fromEnv = process.env.TELEPHONY_KEY?.trim();
  if (fromEnv) return fromEnv;
  const path = join(dataDir, 'telephony.key');
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    throw new CallCommandError(
      `No telephony key at ${path}: start the server with that data folder first, or set TELEPHONY_KEY`,
      1,
    );
  }
}

async function post(server: string, path: string, key: string, body: unknown): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(new URL(path, server), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telephony-key': key },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    throw new CallCommandError(
      `The central server at ${server} is not answering: is it running?`,
      1,
    );
  }
  try {
    return await response.json();
  } catch {
    throw new CallCommandError(
      `${server} answered ${response.status} with something other than JSON`,
      1,
    );
  }
}

function unwrap<T>(schema: z.ZodType<T>, answer: unknown): T {
  const parsed = resultSchema(schema).safeParse(answer);
  if (!parsed.success)
    throw new CallCommandError(
      'The central server gave an answer this command does not understand',
      1,
    );
  if (!parsed.data.ok)
    throw new CallCommandError(
      `refused (${parsed.data.error.code}): ${parsed.data.error.message}`,
      1,
    );
  return parsed.data.value as T;
}

async function run(): Promise<void> {
  const args = readArgs();
  if (args.help) {
    console.log(usage);
    return;
  }
  if (args.customer !== undefined) {
    if (args.answers !== 'yes' && args.answers !== 'no') {
      throw new CallCommandError(`--customer takes --answers yes or --answers no\n${usage}`, 2);
    }
    const key = telephonyKey(args['data-dir']);
    const told = unwrap(
      customerBehaviourSchema,
      await post(args.server, '/api/telephony/customers', key, {
        number: args.customer,
        answers: args.answers === 'yes',
      }),
    );
    console.log(`${told.number} ${told.answers ? 'answers' : 'does not answer'} follow-up calls`);
    return;
  }
  if (args.end !== undefined) {
    const callId = callIdSchema.safeParse(args.end);
    if (!callId.success || args.adviser !== undefined) {
      throw new CallCommandError(
        `--end takes a call id and nothing about the adviser\n${usage}`,
        2,
      );
    }
    const key = telephonyKey(args['data-dir']);
    const path = `/api/telephony/calls/${encodeURIComponent(callId.data)}/end`;
    const ended = unwrap(callEndedSchema, await post(args.server, path, key, {}));
    console.log(`call ${ended.callId} ended by the ${ended.endedBy}`);
    return;
  }
  const request = telephonyCallRequestSchema.safeParse({ adviser: args.adviser, cli: args.cli });
  if (!request.success) {
    throw new CallCommandError(
      `${request.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('; ')}\n${usage}`,
      2,
    );
  }
  const key = telephonyKey(args['data-dir']);
  const offered = unwrap(
    telephonyCallOfferedSchema,
    await post(args.server, '/api/telephony/calls', key, request.data),
  );
  console.log(`call ${offered.callId} offered to ${offered.adviser}`);
}

run().catch((error: unknown) => {
  if (error instanceof CallCommandError) {
    console.error(error.message);
    process.exit(error.exitCode);
  }
  console.error(String(error));
  process.exit(1);
});
