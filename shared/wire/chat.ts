// Live web chat and routing on the wire: the customer's socket (namespace
// `/customer`), the chat and routing events added to the desk socket, and the
// service-hours answer the customer page asks for over HTTP. Every payload is
// parsed on arrival with these schemas; every request is answered through its
// acknowledgement with a result envelope (shared/result.ts).
//
// Sequence numbers: every message in a chat gets the next number of that
// chat's one sequence (1, 2, 3 ... across both parties), so each side can put
// messages in order and say "I have everything up to N" in one number.
// A message is named by the client that wrote it (`clientMessageId`); a repeat
// of an id the server already stored gets the same seq back with
// `duplicate: true`, and is pushed to the other party again: the first push
// may have died with a server process between the commit and the push. Both
// parties keep one copy per seq, so nobody sees it twice.
//
// A desk's part, so that no message is lost or shown twice:
//   - As it connects, the server sends it `adviser:presence`, any open
//     `chat:offered`, every customer message it has not acknowledged
//     (`chat:message`, in seq order) and `queue:stats`. It then asks
//     `chat:resume` for every chat it holds, whole; that answer is the truth,
//     and any message whose seq it already holds is a repeat to ignore.
//   - It acknowledges with `chat:ack { chatId, upToSeq }` once it holds every
//     message up to that seq (kept locally, e.g. in the interaction journal);
//     unacknowledged messages come again on the next connection.
//   - It resends an unanswered `chat:send` with the same clientMessageId.
//   - Every adviser starts 'offline': a desk says 'available' to be offered work.
//   - A customer may write while still queued; those messages arrive in the
//     `chat:accept` answer (`ChatSession.messages`).
//
// Customer socket, namespace `/customer` (no sign-in; a chat is proved by its resume token)
//   customer -> server (ack: Result<...>)
//     chat:start       CustomerChatStart          -> CustomerChatState  (fails 'unavailable' outside service hours)
//     chat:resume      CustomerChatResume         -> CustomerChatResumed (the conversation after lastSeenSeq)
//     chat:message     CustomerMessageSend        -> ChatMessageAck      ('payload_too_large' over the length limit,
//                                                                         'rate_limited' when sending too fast)
//     chat:ack         CustomerReceipt            -> null   (cumulative: "I have every message up to seq")
//     chat:typing      CustomerTyping             -> null
//     chat:transcript  TranscriptRequest          -> TranscriptRequested
//     chat:end         (anything; ignored)        -> ChatEnded
//   server -> customer (pushes)
//     chat:queue       QueuePosition              place in the queue and an honest expected wait
//     chat:connected   ChatConnected              an adviser accepted the chat
//     chat:message     ChatMessage                a message from the adviser
//     chat:typing      PartyTyping                the adviser is (or stopped) typing
//     chat:ended       ChatEnded                  the adviser ended the chat, or the service did
//
// Desk socket (the default namespace, signed in; see ./socket.ts)
//   desk -> server (ack: Result<...>)
//     adviser:availability  AvailabilityChange    -> AdviserPresence
//     chat:accept           ChatRef               -> ChatSession   (the whole conversation so far)
//     chat:decline          ChatRef               -> null          (offered to the next adviser)
//     chat:send             DeskMessageSend       -> ChatMessageAck
//     chat:ack              DeskReceipt           -> null          (cumulative, per chat)
//     chat:typing           DeskTyping            -> null
//     chat:end              ChatRef               -> ChatEnded
//     chat:resume           (anything; ignored)   -> DeskChatResync (every open chat, whole, plus open offers)
//     chat:log              ChatRef               -> ChatSession   (any chat this adviser held, ended or not:
//                                                                    the log for the interaction record)
//   A declined offer goes to another adviser with room; the decliner is offered it
//   again only when nobody else has room, and not for a pause after declining.
//   server -> desk (pushes)
//     chat:offered          ChatOffer             a waiting chat offered to this adviser until expiresAt
//     chat:offer-withdrawn  OfferWithdrawn        the offer timed out, was taken on another desk, or the customer left
//     chat:message          ChatMessage           a customer's message (or the adviser's own, sent from another desk)
//     chat:typing           PartyTyping           the customer is (or stopped) typing
//     chat:customer-left    CustomerLeft          the customer ended the chat or did not come back
//     chat:transcript-requested  DeskTranscriptRequested  the customer asked for a transcript by email
//     chat:ended            ChatEnded             the adviser ended it from another of their desks
//     call:offer-withdrawn  OfferWithdrawn (callId) a routed call offer timed out or the caller hung up
//     adviser:presence      AdviserPresence       this adviser's availability and load changed, and
//                                                 `missedOffer` when routing set them busy after an
//                                                 offer ran out (cleared when they choose again)
//     queue:stats           QueueStats            waiting chats and calls, longest waits; to every desk
//
// HTTP (no sign-in; the customer page)
//   GET /chat                  the customer page
//   GET /api/chat/service      -> ServiceStatus (open now?, when it opens, emergency contacts)
//
// HTTP (telephony key): calls through the queue
//   POST /api/telephony/queue  QueuedCallRequest -> QueuedCall (see the end of this file)
import { z } from 'zod';
import type { Result } from '../result';
import { SERVICE_TIME_ZONE } from '../time/london';
import { callIdSchema, type EventRefused } from './socket';

