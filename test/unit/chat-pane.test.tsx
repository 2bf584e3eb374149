// The chat pane rendered to markup in Node: hostile messages (script tags,
// event-handler attributes, javascript: links, direction overrides, 100 KB of
// text) come out as text and never as markup; only secure addresses become
// something to click, and nothing has an href. Also the message box's keys and
// length limit, the offer's count-down, and a chat accepted on the page
// becoming a web-chat interaction that the customer's leaving moves to wrap-up.
import fc from 'fast-check';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { contactPhase } from '../../shared/interaction/machine';
import type { DeskBridge, LiveChat } from '../../shared/ipc/contract';
import { ok } from '../../shared/result';
import { chatLimits, type ChatOffer } from '../../shared/wire/chat';
import { ChatArea } from '../../renderer/src/chat/ChatArea';
import { ChatDeskModel, chatDeskFor, offerDeadline } from '../../renderer/src/chat/chat-desk';
import {
  chatTextSegments,
  composerKey,
  messageLength,
  secondsLeft,
  waitWords,
} from '../../renderer/src/chat/chat-words';
import {
  ChatConversation,
  type ChatConversationProps,
} from '../../renderer/src/chat/ChatConversation';
import { QueueSummary } from '../../renderer/src/chat/ChatHeader';
import { followChats } from '../../renderer/src/chat/follow-chats';
import { IncomingChat } from '../../renderer/src/chat/IncomingChat';
import { LiveDesk } from '../../renderer/src/interaction/live-desk';
import { MemoryInteractionStore } from '../../renderer/src/interaction/store';

const chatId = '6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const at = (second: number) => new Date(Date.UTC(2026, 10, 29, 10, 0, second)).toISOString();

const hostile = {
  script: '<script>alert("x")</script>',
  handler: '<img src=x onerror=alert(1)><svg onload="alert(2)">',
  javascriptLink: 'javascript:alert(document.cookie)',
  markupLink: '<a href="javascript:alert(3)">click me</a>',
  bidi: 'invoice\u202Efdp.exe',
  entities: '&lt;b&gt; &amp; &#x3C;i&#x3E;',
  huge: 'A'.repeat(50_000) + '<b>' + 'Z'.repeat(50_000),
};

function chatWith(texts: string[], changes: Partial<LiveChat> = {}): LiveChat {
  return {
    chatId,
    customerName: 'Sam',
    age: 16,
    status: 'connected',
    queuedAt: at(0),
    answeredAt: at(5),
    endedAt: null,
    endedBy: null,
    transcriptEmail: null,
    customerTyping: false,
    customerLeft: null,
    messages: texts.map((text, index) => ({
      clientMessageId: `message-${String(index).padStart(4, '0')}`,
      seq: index + 1,
      from: index % 2 === 0 ? 'customer' : 'adviser',
      author: index % 2 === 0 ? 'Sam' : 'Alex Adviser',
      text,
      sentAt: at(10 + index),
      delivery: 'sent',
      problem: null,
    })),
    ...changes,
  };
}

const render = (chat: LiveChat, props: Partial<ChatConversationProps> = {}) =>
  renderToStaticMarkup(
    <ChatConversation
      chat={chat}
      onSend={async () => null}
      onTyping={() => undefined}
      onOpenLink={() => undefined}
      linkProblem={null}
      transcriptRecordedFor={null}
      onRecordTranscript={() => undefined}
      {...props}
    />,
  );

/** The elements the pane itself writes; anything else in the markup came from a message. */
const paneTags = new Set([
  'section',
  'h3',
  'span',
  'bdi',
  'div',
  'ol',
  'li',
  'p',
  'time',
  'button',
  'form',
  'label',
  'textarea',
  'strong',
]);
const tagsIn = (html: string) => new Set([...html.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => m[1]));

const handlerInTag = /<[^>]*\son[a-z]+\s*=/i;

const unescape = (html: string) =>
  html
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#x27;', "'")
    .replaceAll('&amp;', '&');

