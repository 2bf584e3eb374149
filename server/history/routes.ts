// The interaction history over HTTP (shared/wire/history.ts): pages of past
// interactions, one opened to replay with its personal data hidden, its
// original for the roles allowed to see it once they have said why (and that
// view recorded first), and the record of those views for team leaders.
//
// Redaction happens here, on the server, before anything leaves it: a listing
// carries no personal data at all (its snippets are of the redacted text), and
// an opened record is redacted unless it is asked for by its own route.
import type { Request } from 'express';
import { z } from 'zod';
import type { StaffMember } from '../../shared/domain/people';
import type { InteractionRecord } from '../../shared/interaction/record';
import { fail, ok, parseInput, type Result } from '../../shared/result';
import {
  historyQuerySchema,
  maxEarlierInteractions,
  revealRequestSchema,
  type EarlierInteraction,
  type EarlierInteractions,
  type HistoryRecording,
  type HistoryView,
} from '../../shared/wire/history';
import { listQuerySchema, telephonyCallPathSchema } from '../../shared/wire/http';
import { sendResult } from '../http/envelope';
import type { SafeRoutes } from '../http/safe-routes';
import { authorize, listingFilter } from '../permissions/policy';
import { redactRecord } from '../redaction';
import { callerLineKey } from '../telephony/caller-line';
import { chatRefSchema } from '../../shared/wire/chat';
import type { ChatStore } from '../chat/types';
import type {
  CallStore,
  EarlierContactMatch,
  HeldInteraction,
  HistoryStore,
  RecordRedaction,
  StoredCall,
} from '../storage/types';

export interface HistoryRouteDependencies {
  history: HistoryStore;
  calls: CallStore;
  chats: ChatStore;
  /** The real redaction unless a test says otherwise. */
  redact?: RecordRedaction;
  now?: () => Date;
}

const interactionPathSchema = z.object({ id: z.uuid() });

/** The interaction a path names, if it is held and this reader may read it. */
async function readable(
  history: HistoryStore,
  staff: StaffMember,
  request: Request,
): Promise<Result<HeldInteraction>> {
  const path = parseInput(interactionPathSchema, request.params, 'Interaction');
  if (!path.ok) return path;
  const held = await history.find(path.value.id);
  if (!held) return fail('not_found', 'There is no such interaction');
  const allowed = authorize(staff, 'interaction.read', held.record.adviserId);
  if (!allowed.ok) return allowed;
  return ok(held);
}

/** A voice call's kept recording, with how long it lasts and when its first second was heard. */
export interface HeldRecording {
  call: StoredCall;
  durationSeconds: number;
  startedAt: string;
}

/** The recording that goes with an interaction, whoever asks; null for a chat or a call without one. */
export async function heldRecording(
  calls: CallStore,
  record: InteractionRecord,
): Promise<HeldRecording | null> {
  if (record.channel !== 'voice') return null;
  const call = await calls.find(record.contactRef);
  if (!call?.recordingRef) return null;
  const startedAt = call.connectedAt ?? record.summary.call.connectedAt;
  if (startedAt === null) return null;
  const durationSeconds = await calls.recordingSeconds(call);
  if (durationSeconds === null) return null;
  return { call, durationSeconds, startedAt };
}

/** The path of a call's recording on its own route, which asks `recording.listen` again. */
export const callRecordingPath = (callId: string) =>
  `/api/calls/${encodeURIComponent(callId)}/recording`;

/**
 * The recording that goes with a voice call, for a reader who may hear it:
 * the same rule as the recording's own route, which the desk then fetches.
 */
async function recordingFor(
  calls: CallStore,
  staff: StaffMember,
  held: HeldInteraction,
): Promise<HistoryRecording | null> {
  const recording = await heldRecording(calls, held.record);
  if (!recording) return null;
  if (!authorize(staff, 'recording.listen', recording.call.adviserId).ok) return null;
  return {
    path: callRecordingPath(recording.call.id),
    durationSeconds: recording.durationSeconds,
    startedAt: recording.startedAt,
  };
}

