// The training library over HTTP (shared/wire/training.ts). Trainers and team
// leaders curate: they add a past interaction with a title and tags, and pin
// bookmarks and notes to its moments. A team leader clears an entry once its
// redacted view has been checked; until then trainees (advisers) cannot see it
// and its recording plays to nobody who could not already hear it.
//
// Every view here is redacted: the library is for teaching, and a training
// view never shows an original, whoever reads it (a team leader who needs one
// asks the history, which records why).
import type { StaffMember } from '../../shared/domain/people';
import { fail, ok, type Result } from '../../shared/result';
import type { HistoryRecording } from '../../shared/wire/history';
import { routePath } from '../../shared/wire/route-contract';
import { training as routesOf } from '../../shared/wire/routes';
import type { TrainingEntry, TrainingView } from '../../shared/wire/training';
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

const mayCurate = (staff: StaffMember) => authorize(staff, 'training.curate').ok;

/**
 * The entry a path names, if this reader may see it. A trainee asking for an
 * entry that is not cleared is told there is no such entry: whether an
 * interaction awaits clearance is itself not theirs to know.
 */
async function visibleEntry(
  training: TrainingStore,
  staff: StaffMember,
  id: string,
): Promise<Result<TrainingEntry>> {
  const entry = await training.find(id);
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
      const path = routePath(routesOf.recording, { params: { id: entry.interaction.id } });
      return { path, durationSeconds, startedAt };
    }
    if (!authorize(staff, 'recording.listen', recording.call.adviserId).ok) return null;
    return { path: callRecordingPath(recording.call.id), durationSeconds, startedAt };
  };

  routes.staff(routesOf.list, 'training.read', async (staff, { query }, reply) => {
    reply(ok(await deps.training.list(query, { onlyCleared: !mayCurate(staff) })));
  });

  routes.staff(routesOf.open, 'training.read', async (staff, { params }, reply) => {
    const entry = await visibleEntry(deps.training, staff, params.id);
    if (!entry.ok) return reply(entry);
    const held = await deps.history.find(entry.value.interaction.id);
    if (!held) return reply(fail('not_found', 'There is no such interaction'));
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
    reply(ok(view));
  });

  routes.staffRaw(routesOf.recording, 'training.read', async (staff, { params }, response) => {
    const entry = await visibleEntry(deps.training, staff, params.id);
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
  });

  routes.staff(routesOf.save, 'training.curate', async (staff, { params, body }, reply) => {
    const saved = await deps.training.save({
      interactionId: params.id,
      fields: body,
      by: staff.id,
      at: now().toISOString(),
    });
    if (!saved) return reply(fail('not_found', 'There is no such interaction'));
    reply(ok(saved));
  });

  const notInLibrary = () => fail('not_found', 'There is no such entry in the training library');

  routes.staff(routesOf.remove, 'training.curate', async (_staff, { params }, reply) => {
    const removed = await deps.training.remove(params.id);
    if (!removed) return reply(notInLibrary());
    reply(ok({ removed: true }));
  });

  routes.staff(routesOf.clear, 'training.clear', async (staff, { params, body }, reply) => {
    const decided = await deps.training.decide(params.id, {
      ...body,
      by: staff.id,
      at: now().toISOString(),
    });
    if (!decided) return reply(notInLibrary());
    reply(ok(decided));
  });

  routes.staff(
    routesOf.addMark,
    'training.curate',
    async (staff, { params, body: mark }, reply) => {
      const held = await deps.history.find(params.id);
      if (held) {
        // A mark is pinned to a moment of the interaction, not outside it.
        const at = Date.parse(mark.at);
        const { startedAt, completedAt } = held.record;
        if (at < Date.parse(startedAt) || at > Date.parse(completedAt)) {
          return reply(
            fail(
              'invalid_input',
              'A bookmark or note is pinned to a moment within the interaction',
            ),
          );
        }
      }
      const added = await deps.training.addMark(params.id, {
        ...mark,
        by: staff.id,
        createdAt: now().toISOString(),
      });
      if (!added) return reply(notInLibrary());
      reply(ok(added), 201);
    },
  );

  routes.staff(routesOf.removeMark, 'training.curate', async (_staff, { params }, reply) => {
    const removed = await deps.training.removeMark(params.id, params.markId);
    if (!removed) return reply(fail('not_found', 'There is no such bookmark or note'));
    reply(ok({ removed: true }));
  });
}
