// The desk API: the one typed contract between the renderer and the desk
// services (Electron main process, or the plain-Node desk in browser mode).
// Requests map a name to input and output schemas; pushed events map a name to
// a payload schema. Main parses every input; the renderer parses every event.
import { z } from 'zod';
import { credentialsSchema, staffMemberSchema } from '../domain/people';
import { followUpBookingSchema, interactionRecordSchema } from '../interaction/record';
import {
  articleIdSchema,
  knowledgeArticleSchema,
  knowledgeCursorSchema,
  knowledgeSearchAnswerSchema,
  knowledgeSearchQuerySchema,
} from '../knowledge/article';
import type { Result } from '../result';
import {
  callConnectedSchema,
  callEndedSchema,
  callOfferSchema,
  callRefSchema,
} from '../wire/socket';

export const connectionStates = [
  'signed_out',
  'connecting',
  'online',
  'reconnecting',
  'offline',
] as const;
export const connectionStateSchema = z.enum(connectionStates);
export type ConnectionState = z.infer<typeof connectionStateSchema>;

export const outboxStatusSchema = z.object({
  /** Items written locally and not yet acknowledged by the server. */
  waiting: z.number().int().nonnegative(),
  /** Items the server refused as invalid: kept, shown, never retried blindly. */
  failed: z.number().int().nonnegative(),
  lastDeliveredAt: z.iso.datetime({ offset: true }).nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.iso.datetime({ offset: true }).nullable(),
});
export type OutboxStatus = z.infer<typeof outboxStatusSchema>;

export const deskStatusSchema = z.object({
  deskId: z.uuid(),
  serverUrl: z.string(),
  user: staffMemberSchema.nullable(),
  connection: connectionStateSchema,
  outbox: outboxStatusSchema,
});
export type DeskStatus = z.infer<typeof deskStatusSchema>;

export const completeInteractionSchema = z.object({
  record: interactionRecordSchema,
  followUp: followUpBookingSchema.nullable(),
});
export type CompleteInteraction = z.infer<typeof completeInteractionSchema>;

export const knowledgeSyncStates = ['idle', 'syncing', 'error'] as const;

/** Where the desk's knowledge replica stands against the server's change feed. */
export const knowledgeSyncStatusSchema = z.object({
  /** The highest server version the replica holds. */
  cursor: knowledgeCursorSchema,
  state: z.enum(knowledgeSyncStates),
  /** Set while a pull runs; percent only when the feed's newest version is known (from a push hint). */
  progress: z
    .object({
      pages: z.number().int().nonnegative(),
      applied: z.number().int().nonnegative(),
      percent: z.number().int().min(0).max(100).nullable(),
    })
    .nullable(),
  lastSyncedAt: z.iso.datetime({ offset: true }).nullable(),
  /** Why the last pull stopped, while state is error. */
  lastError: z.string().nullable(),
  articleCount: z.number().int().nonnegative(),
});
export type KnowledgeSyncStatus = z.infer<typeof knowledgeSyncStatusSchema>;

/**
 * The answer to openExternalLink. The desk services check every link (https,
 * not a private or loopback host) whoever opens it. In Electron they open it in
 * the system browser themselves (`openedBy: 'desk'`). In browser mode the page
 * already is in the system browser and the desk services may run where no
 * browser can be started, so they hand back the checked URL (`openedBy:
 * 'renderer'`) and the renderer opens exactly that with `noopener`.
 */
export const externalLinkAnswerSchema = z.object({
  url: z.url({ protocol: /^https$/ }),
  openedBy: z.enum(['desk', 'renderer']),
});
export type ExternalLinkAnswer = z.infer<typeof externalLinkAnswerSchema>;

const none = z.null();

/** Request channels: name -> IPC channel, input schema, output schema. */
export const deskRequests = {
  status: { channel: 'desk:status', input: none, output: deskStatusSchema },
  signIn: { channel: 'session:sign-in', input: credentialsSchema, output: staffMemberSchema },
  signOut: { channel: 'session:sign-out', input: none, output: none },
  answerCall: { channel: 'call:answer', input: callRefSchema, output: callConnectedSchema },
  endCall: { channel: 'call:end', input: callRefSchema, output: none },
  completeInteraction: {
    channel: 'interaction:complete',
    input: completeInteractionSchema,
    output: z.object({ queued: z.number().int().nonnegative() }),
  },
  searchKnowledge: {
    channel: 'knowledge:search',
    input: knowledgeSearchQuerySchema,
    output: knowledgeSearchAnswerSchema,
  },
  openArticle: {
    channel: 'knowledge:open-article',
    input: z.object({ id: articleIdSchema }),
    output: knowledgeArticleSchema,
  },
  /** The panel mounts after the last push; this is where it starts from. */
  knowledgeSyncStatus: {
    channel: 'knowledge:sync-status',
    input: none,
    output: knowledgeSyncStatusSchema,
  },
  openExternalLink: {
    channel: 'link:open-external',
    input: z.object({ url: z.string().min(1).max(2_048) }),
    output: externalLinkAnswerSchema,
  },
} as const satisfies Record<string, { channel: string; input: z.ZodType; output: z.ZodType }>;

/** Pushed events: name -> IPC channel, payload schema. */
export const deskEvents = {
  statusChanged: { channel: 'desk:status-changed', payload: deskStatusSchema },
  callOffered: { channel: 'call:offered', payload: callOfferSchema },
  callEnded: { channel: 'call:ended', payload: callEndedSchema },
  knowledgeSyncChanged: { channel: 'knowledge:sync-changed', payload: knowledgeSyncStatusSchema },
} as const satisfies Record<string, { channel: string; payload: z.ZodType }>;

export type DeskRequestName = keyof typeof deskRequests;
export type DeskEventName = keyof typeof deskEvents;
export type DeskRequestInput<K extends DeskRequestName> = z.input<
  (typeof deskRequests)[K]['input']
>;
export type DeskRequestOutput<K extends DeskRequestName> = z.output<
  (typeof deskRequests)[K]['output']
>;
export type DeskEventPayload<K extends DeskEventName> = z.output<(typeof deskEvents)[K]['payload']>;

/** Subscription helper names: statusChanged -> onStatusChanged. */
export type DeskEventSubscriber<K extends DeskEventName> = `on${Capitalize<K>}`;

/**
 * What the preload (Electron) or the WebSocket client (browser mode) gives the
 * renderer: one named function per request, one `onX` per pushed event that
 * returns an unsubscribe function. Nothing else: no raw send/invoke/on.
 */
export type DeskBridge = {
  [K in DeskRequestName]: (input: DeskRequestInput<K>) => Promise<Result<DeskRequestOutput<K>>>;
} & {
  [K in DeskEventName as DeskEventSubscriber<K>]: (
    listener: (payload: DeskEventPayload<K>) => void,
  ) => () => void;
};

export const deskRequestNames = Object.keys(deskRequests) as DeskRequestName[];
export const deskEventNames = Object.keys(deskEvents) as DeskEventName[];

export function subscriberName<K extends DeskEventName>(name: K): DeskEventSubscriber<K> {
  return `on${name.charAt(0).toUpperCase()}${name.slice(1)}` as DeskEventSubscriber<K>;
}
