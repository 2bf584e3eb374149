// A follow-up interaction's review repeats the first contact's actions in the
// adviser's words, so it is redacted like the rest of the record.
import { describe, expect, it } from 'vitest';
import { redactRecord } from '../../server/redaction';
import { completedRecord } from './desk-fixtures';

describe('redacting a follow-up interaction', () => {
  // Fixed ids: a random one could itself hold the digits the check looks for.
  it("hides personal data in the review's actions", () => {
    const record = {
      ...completedRecord('6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f'),
      followUpOf: {
        bookingId: '0b0b0b0b-1c1c-4d2d-8e3e-4f4f4f4f4f4f',
        firstInteractionId: '1a1a1a1a-2b2b-4c3c-9d4d-5e5e5e5e5e5e',
        actions: [
          {
            actionId: 'a1',
            description: 'Ring the college back on 07700 900456',
            progress: 'done' as const,
          },
        ],
        statusAtFirstContact: 'neet' as const,
        statusNow: 'college' as const,
        change: 'better' as const,
      },
    };
    const redacted = redactRecord(record);
    expect(JSON.stringify(redacted.followUpOf)).not.toMatch(/900\s?456/);
    expect(redacted.followUpOf).toMatchObject({ statusNow: 'college', change: 'better' });
  });
});