/** The text of each message as the markup carries it, unescaped. */
const messageTexts = (html: string) =>
  [...html.matchAll(/<bdi class="chat-message__text">([\s\S]*?)<\/bdi>/g)].map((m) =>
    unescape(m[1] ?? ''),
  );

describe('chat messages are text, always', () => {
  it('shows every hostile message exactly as typed, with no markup, handler or link produced', () => {
    const texts = Object.values(hostile);
    const html = render(chatWith(texts));
    expect([...tagsIn(html)].filter((tag) => !paneTags.has(tag ?? ''))).toEqual([]);
    expect(/<script|<img|<svg|<a[\s>]/i.test(html)).toBe(false);
    // Every real tag starts with "<" (the text's own are escaped): none carries a handler.
    expect(handlerInTag.test(html)).toBe(false);
    expect(/<[^>]*\shref=/i.test(html)).toBe(false);
    expect(html).not.toContain('chat-link');
    expect(messageTexts(html)).toEqual(texts);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    // Entities the customer typed are shown as typed, not decoded into markup.
    expect(html).toContain('&amp;lt;b&amp;gt; &amp;amp; &amp;#x3C;i&amp;#x3E;');
  });

  it('keeps a direction override inside the message, isolated from the names and times around it', () => {
    const html = render(chatWith([hostile.bidi]), {});
    expect(html).toContain('<bdi class="chat-message__text">invoice\u202Efdp.exe</bdi>');
    const named = render(chatWith(['hello'], { customerName: 'Sam\u202Eevil' }));
    expect(named).toContain('<bdi>Sam\u202Eevil</bdi>');
    expect(named).toContain('<bdi class="chat-message__author">Sam</bdi>');
  });

  it('renders 100 KB of text whole, as one run of text', () => {
    const html = render(chatWith([hostile.huge]));
    const [shown] = messageTexts(html);
    expect(shown?.length).toBe(hostile.huge.length);
    expect(shown).toBe(hostile.huge);
    expect(html).not.toContain('<b>');
  });

  it('makes a secure address a button that goes through the desk’s check, and nothing else', () => {
    const html = render(
      chatWith([
        'See https://nationalcareers.service.gov.uk/careers-advice. or http://insecure.example',
      ]),
    );
    expect(html).toContain(
      '<button type="button" class="chat-link">https://nationalcareers.service.gov.uk/careers-advice<span class="visually-hidden">',
    );
    // The full stop after the address is the sentence's; the http address stays text.
    expect(html).toMatch(/<\/button>\. or http:\/\/insecure\.example<\/bdi>/);
    expect(html).not.toContain('href=');
    expect(chatTextSegments('javascript:alert(1) https://')).toEqual([
      { kind: 'text', text: 'javascript:alert(1) https://' },
    ]);
  });

  it('never produces markup for any text a customer could type', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const html = render(chatWith([text]));
        expect([...tagsIn(html)].every((tag) => paneTags.has(tag ?? ''))).toBe(true);
        expect(handlerInTag.test(html)).toBe(false);
        const shown = messageTexts(html)[0] ?? '';
        // Segments put back together are the message, character for character.
        expect(
          chatTextSegments(text)
            .map((segment) => segment.text)
            .join(''),
        ).toBe(text);
        if (!text.includes('https://')) expect(shown).toBe(text);
      }),
      { numRuns: 150 },
    );
  });
});

