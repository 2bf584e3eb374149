// The customer chat page: checks service hours, starts a chat with a name and
// an optional age, shows the place in the queue and an honest wait, then the
// conversation. Every piece of chat text reaches the page as a text node
// (textContent), never as markup. Only a link in the adviser's message becomes
// clickable, and only once it passes the desk's own link check
// (message-text.ts); every other address is shown exactly as typed, to copy.
// Messages are placed in seq order whatever order they arrive in (transcript.ts);
// the connection (connection.ts) keeps and resends what is not yet acknowledged.
import { ukTime } from '../../shared/documents/action-plan';
import { resultSchema } from '../../shared/result';
import {
  chatLimits,
  type CustomerChatResumed,
  type CustomerChatState,
  type QueuePosition,
  type ServiceStatus,
} from '../../shared/wire/chat';
import { chat } from '../../shared/wire/chat-routes';
import { CustomerConnection, newClientMessageId, type WaitingFor } from './connection';
import { sessionKeptChat } from './kept.session';
import { SocketCustomerLink } from './link.socket';
import { messageParts, newTabHintId } from './message-text';
import { forgetDevice, rememberDevice, rememberedKey } from './remembered-device';
import { localDeviceKeyStorage } from './remembered-device.local';
import { Transcript, type Placement, type TranscriptEntry } from './transcript';
import { londonFormat } from '../../shared/time/london';

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`The page is missing #${id}`);
  return found as T;
}

const sections = ['loading', 'closed', 'start', 'chat', 'ended'] as const;
type Section = (typeof sections)[number];

function showSection(section: Section): void {
  for (const name of sections) element(name).hidden = name !== section;
  element('transcript').hidden = section !== 'chat' && section !== 'ended';
  document.documentElement.dataset.chatScreen = section;
}

const londonTime = londonFormat({
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  hour: '2-digit',
  minute: '2-digit',
});

/** "about 4 minutes": always "about", never a promise; and honest when there is nothing to go on. */
export function waitWords(queue: QueuePosition): string {
  const place =
    queue.position === 1
      ? 'You are next in the queue.'
      : `You are number ${queue.position} in the queue.`;
  if (queue.expectedWaitSeconds === null) {
    return `${place} We cannot say how long the wait will be right now; an adviser will be with you as soon as they can.`;
  }
  const minutes = Math.round(queue.expectedWaitSeconds / 60);
  const wait = minutes <= 1 ? 'about a minute or less' : `about ${minutes} minutes`;
  return `${place} From recent chats, the wait is ${wait}, but it can be longer.`;
}

function showClosed(status: ServiceStatus): void {
  element('closed-hours').textContent =
    `We are open every day from ${status.opensAt} to ${status.closesAt}, UK time.`;
  element('closed-next').textContent =
    `We open again on ${londonTime.format(new Date(status.nextOpening))}.`;
  const list = element('closed-emergency');
  list.replaceChildren(
    ...status.emergency.map((contact) => {
      const item = document.createElement('li');
      const name = document.createElement('strong');
      name.textContent = contact.name;
      item.append(name, document.createTextNode(`: ${contact.how}`));
      return item;
    }),
  );
  showSection('closed');
  element('closed-heading').focus();
}