const isoTime = z.iso.datetime({ offset: true });

export const chatLimits = {
  /** Longest chat message either party may send (characters, as the browser counts them). */
  maxMessageChars: 2_000,
  /** Longest name or nickname a customer may give. */
  maxNameChars: 40,
} as const;

export const chatIdSchema = z.uuid();

/**
 * Made by the sending client, so a resend after a lost acknowledgement is
 * recognised. Not necessarily a UUID: the customer page may run where
 * `crypto.randomUUID` is unavailable (an insecure context) and uses random bytes.
 */
export const clientMessageIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'A client message id is 8 to 64 letters, digits, - or _');

/** Sequence numbers start at 1; 0 means "nothing yet". */
export const chatSeqSchema = z.number().int().nonnegative();

/**
 * Chat text is plain text, kept exactly as typed (markup, scripts, links,
 * direction overrides and all): never trimmed, never rewritten, never HTML.
 * Blank messages are refused; over-long ones are refused with 'payload_too_large'
 * by the server before parsing, so the sender gets a clear answer.
 */
export const chatTextSchema = z
  .string()
  .max(chatLimits.maxMessageChars)
  .refine((text) => text.trim().length > 0, 'A message cannot be empty');

export const chatPartySchema = z.enum(['customer', 'adviser']);
export type ChatParty = z.infer<typeof chatPartySchema>;

export const chatMessageSchema = z.object({
  chatId: chatIdSchema,
  seq: z.number().int().positive(),
  clientMessageId: clientMessageIdSchema,
  from: chatPartySchema,
  /** The adviser's display name for adviser messages; the customer's name for theirs. */
  author: z.string(),
  text: z.string(),
  sentAt: isoTime,
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const chatMessageAckSchema = z.object({
  chatId: chatIdSchema,
  clientMessageId: clientMessageIdSchema,
  seq: z.number().int().positive(),
  sentAt: isoTime,
  /** True when this id was already stored: the first copy stands, nothing is sent twice. */
  duplicate: z.boolean(),
});
export type ChatMessageAck = z.infer<typeof chatMessageAckSchema>;

export const chatEndedBySchema = z.enum(['customer', 'adviser', 'service']);

export const chatEndedSchema = z.object({
  chatId: chatIdSchema,
  endedBy: chatEndedBySchema,
  at: isoTime,
});
export type ChatEnded = z.infer<typeof chatEndedSchema>;

// ---------------------------------------------------------------- customer side

export const customerNameSchema = z
  .string()
  .trim()
  .min(1, 'Tell us a first name or nickname')
  .max(chatLimits.maxNameChars);

/**
 * A random key the customer page keeps on a device the customer asked to be
 * remembered (their own phone or computer, never by default), sent with each
 * chat so the adviser sees their earlier chats. The server keeps only a hash.
 */
export const deviceKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43,128}$/, 'A device key is 43 to 128 letters, digits, - or _');

export const customerChatStartSchema = z.object({
  name: customerNameSchema,
  /** Optional; the service is for 13 to 18 year olds, but parents and others chat too. */
  age: z.number().int().min(5).max(120).optional(),
  /** Only from a remembered device. */
  deviceKey: deviceKeySchema.optional(),
});
export type CustomerChatStart = z.infer<typeof customerChatStartSchema>;