describe('the chat pane', () => {
  it('names the log after the customer and labels the message box', () => {
    const html = render(chatWith(['Hi', 'Hello Sam']));
    expect(html).toContain('role="log" aria-label="Chat with Sam"');
    expect(html).toMatch(/<label for="[^"]+">Message<\/label><textarea/);
    expect(html).toContain('Enter sends. Shift+Enter starts a new line.');
    expect(html).toContain('0 of 2,000 characters');
    expect(html).toContain('<bdi class="chat-message__author">You</bdi>');
  });

  it('shows the customer typing, and that they left', () => {
    expect(render(chatWith(['Hi'], { customerTyping: true }))).toContain(
      '<bdi>Sam</bdi> is typing…',
    );
    const left = render(
      chatWith(['Bye'], {
        customerLeft: { at: at(40), how: 'ended' },
        endedAt: at(40),
        endedBy: 'customer',
        status: 'ended',
      }),
    );
    expect(left).toContain('<strong>Customer left.</strong> They ended the chat.');
    expect(left).not.toContain('is typing');
    expect(left).toMatch(/<textarea[^>]*disabled=""/);
  });

  it('shows a message on its way and one the server refused', () => {
    const chat = chatWith(['Hi']);
    chat.messages.push(
      {
        ...chat.messages[0]!,
        clientMessageId: 'pending-0001',
        seq: null,
        from: 'adviser',
        text: 'on its way',
        delivery: 'sending',
      },
      {
        ...chat.messages[0]!,
        clientMessageId: 'refused-0001',
        seq: null,
        from: 'adviser',
        text: 'no',
        delivery: 'refused',
        problem: 'This chat has ended',
      },
    );
    const html = render(chat);
    expect(html).toContain('Sending…');
    expect(html).toContain('Not sent: This chat has ended');
  });

  it('offers to record the customer’s transcript request, and says when it is recorded', () => {
    const asked = chatWith(['Can I have this by email?'], { transcriptEmail: 'sam@example.org' });
    expect(render(asked)).toContain('Record transcript request');
    const recorded = render(asked, { transcriptRecordedFor: 'sam@example.org' });
    expect(recorded).toContain('Recorded: the transcript will be sent');
    expect(recorded).not.toContain('Record transcript request');
  });

  it('counts characters and refuses a message over the limit with a clear reason', () => {
    expect(messageLength('hello').counter).toBe('5 of 2,000 characters');
    const over = messageLength('x'.repeat(chatLimits.maxMessageChars + 50));
    expect(over.over).toBe(true);
    expect(over.problem).toBe(
      'This message is too long to send: 2,050 characters, and the most is 2,000. Remove 50 characters, or send it in two parts.',
    );
    const html = render(chatWith([]), { initialText: 'y'.repeat(2_001) });
    expect(html).toContain('role="alert"');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toMatch(/<button type="submit" class="button button--primary" disabled="">Send/);
  });

  it('sends on Enter and starts a new line on Shift+Enter', () => {
    expect(composerKey({ key: 'Enter', shiftKey: false })).toBe('send');
    expect(composerKey({ key: 'Enter', shiftKey: true })).toBe('type');
    expect(composerKey({ key: 'Enter', shiftKey: false, isComposing: true })).toBe('type');
    expect(composerKey({ key: 'a', shiftKey: false })).toBe('type');
  });
});