async function serviceStatus(): Promise<ServiceStatus | null> {
  try {
    const response = await fetch(chat.service.path, { cache: 'no-store' });
    const answer = resultSchema(chat.service.answer).safeParse(await response.json());
    return answer.success && answer.data.ok ? answer.data.value : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- the conversation

const messages = element<HTMLOListElement>('messages');

// Said by a screen reader after every link the adviser sends; hidden, so the
// message itself reads exactly as it was sent.
const newTabHint = document.createElement('span');
newTabHint.id = newTabHintId;
newTabHint.hidden = true;
newTabHint.textContent = 'Opens in a new tab';
document.body.append(newTabHint);

/** A message's text as nodes: text as typed, and the checked links of message-text.ts. */
function messageTextNodes(text: string, fromAdviser: boolean): Node[] {
  return messageParts(text, fromAdviser).map((part) => {
    if (part.kind === 'text') return document.createTextNode(part.text);
    const link = document.createElement('a');
    link.href = part.href;
    // A new tab, so the chat stays open; no opener or referrer reaches the page opened.
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    link.setAttribute('aria-describedby', newTabHintId);
    link.textContent = part.text;
    return link;
  });
}
const chatStatus = element('chat-status');
let adviserName: string | null = null;
/** What is shown, in order (transcript.ts); each entry has one list item. */
const transcript = new Transcript();
const shownItems = new Map<TranscriptEntry, HTMLLIElement>();

function messageItem(who: string, text: string, mine: boolean): HTMLLIElement {
  const item = document.createElement('li');
  item.className = mine ? 'message mine' : 'message theirs';
  const author = document.createElement('p');
  author.className = 'author';
  const name = document.createElement('span');
  name.textContent = who;
  author.append(name);
  const body = document.createElement('p');
  body.className = 'text';
  // Direction from the text itself, isolated (CSS) so an override cannot reorder the page around it.
  body.dir = 'auto';
  body.append(...messageTextNodes(text, !mine));
  item.append(author, body);
  return item;
}

/** The line under one of ours that is not sent yet, or null once it is. */
function deliveryWords(entry: TranscriptEntry): string | null {
  switch (entry.delivery) {
    case 'sending':
      return 'Sending…';
    case 'waiting':
      return entry.problem ?? 'Waiting…';
    case 'refused':
      return `Not sent: ${entry.problem ?? 'the helpline refused it.'}`;
    case 'sent':
      return null;
  }
}

/**
 * The time beside the author, once the helpline has stored the message: UK
 * time ("2:05pm"), the helpline's clock, as the emailed transcript gives it,
 * whatever the device's clock is set to. "at" is for screen readers, which
 * otherwise run the name and the time together.
 */
function showTime(item: HTMLLIElement, sentAt: string | null): void {
  if (sentAt === null || item.querySelector('time')) return;
  const at = document.createElement('span');
  at.className = 'visually-hidden';
  at.textContent = ', at';
  const time = document.createElement('time');
  time.dateTime = sentAt;
  time.textContent = ukTime(sentAt);
  item.querySelector('.author')?.append(at, ' ', time);
}

function showDelivery(item: HTMLLIElement, entry: TranscriptEntry): void {
  item.dataset.clientId = entry.clientMessageId;
  showTime(item, entry.sentAt);
  if (entry.seq === null) delete item.dataset.seq;
  else item.dataset.seq = String(entry.seq);
  item.classList.toggle('sending', entry.delivery === 'sending' || entry.delivery === 'waiting');
  item.classList.toggle('refused', entry.delivery === 'refused');
  const words = deliveryWords(entry);
  let state = item.querySelector<HTMLParagraphElement>('.state');
  if (words === null) {
    state?.remove();
    return;
  }
  if (!state) {
    state = document.createElement('p');
    state.className = 'state';
    item.append(state);
  }
  state.textContent = words;
}

/** Puts an entry's item where the transcript says, in seq order, unsent ones last. */
function render(placement: Placement | null): void {
  if (!placement) return;
  const { entry, before } = placement;
  let item = shownItems.get(entry);
  if (!item) {
    item = messageItem(entry.author, entry.text, entry.from === 'customer');
    shownItems.set(entry, item);
  }
  showDelivery(item, entry);
  const next = before ? (shownItems.get(before) ?? null) : null;
  if (item.parentElement !== messages || item.nextElementSibling !== next) {
    messages.insertBefore(item, next);
  }
  if (next === null) item.scrollIntoView({ block: 'end' });
}

function restate(entry: TranscriptEntry | null): void {
  const item = entry ? shownItems.get(entry) : undefined;
  if (entry && item) showDelivery(item, entry);
}

function clearConversation(): void {
  transcript.clear();
  shownItems.clear();
  messages.replaceChildren();
}

const waitingWords: Record<WaitingFor, string> = {
  connection: 'Waiting for the connection…',
  'slow-down': 'Sending in a moment…',
};

function showState(state: CustomerChatState | CustomerChatResumed): void {
  adviserName = state.adviserName;
  if (state.status === 'queued' && state.queue) chatStatus.textContent = waitWords(state.queue);
  else if (state.status === 'connected') {
    chatStatus.textContent = `You are chatting with ${state.adviserName ?? 'an adviser'}.`;
  }
  if (state.status !== 'ended') showSection('chat');
}

let offline = false;
const connection = new CustomerConnection({
  link: new SocketCustomerLink(),
  storage: sessionKeptChat(),
  listeners: {
    online(online) {
      offline = !online;
      document.documentElement.dataset.chatOnline = String(online);
      if (!online && connection.hasChat) {
        chatStatus.textContent =
          'The connection dropped. Trying again; your messages will be sent when it is back.';
      }
      // Whatever was waiting for the connection is on its way again.
      if (online) for (const entry of transcript.backOnline()) restate(entry);
    },
    state: showState,
    queue(queue) {
      chatStatus.textContent = waitWords(queue);
    },
    connected(connected) {
      adviserName = connected.adviserName;
      chatStatus.textContent = `${connected.adviserName} has joined. You are chatting with a careers adviser.`;
    },
    message(message) {
      render(transcript.received(message));
    },
    delivered(clientMessageId, seq, sentAt) {
      render(transcript.delivered(clientMessageId, seq, sentAt));
    },
    waiting(clientMessageId, waitingFor) {
      restate(transcript.waiting(clientMessageId, waitingWords[waitingFor]));
    },
    refused(clientMessageId, error) {
      render(transcript.refused(clientMessageId, error.message));
    },
    typing(typing) {
      element('typing').textContent = typing ? `${adviserName ?? 'The adviser'} is typing…` : '';
    },
    ended(ended) {
      element('ended-text').textContent =
        ended.endedBy === 'adviser'
          ? `${adviserName ?? 'The adviser'} ended the chat. Thank you for chatting with us.`
          : ended.endedBy === 'service'
            ? 'This chat is no longer open. Thank you for chatting with us; you can start a new one.'
            : 'You ended the chat. Thank you for chatting with us.';
      element('typing').textContent = '';
      showSection('ended');
      element('ended-heading').focus();
    },
  },
});

// Written before a reload and not yet acknowledged: shown as sending, and sent once the chat is back.
for (const unsent of connection.unsentMessages()) {
  render(transcript.written(unsent.clientMessageId, unsent.text));
}

// ---------------------------------------------------------------- forms

const startForm = element<HTMLFormElement>('start-form');
const nameInput = element<HTMLInputElement>('name');
const ageInput = element<HTMLInputElement>('age');
const startError = element('start-error');
const rememberInput = element<HTMLInputElement>('remember');
const deviceKeys = localDeviceKeyStorage();
// Ticked only where the customer ticked it before, on this device.
rememberInput.checked = rememberedKey(deviceKeys) !== null;

function invalid(input: HTMLInputElement, errorLine: HTMLElement, message: string): void {
  errorLine.textContent = message;
  input.setAttribute('aria-invalid', 'true');
  input.focus();
}

startForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void (async () => {
    nameInput.removeAttribute('aria-invalid');
    ageInput.removeAttribute('aria-invalid');
    startError.textContent = '';
    const name = nameInput.value.trim();
    if (!name) return invalid(nameInput, startError, 'Tell us a first name or a nickname.');
    const ageText = ageInput.value.trim();
    const age = ageText === '' ? undefined : Number(ageText);
    if (age !== undefined && (!Number.isInteger(age) || age < 5 || age > 120)) {
      return invalid(ageInput, startError, 'Age should be a number, like 15, or leave it empty.');
    }
    const deviceKey = rememberInput.checked ? rememberDevice(deviceKeys) : null;
    if (!rememberInput.checked) forgetDevice(deviceKeys);
    const started = await connection.start({
      name,
      ...(age === undefined ? {} : { age }),
      ...(deviceKey === null ? {} : { deviceKey }),
    });
    if (!started.ok) {
      if (started.error.code === 'unavailable' && !offline) {
        const status = await serviceStatus();
        if (status && !status.open) return showClosed(status);
      }
      // Said as the server put it: closed, too busy, or too many chats from this network.
      startError.textContent = started.error.message;
      return;
    }
    clearConversation();
    element('message').focus();
  })();
});

