// Logs an operator can read without seeing young people's personal data: both
// loggers write JSON lines, and a phone number or email address in a message,
// an error or a known field never reaches the line.
import { describe, expect, it } from 'vitest';
import { createDeskLogger } from '../../electron/services/logging';
import { createServerLogger, lineLogger } from '../../server/logging';
import { redactLogText } from '../../shared/logging/log-redaction';

/** A destination that keeps each written line, parsed. */
function captured() {
  const lines: string[] = [];
  return {
    destination: { write: (line: string) => void lines.push(line) },
    lines,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

const phone = '07700 900123';
const email = 'jamie.young@example.com';

describe('log text redaction', () => {
  it('removes phone numbers and email addresses in the ways people write them', () => {
    for (const number of [
      '07700 900123',
      '07700900123',
      '+44 7700 900123',
      '(020) 7946 0018',
      '0044-7700-900-123',
    ]) {
      expect(redactLogText(`call from ${number} queued`), number).toBe('call from [phone] queued');
    }
    expect(redactLogText(`transcript to ${email} sent`)).toBe('transcript to [email] sent');
  });

  it('keeps the ids, times, addresses and counts an operator needs', () => {
    for (const text of [
      'desk 2f1d9a56-5d43-4b8e-9f0a-3c1f4f1f8e21 connected',
      'at 2026-12-03T23:05:55.123Z',
      'listening on http://127.0.0.1:4300',
      'chat 42 answered after 17 s',
      'imported 100000 starter articles',
      'version 12.11.1',
    ]) {
      expect(redactLogText(text)).toBe(text);
    }
  });
});

describe('the server logger', () => {
  it('writes a JSON line without the phone number or email in its message or fields', () => {
    const out = captured();
    const logger = createServerLogger({ destination: out.destination });
    logger.info(
      { callerNumber: phone, chat: { email } },
      `chat from ${email}, call back on ${phone}`,
    );
    lineLogger(logger)(`transcripts: sending to ${email}`);
    logger.error({ err: new Error(`relay refused ${email}`) }, 'transcript failed');

    const written = out.lines.join('\n');
    expect(written).not.toContain('900123');
    expect(written).not.toContain('example.com');
    const [first, second, third] = out.records();
    expect(first).toMatchObject({
      level: 30,
      // Which program wrote the line survives the redaction of personal fields.
      service: 'helpline-server',
      msg: 'chat from [email], call back on [phone]',
      callerNumber: '[redacted]',
      chat: { email: '[redacted]' },
    });
    expect(typeof first?.time).toBe('string');
    expect(second).toMatchObject({ module: 'transcripts', msg: 'transcripts: sending to [email]' });
    expect(third).toMatchObject({ level: 50, err: { message: 'relay refused [email]' } });
  });
});

describe('the desk logger', () => {
  it('redacts the same way in the desk services, child loggers included', () => {
    const out = captured();
    const logger = createDeskLogger({ destination: out.destination }).child({ module: 'outbox' });
    logger.warn(
      { reason: `refused: ${phone}`, displayName: 'Jamie Young' },
      `delivery to ${email} failed`,
    );

    const written = out.lines.join('\n');
    expect(written).not.toContain('900123');
    expect(written).not.toContain(email);
    expect(written).not.toContain('Jamie');
    expect(out.records()[0]).toMatchObject({
      level: 40,
      module: 'outbox',
      msg: 'delivery to [email] failed',
      displayName: '[redacted]',
    });
  });
});
