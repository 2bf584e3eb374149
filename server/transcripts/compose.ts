// What the sender actually sends for a claimed transcript: the document
// composed here from the interaction record the server holds, to the address
// that record chose, parsed again by the shared address module. Composing at
// send time (not at queue time) also covers transcripts queued before the
// server composed them: their stored desk-made bodies were dropped (migration
// 009) and are never read. Articles are shown as the record holds them (title
// and public link as the young person was shown them); only an article the
// record names without them is described from the server's own copy.
import type { ComposedDocument, UsefulLink } from '../../shared/documents/action-plan';
import { transcriptDocumentFor } from '../../shared/documents/transcript';
import { parseContactAddress, type ContactAddress } from '../../shared/domain/contact-address';
import { interactionRecordSchema, type InteractionRecord } from '../../shared/interaction/record';
import type { KnowledgeArticle } from '../../shared/knowledge/article';
import { articleLinkFor } from '../../shared/knowledge/public-link';
import { fail, ok, parseInput, type Result } from '../../shared/result';
import type { ClaimedTranscript } from './types';

export interface PreparedTranscript {
  /** Normalised: one mailbox, or a UK mobile in E.164. */
  to: ContactAddress;
  document: ComposedDocument;
}

/**
 * The transcript ready to send, or why it never can be. Every failure here is
 * permanent (the record and the queued row do not change), so the sender gives
 * up at once rather than retrying. `describeArticle` answers for the articles
 * articlesToDescribe names; any other article is shown as the record holds it.
 */
export function prepareTranscript(
  claimed: ClaimedTranscript,
  describeArticle: (articleId: string) => UsefulLink | null = () => null,
): Result<PreparedTranscript> {
  const record = heldRecord(claimed);
  if (!record.ok) return record;
  const choice = record.value.summary.transcript;
  if (choice.decision !== 'send') {
    return fail('conflict', 'The interaction record does not ask for a transcript');
  }
  const chosen = parseContactAddress(choice.via, choice.address);
  if (!chosen.ok) return chosen;
  // The queued address came from the desk's request; the record's is the one
  // the adviser recorded with the customer, so the two must agree.
  const queued = parseContactAddress(claimed.via, claimed.address);
  if (
    !queued.ok ||
    queued.value.via !== chosen.value.via ||
    queued.value.address !== chosen.value.address
  ) {
    return fail(
      'conflict',
      'The queued transcript’s address is not the one the interaction record holds',
    );
  }
  return ok({
    to: chosen.value,
    document: transcriptDocumentFor(record.value, { describeArticle }),
  });
}

/**
 * The articles the held record points to without the title and link the young
 * person was shown (records made before records kept them, or by an older
 * desk): these the sender looks up before composing. Empty when the record
 * cannot be read; prepareTranscript then says why.
 */
export function articlesToDescribe(claimed: ClaimedTranscript): string[] {
  const record = heldRecord(claimed);
  if (!record.ok) return [];
  const { articleIds, articleLinks = [] } = record.value.summary.nextSteps;
  const shown = new Set(articleLinks.map((link) => link.articleId));
  return articleIds.filter((articleId) => !shown.has(articleId));
}

/**
 * An article as the server holds it now, as a young person would be shown it.
 * A retired article keeps its title (the adviser did point to it) but its link
 * is no longer offered: the helpline withdrew it.
 */
export function describeHeldArticle(article: KnowledgeArticle): UsefulLink {
  const link = articleLinkFor(article);
  return { title: link.title, url: article.status === 'published' ? link.url : null };
}

function heldRecord(claimed: ClaimedTranscript): Result<InteractionRecord> {
  if (claimed.heldRecord === null) {
    return fail('not_found', 'The interaction record is no longer held');
  }
  let json: unknown;
  try {
    json = JSON.parse(claimed.heldRecord);
  } catch {
    return fail('invalid_input', 'The held interaction record is not readable');
  }
  // The record was checked when it arrived, but perhaps by an older, laxer
  // schema: parsing it again applies today's address check to it too.
  const record = parseInput(interactionRecordSchema, json, 'The held interaction record');
  if (!record.ok) {
    const where = (record.error.issues ?? []).map((issue) => `${issue.path}: ${issue.message}`);
    return fail('invalid_input', [record.error.message, ...where].join('; '));
  }
  return record;
}
