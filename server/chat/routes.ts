// The customer's side over HTTP: the chat page itself (built by Vite into
// dist/customer, served at /chat) and the service-hours answer it asks for.
// Neither needs a sign-in; both are public.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Response } from 'express';
import { fail, ok } from '../../shared/result';
import { chat } from '../../shared/wire/routes';
import { sendResult } from '../http/envelope';
import type { SafeRoutes } from '../http/safe-routes';
import type { ServiceHours } from '../../shared/time/service-hours';
import { serviceStatus } from './service-hours';

/** Where `npm run build:renderer` puts the customer page. */
export const defaultCustomerPageDir = fileURLToPath(
  new URL('../../dist/customer', import.meta.url),
);

export interface ChatRouteDependencies {
  now: () => number;
  pageDir?: string;
  serviceHours?: ServiceHours;
}

// The page needs nothing from anywhere else: no inline code, no other origins.
const pageSecurityHeaders: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

export function createChatRoutes(deps: ChatRouteDependencies): (routes: SafeRoutes) => void {
  const pageDir = deps.pageDir ?? defaultCustomerPageDir;
  const pageHeaders = (response: Response) => {
    for (const [name, value] of Object.entries(pageSecurityHeaders))
      response.setHeader(name, value);
  };

  return (routes) => {
    routes.public(chat.service, (_caller, _input, reply) => {
      reply(ok(serviceStatus(deps.now(), deps.serviceHours)));
    });

    const page = (_caller: null, _input: unknown, response: Response) => {
      pageHeaders(response);
      const file = join(pageDir, 'index.html');
      if (!existsSync(file)) {
        return sendResult(
          response,
          fail('unavailable', 'The chat page has not been built: run npm run build:renderer'),
        );
      }
      response.setHeader('cache-control', 'no-cache');
      response.sendFile(file);
    };
    routes.publicPage(chat.page, page);
    routes.publicPage(chat.pageSlash, page);
    const files = express.static(pageDir, { index: false, fallthrough: true });
    routes.publicFiles(chat.files, (request, response, next) => {
      pageHeaders(response);
      files(request, response, next);
    });
  };
}
