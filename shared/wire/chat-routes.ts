// The customer's side of the HTTP contract (./routes.ts): the chat page, its
// files, and the service hours it asks for. Kept apart so the customer page
// loads these alone, not every schema of the staff API.
import { serviceStatusSchema } from './chat';
import { defineRoute as route } from './route-contract';

/** The customer's side: the chat page, its files, and the service hours it asks for. */
export const chat = {
  service: route({ method: 'get', path: '/api/chat/service', answer: serviceStatusSchema }),
  page: route({ method: 'get', path: '/chat', answer: 'page' }),
  pageSlash: route({ method: 'get', path: '/chat/', answer: 'page' }),
  files: route({ method: 'get', path: '/chat/*', answer: 'files' }),
};
