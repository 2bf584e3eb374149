// The knowledge network's rules on the central server: who may read, propose,
// approve, reject and retire; the starter import; and the push hint after a
// version is committed. Every input arrives as `unknown` and is parsed with the
// wire schemas; every answer is a result envelope.
import { z } from 'zod';
import type { StaffMember } from '../../shared/domain/people';
import {
  articleIdSchema,
  type KnowledgeArticle,
  type KnowledgeChangePage,
} from '../../shared/knowledge/article';
import { fail, ok, parseInput, type Result } from '../../shared/result';
import {
  changeFeedQuerySchema,
  draftApprovalSchema,
  draftListQuerySchema,
  draftRejectionSchema,
  knowledgeEditSchema,
  retireArticleSchema,
  serverSearchQuerySchema,
  type KnowledgeDraft,
  type ReviewDueArticle,
} from '../../shared/wire/knowledge';
import { loadArticleFolder, starterArticlesFolder } from '../../knowledge-base/articles';
import { authorize } from '../permissions/policy';
import { StorageConflictError } from '../storage/types';
import type { KnowledgeSearchHit, KnowledgeStore } from './types';

/**
 * Who reviews (approves, rejects and retires) is the permission policy's
 * `knowledge.review`; that an author never reviews their own draft is this service's rule.
 */
const isReviewer = (staff: StaffMember) => authorize(staff, 'knowledge.review').ok;

const draftIdSchema = z.uuid();
const dayMs = 24 * 60 * 60 * 1000;

export interface KnowledgeServiceOptions {
  /** The server's clock: decision times and what "today" is for review-by dates. */
  now: () => number;
  log(line: string): void;
  /** Called once a published or retired version is committed: the push hint to desks. */
  changed(version: number): void;
  /** Where the starter articles are read on first start. */
  starterFolder?: string;
}

export class KnowledgeService {
  constructor(
    private readonly store: KnowledgeStore,
    private readonly options: KnowledgeServiceOptions,
  ) {}

  /**
   * Publishes the starter articles when the store holds none (first start);
   * answers how many were imported, 0 when the store already had articles.
   */
  async importStarterArticles(): Promise<number> {
    const held = (await this.store.counts()).articles;
    if (held > 0) {
      this.options.log(`knowledge: ${held} articles held, starter import not needed`);
      return 0;
    }
    // Throws with every problem listed: a broken starter folder stops the first start.
    const articles = loadArticleFolder(this.options.starterFolder ?? starterArticlesFolder);
    const imported = await this.store.importIfEmpty(articles, this.at());
    if (imported === null) return 0;
    this.options.log(`knowledge: imported ${imported} starter articles, one version each`);
    return imported;
  }

  async changes(query: unknown): Promise<Result<KnowledgeChangePage>> {
    const parsed = parseInput(changeFeedQuerySchema, query, 'Change feed query');
    if (!parsed.ok) return parsed;
    return ok(await this.store.changes(parsed.value.since, parsed.value.limit));
  }

  async article(id: unknown): Promise<Result<KnowledgeArticle>> {
    const parsed = parseInput(articleIdSchema, id, 'Article id');
    if (!parsed.ok) return parsed;
    const article = await this.store.article(parsed.value);
    return article ? ok(article) : fail('not_found', `There is no article ${parsed.value}`);
  }

  async reviewDue(): Promise<Result<{ items: ReviewDueArticle[] }>> {
    const today = this.at().slice(0, 10);
    const items = (await this.store.reviewDue(today)).map((row) => ({
      ...row,
      daysOverdue: Math.round((Date.parse(today) - Date.parse(row.reviewBy)) / dayMs),
    }));
    return ok({ items });
  }

  /** Published articles only, best match first: what anyone who reads the network may see. */
  async search(query: unknown): Promise<Result<{ items: KnowledgeSearchHit[] }>> {
    const parsed = parseInput(serverSearchQuerySchema, query, 'Search query');
    if (!parsed.ok) return parsed;
    return ok({ items: await this.store.search(parsed.value.q, parsed.value.limit) });
  }

  /** Reviewers see everyone's drafts; anyone else their own. */
  async drafts(staff: StaffMember, query: unknown): Promise<Result<{ items: KnowledgeDraft[] }>> {
    const parsed = parseInput(draftListQuerySchema, query, 'Draft listing query');
    if (!parsed.ok) return parsed;
    const items = await this.store.listDrafts({
      status: parsed.value.status,
      authorId: isReviewer(staff) ? null : staff.id,
      limit: parsed.value.limit,
    });
    return ok({ items });
  }

  /** Any staff member may propose; `created` is false when this draft id was already held. */
  async submitDraft(
    staff: StaffMember,
    body: unknown,
  ): Promise<Result<{ draft: KnowledgeDraft; created: boolean }>> {
    const edit = parseInput(knowledgeEditSchema, body, 'Knowledge edit');
    if (!edit.ok) return edit;
    try {
      const submitted = await this.store.submitDraft(edit.value, staff.id, this.at());
      if (submitted.created) {
        this.options.log(
          `knowledge: draft ${edit.value.draftId} for ${edit.value.articleId} submitted by ${staff.username}`,
        );
      }
      return ok(submitted);
    } catch (error) {
      if (error instanceof StorageConflictError) return fail('conflict', error.message);
      throw error;
    }
  }

