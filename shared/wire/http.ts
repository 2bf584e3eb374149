// Bodies and answers of the central server's HTTP API: sign-in, access tokens,
// the simulated telephony side, and listings. Both ends parse with these.
import { z } from 'zod';
import { staffMemberSchema, usernameSchema } from '../domain/people';
import { callIdSchema } from './socket';

const isoTime = z.iso.datetime({ offset: true });

/** `POST /api/session` answers with a long-lived session token (12 hours). */
export const sessionGrantSchema = z.object({
  sessionToken: z.string().min(1),
  expiresAt: isoTime,
  user: staffMemberSchema,
});
export type SessionGrant = z.infer<typeof sessionGrantSchema>;

/** `POST /api/session/token` exchanges a session token for a short-lived access token. */
export const accessGrantSchema = z.object({
  token: z.string().min(1),
  expiresAt: isoTime,
});
export type AccessGrant = z.infer<typeof accessGrantSchema>;

/** `POST /api/telephony/calls`: the telephony platform offers a voice call to an adviser. */
export const telephonyCallRequestSchema = z.object({
  adviser: usernameSchema,
  /** Caller line identity; withheld numbers arrive without one. */
  cli: z.string().trim().min(1).max(32).optional(),
});
export type TelephonyCallRequest = z.infer<typeof telephonyCallRequestSchema>;

export const telephonyCallOfferedSchema = z.object({
  callId: callIdSchema,
  adviser: usernameSchema,
  offeredAt: isoTime,
});
export type TelephonyCallOffered = z.infer<typeof telephonyCallOfferedSchema>;

export const telephonyCallPathSchema = z.object({ callId: callIdSchema });

export const maxListLimit = 200;

/** `?limit=` on listings: newest first, bounded so one request cannot ask for everything. */
export const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(maxListLimit).default(50),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

export const healthSchema = z.object({ status: z.literal('ok') });