const sendForm = element<HTMLFormElement>('send-form');
const messageBox = element<HTMLTextAreaElement>('message');
const sendError = element('send-error');
const messageCount = element('message-count');

function updateCount(): void {
  const left = chatLimits.maxMessageChars - messageBox.value.length;
  messageCount.textContent =
    left < 200
      ? `${Math.max(0, left)} characters left (a message can be up to ${chatLimits.maxMessageChars}).`
      : '';
}

let typingSent = 0;
let typingStop: ReturnType<typeof setTimeout> | null = null;
messageBox.addEventListener('input', () => {
  updateCount();
  const now = Date.now();
  if (now - typingSent > 2_000) {
    typingSent = now;
    connection.typing(true);
  }
  if (typingStop) clearTimeout(typingStop);
  typingStop = setTimeout(() => {
    typingSent = 0;
    connection.typing(false);
  }, 3_000);
});

messageBox.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    sendForm.requestSubmit();
  }
});

sendForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = messageBox.value;
  sendError.textContent = '';
  if (text.trim() === '') return;
  if (text.length > chatLimits.maxMessageChars) {
    sendError.textContent = `A message can be up to ${chatLimits.maxMessageChars} characters; this one has ${text.length}. Please send it in shorter parts.`;
    return;
  }
  messageBox.value = '';
  updateCount();
  if (typingStop) clearTimeout(typingStop);
  typingSent = 0;
  connection.typing(false);
  // Shown at once as sending; the acknowledgement marks it sent. Until then it is kept
  // (this tab's storage too) and sent again after a drop or a reload.
  const clientMessageId = newClientMessageId();
  render(transcript.written(clientMessageId, text));
  connection.send(text, clientMessageId);
});