  async approve(
    staff: StaffMember,
    draftId: unknown,
    body: unknown,
  ): Promise<Result<KnowledgeArticle>> {
    const id = parseInput(draftIdSchema, draftId, 'Draft id');
    if (!id.ok) return id;
    const approval = parseInput(draftApprovalSchema, body ?? {}, 'Approval');
    if (!approval.ok) return approval;
    const allowed = await this.mayDecide(staff, id.value, 'approve');
    if (!allowed.ok) return allowed;

    const outcome = await this.store.approveDraft(id.value, {
      reviewerId: staff.id,
      at: this.at(),
      ...approval.value,
    });
    switch (outcome.outcome) {
      case 'not-found':
        return fail('not_found', `There is no draft ${id.value}`);
      case 'rejected':
        return fail('conflict', 'This draft was rejected; it can no longer be approved');
      case 'already-published':
        return ok(outcome.article);
      case 'conflict': {
        const conflict = outcome.draft.conflict;
        const now = conflict ? `version ${conflict.currentVersion}` : 'a newer version';
        const base =
          outcome.draft.baseVersion === null
            ? 'the draft proposes a new article'
            : `the draft started from version ${outcome.draft.baseVersion}`;
        return fail(
          'conflict',
          approval.value.acknowledgeConflict
            ? `The article has changed again: it is now at ${now}. Compare the draft with that copy before approving`
            : `The article changed on the server after the author's copy (it is now at ${now}; ${base}). ` +
                'Compare both copies in the draft, then approve with acknowledgeConflict to publish it over the current one',
        );
      }
      case 'published':
        this.options.log(
          `knowledge: ${outcome.article.id} version ${outcome.article.version} published from draft ${id.value} by ${staff.username}`,
        );
        this.options.changed(outcome.article.version);
        return ok(outcome.article);
    }
  }

  async reject(
    staff: StaffMember,
    draftId: unknown,
    body: unknown,
  ): Promise<Result<KnowledgeDraft>> {
    const id = parseInput(draftIdSchema, draftId, 'Draft id');
    if (!id.ok) return id;
    const rejection = parseInput(draftRejectionSchema, body, 'Rejection');
    if (!rejection.ok) return rejection;
    const allowed = await this.mayDecide(staff, id.value, 'reject');
    if (!allowed.ok) return allowed;

    const outcome = await this.store.rejectDraft(id.value, {
      reviewerId: staff.id,
      at: this.at(),
      reason: rejection.value.reason,
    });
    switch (outcome.outcome) {
      case 'not-found':
        return fail('not_found', `There is no draft ${id.value}`);
      case 'already-published':
        return fail(
          'conflict',
          'This draft was approved and published; it can no longer be rejected',
        );
      case 'already-rejected':
        return ok(outcome.draft);
      case 'rejected':
        this.options.log(`knowledge: draft ${id.value} rejected by ${staff.username}`);
        return ok(outcome.draft);
    }
  }

  async retire(
    staff: StaffMember,
    articleId: unknown,
    body: unknown,
  ): Promise<Result<{ version: number }>> {
    const id = parseInput(articleIdSchema, articleId, 'Article id');
    if (!id.ok) return id;
    const retirement = parseInput(retireArticleSchema, body, 'Retirement');
    if (!retirement.ok) return retirement;
    if (!isReviewer(staff)) {
      return fail('forbidden', 'Only a team leader or a knowledge editor retires articles');
    }
    const outcome = await this.store.retire(id.value, {
      by: staff.id,
      at: this.at(),
      reason: retirement.value.reason,
    });
    switch (outcome.outcome) {
      case 'not-found':
        return fail('not_found', `There is no article ${id.value}`);
      case 'already-retired':
        return ok({ version: outcome.version });
      case 'retired':
        this.options.log(
          `knowledge: ${id.value} retired at version ${outcome.version} by ${staff.username}`,
        );
        this.options.changed(outcome.version);
        return ok({ version: outcome.version });
    }
  }

  /** A decision is a reviewer's, and never on their own draft (whose author never changes). */
  private async mayDecide(
    staff: StaffMember,
    draftId: string,
    verb: string,
  ): Promise<Result<null>> {
    if (!isReviewer(staff)) {
      return fail('forbidden', `Only a team leader or a knowledge editor may ${verb} drafts`);
    }
    const draft = await this.store.draft(draftId);
    if (!draft) return fail('not_found', `There is no draft ${draftId}`);
    if (draft.authorId === staff.id) {
      return fail(
        'forbidden',
        `A draft is reviewed by someone other than its author; you cannot ${verb} your own`,
      );
    }
    return ok(null);
  }

  private at(): string {
    return new Date(this.options.now()).toISOString();
  }
}
