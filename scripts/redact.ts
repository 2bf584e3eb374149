// `npm run redact`: reads text on standard input and writes it redacted to
// standard output, so operators can check exported data with the same
// redaction the server applies. One numbering covers the whole input.
// Exit codes: 0 redacted, 1 unreadable input (not UTF-8 text), 2 usage.
import { redactText } from '../server/redaction';

const usage =
  'Usage: npm run redact < input.txt > redacted.txt  (reads UTF-8 text on standard input)';

async function readStandardInput(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  }
  return Buffer.concat(chunks);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (args.length > 0) {
    process.stderr.write(`redact: takes no arguments (got ${args.join(' ')})\n${usage}\n`);
    return 2;
  }
  if (process.stdin.isTTY) {
    process.stderr.write(`redact: nothing on standard input\n${usage}\n`);
    return 2;
  }
  const input = await readStandardInput();
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    process.stderr.write('redact: the input is not UTF-8 text; nothing was written\n');
    return 1;
  }
  if (text.includes('\u0000')) {
    process.stderr.write(
      'redact: the input holds NUL bytes, so it is not text; nothing was written\n',
    );
    return 1;
  }
  process.stdout.write(redactText(text));
  return 0;
}

process.exitCode = await main();