element('end').addEventListener('click', () => {
  void connection.end();
});

element('new-chat').addEventListener('click', () => {
  connection.forget();
  clearConversation();
  chatStatus.textContent = '';
  element('transcript-status').textContent = '';
  showSection('start');
  nameInput.focus();
});

const transcriptForm = element<HTMLFormElement>('transcript-form');
transcriptForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const email = element<HTMLInputElement>('email');
  const status = element('transcript-status');
  email.removeAttribute('aria-invalid');
  if (!email.value.trim() || !email.checkValidity()) {
    return invalid(email, status, 'Enter an email address like name@example.com.');
  }
  void (async () => {
    const asked = await connection.requestTranscript(email.value.trim());
    status.textContent = asked.ok
      ? `Thank you. Your adviser will send the transcript to ${email.value.trim()} after the chat.`
      : asked.error.message;
  })();
});

// ---------------------------------------------------------------- opening

void (async () => {
  if (connection.hasChat) {
    // Taking a chat back after a reload: the connection resumes it as it connects.
    showSection('chat');
    chatStatus.textContent = 'Taking your chat back…';
    return;
  }
  const status = await serviceStatus();
  if (status && !status.open) return showClosed(status);
  if (status) {
    element('start-heading').textContent = `Start a chat (open until ${status.closesAt})`;
  }
  showSection('start');
})();
