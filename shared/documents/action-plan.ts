// The customer's skills action plan: what a young person (or the adult calling
// for them) receives after a contact, as plain text and HTML email. Written for
// a 13-to-18 reader. Every piece of typed text is escaped in the HTML, and
// every link passes the desk's own link check before it is written.
import type { InteractionRecord } from '../interaction/record';
import { londonFormat } from '../time/london';
import { barrierLabels } from '../interaction/taxonomy';
import { safeExternalLink } from '../knowledge/external-link';
import { linksInChatText } from '../knowledge/public-link';

export interface ChatMessage {
  from: 'customer' | 'adviser';
  text: string;
  at: string;
}

export interface UsefulLink {
  title: string;
  url: string | null;
}

export interface ActionPlanOptions {
  /** The chat, for web-chat contacts: carried in full so the customer has it. */
  chatMessages?: readonly ChatMessage[];
  /**
   * How to show an article whose title and link the record does not hold (a
   * record made before records kept them, or by a desk that did not send
   * them): the server answers from its own copy of the article. Without an
   * answer the article is left out: its internal id means nothing to a young
   * person.
   */
  describeArticle?: (articleId: string) => UsefulLink | null;
}

export interface ComposedDocument {
  subject: string;
  text: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

const dayFormat = londonFormat({
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const timeFormat = londonFormat({
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h12',
});

/** "Monday 7 April 2025". */
export const ukDay = (iso: string) => dayFormat.format(new Date(iso)).replace(',', '');
/** "5:00pm". */
export const ukTime = (iso: string) =>
  timeFormat.format(new Date(iso)).replace(' ', '').toLowerCase();
const calendarDay = (date: string) => ukDay(`${date}T12:00:00Z`);

/** A section is a heading and either paragraphs or a bulleted list; empty sections are left out. */
interface Section {
  heading: string;
  paragraphs: string[];
  bullets: { text: string; href?: string | null }[];
}

type Bullet = Section['bullets'][number];

/**
 * The articles pointed to, each by its title with its public link as the
 * young person was shown it, then every link the adviser sent in the chat.
 * A link that fails the check is shown as its title alone; a page listed once
 * is not listed again.
 */
function usefulLinks(record: InteractionRecord, options: ActionPlanOptions): Bullet[] {
  const { nextSteps } = record.summary;
  const shown = new Map((nextSteps.articleLinks ?? []).map((link) => [link.articleId, link]));
  const bullets: Bullet[] = [];
  const listed = new Set<string>();
  const add = (title: string, url: string | null) => {
    const href = url === null ? null : safeExternalLink(url);
    if (href !== null) {
      if (listed.has(href)) return;
      listed.add(href);
    }
    bullets.push({ text: title, href });
  };
  for (const articleId of nextSteps.articleIds) {
    const link = shown.get(articleId) ?? options.describeArticle?.(articleId) ?? null;
    if (link) add(link.title, link.url);
  }
  for (const message of options.chatMessages ?? []) {
    // The customer's own links are theirs, kept in the chat below; these are the helpline's.
    if (message.from !== 'adviser') continue;
    for (const link of linksInChatText(message.text)) add(link.title, link.url);
  }
  return bullets;
}

function sectionsFor(record: InteractionRecord, options: ActionPlanOptions): Section[] {
  const { summary } = record;
  const sections: Section[] = [];
  const talked: Section = { heading: 'What we talked about', paragraphs: [], bullets: [] };
  if (summary.caller.withinRemit === false && summary.caller.signpostedTo) {
    talked.paragraphs.push(
      `We are a service for young people aged 13 to 18, so we suggested: ${summary.caller.signpostedTo}`,
    );
  }
  if (summary.startingPoint.goals.trim())
    talked.paragraphs.push(`Your ideas and goals: ${summary.startingPoint.goals.trim()}`);
  if (summary.nextSteps.mainPoints.trim())
    talked.paragraphs.push(summary.nextSteps.mainPoints.trim());
  for (const barrier of summary.barriers.identified) {
    const agreed = barrier.agreed.trim() ? `: ${barrier.agreed.trim()}` : '';
    const referral = barrier.referral ? ` (we put you in touch with ${barrier.referral})` : '';
    talked.bullets.push({ text: `${barrierLabels[barrier.kind]}${agreed}${referral}` });
  }
  sections.push(talked);

  const actions = (owner: 'customer' | 'adviser') =>
    summary.nextSteps.actions
      .filter((action) => action.owner === owner)
      .map((action) => ({
        text: action.due
          ? `${action.description} (by ${calendarDay(action.due)})`
          : action.description,
      }));
  sections.push({
    heading: 'What you are going to do',
    paragraphs: [],
    bullets: actions('customer'),
  });
  sections.push({
    heading: 'What we are going to do',
    paragraphs: [],
    bullets: actions('adviser'),
  });

  sections.push({
    heading: 'Useful links',
    paragraphs: [],
    bullets: [
      ...usefulLinks(record, options),
      ...summary.nextSteps.services.map((service) => ({ text: service })),
    ],
  });

  const followUp: Section = { heading: 'Your follow-up call', paragraphs: [], bullets: [] };
  if (summary.followUp.decision === 'accepted') {
    const how =
      summary.followUp.contactMethod === 'phone'
        ? 'call you'
        : `contact you by ${summary.followUp.contactMethod}`;
    followUp.paragraphs.push(
      `We will ${how} on ${ukDay(summary.followUp.slotStart)} at ${ukTime(summary.followUp.slotStart)} to see how things are going.`,
    );
  } else if (summary.followUp.decision === 'declined') {
    followUp.paragraphs.push('You said you did not want a follow-up call. That is fine.');
  }
  followUp.paragraphs.push('You can contact us again any day from 8am to 10pm.');
  sections.push(followUp);

  if (options.chatMessages && options.chatMessages.length > 0) {
    sections.push({
      heading: 'Your chat with us',
      paragraphs: [],
      bullets: options.chatMessages.map((message) => ({
        text: `${message.from === 'customer' ? 'You' : 'Adviser'} (${ukTime(message.at)}): ${message.text}`,
      })),
    });
  }
  return sections.filter((section) => section.paragraphs.length > 0 || section.bullets.length > 0);
}

function toText(intro: string, sections: Section[]): string {
  const lines = [intro, ''];
  for (const section of sections) {
    lines.push(section.heading, '-'.repeat(section.heading.length));
    for (const paragraph of section.paragraphs) lines.push(paragraph, '');
    for (const bullet of section.bullets)
      lines.push(`* ${bullet.text}${bullet.href ? ` (${bullet.href})` : ''}`);
    if (section.bullets.length > 0) lines.push('');
  }
  lines.push('Good luck!', 'The careers helpline');
  return `${lines.join('\n').trimEnd()}\n`;
}

function toHtml(subject: string, intro: string, sections: Section[]): string {
  const body = sections
    .map((section) => {
      const paragraphs = section.paragraphs
        .map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`)
        .join('');
      const bullets = section.bullets.length
        ? `<ul>${section.bullets
            .map((bullet) => {
              // Checked again here, so no caller can put an unchecked link in the email.
              const href = bullet.href ? safeExternalLink(bullet.href) : null;
              return `<li>${href ? `<a href="${escapeHtml(href)}">${escapeHtml(bullet.text)}</a>` : escapeHtml(bullet.text)}</li>`;
            })
            .join('')}</ul>`
        : '';
      return `<h2>${escapeHtml(section.heading)}</h2>${paragraphs}${bullets}`;
    })
    .join('');
  return `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body><p>${escapeHtml(intro)}</p>${body}<p>Good luck!<br>The careers helpline</p></body></html>`;
}

/** Every action plan's subject: the server lists queued transcripts by it before composing them. */
export const actionPlanSubject = 'Your skills action plan from the careers helpline';

/** The skills action plan for a completed interaction. */
export function composeActionPlan(
  record: InteractionRecord,
  options: ActionPlanOptions = {},
): ComposedDocument {
  const subject = actionPlanSubject;
  const contactDay = ukDay(record.summary.call.connectedAt ?? record.startedAt);
  const intro = `Hello, thank you for talking to us on ${contactDay}. Here is a reminder of what we talked about and what happens next.`;
  const sections = sectionsFor(record, options);
  return { subject, text: toText(intro, sections), html: toHtml(subject, intro, sections) };
}
