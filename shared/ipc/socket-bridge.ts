// The desk API carried over a WebSocket in browser mode: the same requests and
// events as the Electron IPC bridge, framed as JSON messages. Both ends parse
// every message with these schemas.
import { z } from 'zod';
import { limits } from '../limits';
import { resultSchema } from '../result';
import { deskEventNames, type DeskEventName } from './contract';

/** Where browser mode serves the bridge; the per-launch key goes in `?key=`. */
export const bridgePath = '/desk-api';

/** Largest bridge message either end accepts (bytes); a completed record with its journal fits. */
export const maxBridgeMessageBytes = limits.maxSocketMessageBytes * 4;

const requestIdSchema = z.string().min(1).max(100);

export const bridgeRequestSchema = z.object({
  type: z.literal('request'),
  id: requestIdSchema,
  /** Checked against the contract by the desk, which answers not_found for an unknown name. */
  name: z.string().min(1).max(100),
  input: z.unknown(),
});
export type BridgeRequest = z.infer<typeof bridgeRequestSchema>;

export const bridgeResponseSchema = z.object({
  type: z.literal('response'),
  id: requestIdSchema,
  /** The handler's envelope; the renderer parses `value` with the request's output schema. */
  result: resultSchema(z.unknown()),
});
export type BridgeResponse = z.infer<typeof bridgeResponseSchema>;

export const bridgeEventSchema = z.object({
  type: z.literal('event'),
  name: z.enum(deskEventNames as [DeskEventName, ...DeskEventName[]]),
  /** Parsed by the renderer with the event's payload schema from the contract. */
  payload: z.unknown(),
});
export type BridgeEvent = z.infer<typeof bridgeEventSchema>;

/** What the renderer sends. */
export const bridgeClientMessageSchema = bridgeRequestSchema;
/** What the desk sends. */
export const bridgeServerMessageSchema = z.discriminatedUnion('type', [
  bridgeResponseSchema,
  bridgeEventSchema,
]);
export type BridgeServerMessage = z.infer<typeof bridgeServerMessageSchema>;

/** The bridge's WebSocket URL for a page served at `pageOrigin` (http://127.0.0.1:port). */
export function bridgeUrl(pageOrigin: string, key: string): string {
  return `${pageOrigin.replace(/^http/, 'ws')}${bridgePath}?key=${encodeURIComponent(key)}`;
}