/** An opaque secret the page keeps (sessionStorage) to take the chat back after a reload or drop. */
export const resumeTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{32,128}$/);

export const queuePositionSchema = z.object({
  chatId: chatIdSchema,
  /** 1 is next. */
  position: z.number().int().positive(),
  /**
   * From how long recent chats waited before an adviser answered; null when
   * too few chats were answered recently to say. The page says "about", never promises.
   */
  expectedWaitSeconds: z.number().int().nonnegative().nullable(),
  /** How many recent answered chats the estimate rests on. */
  basedOnAnswered: z.number().int().nonnegative(),
});
export type QueuePosition = z.infer<typeof queuePositionSchema>;

export const chatConnectedSchema = z.object({
  chatId: chatIdSchema,
  /** The adviser's first name only. */
  adviserName: z.string(),
  at: isoTime,
});
export type ChatConnected = z.infer<typeof chatConnectedSchema>;

export const customerChatStatusSchema = z.enum(['queued', 'connected', 'ended']);

export const customerChatStateSchema = z.object({
  chatId: chatIdSchema,
  resumeToken: resumeTokenSchema,
  status: customerChatStatusSchema,
  /** Set while queued. */
  queue: queuePositionSchema.nullable(),
  /** Set once an adviser accepted. */
  adviserName: z.string().nullable(),
  /** The customer's own name as the server kept it. */
  name: z.string(),
});
export type CustomerChatState = z.infer<typeof customerChatStateSchema>;

export const customerChatResumeSchema = z.object({
  resumeToken: resumeTokenSchema,
  /** The highest seq the page has shown (0 after a reload that lost everything). */
  lastSeenSeq: chatSeqSchema,
});
export type CustomerChatResume = z.infer<typeof customerChatResumeSchema>;

export const customerChatResumedSchema = customerChatStateSchema.extend({
  /** Every message after lastSeenSeq, both parties', in order. */
  messages: z.array(chatMessageSchema),
  endedBy: chatEndedBySchema.nullable(),
});
export type CustomerChatResumed = z.infer<typeof customerChatResumedSchema>;

export const customerMessageSendSchema = z.object({
  clientMessageId: clientMessageIdSchema,
  text: chatTextSchema,
});
export type CustomerMessageSend = z.infer<typeof customerMessageSendSchema>;

export const customerReceiptSchema = z.object({ upToSeq: chatSeqSchema });
export const customerTypingSchema = z.object({ typing: z.boolean() });

export const partyTypingSchema = z.object({ chatId: chatIdSchema, typing: z.boolean() });
export type PartyTyping = z.infer<typeof partyTypingSchema>;

export const transcriptRequestSchema = z.object({ email: z.email().max(254) });
export type TranscriptRequest = z.infer<typeof transcriptRequestSchema>;

export const transcriptRequestedSchema = z.object({ chatId: chatIdSchema, email: z.string() });
export type TranscriptRequested = z.infer<typeof transcriptRequestedSchema>;

// ---------------------------------------------------------------- desk side

export const adviserAvailabilities = ['available', 'busy', 'wrap-up', 'break', 'offline'] as const;
export const adviserAvailabilitySchema = z.enum(adviserAvailabilities);
export type AdviserAvailability = z.infer<typeof adviserAvailabilitySchema>;

export const availabilityChangeSchema = z.object({ availability: adviserAvailabilitySchema });
export type AvailabilityChange = z.infer<typeof availabilityChangeSchema>;

/**
 * What routing knows of an adviser. Only 'available' advisers are offered
 * work, and only within capacity: up to `maxChats` chats, or one call and
 * nothing else. An adviser starts 'offline' until their desk says otherwise;
 * the setting survives a reconnect.
 */
export const adviserPresenceSchema = z.object({
  availability: adviserAvailabilitySchema,
  since: isoTime,
  activeChats: z.number().int().nonnegative(),
  maxChats: z.number().int().positive(),
  onCall: z.boolean(),
  /**
   * Set when routing, not the adviser, chose the availability: an offer ran
   * out unanswered and routing set them 'busy'. The desk tells the adviser so
   * until they choose an availability themselves, which clears it. Optional on
   * the wire only so that a presence from before it existed still parses.
   */
  missedOffer: z
    .object({ kind: z.enum(['chat', 'call']), at: isoTime })
    .nullable()
    .optional(),
});
export type AdviserPresence = z.infer<typeof adviserPresenceSchema>;

