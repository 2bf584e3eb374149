// Client-made ids: every record and outbox item is named by the desk that made it,
// so the server can treat a repeat as already done.
import { z } from 'zod';

export const uuidSchema = z.uuid();

/** A UUID v4 from the platform's CSPRNG (available in Node, browsers and Electron). */
export function newId(): string {
  // shared/ is compiled without DOM or Node typings; both provide Web Crypto at run time.
  const { crypto } = globalThis as unknown as { crypto: { randomUUID(): string } };
  return crypto.randomUUID();
}
