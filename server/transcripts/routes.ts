// Operators' view of transcript delivery, for team leaders: the mail sink's
// messages as JSON (/api/mail, /api/mail/:id, the text part only, never the
// HTML), transcripts that are failing (/api/transcripts/failing), and a small
// page at /mail that signs in and shows them. The page itself carries no data;
// it fetches with a bearer token it holds in memory, never in a cookie or URL.
import type { Response } from 'express';
import { fail, ok } from '../../shared/result';
import { transcripts } from '../../shared/wire/routes';
import type { SafeRoutes } from '../http/safe-routes';
import type { MailFolder } from './mail-folder';
import { mailPageHeaders, mailPageHtml } from './page';
import type { TranscriptDeliveryStore } from './types';

export interface MailRouteDependencies {
  folder: MailFolder;
  store: Pick<TranscriptDeliveryStore, 'listFailing'>;
}

export function createMailRoutes(deps: MailRouteDependencies): (routes: SafeRoutes) => void {
  return (routes) => {
    routes.staff(transcripts.mail, 'mail.read', async (_staff, { query }, reply) => {
      const entries = await deps.folder.list(query.limit);
      const items = entries.map(({ id, channel, to, subject, date, size, messageId }) => ({
        id,
        channel,
        to,
        subject,
        date,
        size,
        messageId,
      }));
      reply(ok({ items }));
    });

    routes.staff(transcripts.mailMessage, 'mail.read', async (_staff, { params }, reply) => {
      const kept = await deps.folder.read(params.id);
      if (!kept) return reply(fail('not_found', 'The sink holds no such message'));
      const { entry, text } = kept;
      reply(
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

    routes.staff(transcripts.failing, 'mail.read', async (_staff, { query }, reply) => {
      reply(ok({ items: await deps.store.listFailing(query.limit) }));
    });

    // The page carries no data (it signs in and fetches), so it is public.
    const page = (_caller: null, _input: unknown, response: Response) => {
      response.set(mailPageHeaders).type('html').send(mailPageHtml);
    };
    routes.publicPage(transcripts.page, page);
    // A message's own address, so a link can be shared between operators; the
    // page reads the id from the path and fetches the message once signed in.
    routes.publicPage(transcripts.messagePage, page);
  };
}