export const chatRefSchema = z.object({ chatId: chatIdSchema });
export type ChatRef = z.infer<typeof chatRefSchema>;

export const chatOfferSchema = z.object({
  chatId: chatIdSchema,
  customerName: z.string(),
  age: z.number().int().nullable(),
  /** When the customer joined the queue. */
  queuedAt: isoTime,
  offeredAt: isoTime,
  /** Accept before this, or the chat goes to the next adviser. */
  expiresAt: isoTime,
});
export type ChatOffer = z.infer<typeof chatOfferSchema>;

export const offerWithdrawnReasonSchema = z.enum([
  'timed-out',
  'declined',
  'taken',
  'customer-left',
  'unavailable',
]);

export const chatOfferWithdrawnSchema = z.object({
  chatId: chatIdSchema,
  reason: offerWithdrawnReasonSchema,
});
export type ChatOfferWithdrawn = z.infer<typeof chatOfferWithdrawnSchema>;

export const callOfferWithdrawnSchema = z.object({
  callId: callIdSchema,
  reason: offerWithdrawnReasonSchema,
});
export type CallOfferWithdrawn = z.infer<typeof callOfferWithdrawnSchema>;

export const chatSessionSchema = z.object({
  chatId: chatIdSchema,
  customerName: z.string(),
  age: z.number().int().nullable(),
  status: customerChatStatusSchema,
  queuedAt: isoTime,
  answeredAt: isoTime.nullable(),
  endedAt: isoTime.nullable(),
  endedBy: chatEndedBySchema.nullable(),
  /** Set when the customer asked for a transcript (personal data). */
  transcriptEmail: z.string().nullable(),
  /** The whole conversation, in seq order. */
  messages: z.array(chatMessageSchema),
});
export type ChatSession = z.infer<typeof chatSessionSchema>;

export const deskMessageSendSchema = z.object({
  chatId: chatIdSchema,
  clientMessageId: clientMessageIdSchema,
  text: chatTextSchema,
});
export type DeskMessageSend = z.infer<typeof deskMessageSendSchema>;

export const deskReceiptSchema = z.object({ chatId: chatIdSchema, upToSeq: chatSeqSchema });
export const deskTypingSchema = z.object({ chatId: chatIdSchema, typing: z.boolean() });

export const customerLeftSchema = z.object({
  chatId: chatIdSchema,
  at: isoTime,
  /** 'ended': pressed End chat. 'gone': disconnected and did not come back in time. */
  how: z.enum(['ended', 'gone']),
});
export type CustomerLeft = z.infer<typeof customerLeftSchema>;

export const deskTranscriptRequestedSchema = z.object({
  chatId: chatIdSchema,
  email: z.string(),
  at: isoTime,
});
export type DeskTranscriptRequested = z.infer<typeof deskTranscriptRequestedSchema>;

export const queueStatsSchema = z.object({
  chatsWaiting: z.number().int().nonnegative(),
  callsWaiting: z.number().int().nonnegative(),
  /** How long the longest-waiting chat has waited so far (0 when none waits). */
  longestChatWaitSeconds: z.number().int().nonnegative(),
  longestCallWaitSeconds: z.number().int().nonnegative(),
  /** The larger of the two. */
  longestWaitSeconds: z.number().int().nonnegative(),
  advisersAvailable: z.number().int().nonnegative(),
  /** Customers (chat or call) who left the queue before an answer, since midnight UK time. */
  abandonedToday: z.number().int().nonnegative(),
  at: isoTime,
});
export type QueueStats = z.infer<typeof queueStatsSchema>;

export const deskChatResyncSchema = z.object({
  chats: z.array(chatSessionSchema),
  offers: z.array(chatOfferSchema),
  presence: adviserPresenceSchema,
  queue: queueStatsSchema,
});
export type DeskChatResync = z.infer<typeof deskChatResyncSchema>;

// ---------------------------------------------------------------- service hours (HTTP)

export const emergencyContactSchema = z.object({
  name: z.string(),
  how: z.string(),
});