export function registerHistoryRoutes(routes: SafeRoutes, deps: HistoryRouteDependencies): void {
  const redact = deps.redact ?? redactRecord;
  const now = deps.now ?? (() => new Date());

  const viewOf = async (
    staff: StaffMember,
    held: HeldInteraction,
    original: boolean,
  ): Promise<HistoryView> => ({
    record: original ? held.record : redact(held.record, held.known),
    adviserName: held.adviserName,
    redacted: !original,
    recording: await recordingFor(deps.calls, staff, held),
    mayRevealOriginal: authorize(staff, 'personal-data.reveal', held.record.adviserId).ok,
  });

  routes.staff('get', '/api/history', 'interaction.read', async (staff, request, response) => {
    const query = parseInput(historyQuerySchema, request.query, 'History query');
    if (!query.ok) return sendResult(response, query);
    // An adviser asking for someone else's interactions is told so, rather
    // than shown an empty page; the store applies the scope in any case.
    if (query.value.adviserId !== undefined) {
      const allowed = authorize(staff, 'interaction.read', query.value.adviserId);
      if (!allowed.ok) return sendResult(response, allowed);
    }
    const scope = listingFilter(staff, 'interaction.read');
    if (!scope.ok) return sendResult(response, scope);
    sendResult(response, await deps.history.page(query.value, { adviserId: scope.value.ownerId }));
  });

  routes.staff('get', '/api/history/:id', 'interaction.read', async (staff, request, response) => {
    const held = await readable(deps.history, staff, request);
    if (!held.ok) return sendResult(response, held);
    sendResult(response, ok(await viewOf(staff, held.value, false)));
  });

  routes.staff(
    'post',
    '/api/history/:id/original',
    'personal-data.reveal',
    async (staff, request, response) => {
      const reveal = parseInput(revealRequestSchema, request.body, 'Reason');
      if (!reveal.ok) return sendResult(response, reveal);
      const held = await readable(deps.history, staff, request);
      if (!held.ok) return sendResult(response, held);
      const allowed = authorize(staff, 'personal-data.reveal', held.value.record.adviserId);
      if (!allowed.ok) return sendResult(response, allowed);
      // Recorded before anything is answered: a view that was not recorded
      // (the write failed) is never shown.
      await deps.history.recordView({
        interactionId: held.value.record.id,
        viewerId: staff.id,
        reason: reveal.value.reason,
        viewedAt: now().toISOString(),
      });
      sendResult(response, ok(await viewOf(staff, held.value, true)));
    },
  );

  /** The contact's earlier interactions, redacted, as the adviser's side column shows them. */
  const earlierAnswer = async (match: EarlierContactMatch): Promise<EarlierInteractions> => {
    const held = await deps.history.earlierContacts(match, maxEarlierInteractions);
    const items = held.map(({ record, adviserName, known }): EarlierInteraction => {
      const { summary } = redact(record, known);
      const { followUp } = summary;
      return {
        id: record.id,
        channel: record.channel,
        completedAt: record.completedAt,
        adviserName,
        startingStatus: summary.startingPoint.status,
        withinRemit: summary.caller.withinRemit,
        mainPoints: summary.nextSteps.mainPoints.slice(0, 600),
        actions: summary.nextSteps.actions.map(({ description, owner, due }) => ({
          description,
          owner,
          due,
        })),
        followUp:
          followUp.decision === 'accepted'
            ? { slotStart: followUp.slotStart, contactMethod: followUp.contactMethod }
            : null,
        safeguardingRaised: summary.safeguarding.length > 0,
      };
    });
    return { identified: true, items };
  };

  /**
   * The caller's earlier interactions, for the adviser taking the call (or a
   * team leader): matched by the caller's line, whoever took them, redacted.
   */
  routes.staff(
    'get',
    '/api/calls/:callId/earlier',
    'caller.history',
    async (staff, request, response) => {
      const path = parseInput(telephonyCallPathSchema, request.params, 'Call');
      if (!path.ok) return sendResult(response, path);
      const call = await deps.calls.find(path.value.callId);
      if (!call) return sendResult(response, fail('not_found', 'There is no such call'));
      const allowed = authorize(staff, 'caller.history', call.adviserId);
      if (!allowed.ok) return sendResult(response, allowed);
      const lineKey = callerLineKey(call.cli);
      if (lineKey === null) return sendResult(response, ok({ identified: false, items: [] }));
      sendResult(
        response,
        ok(await earlierAnswer({ channel: 'voice', lineKey, exceptCallId: call.id })),
      );
    },
  );

  /**
   * A chat customer's earlier chats, for the adviser who took the chat (or a
   * team leader): matched by the device they asked to be remembered.
   */
  routes.staff(
    'get',
    '/api/chats/:chatId/earlier',
    'caller.history',
    async (staff, request, response) => {
      const path = parseInput(chatRefSchema, request.params, 'Chat');
      if (!path.ok) return sendResult(response, path);
      const chat = await deps.chats.find(path.value.chatId);
      if (!chat) return sendResult(response, fail('not_found', 'There is no such chat'));
      const allowed = authorize(staff, 'caller.history', chat.adviserId);
      if (!allowed.ok) return sendResult(response, allowed);
      const { deviceKeyHash } = chat;
      if (deviceKeyHash === null) return sendResult(response, ok({ identified: false, items: [] }));
      sendResult(
        response,
        ok(await earlierAnswer({ channel: 'webchat', deviceKeyHash, exceptChatId: chat.id })),
      );
    },
  );

  routes.staff(
    'get',
    '/api/audit/personal-data',
    'audit.read',
    async (_staff, request, response) => {
      const query = parseInput(listQuerySchema, request.query, 'Listing query');
      if (!query.ok) return sendResult(response, query);
      sendResult(response, ok({ items: await deps.history.listViews(query.value.limit) }));
    },
  );
}
