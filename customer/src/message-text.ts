// A chat message's text on the customer's page, as parts. Everything stays
// text, as typed. In the adviser's messages (links the helpline sent, such as
// an article's public page), a secure web address that passes the desk's own
// link check (shared/knowledge/external-link.ts) becomes a link; an address
// that fails it, and anything the young person typed themselves, stays text to
// copy. Pure (no DOM), so what becomes clickable is tested without a browser;
// main.ts turns the parts into nodes.
import { webAddressSegments } from '../../shared/knowledge/external-link';

/** Text to show as typed, or a link: `text` as written, `href` the checked, normalised address. */
export type MessagePart =
  { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

/**
 * The id of the page's one hidden "Opens in a new tab" line that every link
 * points to, so a screen reader says it while the message's text stays exactly
 * what the adviser sent.
 */
export const newTabHintId = 'link-opens-new-tab';

/** The parts of one message's text; links only where `fromAdviser` is true. */
export function messageParts(text: string, fromAdviser: boolean): MessagePart[] {
  if (!fromAdviser) return [{ kind: 'text', text }];
  return webAddressSegments(text).map((segment) =>
    segment.kind === 'link' && segment.url !== null
      ? { kind: 'link', text: segment.text, href: segment.url }
      : { kind: 'text', text: segment.text },
  );
}
