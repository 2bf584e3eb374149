// Operators' view of transcript delivery, for team leaders: the mail sink's
// messages as JSON (/api/mail, /api/mail/:id, the text part only, never the
// HTML), transcripts that are failing (/api/transcripts/failing), and a small
// page at /mail that signs in and shows them. The page itself carries no data;
// it fetches with a bearer token it holds in memory, never in a cookie or URL.
import type { Request, Response } from 'express';
import { z } from 'zod';
import { fail, ok, parseInput } from '../../shared/result';
import { listQuerySchema } from '../../shared/wire/http';
import { sendResult } from '../http/envelope';
import type { SafeRoutes } from '../http/safe-routes';
import type { MailFolder } from './mail-folder';
import { mailPageHeaders, mailPageHtml } from './page';
import type { TranscriptDeliveryStore } from './types';

export interface MailRouteDependencies {
  folder: MailFolder;
  store: Pick<TranscriptDeliveryStore, 'listFailing'>;
}

const mailPathSchema = z.object({ id: z.uuid() });

export function createMailRoutes(deps: MailRouteDependencies): (routes: SafeRoutes) => void {
  return (routes) => {
    routes.staff('get', '/api/mail', 'mail.read', async (_staff, request, response) => {
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

    routes.staff('get', '/api/mail/:id', 'mail.read', async (_staff, request, response) => {
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

    routes.staff(
      'get',
      '/api/transcripts/failing',
      'mail.read',
      async (_staff, request, response) => {
        const query = parseInput(listQuerySchema, request.query, 'Listing query');
        if (!query.ok) return sendResult(response, query);
        sendResult(response, ok({ items: await deps.store.listFailing(query.value.limit) }));
      },
    );

    // The page carries no data (it signs in and fetches), so it is public.
    const page = (_caller: null, _request: Request, response: Response) => {
      response.set(mailPageHeaders).type('html').send(mailPageHtml);
    };
    routes.public('get', '/mail', page);
    // A message's own address, so a link can be shared between operators; the
    // page reads the id from the path and fetches the message once signed in.
    routes.public('get', '/mail/:id', (caller, request, response) => {
      if (!mailPathSchema.safeParse(request.params).success) {
        return sendResult(response, fail('not_found', 'There is nothing at this address'));
      }
      page(caller, request, response);
    });
  };
}
