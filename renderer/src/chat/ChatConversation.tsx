// A live chat as the adviser works it: the message log, whether the customer
// is typing or has left, a transcript the customer asked for, and the message
// box. Everything the customer wrote is shown as text, never as markup.
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { DeskChatMessage, LiveChat } from '../../../shared/ipc/contract';
import { ukDateTime } from '../interaction/time-words';
import { composerKey, messageLength } from './chat-words';
import { ChatMessageText } from './ChatMessageText';

export interface ChatConversationProps {
  chat: LiveChat;
  /** Sends a message; resolves with why it could not be taken, or null. */
  onSend: (text: string) => Promise<string | null>;
  onTyping: (typing: boolean) => void;
  onOpenLink: (url: string) => void;
  /** Why the last link was not opened, if it was not. */
  linkProblem: string | null;
  /** The transcript address already recorded on the interaction, if any. */
  transcriptRecordedFor: string | null;
  /** Records the customer's transcript request on the interaction; null once it cannot be changed. */
  onRecordTranscript: ((email: string) => void) | null;
  /** Text already in the message box (kept across a switch between chats). */
  initialText?: string;
}

/** "14:05", London time like every time on the desk: the day is the interaction's. */
const timeOf = (iso: string) => ukDateTime(iso).split(', ').at(-1) ?? ukDateTime(iso);

function MessageItem({
  message,
  onOpenLink,
}: {
  message: DeskChatMessage;
  onOpenLink: (url: string) => void;
}) {
  return (
    <li className={`chat-message chat-message--${message.from}`}>
      <p className="chat-message__meta">
        <bdi className="chat-message__author">
          {message.from === 'adviser' ? 'You' : message.author || 'Customer'}
        </bdi>
        {/* A screen reader would otherwise run the name into the time. */}
        <span className="visually-hidden">, at</span>{' '}
        <time dateTime={message.sentAt}>{timeOf(message.sentAt)}</time>
        {message.delivery === 'sending' && <span className="chat-message__state"> Sending…</span>}
      </p>
      <ChatMessageText text={message.text} onOpenLink={onOpenLink} />
      {message.delivery === 'refused' && (
        <p className="chat-message__problem">Not sent: {message.problem ?? 'refused'}</p>
      )}
    </li>
  );
}

/** Why the chat is over when the adviser did not end it: a heading word and one sentence. */
function endedWords(chat: LiveChat): { heading: string; detail: string } | null {
  if (chat.customerLeft) {
    return {
      heading: 'Customer left.',
      detail:
        chat.customerLeft.how === 'ended'
          ? 'They ended the chat. Wrap up when you are ready.'
          : 'Their connection dropped and they did not come back. Wrap up when you are ready.',
    };
  }
  if (chat.endedBy === 'service') {
    return {
      heading: 'Chat ended.',
      detail: 'The service ended the chat. Wrap up when you are ready.',
    };
  }
  return null;
}

