// A follow-up interaction's review repeats the first contact's actions in the
// adviser's words, so it is redacted like the rest of the record; its ids and
// answers are left as they are, so the redacted record still replays through
// the follow-up variant to the redacted review.
import { describe, expect, it } from 'vitest';
import { redactRecord } from '../../server/redaction';
import { interactionRecordSchema } from '../../shared/interaction/record';
import { buildReplayTimeline } from '../../shared/interaction/replay-timeline';
import { followUpIds, followUpRecord } from './follow-up-call-script';

describe('redacting a follow-up interaction', () => {
  // Fixed ids: a random one could itself hold the digits the check looks for.
  it("hides personal data in the review's actions, and still replays", () => {
    const record = followUpRecord({
      actions: [
        {
          id: 'a1',
          description: 'Ring the college back on 07700 900456',
          owner: 'customer',
          due: null,
        },
      ],
    });
    const redacted = redactRecord(record);
    expect(interactionRecordSchema.safeParse(redacted).success).toBe(true);
    expect(JSON.stringify(redacted.followUpOf)).not.toMatch(/900\s?456/);
    expect(JSON.stringify(redacted.journal)).not.toMatch(/900\s?456/);
    expect(redacted.followUpOf).toMatchObject({
      bookingId: followUpIds.bookingId,
      firstInteractionId: followUpIds.firstInteractionId,
      statusAtFirstContact: 'neet',
      statusNow: 'college',
      change: 'better',
      actions: [{ actionId: 'a1', progress: 'done' }],
    });
    const timeline = buildReplayTimeline(redacted);
    if (!timeline.ok) throw new Error(timeline.error.message);
    const last = timeline.value.snapshotAt(timeline.value.moments.length - 1);
    expect(last.context.followUpOf).toEqual(redacted.followUpOf);
  });
});
