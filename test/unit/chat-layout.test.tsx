// The interaction screen's words and layout for a chat and for a call,
// rendered to markup in Node: a chat says "Chat time" and offers no Hold, a
// call says "Call time" and does; the columns come in reading order (stages
// and checks, conversation, stage, knowledge); a chat's knowledge panel has a
// button that says whether it is shown; and every chat message carries its
// London time in a <time> element, read after the author's name.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DeskBridge, LiveChat } from '../../shared/ipc/contract';
import type { Channel } from '../../shared/interaction/record';
import { ok } from '../../shared/result';
import { ChatConversation } from '../../renderer/src/chat/ChatConversation';
import { InteractionScreen } from '../../renderer/src/interaction/InteractionScreen';
import { LiveInteraction } from '../../renderer/src/interaction/live-interaction';
import {
  contactKind,
  contactWords,
  type ContactKind,
} from '../../renderer/src/interaction/phase-words';
import { MemoryInteractionStore } from '../../renderer/src/interaction/store';

/**
 * A desk bridge for rendering: the chat model subscribes to pushes and asks
 * once for the chats it holds (none); the screen itself calls nothing while it renders.
 */
const desk = new Proxy({} as DeskBridge, {
  get: (_, name: string) => {
    if (name.startsWith('on')) return () => () => undefined;
    if (name === 'chatDesk')
      return async () => ok({ offers: [], chats: [], presence: null, queue: null });
    return () => {
      throw new Error(`desk.${name} was called while rendering`);
    };
  },
});

function liveScreen(channel: Channel): string {
  let now = Date.UTC(2026, 10, 29, 9);
  const interaction = LiveInteraction.offered(
    new MemoryInteractionStore(),
    'demo-adviser',
    { contactRef: `${channel}-1`, channel, offeredAt: '2026-11-29T09:00:00.000Z' },
    () => new Date((now += 1000)).toISOString(),
  );
  interaction.send({ type: 'ANSWER' });
  return renderToStaticMarkup(
    <InteractionScreen
      desk={desk}
      user={{
        id: 'demo-adviser',
        username: 'demo',
        displayName: 'Demo Adviser',
        roles: ['adviser'],
      }}
      deskId="11111111-2222-4333-8444-555555555555"
      interaction={interaction}
      onDelivered={() => undefined}
    />,
  );
}

/** Where a piece of markup first appears, failing the test when it does not. */
function place(html: string, marker: string): number {
  const at = html.indexOf(marker);
  expect(at, `${marker} is not in the markup`).toBeGreaterThanOrEqual(0);
  return at;
}

describe('the words for each kind of contact', () => {
  it('a chat has a chat clock, ends as a chat, and has no Hold; calls have both', () => {
    const chat = contactWords[contactKind('webchat', 'guidance')];
    expect(chat).toMatchObject({
      title: 'Web chat',
      timer: 'Chat time',
      end: 'End chat',
      hold: false,
    });
    const call = contactWords[contactKind('voice', 'guidance')];
    expect(call).toMatchObject({
      title: 'Voice call',
      timer: 'Call time',
      end: 'End call',
      hold: true,
    });
    const followUp = contactWords[contactKind('voice', 'follow_up')];
    expect(followUp).toMatchObject({ title: 'Follow-up call', timer: 'Call time', hold: true });
    // No word of one kind leaks into another's.
    const kinds: ContactKind[] = ['voice_call', 'follow_up_call', 'web_chat'];
    for (const kind of kinds) {
      const said = Object.values(contactWords[kind]).join(' ');
      if (kind === 'web_chat') expect(said).not.toMatch(/call/i);
      else expect(said).not.toMatch(/chat/i);
    }
  });
});

