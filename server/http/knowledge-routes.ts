// The knowledge network over HTTP (the knowledge routes of shared/wire/routes.ts,
// and the server's full-text search). Each route names the action the
// permission policy must allow; the rules on drafts and articles are the
// service's, and no SQL is here. Handlers are async: Express passes a rejection
// to the error handler.
import { knowledge as routesOf } from '../../shared/wire/routes';
import type { KnowledgeService } from '../knowledge/service';
import type { SafeRoutes } from './safe-routes';

export function registerKnowledgeRoutes(routes: SafeRoutes, knowledge: KnowledgeService): void {
  routes.staff(routesOf.changes, 'knowledge.read', async (_staff, { query }, reply) =>
    reply(await knowledge.changes(query)),
  );

  routes.staff(routesOf.article, 'knowledge.read', async (_staff, { params }, reply) =>
    reply(await knowledge.article(params.id)),
  );

  routes.staff(routesOf.reviewDue, 'knowledge.read', async (_staff, _input, reply) =>
    reply(await knowledge.reviewDue()),
  );

  // Published articles only, so reading the network is the permission.
  routes.staff(routesOf.search, 'knowledge.read', async (_staff, { query }, reply) =>
    reply(await knowledge.search(query)),
  );

  // The service lists a reviewer every draft and anyone else their own.
  routes.staff(routesOf.drafts, 'knowledge.draft', async (staff, { query }, reply) =>
    reply(await knowledge.drafts(staff, query)),
  );

  routes.staff(routesOf.submitDraft, 'knowledge.draft', async (staff, { body }, reply) => {
    const submitted = await knowledge.submitDraft(staff, body);
    if (!submitted.ok) return reply(submitted);
    // 201 for a new draft, 200 for a resend answered with the draft already held.
    reply({ ok: true, value: submitted.value.draft }, submitted.value.created ? 201 : 200);
  });

  // Reviewing is the policy's; that nobody reviews their own draft is the service's rule.
  routes.staff(routesOf.approve, 'knowledge.review', async (staff, { params, body }, reply) =>
    reply(await knowledge.approve(staff, params.id, body)),
  );

  routes.staff(routesOf.reject, 'knowledge.review', async (staff, { params, body }, reply) =>
    reply(await knowledge.reject(staff, params.id, body)),
  );

  routes.staff(routesOf.retire, 'knowledge.review', async (staff, { params, body }, reply) =>
    reply(await knowledge.retire(staff, params.id, body)),
  );
}
