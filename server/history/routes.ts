// The interaction history over HTTP (shared/wire/history.ts): pages of past
// interactions, one opened to replay with its personal data hidden, its
// original for the roles allowed to see it once they have said why (and that
// view recorded first), and the record of those views for team leaders.
//
// Redaction happens here, on the server, before anything leaves it: a listing
// carries no personal data at all (its snippets are of the redacted text), and
// an opened record is redacted unless it is asked for by its own route.
import type { StaffMember } from '../../shared/domain/people';
import type { InteractionRecord } from '../../shared/interaction/record';
import { fail, ok, type Result } from '../../shared/result';
import {
  maxEarlierInteractions,
  type EarlierInteraction,
  type EarlierInteractions,
  type HistoryRecording,
  type HistoryView,
} from '../../shared/wire/history';
import { routePath } from '../../shared/wire/route-contract';
import { history as routesOf } from '../../shared/wire/routes';
import type { SafeRoutes } from '../http/safe-routes';
import { authorize, listingFilter } from '../permissions/policy';
import { redactRecord } from '../redaction';
import { callerLineKey } from '../telephony/caller-line';
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

/** The interaction a path names, if it is held and this reader may read it. */
async function readable(
  history: HistoryStore,
  staff: StaffMember,
  id: string,
): Promise<Result<HeldInteraction>> {
  const held = await history.find(id);
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
  routePath(routesOf.callRecording, { params: { callId } });

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

  routes.staff(routesOf.list, 'interaction.read', async (staff, { query }, reply) => {
    // An adviser asking for someone else's interactions is told so, rather
    // than shown an empty page; the store applies the scope in any case.
    if (query.adviserId !== undefined) {
      const allowed = authorize(staff, 'interaction.read', query.adviserId);
      if (!allowed.ok) return reply(allowed);
    }
    const scope = listingFilter(staff, 'interaction.read');
    if (!scope.ok) return reply(scope);
    reply(await deps.history.page(query, { adviserId: scope.value.ownerId }));
  });

  routes.staff(routesOf.open, 'interaction.read', async (staff, { params }, reply) => {
    const held = await readable(deps.history, staff, params.id);
    if (!held.ok) return reply(held);
    reply(ok(await viewOf(staff, held.value, false)));
  });

  routes.staff(routesOf.reveal, 'personal-data.reveal', async (staff, { params, body }, reply) => {
    const held = await readable(deps.history, staff, params.id);
    if (!held.ok) return reply(held);
    const allowed = authorize(staff, 'personal-data.reveal', held.value.record.adviserId);
    if (!allowed.ok) return reply(allowed);
    // Recorded before anything is answered: a view that was not recorded
    // (the write failed) is never shown.
    await deps.history.recordView({
      interactionId: held.value.record.id,
      viewerId: staff.id,
      reason: body.reason,
      viewedAt: now().toISOString(),
    });
    reply(ok(await viewOf(staff, held.value, true)));
  });

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
  routes.staff(routesOf.callEarlier, 'caller.history', async (staff, { params }, reply) => {
    const call = await deps.calls.find(params.callId);
    if (!call) return reply(fail('not_found', 'There is no such call'));
    const allowed = authorize(staff, 'caller.history', call.adviserId);
    if (!allowed.ok) return reply(allowed);
    const lineKey = callerLineKey(call.cli);
    if (lineKey === null) return reply(ok({ identified: false, items: [] }));
    reply(ok(await earlierAnswer({ channel: 'voice', lineKey, exceptCallId: call.id })));
  });

  /**
   * A chat customer's earlier chats, for the adviser who took the chat (or a
   * team leader): matched by the device they asked to be remembered.
   */
  routes.staff(routesOf.chatEarlier, 'caller.history', async (staff, { params }, reply) => {
    const chat = await deps.chats.find(params.chatId);
    if (!chat) return reply(fail('not_found', 'There is no such chat'));
    const allowed = authorize(staff, 'caller.history', chat.adviserId);
    if (!allowed.ok) return reply(allowed);
    const { deviceKeyHash } = chat;
    if (deviceKeyHash === null) return reply(ok({ identified: false, items: [] }));
    reply(ok(await earlierAnswer({ channel: 'webchat', deviceKeyHash, exceptChatId: chat.id })));
  });

  routes.staff(routesOf.personalDataViews, 'audit.read', async (_staff, { query }, reply) => {
    reply(ok({ items: await deps.history.listViews(query.limit) }));
  });
}
