// A follow-up interaction's review repeats the first contact's actions in the
// adviser's words, so it is redacted like the rest of the record.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { redactRecord } from '../../server/redaction';
import { completedRecord } from './desk-fixtures';

describe('redacting a follow-up interaction', () => {
  it("hides personal data in the review's actions", () => {
    const record = {
      ...completedRecord(randomUUID()),
      followUpOf: {
        bookingId: randomUUID(),
        firstInteractionId: randomUUID(),
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
