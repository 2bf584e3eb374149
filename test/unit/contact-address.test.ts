// Transcript addresses: exactly one mailbox or one UK mobile, whatever else an
// address field is made to carry (lists, header injection, display names,
// landlines, other countries), and the same answer from every schema that
// takes one.
import { describe, expect, it } from 'vitest';
import { transcriptRequestSchema } from '../../shared/documents/transcript';
import {
  contactAddressProblem,
  followUpContactProblem,
  parseContactAddress,
  parseEmailAddress,
  parseUkMobileNumber,
  parseUkPhoneNumber,
} from '../../shared/domain/contact-address';
import { followUpBookingSchema, transcriptChoiceSchema } from '../../shared/interaction/record';

const interactionId = '6f1d7a3e-2b4c-4d5e-8f90-123456789abc';

describe('an email transcript address', () => {
  it('takes one plain mailbox, with the domain in lower case', () => {
    expect(parseEmailAddress('sam@example.com')).toEqual({ ok: true, value: 'sam@example.com' });
    expect(parseEmailAddress("Sam.O'Neil+plan@Mail.Example.co.UK")).toEqual({
      ok: true,
      value: "Sam.O'Neil+plan@mail.example.co.uk",
    });
  });

  it.each([
    ['a comma list', 'sam@example.com, boss@example.com'],
    ['a comma list without spaces', 'sam@example.com,boss@example.com'],
    ['a semicolon list', 'sam@example.com;boss@example.com'],
    ['a trailing comma', 'sam@example.com,'],
    ['CRLF and a Bcc header', 'sam@example.com\r\nBcc: everyone@example.com'],
    ['LF and a Bcc header', 'sam@example.com\nBcc: everyone@example.com'],
    ['a bare CR', 'sam@example.com\rBcc: everyone@example.com'],
    ['a display name', 'Sam <sam@example.com>'],
    ['display names with two addresses', 'Sam <sam@example.com>, Boss <boss@example.com>'],
    ['a group', 'friends: sam@example.com, boss@example.com;'],
    ['a quoted local part with a comma', '"sam,boss"@example.com'],
    ['spaces around it', ' sam@example.com '],
    ['no domain dot', 'sam@localhost'],
    ['two at signs', 'sam@boss@example.com'],
    ['an IP literal', 'sam@[127.0.0.1]'],
    ['nothing', ''],
  ])('refuses %s', (_what, input) => {
    expect(parseEmailAddress(input)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('refuses an address longer than SMTP carries', () => {
    const long = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`;
    expect(long.length).toBeGreaterThan(254);
    expect(parseEmailAddress(long)).toMatchObject({ ok: false });
  });
});

describe('a text-message transcript number', () => {
  it.each([
    ['07700 900123', '+447700900123'],
    ['07700900123', '+447700900123'],
    ['+44 7700 900123', '+447700900123'],
    ['+447700900123', '+447700900123'],
    ['0044 7700 900123', '+447700900123'],
    ['07911 123456', '+447911123456'],
    ['+44 7400 123456', '+447400123456'],
  ])('takes the UK mobile %s as %s', (input, e164) => {
    expect(parseUkMobileNumber(input)).toEqual({ ok: true, value: e164 });
  });

  it.each([
    ['a London landline', '020 7946 0000'],
    ['a landline in E.164', '+44 20 7946 0000'],
    ['a 070 personal number', '070 1234 5678'],
    ['a freephone number', '0800 123 4567'],
    ['a US number', '+1 202 555 0143'],
    ['a French mobile', '+33 6 12 34 56 78'],
    ['an Irish mobile dialled from the UK', '00353 85 123 4567'],
    ['a mobile without its leading 0', '7911 123456'],
    ['a mobile with 44 but no +', '44 7911 123456'],
    ['a digit short', '07911 12345'],
    ['a digit over', '07911 1234567'],
    ['two numbers', '07911 123456, 07911 654321'],
    ['CRLF and a header', '07911 123456\r\nBcc: everyone@example.com'],
    ['letters', '07911 CALLME'],
    ['an email address', 'sam@example.com'],
    ['nothing', ''],
  ])('refuses %s', (_what, input) => {
    expect(parseUkMobileNumber(input)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });

  it('says why a landline cannot take a text message', () => {
    expect(contactAddressProblem('text', '020 7946 0000')).toMatch(/mobile numbers only/);
  });
});

describe('a follow-up contact', () => {
  it('may be a landline for a call, but only a mobile for a text', () => {
    expect(parseUkPhoneNumber('020 7946 0000')).toEqual({ ok: true, value: '+442079460000' });
    expect(followUpContactProblem('phone', '020 7946 0000')).toBeNull();
    expect(followUpContactProblem('phone', '07700900123')).toBeNull();
    expect(followUpContactProblem('text', '020 7946 0000')).not.toBeNull();
    expect(followUpContactProblem('phone', '+1 202 555 0143')).not.toBeNull();
    expect(followUpContactProblem('email', 'a@example.com, b@example.com')).not.toBeNull();
    expect(followUpContactProblem('email', 'teacher@school.example')).toBeNull();
  });
});

describe('every schema that takes a transcript address', () => {
  const injected = [
    { via: 'email', address: 'sam@example.com, boss@example.com' },
    { via: 'email', address: 'sam@example.com\r\nBcc: everyone@example.com' },
    { via: 'email', address: 'Sam <sam@example.com>, Boss <boss@example.com>' },
    { via: 'text', address: '020 7946 0000' },
    { via: 'text', address: '+1 202 555 0143' },
    // A number where an email address belongs, and the other way round.
    { via: 'email', address: '07700 900123' },
    { via: 'text', address: 'sam@example.com' },
  ] as const;

  it.each(injected)('refuses $via to $address', (choice) => {
    expect(parseContactAddress(choice.via, choice.address).ok).toBe(false);
    expect(transcriptChoiceSchema.safeParse({ decision: 'send', ...choice }).success).toBe(false);
    expect(transcriptRequestSchema.safeParse({ interactionId, ...choice }).success).toBe(false);
  });

  it('keeps the record’s address as typed, and gives the request’s normalised', () => {
    const choice = { decision: 'send', via: 'text', address: '07700 900123' } as const;
    expect(transcriptChoiceSchema.parse(choice)).toEqual(choice);
    expect(transcriptRequestSchema.parse({ interactionId, ...choice })).toEqual({
      interactionId,
      via: 'text',
      address: '+447700900123',
    });
  });

  it('takes an old request that still carries a desk-made document, and drops the document', () => {
    const old = {
      interactionId,
      via: 'email',
      address: 'sam@example.com',
      document: { subject: 'Hi', text: 'x', html: '<a href="https://phish.example">log in</a>' },
    };
    expect(transcriptRequestSchema.parse(old)).toEqual({
      interactionId,
      via: 'email',
      address: 'sam@example.com',
    });
  });
});

describe('a follow-up booking’s contact', () => {
  const booking = (contactMethod: 'phone' | 'text' | 'email', contactAddress: string) => ({
    id: '0b8e6b55-1f0e-4c7a-9b1d-2f4e5a6b7c8d',
    interactionId,
    adviserId: 'adviser-1',
    slotStart: '2027-02-01T10:30:00.000Z',
    contactMethod,
    contactAddress,
    consentRecorded: true,
    createdAt: '2026-11-20T10:30:00.000Z',
  });

  it('is one mailbox, one UK mobile for a text, or one UK number for a call, in the booking', () => {
    expect(followUpBookingSchema.safeParse(booking('phone', '020 7946 0000')).success).toBe(true);
    expect(followUpBookingSchema.safeParse(booking('text', '07700 900123')).success).toBe(true);
    expect(followUpBookingSchema.safeParse(booking('email', 'sam@example.com')).success).toBe(true);
    for (const [method, address] of [
      ['email', 'sam@example.com, boss@example.com'],
      ['email', 'sam@example.com\r\nBcc: x@example.com'],
      ['text', '020 7946 0000'],
      ['phone', '+1 202 555 0100'],
    ] as const) {
      const parsed = followUpBookingSchema.safeParse(booking(method, address));
      expect(parsed.success, `${method} ${address}`).toBe(false);
    }
  });
});