describe('the chat offer and the queue', () => {
  const offer: ChatOffer = {
    chatId,
    customerName: '<b>Sam</b>',
    age: 15,
    queuedAt: at(0),
    offeredAt: at(95),
    expiresAt: at(125),
  };

  it('shows the offer as a region with Accept chat and the time left to accept', () => {
    const heardAt = Date.parse(at(95));
    const held = { offer, deadline: offerDeadline(offer, heardAt), heardAt };
    const html = renderToStaticMarkup(
      <IncomingChat
        held={held}
        now={heardAt + 5_000}
        busy={false}
        onAccept={() => undefined}
        onDecline={() => undefined}
      />,
    );
    expect(html).toContain('role="region" aria-label="Incoming chat"');
    expect(html).toContain('>Accept chat</button>');
    expect(html).toContain('Accept within 25 seconds');
    expect(html).toContain('<bdi>&lt;b&gt;Sam&lt;/b&gt;</bdi>, aged 15 (waited 1 minute)');
    expect(secondsLeft(held.deadline, heardAt + 31_000)).toBe(0);
  });

  it('counts the wait on while the offer is open', () => {
    const heardAt = Date.parse(at(95));
    const held = { offer, deadline: offerDeadline(offer, heardAt), heardAt };
    const shown = (now: number) =>
      renderToStaticMarkup(
        <IncomingChat
          held={held}
          now={now}
          busy={false}
          onAccept={() => undefined}
          onDecline={() => undefined}
        />,
      );
    // Offered after 95 seconds in the queue; 30 seconds on the page later it is past two minutes.
    expect(shown(heardAt)).toContain('(waited 1 minute)');
    expect(shown(heardAt + 30_000)).toContain('(waited 2 minutes)');
  });

  it('counts an offer from when the page heard of it, never past the server’s deadline', () => {
    // The desk's clock is two minutes behind the server's: the offer still lasts 30 seconds.
    const behind = Date.parse(at(95)) - 120_000;
    expect(offerDeadline(offer, behind) - behind).toBe(30_000);
    // Heard late (after a reload): only what is left of the server's deadline.
    const late = Date.parse(at(115));
    expect(offerDeadline(offer, late) - late).toBe(10_000);
  });

  it('summarises the queue', () => {
    const html = renderToStaticMarkup(
      <QueueSummary
        queue={{
          chatsWaiting: 3,
          callsWaiting: 1,
          longestChatWaitSeconds: 125,
          longestCallWaitSeconds: 30,
          longestWaitSeconds: 125,
          advisersAvailable: 2,
          abandonedToday: 0,
          at: at(0),
        }}
      />,
    );
    expect(html).toContain('aria-label="Queue"');
    expect(html).toContain('<dt>Chats waiting</dt><dd>3</dd>');
    expect(html).toContain('<dt>Calls waiting</dt><dd>1</dd>');
    expect(html).toContain('<dt>Longest wait</dt><dd>2 minutes</dd>');
    expect(waitWords(45)).toBe('45 seconds');
    expect(waitWords(3_900)).toBe('1 hour 5 minutes');
  });
});

/** A desk bridge that answers the chat requests the model makes and lets the test push events. */
function fakeDesk(accepted: LiveChat) {
  const listeners = new Map<string, (payload: never) => void>();
  const desk = new Proxy({} as DeskBridge, {
    get: (_, name: string) => {
      if (name.startsWith('on'))
        return (listener: (payload: never) => void) => {
          listeners.set(name, listener);
          return () => listeners.delete(name);
        };
      if (name === 'acceptChat') return async () => ok(accepted);
      if (name === 'chatDesk')
        return async () => ok({ offers: [], chats: [], presence: null, queue: null });
      throw new Error(`desk.${name} was not expected`);
    },
  });
  const push = (name: string, payload: unknown) => listeners.get(name)?.(payload as never);
  return { desk, push };
}

