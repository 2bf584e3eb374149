// The knowledge network over HTTP (the endpoints listed in shared/wire/knowledge.ts).
// Every route needs a signed-in staff member's access token; the rules are the
// service's, and no SQL is here.
import type express from 'express';
import type { Request, Response } from 'express';
import type { StaffMember } from '../../shared/domain/people';
import type { Result } from '../../shared/result';
import type { KnowledgeService } from '../knowledge/service';
import { sendResult } from './envelope';

type Authenticate = (request: Request) => Result<StaffMember>;

export function registerKnowledgeRoutes(
  app: express.Express,
  knowledge: KnowledgeService,
  staffFromAccess: Authenticate,
): void {
  const signedIn =
    (handle: (staff: StaffMember, request: Request, response: Response) => void) =>
    (request: Request, response: Response) => {
      const staff = staffFromAccess(request);
      if (!staff.ok) return sendResult(response, staff);
      handle(staff.value, request, response);
    };

  app.get(
    '/api/knowledge/changes',
    signedIn((_staff, request, response) => sendResult(response, knowledge.changes(request.query))),
  );

  app.get(
    '/api/knowledge/articles/:id',
    signedIn((_staff, request, response) =>
      sendResult(response, knowledge.article(request.params.id)),
    ),
  );

  app.get(
    '/api/knowledge/review-due',
    signedIn((_staff, _request, response) => sendResult(response, knowledge.reviewDue())),
  );

  app.get(
    '/api/knowledge/drafts',
    signedIn((staff, request, response) =>
      sendResult(response, knowledge.drafts(staff, request.query)),
    ),
  );

  app.post(
    '/api/knowledge/drafts',
    signedIn((staff, request, response) => {
      const submitted = knowledge.submitDraft(staff, request.body);
      if (!submitted.ok) return sendResult(response, submitted);
      // 201 for a new draft, 200 for a resend answered with the draft already held.
      sendResult(
        response,
        { ok: true, value: submitted.value.draft },
        submitted.value.created ? 201 : 200,
      );
    }),
  );

  app.post(
    '/api/knowledge/drafts/:id/approve',
    signedIn((staff, request, response) =>
      sendResult(response, knowledge.approve(staff, request.params.id, request.body)),
    ),
  );

  app.post(
    '/api/knowledge/drafts/:id/reject',
    signedIn((staff, request, response) =>
      sendResult(response, knowledge.reject(staff, request.params.id, request.body)),
    ),
  );

  app.post(
    '/api/knowledge/articles/:id/retire',
    signedIn((staff, request, response) =>
      sendResult(response, knowledge.retire(staff, request.params.id, request.body)),
    ),
  );
}
