// The immediate-risk protocol as an operator supplies it: the default is
// valid, a good file replaces it, and a bad one is refused at start-up with a
// message naming the file and what is wrong. And the urgency order the desk
// sorts open concerns by: immediate risk first, then the longest waiting.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSafeguardingProtocol } from '../../server/safeguarding/protocol';
import {
  byUrgency,
  defaultSafeguardingProtocol,
  safeguardingProtocolSchema,
  type SafeguardingAlert,
} from '../../shared/wire/safeguarding';

const folder = mkdtempSync(join(tmpdir(), 'safeguarding-protocol-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

describe('the immediate-risk protocol setting', () => {
  it('is the default, which is itself valid, when no file is named', () => {
    expect(safeguardingProtocolSchema.parse(defaultSafeguardingProtocol)).toEqual(
      defaultSafeguardingProtocol,
    );
    expect(loadSafeguardingProtocol(undefined)).toEqual({
      ok: true,
      value: defaultSafeguardingProtocol,
    });
    const contacts = defaultSafeguardingProtocol.contacts.map((contact) => contact.number);
    expect(contacts).toContain('999');
    expect(contacts).toContain('0800 1111');
  });

  it("takes the service's own from a file", () => {
    const own = {
      heading: 'Danger now',
      steps: ['Call 999.', 'Tell the duty lead on extension 201.'],
      contacts: [
        { name: 'Emergency services', number: '999', when: 'Immediate danger' },
        { name: 'Duty safeguarding lead', number: '201', when: 'Always' },
        { name: 'Floor manager', when: 'If the duty lead is not answering' },
      ],
    };
    expect(loadSafeguardingProtocol(file('own.json', JSON.stringify(own)))).toEqual({
      ok: true,
      value: {
        ...own,
        contacts: [own.contacts[0], own.contacts[1], { ...own.contacts[2], number: null }],
        footnote: '',
      },
    });
  });

  it('refuses a file that cannot be read, is not JSON, or is not a protocol, and says why', () => {
    const missing = loadSafeguardingProtocol(join(folder, 'nowhere.json'));
    expect(missing).toMatchObject({
      ok: false,
      error: { message: /nowhere\.json cannot be read/ },
    });
    const garbled = loadSafeguardingProtocol(file('garbled.json', '{ "heading": '));
    expect(garbled).toMatchObject({ ok: false, error: { message: /garbled\.json is not JSON/ } });
    const wrong = loadSafeguardingProtocol(
      file(
        'wrong.json',
        JSON.stringify({
          heading: 'Danger now',
          steps: [],
          contacts: [{ name: 'Emergency services', number: 'nine nine nine', when: 'Now' }],
          colour: 'red',
        }),
      ),
    );
    expect(wrong.ok).toBe(false);
    if (wrong.ok) return;
    expect(wrong.error.message).toMatch(/wrong\.json is not valid/);
    expect(wrong.error.message).toMatch(/steps/);
    expect(wrong.error.message).toMatch(/contacts\.0\.number: A telephone number/);
    expect(wrong.error.message).toMatch(/colour/);
  });
});

describe('the urgency order of open concerns', () => {
  const alert = (
    concernId: string,
    immediateRisk: boolean,
    receivedAt: string,
  ): SafeguardingAlert => ({
    concernId,
    interactionId: '00000000-0000-4000-8000-000000000000',
    category: 'other',
    immediateRisk,
    whatWasSaid: '',
    raisedAt: receivedAt,
    adviser: { id: 'a1', displayName: 'Alex Adviser' },
    receivedAt,
  });

  it('puts immediate risk first, then the longest waiting, then the id', () => {
    const concerns = [
      alert('00000000-0000-4000-8000-000000000001', false, '2026-11-20T10:00:00.000Z'),
      alert('00000000-0000-4000-8000-000000000002', true, '2026-11-20T10:09:00.000Z'),
      alert('00000000-0000-4000-8000-000000000004', true, '2026-11-20T10:05:00.000Z'),
      alert('00000000-0000-4000-8000-000000000003', true, '2026-11-20T10:05:00.000Z'),
      alert('00000000-0000-4000-8000-000000000005', false, '2026-11-20T09:00:00.000Z'),
    ];
    expect([...concerns].sort(byUrgency).map((concern) => concern.concernId.slice(-1))).toEqual([
      '3',
      '4',
      '2',
      '5',
      '1',
    ]);
  });
});