describe('a chat accepted on the page', () => {
  it('becomes a web-chat interaction, answered, and moves to wrap-up when the customer leaves', async () => {
    const accepted = chatWith(['Hi, can you help with college?']);
    const { desk, push } = fakeDesk(accepted);
    const model = new ChatDeskModel(desk, () => Date.parse(at(2)));
    const live = new LiveDesk(new MemoryInteractionStore(), 'demo-adviser');
    const stop = followChats(model, live);
    await live.restore();
    push('onChatOffered', {
      chatId,
      customerName: 'Sam',
      age: 16,
      queuedAt: at(0),
      offeredAt: at(2),
      expiresAt: at(32),
    });
    expect(model.state().offers).toHaveLength(1);
    await model.accept(chatId);
    await Promise.resolve();

    const interaction = live.byContact(chatId);
    expect(interaction).toBeDefined();
    const view = interaction!.getView();
    expect(view.snapshot.context.channel).toBe('webchat');
    expect(view.snapshot.context.call.offeredAt).toBe(at(2));
    expect(contactPhase(view.snapshot)).toBe('live');
    // The message already in the chat enters the journal and the record's chat log.
    // The age Sam gave on the chat page (16) starts the first stage.
    expect(view.journal.map((entry) => entry.event.type)).toEqual([
      'OFFERED',
      'ANSWER',
      'UPDATE_CALLER',
      'CHAT_MESSAGE',
    ]);
    expect(view.snapshot.context.caller.age).toBe(16);
    expect(view.snapshot.context.chat.map((line) => line.text)).toEqual([
      'Hi, can you help with college?',
    ]);
    expect(model.state().liveChatIds).toEqual([chatId]);
    expect(model.state().selected).toBe(chatId);

    // A repeat of the same push changes nothing; the customer leaving moves to wrap-up once.
    push('onChatUpdated', accepted);
    push('onChatUpdated', {
      ...accepted,
      customerLeft: { at: at(60), how: 'ended' },
      endedAt: at(60),
      endedBy: 'customer',
      status: 'ended',
    });
    push('onChatUpdated', {
      ...accepted,
      customerLeft: { at: at(60), how: 'ended' },
      endedAt: at(60),
      endedBy: 'customer',
      status: 'ended',
    });
    const after = interaction!.getView();
    expect(contactPhase(after.snapshot)).toBe('wrapUp');
    expect(after.snapshot.context.call.endedBy).toBe('customer');
    expect(after.journal.map((entry) => entry.event.type)).toEqual([
      'OFFERED',
      'ANSWER',
      'UPDATE_CALLER',
      'CHAT_MESSAGE',
      'CUSTOMER_DISCONNECTED',
    ]);
    stop();
  });

  it('leaves the age for the adviser to ask when the chat page was given none', async () => {
    const accepted = chatWith([], { age: null });
    const { desk, push } = fakeDesk(accepted);
    const model = new ChatDeskModel(desk, () => Date.parse(at(2)));
    const live = new LiveDesk(new MemoryInteractionStore(), 'demo-adviser');
    const stop = followChats(model, live);
    await live.restore();
    push('onChatOffered', {
      chatId,
      customerName: 'Sam',
      age: null,
      queuedAt: at(0),
      offeredAt: at(2),
      expiresAt: at(32),
    });
    await model.accept(chatId);
    await Promise.resolve();
    const view = live.byContact(chatId)?.getView();
    expect(view?.journal.map((entry) => entry.event.type)).toEqual(['OFFERED', 'ANSWER']);
    expect(view?.snapshot.context.caller.age).toBeNull();
    stop();
  });

  it('lists live chats as tabs once there are two, the selected one marked', () => {
    const { desk, push } = fakeDesk(chatWith([]));
    const model = chatDeskFor(desk);
    const other = '7a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d';
    push('onChatUpdated', chatWith(['Hi']));
    push('onChatUpdated', { ...chatWith(['Hello?']), chatId: other, customerName: 'Ben' });
    model.setLiveChats([chatId, other]);
    model.select(other);
    const html = renderToStaticMarkup(<ChatArea desk={desk} link="open" />);
    expect(html).toContain('role="tablist" aria-label="Live chats"');
    expect(html).toMatch(/role="tab" aria-selected="false"[^>]*><bdi>Sam<\/bdi> \(new message\)/);
    expect(html).toMatch(/role="tab" aria-selected="true"[^>]*><bdi>Ben<\/bdi> \(new message\)/);
    expect(model.isShown(chatId)).toBe(false);
    expect(model.isShown(other)).toBe(true);
    expect(model.isShown(null)).toBe(true);
  });

  it('does not make an interaction for a chat it did not accept (another desk of the same adviser)', async () => {
    const { desk, push } = fakeDesk(chatWith([]));
    const model = new ChatDeskModel(desk);
    const live = new LiveDesk(new MemoryInteractionStore(), 'demo-adviser');
    const stop = followChats(model, live);
    await live.restore();
    push('onChatUpdated', chatWith(['hello']));
    expect(live.list()).toEqual([]);
    expect(model.state().chats).toHaveLength(1);
    stop();
  });
});
