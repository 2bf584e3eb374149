// One chat message's text, always as text: React puts it in text nodes, so
// markup, scripts and entities show as typed. Secure web addresses become
// buttons that ask the desk to check the address before anything opens it;
// nothing here has an href, so no click, middle click or drag bypasses the check.
import type { ChatTextSegment } from './chat-words';
import { chatTextSegments } from './chat-words';

export function ChatMessageText({
  text,
  onOpenLink,
}: {
  text: string;
  onOpenLink: (url: string) => void;
}) {
  const segments: ChatTextSegment[] = chatTextSegments(text);
  // <bdi> isolates the text's direction: a right-to-left override typed by a
  // customer reorders only their own words, never the names and times around them.
  return (
    <bdi className="chat-message__text">
      {segments.map((segment, index) =>
        segment.kind === 'text' ? (
          segment.text
        ) : (
          <button
            key={index}
            type="button"
            className="chat-link"
            onClick={() => onOpenLink(segment.text)}
          >
            {segment.text}
            <span className="visually-hidden"> (checked, then opened outside the desk)</span>
          </button>
        ),
      )}
    </bdi>
  );
}
