// What a young person is shown for a knowledge-network article: its title and
// its public link. Everything that reaches them (the "Send link in chat"
// message, the skills action plan and the transcript) is made here, so an
// article is never shown by its internal id and never with a link that has not
// passed the desk's own link check.
import { z } from 'zod';
import type { ArticleContent } from './article';
import { safeExternalLink, webAddressSegments } from './external-link';

/**
 * An article as the young person was shown it: its id (for the record only,
 * never shown), its title and its public link, both as they stood at that
 * moment, so a later edit or retirement of the article does not change a
 * document made from them. `url` is null when the article had no page that
 * passes the link check. Checked again wherever it is used, so the schema
 * accepts any text (a redacted copy of a record must still parse).
 */
export const articleLinkSchema = z.object({
  articleId: z.string().min(1).max(200),
  title: z.string().min(1).max(300),
  url: z.string().min(1).max(2_048).nullable(),
});
export type ArticleLink = z.infer<typeof articleLinkSchema>;

/** The part of an article its public link is made from. */
export type LinkableArticle = Pick<ArticleContent, 'id' | 'title' | 'contact' | 'sources'>;

/**
 * The article's public page: a page the young person can open for themselves.
 * The knowledge network is internal to the helpline, so an article has no page
 * of its own outside the desks. The article format gives two kinds of public
 * page: a service's own website (`contact.website`, the organisation the
 * young person is pointed to), and the sources the article is drawn from. A
 * service's public page is its website; a guide's is its first source (the
 * page it chiefly draws on), and when that fails the check, the next that
 * passes. Null when none passes.
 */
export function publicPageOf(article: Pick<LinkableArticle, 'contact' | 'sources'>): string | null {
  // Contact details are for services only (the format), so a website means a service's own.
  const candidates = [
    ...(article.contact?.website ? [article.contact.website] : []),
    ...article.sources.map((source) => source.url),
  ];
  for (const candidate of candidates) {
    const checked = safeExternalLink(candidate);
    if (checked !== null) return checked;
  }
  return null;
}

/** The one place an article becomes what a young person sees: title and public link. */
export function articleLinkFor(article: LinkableArticle): ArticleLink {
  return { articleId: article.id, title: article.title, url: publicPageOf(article) };
}

/**
 * The chat message "Send link in chat" sends: "Title: https://…". Null when
 * the article has no public page (there is nothing to send).
 */
export function chatTextForLink(link: Pick<ArticleLink, 'title' | 'url'>): string | null {
  if (link.url === null) return null;
  return `${link.title}: ${link.url}`;
}

/** A link found in a chat message, as the young person saw it. */
export interface ChatLink {
  title: string;
  url: string;
}

/**
 * The links a chat message gave, each already through the link check. A
 * message written by chatTextForLink gives its title and link back; any other
 * secure address in the text is given with the address as its title.
 * Addresses that fail the check are not links and are left out.
 */
export function linksInChatText(text: string): ChatLink[] {
  const segments = webAddressSegments(text);
  const [first, last] = [segments[0], segments[1]];
  // "Title: https://…" and nothing after it: the shape chatTextForLink makes.
  if (
    segments.length === 2 &&
    first?.kind === 'text' &&
    last?.kind === 'link' &&
    last.url !== null &&
    first.text.endsWith(': ') &&
    first.text.slice(0, -2).trim() !== ''
  ) {
    return [{ title: first.text.slice(0, -2).trim(), url: last.url }];
  }
  return segments.flatMap((segment) =>
    segment.kind === 'link' && segment.url !== null
      ? [{ title: segment.text, url: segment.url }]
      : [],
  );
}
