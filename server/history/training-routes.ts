// The training library over HTTP (shared/wire/training.ts). Trainers and team
// leaders curate: they add a past interaction with a title and tags, and pin
// bookmarks and notes to its moments. A team leader clears an entry once its
// redacted view has been checked; until then trainees (advisers) cannot see it
// and its recording plays to nobody who could not already hear it.
//
// Every view here is redacted: the library is for teaching, and a training
// view never shows an original, whoever reads it (a team leader who needs one
// asks the history, which records why).
import type { Request } from 'express';
import { z } from 'zod';
import type { StaffMember } from '../../shared/domain/people';
import { fail, ok, parseInput, type Result } from '../../shared/result';
import type { HistoryRecording } from '../../shared/wire/history';
import {
  clearanceDecisionSchema,
  newTrainingMarkSchema,
  trainingEntryInputSchema,
  trainingQuerySchema,
  type TrainingEntry,
  type TrainingView,
} from '../../shared/wire/training';
import { sendResult } from '../http/envelope';
import type { SafeRoutes } from '../http/safe-routes';
import { authorize } from '../permissions/policy';
import { redactRecord } from '../redaction';
import { sendRecording } from '../telephony/recording';
import type {
  CallStore,
  HeldInteraction,
  HistoryStore,
  RecordRedaction,
  TrainingStore,
} from '../storage/types';
import { callRecordingPath, heldRecording } from './routes';

export interface TrainingRouteDependencies {
  training: TrainingStore;
  history: HistoryStore;
  calls: CallStore;
  redact?: RecordRedaction;
  now?: () => Date;
}

const entryPathSchema = z.object({ id: z.uuid() });
const markPathSchema = z.object({ id: z.uuid(), markId: z.uuid() });

const mayCurate = (staff: StaffMember) => authorize(staff, 'training.curate').ok;

/**
 * The entry a path names, if this reader may see it. A trainee asking for an
 * entry that is not cleared is told there is no such entry: whether an
 * interaction awaits clearance is itself not theirs to know.
 */
async function visibleEntry(
  training: TrainingStore,
  staff: StaffMember,
  request: Request,
): Promise<Result<TrainingEntry>> {
  const path = parseInput(entryPathSchema, request.params, 'Training entry');
  if (!path.ok) return path;
  const entry = await training.find(path.value.id);
  if (!entry || (entry.status !== 'cleared' && !mayCurate(staff))) {
    return fail('not_found', 'There is no such entry in the training library');
  }
  return ok(entry);
}

