// The customer's side over HTTP: the chat page itself (built by Vite into
// dist/customer, served at /chat) and the service-hours answer it asks for.
// Neither needs a sign-in; both are public.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Response } from 'express';
import { customerChatPagePolicy, securityHeaders } from '../../shared/http/security-headers';
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

const pageSecurityHeaders = securityHeaders(customerChatPagePolicy);

export function createChatRoutes(deps: ChatRouteDependencies): (routes: SafeRoutes) => void {
  const pageDir = deps.pageDir ?? defaultCustomerPageDir;

  return (routes) => {
    routes.public(chat.service, (_caller, _input, reply) => {
      reply(ok(serviceStatus(deps.now(), deps.serviceHours)));
    });

    const page = (_caller: null, _input: unknown, response: Response) => {
      response.set(pageSecurityHeaders);
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
      response.set(pageSecurityHeaders);
      files(request, response, next);
    });
  };
}
