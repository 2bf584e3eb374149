// Operators' view of transcript delivery, for team leaders: the mail sink's
// messages as JSON (/api/mail, /api/mail/:id, the text part only, never the
// HTML), transcripts that are failing (/api/transcripts/failing), and a small
// page at /mail that signs in and shows them. The page itself carries no data;
// it fetches with a bearer token it holds in memory, never in a cookie or URL.
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { StaffMember } from '../../shared/domain/people';
import { fail, ok, parseInput, type Result } from '../../shared/result';
import { listQuerySchema } from '../../shared/wire/http';
import { bearerToken, type StaffAuth } from '../auth/staff-auth';
import { sendResult } from '../http/envelope';
import type { MailFolder } from './mail-folder';
import { mailPageHeaders, mailPageHtml } from './page';
import type { TranscriptDeliveryStore } from './types';

export interface MailRouteDependencies {
  auth: Pick<StaffAuth, 'authenticateAccess'>;
  folder: MailFolder;
  store: Pick<TranscriptDeliveryStore, 'listFailing'>;
}

const mailPathSchema = z.object({ id: z.uuid() });

export function createMailRoutes(deps: MailRouteDependencies): express.Router {
  const router = express.Router();

  const teamLeader = (request: Request): Result<StaffMember> => {
    const staff = deps.auth.authenticateAccess(bearerToken(request.headers.authorization));
    if (!staff) {
      return fail(
        'unauthenticated',
        'Sign in first: the access token is missing, wrong or out of date',
      );
    }
    return staff.roles.includes('team_leader')
      ? ok(staff)
      : fail('forbidden', 'Only team leaders see the mail sink and failing transcripts');
  };

  router.get('/api/mail', async (request, response) => {
    const staff = teamLeader(request);
    if (!staff.ok) return sendResult(response, staff);
    const query = parseInput(listQuerySchema, request.query, 'Listing query');
    if (!query.ok) return sendResult(response, query);
    const entries = await deps.folder.list(query.value.limit);
    const items = entries.map(({ id, channel, to, subject, date, size, messageId }) => ({
      id,
      channel,
      to,
      subject,
      date,
      size,
      messageId,
    }));
    sendResult(response, ok({ items }));
  });

  router.get('/api/mail/:id', async (request, response) => {
    const staff = teamLeader(request);
    if (!staff.ok) return sendResult(response, staff);
    const path = parseInput(mailPathSchema, request.params, 'Message');
    if (!path.ok) return sendResult(response, path);
    const kept = await deps.folder.read(path.value.id);
    if (!kept) return sendResult(response, fail('not_found', 'The sink holds no such message'));
    const { entry, text } = kept;
    sendResult(
      response,
      ok({
        id: entry.id,
        channel: entry.channel,
        from: entry.from,
        to: entry.to,
        subject: entry.subject,
        date: entry.date,
        size: entry.size,
        messageId: entry.messageId,
        text,
      }),
    );
  });

  router.get('/api/transcripts/failing', (request, response) => {
    const staff = teamLeader(request);
    if (!staff.ok) return sendResult(response, staff);
    const query = parseInput(listQuerySchema, request.query, 'Listing query');
    if (!query.ok) return sendResult(response, query);
    sendResult(response, ok({ items: deps.store.listFailing(query.value.limit) }));
  });

  const page = (_request: Request, response: Response) => {
    response.set(mailPageHeaders).type('html').send(mailPageHtml);
  };
  router.get('/mail', page);
  // A message's own address, so a link can be shared between operators; the
  // page reads the id from the path and fetches the message once signed in.
  router.get('/mail/:id', (request, response, next) => {
    if (!mailPathSchema.safeParse(request.params).success) return next();
    page(request, response);
  });

  return router;
}
