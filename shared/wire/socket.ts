// The socket.io contract between a desk and the central server. Every payload
// is parsed on arrival with these schemas; every request is answered through
// its acknowledgement with a result envelope.
import { z } from 'zod';
import type { Result } from '../result';
import type { DeliveryReceipt } from './outbox';

export const callIdSchema = z.string().min(1).max(100);

export const callOfferSchema = z.object({
  callId: callIdSchema,
  channel: z.literal('voice'),
  /** Caller line identity as the telephony platform gave it (personal data). */
  cli: z.string().max(32).nullable(),
  offeredAt: z.iso.datetime({ offset: true }),
});
export type CallOffer = z.infer<typeof callOfferSchema>;

export const callEndedSchema = z.object({
  callId: callIdSchema,
  endedBy: z.enum(['adviser', 'customer', 'network']),
  at: z.iso.datetime({ offset: true }),
});
export type CallEnded = z.infer<typeof callEndedSchema>;

export const callRefSchema = z.object({ callId: callIdSchema });

export const callConnectedSchema = z.object({
  callId: callIdSchema,
  connectedAt: z.iso.datetime({ offset: true }),
});
export type CallConnected = z.infer<typeof callConnectedSchema>;

/** What a desk presents when its socket connects (socket.io handshake `auth`). */
export const deskHandshakeSchema = z.object({
  token: z.string().min(1).max(2000),
  deskId: z.uuid(),
});
export type DeskHandshake = z.infer<typeof deskHandshakeSchema>;

type Ack<T> = (result: Result<T>) => void;

/** Events a desk sends; the server validates `unknown` payloads against the schemas above. */
export interface DeskToServerEvents {
  'outbox:deliver': (item: unknown, ack: Ack<DeliveryReceipt>) => void;
  'call:answer': (ref: unknown, ack: Ack<CallConnected>) => void;
  'call:end': (ref: unknown, ack: Ack<null>) => void;
}

/** Events the server pushes to a desk. */
export interface ServerToDeskEvents {
  'call:offered': (offer: CallOffer) => void;
  'call:ended': (ended: CallEnded) => void;
  /** The knowledge feed moved on (payload: `knowledgeChangedSchema` in ./knowledge). */
  'knowledge:changed': (changed: { version: number }) => void;
}
