// The customer's chat page makes a link in the adviser's message something to
// click only after the desk's own link check, and keeps every other character
// as text: the young person's own messages are never turned into links.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messageParts } from '../../customer/src/message-text';

describe("links in the adviser's messages on the customer's page", () => {
  it('become links to the checked address, the rest staying text', () => {
    expect(
      messageParts(
        'Astronaut and careers in the UK space sector: https://nationalcareers.service.gov.uk/job-profiles/astronaut',
        true,
      ),
    ).toEqual([
      { kind: 'text', text: 'Astronaut and careers in the UK space sector: ' },
      {
        kind: 'link',
        text: 'https://nationalcareers.service.gov.uk/job-profiles/astronaut',
        href: 'https://nationalcareers.service.gov.uk/job-profiles/astronaut',
      },
    ]);
    // The link goes where the check says, normalised; the words stay as written.
    expect(messageParts('See HTTPS://WWW.GOV.UK/Become-Apprentice.', true)).toEqual([
      { kind: 'text', text: 'See ' },
      {
        kind: 'link',
        text: 'HTTPS://WWW.GOV.UK/Become-Apprentice',
        href: 'https://www.gov.uk/Become-Apprentice',
      },
      { kind: 'text', text: '.' },
    ]);
  });

  it('stay text when they fail the check, and in the young person’s own messages', () => {
    for (const risky of [
      'https://192.168.1.1/admin',
      'https://localhost:4300/api',
      'https://user:pass@www.gov.uk/',
      'https://printer.local/',
      'http://www.gov.uk/',
      'javascript:alert(1)',
    ]) {
      const parts = messageParts(`Try ${risky} now`, true);
      expect(
        parts.every((part) => part.kind === 'text'),
        risky,
      ).toBe(true);
      expect(parts.map((part) => part.text).join('')).toBe(`Try ${risky} now`);
    }
    expect(messageParts('I found https://www.gov.uk/become-apprentice', false)).toEqual([
      { kind: 'text', text: 'I found https://www.gov.uk/become-apprentice' },
    ]);
  });

  it('show any message exactly as sent, with only checked https links', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.boolean(), (text, adviser) => {
        const parts = messageParts(text, adviser);
        expect(parts.map((part) => part.text).join('')).toBe(text);
        for (const part of parts) {
          if (part.kind === 'link') expect(part.href).toMatch(/^https:\/\//);
        }
      }),
      { numRuns: 150 },
    );
  });
});