export function ChatConversation({
  chat,
  onSend,
  onTyping,
  onOpenLink,
  linkProblem,
  transcriptRecordedFor,
  onRecordTranscript,
  initialText = '',
}: ChatConversationProps) {
  const id = useId();
  const log = useRef<HTMLDivElement>(null);
  const [text, setText] = useState(initialText);
  const [sendProblem, setSendProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const typingSince = useRef<number | null>(null);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const length = messageLength(text);
  const name = chat.customerName || 'the customer';
  const ended = chat.endedAt !== null;
  const left = endedWords(chat);

  // Newest at the bottom, kept in view unless the adviser scrolled up to read
  // back. Whether they had is read from their scrolling before a message came,
  // not after: a long new message must not count as having scrolled up.
  const pinned = useRef(true);
  const messageCount = chat.messages.length;
  useEffect(() => {
    const element = log.current;
    if (!element) return;
    if (pinned.current || messageCount <= 1) element.scrollTop = element.scrollHeight;
  }, [messageCount]);

  // The log's column changes height (a notice above the box, the window resized):
  // a log that was at its newest stays there.
  useEffect(() => {
    const element = log.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (pinned.current) element.scrollTop = element.scrollHeight;
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const scrolled = () => {
    const element = log.current;
    if (!element) return;
    pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
  };

  useEffect(
    () => () => {
      if (typingTimer.current) clearTimeout(typingTimer.current);
    },
    [],
  );

  const stopTyping = () => {
    if (typingTimer.current) clearTimeout(typingTimer.current);
    typingTimer.current = null;
    if (typingSince.current !== null) onTyping(false);
    typingSince.current = null;
  };

  const typed = (next: string) => {
    setText(next);
    setSendProblem(null);
    if (ended) return;
    // Tell the customer once at the start, then every few seconds while it goes on.
    const now = Date.now();
    if (next.trim() !== '' && (typingSince.current === null || now - typingSince.current > 4_000)) {
      typingSince.current = now;
      onTyping(true);
    }
    if (typingTimer.current) clearTimeout(typingTimer.current);
    typingTimer.current = setTimeout(stopTyping, 5_000);
  };

  const send = async () => {
    if (length.over || text.trim() === '' || ended || sending) return;
    setSending(true);
    const problem = await onSend(text);
    setSending(false);
    if (problem) return setSendProblem(problem);
    setText('');
    stopTyping();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void send();
  };

  const keyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    const action = composerKey({
      key: event.key,
      shiftKey: event.shiftKey,
      altKey: event.altKey,
      ctrlKey: event.ctrlKey,
      metaKey: event.metaKey,
      isComposing: event.nativeEvent.isComposing,
    });
    if (action !== 'send') return;
    event.preventDefault();
    void send();
  };

  return (
    <section className="chat" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`} className="chat__heading">
        Chat with <bdi>{name}</bdi>
        {chat.age !== null && <span className="chat__age">, aged {chat.age}</span>}
      </h3>
      <div
        ref={log}
        role="log"
        aria-label={`Chat with ${name}`}
        // Focusable so the conversation can be scrolled from the keyboard.
        tabIndex={0}
        className="chat__log"
        onScroll={scrolled}
      >
        {chat.messages.length === 0 ? (
          <p className="chat__empty">No messages yet.</p>
        ) : (
          <ol className="chat__messages">
            {chat.messages.map((message) => (
              <MessageItem
                key={message.clientMessageId}
                message={message}
                onOpenLink={onOpenLink}
              />
            ))}
          </ol>
        )}
      </div>
      <p className="chat__typing" role="status">
        {chat.customerTyping && !ended ? (
          <>
            <bdi>{name}</bdi> is typing…
          </>
        ) : null}
      </p>
      {left && (
        <p className="notice chat__left" role="status">
          <strong>{left.heading}</strong> {left.detail}
        </p>
      )}
      {linkProblem && (
        <p role="alert" className="notice notice--problem">
          That link was not opened: {linkProblem}
        </p>
      )}
      {chat.transcriptEmail && (
        <div className="notice chat__transcript">
          <p>
            <bdi>{name}</bdi> asked for a transcript by email to{' '}
            <bdi className="chat__address">{chat.transcriptEmail}</bdi>.
          </p>
          {transcriptRecordedFor === chat.transcriptEmail ? (
            <p>Recorded: the transcript will be sent when you complete the interaction.</p>
          ) : (
            onRecordTranscript && (
              <button
                type="button"
                className="button"
                onClick={() => onRecordTranscript(chat.transcriptEmail ?? '')}
              >
                Record transcript request
              </button>
            )
          )}
        </div>
      )}
      <form className="chat__composer" aria-label="Send a message" onSubmit={submit}>
        <label htmlFor={`${id}-message`}>Message</label>
        <textarea
          id={`${id}-message`}
          className="chat__box"
          rows={3}
          value={text}
          disabled={ended}
          aria-describedby={`${id}-counter ${id}-keys`}
          aria-invalid={length.over}
          onChange={(event) => typed(event.target.value)}
          onKeyDown={keyDown}
          onBlur={stopTyping}
        />
        <p id={`${id}-keys`} className="chat__hint">
          {ended
            ? 'The chat has ended; nothing more can be sent.'
            : 'Enter sends. Shift+Enter starts a new line.'}
        </p>
        {length.problem && (
          <p role="alert" className="notice notice--problem">
            {length.problem}
          </p>
        )}
        {sendProblem && (
          <p role="alert" className="notice notice--problem">
            Not sent: {sendProblem}
          </p>
        )}
        {/* The count beside the button: one line, so the conversation keeps the height. */}
        <div className="chat__send-row">
          <p
            id={`${id}-counter`}
            className={`chat__counter${length.over ? ' chat__counter--over' : ''}`}
          >
            {length.counter}
          </p>
          <button
            type="submit"
            className="button button--primary"
            disabled={ended || sending || length.over || text.trim() === ''}
          >
            Send
          </button>
        </div>
      </form>
    </section>
  );
}