describe('the interaction screen, laid out', () => {
  it('a chat: its own words, and the conversation between the stages and the stage', () => {
    const html = liveScreen('webchat');
    expect(html).toContain('class="interaction interaction--live interaction--chat"');
    expect(html).toContain('Web chat: Connected');
    expect(html).toMatch(/Chat time <time>[\d:]+<\/time>/);
    expect(html).not.toContain('Call time');
    expect(html).not.toContain('>Hold</button>');
    expect(html).toContain('>End chat</button>');

    // Reading order is the order on screen: stages and checks, the conversation, the stage, knowledge.
    const stages = place(html, '<nav aria-label="Stages"');
    const checks = place(html, 'aria-label="Interaction checks"');
    const conversation = place(html, '<section class="chat"');
    const stage = place(html, '<section class="stage-panel"');
    const knowledge = place(html, '<section class="knowledge" aria-label="Knowledge">');
    expect([stages, checks, conversation, stage, knowledge]).toEqual(
      [stages, checks, conversation, stage, knowledge].sort((a, b) => a - b),
    );

    // The button that folds the knowledge panel on a narrower screen names what it controls.
    const toggle =
      /<button type="button" class="button interaction__knowledge-toggle" aria-expanded="false" aria-controls="([^"]+)">Show knowledge<\/button>/.exec(
        html,
      );
    expect(toggle).not.toBeNull();
    expect(html).toContain(`<div id="${toggle?.[1] ?? ''}" class="interaction__knowledge">`);
  });

  it('a call: its own words, Hold, and no knowledge button (the panel never folds in a call)', () => {
    const html = liveScreen('voice');
    expect(html).toContain('class="interaction interaction--live interaction--call"');
    expect(html).toContain('Voice call: Connected');
    expect(html).toMatch(/Call time <time>[\d:]+<\/time>/);
    expect(html).not.toContain('Chat time');
    expect(html).toContain('>Hold</button>');
    expect(html).toContain('>End call</button>');
    expect(html).not.toContain('interaction__knowledge-toggle');
    expect(html).not.toContain('<section class="chat"');
    expect(place(html, '<nav aria-label="Stages"')).toBeLessThan(
      place(html, '<section class="stage-panel"'),
    );
  });
});

describe('times on chat messages', () => {
  const chat: LiveChat = {
    chatId: '6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
    customerName: 'Sam',
    age: 16,
    status: 'connected',
    queuedAt: '2026-07-01T13:00:00.000Z',
    answeredAt: '2026-07-01T13:00:05.000Z',
    endedAt: null,
    endedBy: null,
    transcriptEmail: null,
    customerTyping: false,
    customerLeft: null,
    messages: [
      {
        clientMessageId: 'message-0001',
        seq: 1,
        from: 'customer',
        author: 'Sam',
        text: 'Hello',
        // Summer: London is an hour ahead of UTC, whatever the desk's own clock says.
        sentAt: '2026-07-01T13:05:09.000Z',
        delivery: 'sent',
        problem: null,
      },
      {
        clientMessageId: 'message-0002',
        seq: 2,
        from: 'adviser',
        author: 'Alex Adviser',
        text: 'Hi Sam',
        // Winter: London keeps UTC.
        sentAt: '2026-12-01T09:59:00.000Z',
        delivery: 'sent',
        problem: null,
      },
    ],
  };

  it('shows each in London time, in a <time> with the instant, read after the name', () => {
    const html = renderToStaticMarkup(
      <ChatConversation
        chat={chat}
        onSend={async () => null}
        onTyping={() => undefined}
        onOpenLink={() => undefined}
        linkProblem={null}
        transcriptRecordedFor={null}
        onRecordTranscript={null}
      />,
    );
    expect(html).toContain(
      '<bdi class="chat-message__author">Sam</bdi><span class="visually-hidden">, at</span> <time dateTime="2026-07-01T13:05:09.000Z">14:05</time>',
    );
    expect(html).toContain(
      '<bdi class="chat-message__author">You</bdi><span class="visually-hidden">, at</span> <time dateTime="2026-12-01T09:59:00.000Z">09:59</time>',
    );
  });
});