export const serviceStatusSchema = z.object({
  open: z.boolean(),
  /** "08:00" and "22:00", UK time. */
  opensAt: z.string(),
  closesAt: z.string(),
  timeZone: z.literal(SERVICE_TIME_ZONE),
  /** When it next opens (now-ish when open), as an instant. */
  nextOpening: isoTime,
  /** The server's clock, so the page does not trust the device's. */
  now: isoTime,
  emergency: z.array(emergencyContactSchema),
});
export type ServiceStatus = z.infer<typeof serviceStatusSchema>;

// ---------------------------------------------------------------- event maps

type Ack<T> = (result: Result<T>) => void;

export interface CustomerToServerEvents {
  'chat:start': (start: unknown, ack: Ack<CustomerChatState>) => void;
  'chat:resume': (resume: unknown, ack: Ack<CustomerChatResumed>) => void;
  'chat:message': (message: unknown, ack: Ack<ChatMessageAck>) => void;
  'chat:ack': (receipt: unknown, ack?: Ack<null>) => void;
  'chat:typing': (typing: unknown, ack?: Ack<null>) => void;
  'chat:transcript': (request: unknown, ack: Ack<TranscriptRequested>) => void;
  'chat:end': (request: unknown, ack: Ack<ChatEnded>) => void;
}

export interface ServerToCustomerEvents {
  /** An event sent without an acknowledgement that the server refused, and why. */
  'event:refused': (refused: EventRefused) => void;
  'chat:queue': (queue: QueuePosition) => void;
  'chat:connected': (connected: ChatConnected) => void;
  'chat:message': (message: ChatMessage) => void;
  'chat:typing': (typing: PartyTyping) => void;
  'chat:ended': (ended: ChatEnded) => void;
}

/** Added to DeskToServerEvents in ./socket.ts. */
export interface DeskChatToServerEvents {
  'adviser:availability': (change: unknown, ack: Ack<AdviserPresence>) => void;
  'chat:accept': (ref: unknown, ack: Ack<ChatSession>) => void;
  'chat:decline': (ref: unknown, ack: Ack<null>) => void;
  'chat:send': (message: unknown, ack: Ack<ChatMessageAck>) => void;
  'chat:ack': (receipt: unknown, ack?: Ack<null>) => void;
  'chat:typing': (typing: unknown, ack?: Ack<null>) => void;
  'chat:end': (ref: unknown, ack: Ack<ChatEnded>) => void;
  'chat:resume': (request: unknown, ack: Ack<DeskChatResync>) => void;
  'chat:log': (ref: unknown, ack: Ack<ChatSession>) => void;
}

/** Added to ServerToDeskEvents in ./socket.ts. */
export interface ServerToDeskChatEvents {
  'chat:offered': (offer: ChatOffer) => void;
  'chat:offer-withdrawn': (withdrawn: ChatOfferWithdrawn) => void;
  'chat:message': (message: ChatMessage) => void;
  'chat:typing': (typing: PartyTyping) => void;
  'chat:customer-left': (left: CustomerLeft) => void;
  'chat:transcript-requested': (requested: DeskTranscriptRequested) => void;
  'chat:ended': (ended: ChatEnded) => void;
  'call:offer-withdrawn': (withdrawn: CallOfferWithdrawn) => void;
  'adviser:presence': (presence: AdviserPresence) => void;
  'queue:stats': (stats: QueueStats) => void;
}

// ---------------------------------------------------------------- calls through the queue (HTTP)

/**
 * `POST /api/telephony/queue` (telephony key): a voice call with no adviser
 * named joins the call queue and routing offers it (`call:offered`, then
 * `call:offer-withdrawn` if it times out). `POST /api/telephony/calls/:callId/end`
 * while it waits records an abandonment. Calls rung to a named adviser through
 * `POST /api/telephony/calls` ring only an adviser routing has as available
 * (refused with 'conflict' otherwise), and fill their room while they last.
 */
export const queuedCallRequestSchema = z.object({
  cli: z.string().trim().min(1).max(32).optional(),
});
export type QueuedCallRequest = z.infer<typeof queuedCallRequestSchema>;

export const queuedCallSchema = z.object({
  callId: callIdSchema,
  queuedAt: isoTime,
  position: z.number().int().positive(),
});
export type QueuedCall = z.infer<typeof queuedCallSchema>;
