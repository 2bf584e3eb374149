// The socket.io contract between a desk and the central server. Every payload
// is parsed on arrival with these schemas; every request is answered through
// its acknowledgement with a result envelope.
import { z } from 'zod';
import type { Result, ResultError } from '../result';
import type { LiveBoard } from './dashboard';
import type { DeskChatToServerEvents, ServerToDeskChatEvents } from './chat';
import type { BatchAnswers, DeliveryReceipt } from './outbox';
import type {
  SafeguardingAcknowledged,
  SafeguardingAlert,
  SafeguardingOutcome,
  SafeguardingProtocol,
  SafeguardingRaiseReceipt,
} from './safeguarding';

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

/**
 * The version of the desk-to-server protocol (socket events and outbox items)
 * this code speaks. Raise it when a desk sends something an older server would
 * misread or silently drop (a new record field, a new event). The rule: a
 * server accepts desks at its own version or older (an older desk sends
 * nothing it does not know); it refuses a newer desk at the handshake with
 * `desk_too_new`, and that desk says so instead of losing what it sends.
 */
// 2: interaction records carry the wrap-up outcome code and machine version 2
// (decision 0031), and acknowledging a safeguarding concern carries what was
// done (decision 0030); a version-1 server would drop or refuse them.
// 3: a follow-up booking carries the service hours it was checked against
// (decision 0040); a version-2 server would drop them from the record.
// 4: the outbox delivers in batches (`outbox:deliverBatch`, decision 0043),
// an event a version-3 server does not take.
export const deskProtocolVersion = 4;

/** The connect_error message a server gives a desk newer than itself. */
export const deskTooNewError = 'desk_too_new';

/** What a desk presents when its socket connects (socket.io handshake `auth`). */
export const deskHandshakeSchema = z.object({
  token: z.string().min(1).max(2000),
  deskId: z.uuid(),
  /** Absent from desks built before versions were sent: those speak version 1. */
  protocol: z.number().int().positive().max(1_000).default(1),
});
export type DeskHandshake = z.infer<typeof deskHandshakeSchema>;

type Ack<T> = (result: Result<T>) => void;

/** Events a desk sends; the server validates `unknown` payloads against the schemas above. */
export interface DeskToServerEvents {
  /** One outbox item (what desks before protocol 4 send). */
  'outbox:deliver': (item: unknown, ack: Ack<DeliveryReceipt>) => void;
  /**
   * Up to `maxOutboxBatchItems` items, each the head of its own stream, applied
   * in one transaction on the server; answered once it has committed, with
   * one answer per item in the order sent (protocol 4).
   */
  'outbox:deliverBatch': (items: unknown, ack: Ack<BatchAnswers>) => void;
  'call:answer': (ref: unknown, ack: Ack<CallConnected>) => void;
  'call:end': (ref: unknown, ack: Ack<null>) => void;
  /**
   * The adviser declines a ringing call. One routed from the queue is offered
   * to the next adviser; one rung straight to them ends here and joins the
   * queue, waiting from when it first rang. Either way the decliner is passed
   * over for it while anyone else has room.
   */
  'call:decline': (ref: unknown, ack: Ack<null>) => void;
  // Live chat and routing: payloads and answers in ./chat.ts.
  'adviser:availability': DeskChatToServerEvents['adviser:availability'];
  'chat:accept': DeskChatToServerEvents['chat:accept'];
  'chat:decline': DeskChatToServerEvents['chat:decline'];
  'chat:send': DeskChatToServerEvents['chat:send'];
  'chat:ack': DeskChatToServerEvents['chat:ack'];
  'chat:typing': DeskChatToServerEvents['chat:typing'];
  'chat:end': DeskChatToServerEvents['chat:end'];
  'chat:resume': DeskChatToServerEvents['chat:resume'];
  'chat:log': DeskChatToServerEvents['chat:log'];
  // Safeguarding in real time: payloads and answers in ./safeguarding.ts.
  'safeguarding:raise': (raise: unknown, ack: Ack<SafeguardingRaiseReceipt>) => void;
  /** Protocol 2: carries what the team leader did (a note, optionally an action). */
  'safeguarding:acknowledge': (acknowledge: unknown, ack: Ack<SafeguardingAcknowledged>) => void;
  /** The raising adviser's desk has shown them an acknowledgement (protocol 2). */
  'safeguarding:told': (told: unknown, ack: Ack<null>) => void;
}

/** An event the server refused when it came without an acknowledgement to answer through. */
export interface EventRefused {
  event: string;
  error: ResultError;
}

/** Events the server pushes to a desk. */
export interface ServerToDeskEvents {
  'event:refused': (refused: EventRefused) => void;
  'call:offered': (offer: CallOffer) => void;
  'call:ended': (ended: CallEnded) => void;
  /** The knowledge feed moved on (payload: `knowledgeChangedSchema` in ./knowledge). */
  'knowledge:changed': (changed: { version: number }) => void;
  // Live chat and routing: payloads in ./chat.ts.
  'chat:offered': ServerToDeskChatEvents['chat:offered'];
  'chat:offer-withdrawn': ServerToDeskChatEvents['chat:offer-withdrawn'];
  'chat:message': ServerToDeskChatEvents['chat:message'];
  'chat:typing': ServerToDeskChatEvents['chat:typing'];
  'chat:customer-left': ServerToDeskChatEvents['chat:customer-left'];
  'chat:transcript-requested': ServerToDeskChatEvents['chat:transcript-requested'];
  'chat:ended': ServerToDeskChatEvents['chat:ended'];
  'call:offer-withdrawn': ServerToDeskChatEvents['call:offer-withdrawn'];
  'adviser:presence': ServerToDeskChatEvents['adviser:presence'];
  'queue:stats': ServerToDeskChatEvents['queue:stats'];
  /** To team leaders' desks: a concern raised, or still open when the desk connects. */
  'safeguarding:alert': (alert: SafeguardingAlert) => void;
  'safeguarding:acknowledged': (acknowledged: SafeguardingAcknowledged) => void;
  /** To the raising adviser's desks: a team leader acknowledged their concern (again on connect until told). */
  'safeguarding:outcome': (outcome: SafeguardingOutcome) => void;
  /** To every desk as it connects: the service's immediate-risk protocol. */
  'safeguarding:protocol': (protocol: SafeguardingProtocol) => void;
  /** To team leaders' desks: the live board, whenever it changes (payload: `liveBoardSchema` in ./dashboard). */
  'dashboard:board': (board: LiveBoard) => void;
}