export function registerTrainingRoutes(routes: SafeRoutes, deps: TrainingRouteDependencies): void {
  const redact = deps.redact ?? redactRecord;
  const now = deps.now ?? (() => new Date());

  /**
   * A cleared entry's recording plays to every reader of the library through
   * the library's own route; before clearance, only to a reader who may hear
   * the call anyway (a team leader checking it), through the call's route.
   */
  const recordingFor = async (
    staff: StaffMember,
    entry: TrainingEntry,
    held: HeldInteraction,
  ): Promise<HistoryRecording | null> => {
    const recording = await heldRecording(deps.calls, held.record);
    if (!recording) return null;
    const { durationSeconds, startedAt } = recording;
    if (entry.status === 'cleared') {
      const path = `/api/training/${encodeURIComponent(entry.interaction.id)}/recording`;
      return { path, durationSeconds, startedAt };
    }
    if (!authorize(staff, 'recording.listen', recording.call.adviserId).ok) return null;
    return { path: callRecordingPath(recording.call.id), durationSeconds, startedAt };
  };

  routes.staff('get', '/api/training', 'training.read', async (staff, request, response) => {
    const query = parseInput(trainingQuerySchema, request.query, 'Training library query');
    if (!query.ok) return sendResult(response, query);
    const list = await deps.training.list(query.value, { onlyCleared: !mayCurate(staff) });
    sendResult(response, ok(list));
  });

  routes.staff('get', '/api/training/:id', 'training.read', async (staff, request, response) => {
    const entry = await visibleEntry(deps.training, staff, request);
    if (!entry.ok) return sendResult(response, entry);
    const held = await deps.history.find(entry.value.interaction.id);
    if (!held) return sendResult(response, fail('not_found', 'There is no such interaction'));
    const view: TrainingView = {
      entry: entry.value,
      view: {
        record: redact(held.record, held.known),
        adviserName: held.adviserName,
        redacted: true,
        recording: await recordingFor(staff, entry.value, held),
        mayRevealOriginal: false,
      },
      marks: await deps.training.marks(entry.value.interaction.id),
      mayCurate: mayCurate(staff),
      mayClear: authorize(staff, 'training.clear').ok,
    };
    sendResult(response, ok(view));
  });

  routes.staff(
    'get',
    '/api/training/:id/recording',
    'training.read',
    async (staff, request, response) => {
      const entry = await visibleEntry(deps.training, staff, request);
      if (!entry.ok) return sendResult(response, entry);
      if (entry.value.status !== 'cleared') {
        return sendResult(
          response,
          fail(
            'forbidden',
            'A recording plays in the training library only once a team leader has cleared it',
          ),
        );
      }
      const held = await deps.history.find(entry.value.interaction.id);
      if (held?.record.channel !== 'voice') {
        return sendResult(response, fail('not_found', 'This interaction has no recording'));
      }
      await sendRecording(response, deps.calls, held.record.contactRef);
    },
  );

  routes.staff('post', '/api/training/:id', 'training.curate', async (staff, request, response) => {
    const path = parseInput(entryPathSchema, request.params, 'Training entry');
    if (!path.ok) return sendResult(response, path);
    const fields = parseInput(trainingEntryInputSchema, request.body, 'Training entry');
    if (!fields.ok) return sendResult(response, fields);
    const saved = await deps.training.save({
      interactionId: path.value.id,
      fields: fields.value,
      by: staff.id,
      at: now().toISOString(),
    });
    if (!saved) return sendResult(response, fail('not_found', 'There is no such interaction'));
    sendResult(response, ok(saved));
  });

  routes.staff(
    'delete',
    '/api/training/:id',
    'training.curate',
    async (_staff, request, response) => {
      const path = parseInput(entryPathSchema, request.params, 'Training entry');
      if (!path.ok) return sendResult(response, path);
      const removed = await deps.training.remove(path.value.id);
      if (!removed) {
        return sendResult(
          response,
          fail('not_found', 'There is no such entry in the training library'),
        );
      }
      sendResult(response, ok({ removed: true }));
    },
  );

  routes.staff(
    'post',
    '/api/training/:id/clearance',
    'training.clear',
    async (staff, request, response) => {
      const path = parseInput(entryPathSchema, request.params, 'Training entry');
      if (!path.ok) return sendResult(response, path);
      const decision = parseInput(clearanceDecisionSchema, request.body, 'Clearance');
      if (!decision.ok) return sendResult(response, decision);
      const decided = await deps.training.decide(path.value.id, {
        ...decision.value,
        by: staff.id,
        at: now().toISOString(),
      });
      if (!decided) {
        return sendResult(
          response,
          fail('not_found', 'There is no such entry in the training library'),
        );
      }
      sendResult(response, ok(decided));
    },
  );

  routes.staff(
    'post',
    '/api/training/:id/marks',
    'training.curate',
    async (staff, request, response) => {
      const path = parseInput(entryPathSchema, request.params, 'Training entry');
      if (!path.ok) return sendResult(response, path);
      const mark = parseInput(newTrainingMarkSchema, request.body, 'Bookmark or note');
      if (!mark.ok) return sendResult(response, mark);
      const held = await deps.history.find(path.value.id);
      if (held) {
        // A mark is pinned to a moment of the interaction, not outside it.
        const at = Date.parse(mark.value.at);
        const { startedAt, completedAt } = held.record;
        if (at < Date.parse(startedAt) || at > Date.parse(completedAt)) {
          return sendResult(
            response,
            fail(
              'invalid_input',
              'A bookmark or note is pinned to a moment within the interaction',
            ),
          );
        }
      }
      const added = await deps.training.addMark(path.value.id, {
        ...mark.value,
        by: staff.id,
        createdAt: now().toISOString(),
      });
      if (!added) {
        return sendResult(
          response,
          fail('not_found', 'There is no such entry in the training library'),
        );
      }
      sendResult(response, ok(added), 201);
    },
  );

  routes.staff(
    'delete',
    '/api/training/:id/marks/:markId',
    'training.curate',
    async (_staff, request, response) => {
      const path = parseInput(markPathSchema, request.params, 'Bookmark or note');
      if (!path.ok) return sendResult(response, path);
      const removed = await deps.training.removeMark(path.value.id, path.value.markId);
      if (!removed)
        return sendResult(response, fail('not_found', 'There is no such bookmark or note'));
      sendResult(response, ok({ removed: true }));
    },
  );
}
