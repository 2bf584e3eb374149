// The interaction screen's roles and names, rendered to markup in Node: what a
// screen reader (and the end-to-end tests) find by role and label.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DeskBridge } from '../../shared/ipc/contract';
import { IncomingCall } from '../../renderer/src/interaction/IncomingCall';
import { InteractionScreen } from '../../renderer/src/interaction/InteractionScreen';
import { LiveInteraction } from '../../renderer/src/interaction/live-interaction';
import { MemoryInteractionStore } from '../../renderer/src/interaction/store';

// Rendering to markup calls no desk function; any call would be a bug in the test.
const desk = new Proxy({} as DeskBridge, {
  get: (_, name) => () => {
    throw new Error(`desk.${String(name)} was called while rendering`);
  },
});
const user = {
  id: 'demo-adviser',
  username: 'demo',
  displayName: 'Demo Adviser',
  roles: ['adviser' as const],
};

function answeredCall() {
  let now = Date.UTC(2025, 2, 3, 10);
  const call = LiveInteraction.offered(
    new MemoryInteractionStore(),
    user.id,
    { contactRef: 'call-1', channel: 'voice', offeredAt: '2025-03-03T10:00:00.000Z' },
    () => new Date((now += 1000)).toISOString(),
  );
  call.send({ type: 'ANSWER' });
  return call;
}

const render = (interaction: LiveInteraction) =>
  renderToStaticMarkup(
    <InteractionScreen
      desk={desk}
      user={user}
      deskId="11111111-2222-4333-8444-555555555555"
      interaction={interaction}
      onDelivered={() => undefined}
    />,
  );

describe('the interaction screen', () => {
  it('names the stage navigator and gives each stage its completion state', () => {
    const call = answeredCall();
    call.send({ type: 'SET_NO_BARRIERS', noneIdentified: true });
    call.send({ type: 'MARK_NOT_COVERED', stage: 'skillsCheck', reason: 'Not appropriate' });
    const html = render(call);
    expect(html).toContain('<nav aria-label="Stages"');
    expect(html).toMatch(/Barriers<span class="visually-hidden">, done<\/span>/);
    expect(html).toMatch(
      /English, maths and digital<span class="visually-hidden">, not covered<\/span>/,
    );
    expect(html).toMatch(/Starting point<span class="visually-hidden">, not started<\/span>/);
    expect(html).toContain('aria-keyshortcuts="Alt+3"');
  });

  it('shows the missing list by name, End call while connected, and Complete only in wrap-up', () => {
    const call = answeredCall();
    let html = render(call);
    expect(html).toContain('<ul aria-label="Missing before completion">');
    expect(html).toContain('End the call or chat to wrap up');
    expect(html).toContain('>End call</button>');
    expect(html).not.toContain('Complete interaction');

    call.send({ type: 'END_CALL' });
    html = render(call);
    expect(html).not.toContain('>End call</button>');
    expect(html).toContain('Complete interaction');
  });

  it('times a call with Hold, and a chat as a chat without it', () => {
    const call = render(answeredCall());
    expect(call).toContain('Call time <time>');
    expect(call).toContain('>Hold</button>');

    let now = Date.UTC(2025, 2, 3, 10);
    const chat = LiveInteraction.offered(
      new MemoryInteractionStore(),
      user.id,
      { contactRef: 'chat-1', channel: 'webchat', offeredAt: '2025-03-03T10:00:00.000Z' },
      () => new Date((now += 1000)).toISOString(),
    );
    chat.send({ type: 'ANSWER' });
    // The chat pane subscribes to the desk's pushed events and asks for the chat as it
    // renders; here nothing is pushed and no answer comes.
    const listening = new Proxy({} as DeskBridge, {
      get: (_, name) =>
        String(name).startsWith('on') ? () => () => undefined : () => new Promise(() => undefined),
    });
    const html = renderToStaticMarkup(
      <InteractionScreen
        desk={listening}
        user={user}
        deskId="11111111-2222-4333-8444-555555555555"
        interaction={chat}
        onDelivered={() => undefined}
      />,
    );
    expect(html).toContain('Web chat: Connected');
    expect(html).toContain('Chat time <time>');
    expect(html).not.toContain('Call time');
    expect(html).not.toContain('>Hold</button>');
    expect(html).toContain('>End chat</button>');
  });

  it('labels every note area and quick pick on the stage on screen', () => {
    const call = answeredCall();
    call.send({ type: 'GO_TO_STAGE', stage: 'barriers' });
    call.send({ type: 'IDENTIFY_BARRIER', kind: 'money' });
    const html = render(call);
    expect(html).toContain('<legend>Barriers identified</legend>');
    expect(html).toMatch(/<label for="[^"]+">Money: what was agreed<\/label><textarea id=/);
    expect(html).toMatch(/<label for="[^"]+">Notes on barriers<\/label>/);
    expect(html).toContain('Raise safeguarding concern');
  });

  it('offers the incoming call as a region with Answer', () => {
    const call = LiveInteraction.offered(new MemoryInteractionStore(), user.id, {
      contactRef: 'call-2',
      channel: 'voice',
      offeredAt: '2025-03-03T10:00:00.000Z',
    });
    const html = renderToStaticMarkup(<IncomingCall desk={desk} interaction={call} />);
    expect(html).toContain('role="region" aria-label="Incoming call"');
    expect(html).toContain('>Answer</button>');
  });

  it('guides a follow-up call through its own stages, with the status then beside the status now', () => {
    let now = Date.UTC(2025, 4, 27, 9, 30);
    const call = LiveInteraction.answeredFollowUp(
      new MemoryInteractionStore(),
      user.id,
      {
        callId: 'call-77',
        dialledAt: '2025-05-27T09:30:00.000Z',
        answeredAt: '2025-05-27T09:30:20.000Z',
        bookingId: '2a9e4c1b-5f3d-4e7a-8b6c-1d0f9e8a7b6c',
        firstInteractionId: '7c0f5a52-3d6e-4b1a-9f2c-0e8d4b6a1c35',
        statusAtFirstContact: 'neet',
        actions: [{ id: 'a1', description: 'Visit the open day', owner: 'customer', due: null }],
      },
      () => new Date((now += 1000)).toISOString(),
    );
    let html = render(call);
    expect(html).toContain('Follow-up call: Connected');
    expect(html).toMatch(/Action plan review<span class="visually-hidden">, not started<\/span>/);
    expect(html).toContain('aria-keyshortcuts="Alt+3"');
    expect(html).not.toContain('aria-keyshortcuts="Alt+4"');
    expect(html).not.toContain('Caller and eligibility');
    expect(html).toContain('<legend>1. Visit the open day (the customer’s to do)</legend>');
    expect(html).toContain('Record how far “Visit the open day” got');

    call.send({ type: 'GO_TO_STAGE', stage: 'statusNow' });
    call.send({ type: 'RECORD_STATUS_NOW', status: 'college' });
    html = render(call);
    expect(html).toContain('<dt>Status at first contact</dt>');
    expect(html).toContain('Not in education, employment or training (NEET) (at first contact)');
    expect(html).toContain('Has left NEET: now in education, employment or training');
  });
});
