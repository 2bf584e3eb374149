// The knowledge network over HTTP (the endpoints listed in shared/wire/knowledge.ts,
// and the server's full-text search). Each route names the action the
// permission policy must allow; the rules on drafts and articles are the
// service's, and no SQL is here. Handlers are async: Express passes a rejection
// to the error handler.
import type { KnowledgeService } from '../knowledge/service';
import { sendResult } from './envelope';
import type { SafeRoutes } from './safe-routes';

export function registerKnowledgeRoutes(routes: SafeRoutes, knowledge: KnowledgeService): void {
  routes.staff(
    'get',
    '/api/knowledge/changes',
    'knowledge.read',
    async (_staff, request, response) =>
      sendResult(response, await knowledge.changes(request.query)),
  );

  routes.staff(
    'get',
    '/api/knowledge/articles/:id',
    'knowledge.read',
    async (_staff, request, response) =>
      sendResult(response, await knowledge.article(request.params.id)),
  );

  routes.staff(
    'get',
    '/api/knowledge/review-due',
    'knowledge.read',
    async (_staff, _request, response) => sendResult(response, await knowledge.reviewDue()),
  );

  // Published articles only, so reading the network is the permission; the
  // service parses q (1 to 200 characters) and limit with serverSearchQuerySchema.
  routes.staff(
    'get',
    '/api/knowledge/search',
    'knowledge.read',
    async (_staff, request, response) =>
      sendResult(response, await knowledge.search(request.query)),
  );

  // The service lists a reviewer every draft and anyone else their own.
  routes.staff(
    'get',
    '/api/knowledge/drafts',
    'knowledge.draft',
    async (staff, request, response) =>
      sendResult(response, await knowledge.drafts(staff, request.query)),
  );

  routes.staff(
    'post',
    '/api/knowledge/drafts',
    'knowledge.draft',
    async (staff, request, response) => {
      const submitted = await knowledge.submitDraft(staff, request.body);
      if (!submitted.ok) return sendResult(response, submitted);
      // 201 for a new draft, 200 for a resend answered with the draft already held.
      sendResult(
        response,
        { ok: true, value: submitted.value.draft },
        submitted.value.created ? 201 : 200,
      );
    },
  );

  // Reviewing is the policy's; that nobody reviews their own draft is the service's rule.
  routes.staff(
    'post',
    '/api/knowledge/drafts/:id/approve',
    'knowledge.review',
    async (staff, request, response) =>
      sendResult(response, await knowledge.approve(staff, request.params.id, request.body)),
  );

  routes.staff(
    'post',
    '/api/knowledge/drafts/:id/reject',
    'knowledge.review',
    async (staff, request, response) =>
      sendResult(response, await knowledge.reject(staff, request.params.id, request.body)),
  );

  routes.staff(
    'post',
    '/api/knowledge/articles/:id/retire',
    'knowledge.review',
    async (staff, request, response) =>
      sendResult(response, await knowledge.retire(staff, request.params.id, request.body)),
  );
}
