// Authoring and review of knowledge articles from the desk. An adviser's edit
// is queued through the outbox with the copy it started from, so an edit made
// with the network off is delivered later and still becomes a draft for review
// (never a silent overwrite). Review (drafts, approve, reject, retire,
// review-due) is the server's to decide, so those requests need it online and
// call its HTTP API with the desk's short-lived access token.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { KnowledgeReplica } from '../../knowledge-base/replica';
import type { ConnectionState, deskRequests } from '../../shared/ipc/contract';
import type { ArticleId } from '../../shared/knowledge/article';
import { fail, ok, type Result } from '../../shared/result';
import type { KnowledgeEdit } from '../../shared/wire/knowledge';
import type { JsonRoute, RouteAnswer, RouteCall } from '../../shared/wire/route-contract';
import { knowledge } from '../../shared/wire/routes';
import type { DeskHandlerRegistry } from './handlers';
import { serverJson } from './server-json';
import type { Outbox } from './outbox';

/** Edits of one article share a stream, so two edits made offline arrive in the order written. */
export const knowledgeEditStream = (articleId: ArticleId) => `knowledge:${articleId}`;

/** What the review client needs from the server connection. */
export interface ReviewConnection {
  readonly state: ConnectionState;
  requestToken(): Promise<string | null>;
}

export interface KnowledgeAdminOptions {
  serverUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => Date;
}

export class KnowledgeAdmin {
  private readonly fetch: typeof fetch;
  private readonly now: () => Date;

  constructor(
    private readonly replica: KnowledgeReplica,
    private readonly outbox: Outbox,
    private readonly connection: ReviewConnection,
    private readonly options: KnowledgeAdminOptions,
  ) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Queues a new article or an edit as a draft for the server. The outbox row is
   * the desk's durable copy of the edit until the server acknowledges it.
   */
  submitEdit(request: z.output<typeof deskRequests.submitKnowledgeEdit.input>): Result<{
    draftId: string;
    articleId: ArticleId;
  }> {
    const { content, baseVersion, note } = request;
    const held = this.replica.article(content.id);
    if (baseVersion === null && held) {
      // A "new" article under a taken id would reach the reviewer as a conflict;
      // the author can still fix it, so say so now, on the field.
      return fail('conflict', `The id “${content.id}” is already used by “${held.title}”`, [
        {
          path: 'content.id',
          message: `“${content.id}” is already the id of the published article “${held.title}”. Choose another id, or open that article and edit it instead.`,
        },
      ]);
    }
    if (baseVersion !== null && held && baseVersion > held.version) {
      return fail(
        'invalid_input',
        `The desk holds version ${held.version} of this article; the edit names version ${baseVersion}`,
      );
    }
    const edit: KnowledgeEdit = {
      draftId: randomUUID(),
      articleId: content.id,
      baseVersion,
      content,
      note,
      editedAt: this.now().toISOString(),
    };
    this.outbox.transaction(() => {
      this.outbox.enqueue({
        stream: knowledgeEditStream(content.id),
        kind: 'knowledge.edit',
        payload: edit,
      });
    });
    return ok({ draftId: edit.draftId, articleId: edit.articleId });
  }

  draftsAwaitingReview() {
    return this.call(knowledge.drafts, { query: { status: 'awaiting-review' } });
  }

  approve({ draftId, ...approval }: z.output<typeof deskRequests.approveKnowledgeDraft.input>) {
    return this.call(knowledge.approve, { params: { id: draftId }, body: approval });
  }

  reject({ draftId, reason }: z.output<typeof deskRequests.rejectKnowledgeDraft.input>) {
    return this.call(knowledge.reject, { params: { id: draftId }, body: { reason } });
  }

  retire({ articleId, reason }: z.output<typeof deskRequests.retireKnowledgeArticle.input>) {
    return this.call(knowledge.retire, { params: { id: articleId }, body: { reason } });
  }

  reviewDue() {
    return this.call(knowledge.reviewDue, {});
  }

  /** One request to the server's knowledge API; never rejects. */
  private async call<R extends JsonRoute>(
    route: R,
    call: RouteCall<R>,
  ): Promise<Result<RouteAnswer<R>>> {
    if (this.connection.state !== 'online') {
      return fail(
        'unavailable',
        'Knowledge review needs the central server, and the desk is not connected to it just now',
      );
    }
    const token = await this.connection.requestToken();
    if (!token) {
      return fail(
        'unauthenticated',
        'The desk could not get an access token from the central server',
      );
    }
    return serverJson(
      { serverUrl: this.options.serverUrl, fetch: this.fetch, timeoutMs: this.options.timeoutMs },
      route,
      call,
      token,
    );
  }
}

/** The authoring and review requests of the desk API. */
export function registerKnowledgeAdminHandlers(
  registry: DeskHandlerRegistry,
  admin: KnowledgeAdmin,
): void {
  registry.register('submitKnowledgeEdit', (input) => admin.submitEdit(input));
  registry.register('knowledgeDraftsAwaitingReview', () => admin.draftsAwaitingReview());
  registry.register('approveKnowledgeDraft', (input) => admin.approve(input));
  registry.register('rejectKnowledgeDraft', (input) => admin.reject(input));
  registry.register('retireKnowledgeArticle', (input) => admin.retire(input));
  registry.register('knowledgeReviewDue', () => admin.reviewDue());
}
