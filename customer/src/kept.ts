// What the customer page keeps so a reload does not lose the chat: the resume
// token and the messages written but not yet acknowledged by the server, in
// the order written. Kept for this tab only (sessionStorage on the page:
// kept.session.ts; in memory for tests: kept.testing.ts) and parsed when read,
// since anything in storage may be old or tampered with.
import { z } from 'zod';
import { clientMessageIdSchema, resumeTokenSchema } from '../../shared/wire/chat';

/** Where the kept chat lives: one JSON text. Never throws (storage may be blocked). */
export interface KeptChatStorage {
  read(): string | null;
  write(text: string): void;
  remove(): void;
}

export const unsentMessageSchema = z.object({
  clientMessageId: clientMessageIdSchema,
  text: z.string(),
});
export type UnsentMessage = z.infer<typeof unsentMessageSchema>;

export const keptChatSchema = z.object({
  resumeToken: resumeTokenSchema,
  // Pages kept before the outbox existed had only the token.
  unsent: z.array(unsentMessageSchema).default([]),
});
export type KeptChat = z.infer<typeof keptChatSchema>;

export function readKeptChat(storage: KeptChatStorage): KeptChat | null {
  const raw = storage.read();
  if (!raw) return null;
  try {
    const kept = keptChatSchema.safeParse(JSON.parse(raw));
    return kept.success ? kept.data : null;
  } catch {
    return null;
  }
}

export function writeKeptChat(storage: KeptChatStorage, kept: KeptChat | null): void {
  if (kept) storage.write(JSON.stringify(kept));
  else storage.remove();
}
