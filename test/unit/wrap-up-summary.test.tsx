// The summary shown before Complete: what will be sent and to whom, what is
// booked, what was raised, the code and the stages not covered, in the
// adviser's words; and the dialog's markup as a screen reader meets it.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ReplayScreen } from '../../renderer/src/history/ReplayScreen';
import { WrapUpSummary } from '../../renderer/src/interaction/WrapUpSummary';
import { replay } from '../../shared/interaction/machine';
import { ContactScript } from '../../shared/interaction/script';
import { wrapUpSummary } from '../../shared/interaction/wrap-up';
import { scriptedFollowUpCall } from './follow-up-call-script';

const interactionId = '1e2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b';
const bookingId = '6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d';
const concernId = '0f1e2d3c-4b5a-4968-8776-655443322110';

function answeredCall(channel: 'voice' | 'webchat' = 'voice') {
  return new ContactScript('2025-03-03T10:00:00.000Z').send(
    { type: 'OFFERED', interactionId, channel, contactRef: 'contact-1' },
    { type: 'ANSWER' },
    { type: 'UPDATE_CALLER', callerType: 'young_person', age: 15, withinRemit: true },
  );
}

describe('the wrap-up summary', () => {
  it('names the transcript’s channel and address, and the follow-up’s day, window, method and number', () => {
    const call = answeredCall().send(
      {
        type: 'BOOK_FOLLOW_UP',
        bookingId,
        slotStart: '2025-04-07T15:00:00.000Z',
        contactMethod: 'phone',
        contactAddress: '07700 900123',
        consentRecorded: true,
      },
      { type: 'CHOOSE_TRANSCRIPT', decision: 'send', via: 'text', address: '07700 900123' },
      { type: 'MARK_NOT_COVERED', stage: 'skillsCheck', reason: 'Customer short of time' },
      { type: 'END_CALL' },
      {
        type: 'CHOOSE_OUTCOME_CODE',
        code: { id: 'follow_up_booked', label: 'Follow-up booked' },
      },
    );
    expect(wrapUpSummary(call.snapshot.context)).toEqual({
      transcript: 'The skills action plan will be sent by text message to 07700 900123.',
      // 15 years old: 4 to 6 weeks; 16:00 in London on a BST day.
      followUp:
        'A follow-up is booked for Monday 7 April 2025 at 16:00 (UK time), within the 4 to 6 week window (31 March to 14 April), by phone call to 07700 900123.',
      safeguarding: [],
      outcomeCode: 'Follow-up booked',
      notCovered: [
        {
          stage: 'skillsCheck',
          label: 'English, maths and digital',
          reason: 'Customer short of time',
        },
      ],
    });
  });

  it('says a web chat sends the chat with the plan, and why nothing is sent or booked otherwise', () => {
    const chat = answeredCall('webchat').send(
      { type: 'CHOOSE_TRANSCRIPT', decision: 'send', via: 'email', address: 'jess@example.org' },
      { type: 'DECLINE_FOLLOW_UP' },
    );
    expect(wrapUpSummary(chat.snapshot.context)).toMatchObject({
      transcript:
        'The chat transcript and skills action plan will be sent by email to jess@example.org.',
      followUp: 'No follow-up call is booked: the customer declined one.',
      outcomeCode: null,
    });

    const declined = answeredCall().send(
      { type: 'CHOOSE_TRANSCRIPT', decision: 'declined', via: null, address: null },
      { type: 'MARK_NOT_COVERED', stage: 'followUp', reason: 'Had to go' },
    );
    expect(wrapUpSummary(declined.snapshot.context)).toMatchObject({
      transcript: 'Nothing will be sent: the customer declined a transcript.',
      followUp: 'No follow-up call is booked: the follow-up was marked not covered.',
    });
    expect(wrapUpSummary(answeredCall().snapshot.context)).toMatchObject({
      transcript: 'Nothing will be sent: a transcript was not offered.',
      followUp: 'No follow-up call is booked: one was not offered.',
    });
  });

  it('lists each safeguarding concern raised, with how far it got', () => {
    const call = answeredCall().send(
      {
        type: 'RAISE_CONCERN',
        concernId,
        category: 'self_harm_suicide',
        whatWasSaid: 'Said they have thought about hurting themselves',
        immediateRisk: true,
      },
      { type: 'ESCALATE_CONCERN', concernId, escalatedTo: 'Team leader on duty' },
      {
        type: 'RECORD_SAFEGUARDING_ACTION',
        concernId,
        action: 'Gave Samaritans 116 123 and agreed a safety plan',
        referral: null,
      },
      { type: 'RESOLVE_CONCERN', concernId, outcome: 'Safe for now' },
    );
    expect(wrapUpSummary(call.snapshot.context).safeguarding).toEqual([
      'Self-harm or suicide (immediate risk), raised at 10:00; escalated to Team leader on duty; 1 action recorded; resolved',
    ]);
  });

  it('says a follow-up call sends and books nothing new', () => {
    const summary = wrapUpSummary(scriptedFollowUpCall().snapshot.context);
    expect(summary.transcript).toBe('No transcript or action plan is sent after a follow-up call.');
    expect(summary.followUp).toBe('No new follow-up call is booked from a follow-up call.');
    expect(summary.outcomeCode).toBe('Guidance given');
    expect(summary.notCovered).toEqual([]);
  });

  it('is a labelled modal dialog with Confirm and Go back', () => {
    const call = answeredCall();
    const html = renderToStaticMarkup(
      <WrapUpSummary
        context={call.snapshot.context}
        busy={false}
        onConfirm={() => undefined}
        onBack={() => undefined}
      />,
    );
    expect(html).toMatch(/role="dialog" aria-modal="true" aria-labelledby="([^"]+)"/);
    const labelledBy = /aria-labelledby="([^"]+)"/.exec(html)?.[1];
    expect(html).toContain(`<h2 id="${labelledBy}" tabindex="-1">Check before you complete</h2>`);
    expect(html).toContain('>Confirm and complete</button>');
    expect(html).toContain('>Go back</button>');
    expect(html).toContain('<dd>Not chosen</dd>');
  });

  it('shows in a replay once the journal reaches it, with the label chosen then', () => {
    const call = scriptedFollowUpCall();
    const before = call.journal.findIndex((entry) => entry.event.type === 'CHOOSE_OUTCOME_CODE');
    const at = call.journal[before]?.at ?? '';
    const render = (snapshot: typeof call.snapshot) =>
      renderToStaticMarkup(<ReplayScreen snapshot={snapshot} offsetMs={0} at={at} />);
    expect(render(call.snapshot)).toContain(
      '<section class="replay-notes" aria-label="Outcome code"><h4>Outcome code</h4><p>Guidance given</p></section>',
    );
    const earlier = replay(call.journal.slice(0, before), 'follow_up');
    expect(render(earlier)).not.toContain('aria-label="Outcome code"');
  });
});
