// Replay of a completed interaction, moment by moment: every journal event is
// a moment on the timeline, and the interaction as it stood at any moment is
// the snapshot of the same machine definition after that event. Nothing is
// guessed or redrawn from the summary: the journal drives the real machine.
//
// Snapshots are computed incrementally, one actor stepping forward, and kept:
// opening a one-hour interaction costs one pass over its journal (and only as
// far as the first moment shown), never a replay from the start per moment.
//
// Versioned machines. A record names the machine version its journal was
// written for (`INTERACTION_MACHINE_VERSION` when it was recorded). Replay
// runs every journal through today's definition, so an older journal's events
// are first brought up to date by `eventMigrations`. When a change to the
// machine would replay an old journal differently:
//   1. bump `INTERACTION_MACHINE_VERSION` in machine.ts (say from 1 to 2);
//   2. add `eventMigrations[1]`: a pure function from one version-1 event to
//      the version-2 events that mean the same (none to drop it, several to
//      split it; rename fields, fill new required ones with what version 1
//      implied). Each step knows only its neighbour: 1 -> 2, then 2 -> 3;
//   3. keep the version-1 fixture in test/fixtures/journals/ as it is, and add
//      a version-2 fixture recorded by the new machine. The fixture test
//      replays every file to the summary stored with it, so a migration that
//      changes what an old interaction meant fails there.
// A version this code does not know (newer than it, or one with no migration
// path) is refused with a message saying so, never replayed approximately.
//
// Variants. A record also names the variant of the machine it ran
// (`machineVariant`: absent for guidance, 'follow_up' for a follow-up call),
// and replays through that variant of the same version. Versions count for
// both variants together: a change to either that could replay an old journal
// differently bumps the one version, and each variant keeps its own fixture
// (v1.json, v1-follow-up.json).
import { createActor } from 'xstate';
import { fail, ok, type Result } from '../result';
import { interactionEventSchema, type InteractionEvent } from './events';
import {
  INTERACTION_MACHINE_VERSION,
  machineFor,
  variantOf,
  type InteractionMachine,
  type InteractionSnapshot,
} from './machine';
import type { InteractionVariant, JournalEntry } from './record';
import { stageLabels, type AnyStageId } from './taxonomy';

/** What a moment is about, for the marker on the timeline. */
export const momentKinds = [
  'call',
  'stage',
  'safeguarding',
  'followUp',
  'knowledge',
  'chat',
  'notes',
  'details',
] as const;
export type MomentKind = (typeof momentKinds)[number];

export const momentKindLabels: Record<MomentKind, string> = {
  call: 'Call or chat',
  stage: 'Stage change',
  safeguarding: 'Safeguarding',
  followUp: 'Follow-up',
  knowledge: 'Knowledge article',
  chat: 'Chat message',
  notes: 'Notes',
  details: 'Details recorded',
};

export interface ReplayMoment {
  /** Position in the journal, from 0. */
  index: number;
  at: string;
  /** Milliseconds since the first event (the offer). */
  offsetMs: number;
  kind: MomentKind;
  /** What happened, in the screen's words; never the text typed (that shows on the screen). */
  label: string;
  event: InteractionEvent;
}

export interface ReplayTimeline {
  machineVersion: number;
  machineVariant: InteractionVariant;
  moments: readonly ReplayMoment[];
  /** The first event's time: offsets count from it. */
  startedAt: string;
  /** From the first event to the last. */
  durationMs: number;
  /** The interaction as it stood just after moment `index` (clamped to the journal). */
  snapshotAt(index: number): InteractionSnapshot;
  /** The moment in force at `offsetMs`: the last one at or before it (0 before the first). */
  indexAtOffset(offsetMs: number): number;
}

/** Brings one event written for version `from` to version `from + 1`. */
export type EventMigration = (
  event: Readonly<Record<string, unknown>>,
) => Record<string, unknown>[];

/**
 * Migrations by the version they migrate from; see the steps at the top of this file.
 *
 * 1 -> 2: version 2 asks for a wrap-up outcome code before COMPLETE. A
 * version-1 interaction was completed without one (there were none), so its
 * COMPLETE says so; no code is made up for it.
 */
export const eventMigrations: Readonly<Record<number, EventMigration>> = {
  1: (event) =>
    event.type === 'COMPLETE' ? [{ ...event, recordedBeforeOutcomeCodes: true }] : [event],
};

/** Versions this code can replay: today's, and every older one with a migration path to it. */
export function replayableVersions(): number[] {
  const versions = [INTERACTION_MACHINE_VERSION];
  for (let from = INTERACTION_MACHINE_VERSION - 1; from >= 1 && eventMigrations[from]; from -= 1) {
    versions.unshift(from);
  }
  return versions;
}

function unknownVersion(version: number): Result<never> {
  const known = replayableVersions();
  const range = known.length === 1 ? `version ${known[0]}` : `versions ${known.join(', ')}`;
  const why =
    version > INTERACTION_MACHINE_VERSION
      ? 'a newer desk recorded it: update this desk to replay it'
      : 'no migration of its events to today’s machine exists';
  return fail(
    'invalid_input',
    `This interaction was recorded with version ${version} of the interaction machine, and this desk replays ${range} only (${why}).`,
  );
}

/** The journal's events brought to today's version and parsed; refuses what it cannot read. */
export function migrateJournal(
  machineVersion: number,
  journal: readonly JournalEntry[],
): Result<InteractionEvent[]> {
  if (!replayableVersions().includes(machineVersion)) return unknownVersion(machineVersion);
  const events: InteractionEvent[] = [];
  for (const [index, entry] of journal.entries()) {
    let current: Record<string, unknown>[] = [{ ...entry.event, at: entry.event.at ?? entry.at }];
    for (let version = machineVersion; version < INTERACTION_MACHINE_VERSION; version += 1) {
      const migrate = eventMigrations[version];
      if (!migrate) return unknownVersion(machineVersion);
      current = current.flatMap((event) => migrate(event));
    }
    for (const raw of current) {
      const parsed = interactionEventSchema.safeParse(raw);
      if (!parsed.success) {
        return fail(
          'invalid_input',
          `Event ${index + 1} of the journal (${entry.event.type}) cannot be replayed: ${parsed.error.issues[0]?.message ?? 'not a known event'}`,
        );
      }
      events.push(parsed.data);
    }
  }
  return ok(events);
}

const stageName = (stage: AnyStageId) => stageLabels[stage];

const progressWords = {
  done: 'done',
  in_progress: 'in progress',
  not_started: 'not started',
  no_longer_wanted: 'no longer wanted',
} as const;

const changeWords = {
  better: 'for the better',
  same: 'not at all',
  worse: 'for the worse',
} as const;

function describe(event: InteractionEvent): { kind: MomentKind; label: string } {
  switch (event.type) {
    case 'OFFERED':
      return { kind: 'call', label: event.channel === 'webchat' ? 'Chat offered' : 'Call offered' };
    case 'ANSWER':
      return { kind: 'call', label: 'Answered' };
    case 'HOLD':
      return { kind: 'call', label: 'Put on hold' };
    case 'RESUME':
      return { kind: 'call', label: 'Taken off hold' };
    case 'END_CALL':
      return { kind: 'call', label: 'Ended by the adviser' };
    case 'CUSTOMER_DISCONNECTED':
      return {
        kind: 'call',
        label: event.by === 'customer' ? 'The customer left' : 'The connection dropped',
      };
    case 'COMPLETE':
      return { kind: 'call', label: 'Completed' };
    case 'CHOOSE_OUTCOME_CODE':
      return { kind: 'details', label: `Outcome code: ${event.code.label}` };
    case 'CHAT_MESSAGE':
      return {
        kind: 'chat',
        label: event.line.from === 'customer' ? 'The customer wrote' : 'The adviser wrote',
      };
    case 'GO_TO_STAGE':
      return { kind: 'stage', label: `Went to ${stageName(event.stage)}` };
    case 'NOTE':
      return { kind: 'notes', label: `Notes on ${stageName(event.stage).toLowerCase()}` };
    case 'UPDATE_MAIN_POINTS':
      return { kind: 'notes', label: 'Main points discussed' };
    case 'MARK_NOT_COVERED':
      return { kind: 'details', label: `${stageName(event.stage)} marked not covered` };
    case 'CLEAR_NOT_COVERED':
      return { kind: 'details', label: `${stageName(event.stage)} no longer not covered` };
    case 'POINT_TO_ARTICLE':
      return { kind: 'knowledge', label: 'Article added to the plan' };
    case 'REMOVE_ARTICLE':
      return { kind: 'knowledge', label: 'Article removed from the plan' };
    case 'BOOK_FOLLOW_UP':
      return { kind: 'followUp', label: 'Follow-up booked' };
    case 'DECLINE_FOLLOW_UP':
      return { kind: 'followUp', label: 'Follow-up declined' };
    case 'REOPEN_FOLLOW_UP':
      return { kind: 'followUp', label: 'Follow-up reopened' };
    case 'RAISE_CONCERN':
      return {
        kind: 'safeguarding',
        label: event.immediateRisk
          ? 'Safeguarding concern raised (immediate risk)'
          : 'Safeguarding concern raised',
      };
    case 'ESCALATE_CONCERN':
      return { kind: 'safeguarding', label: 'Safeguarding concern escalated' };
    case 'RECORD_SAFEGUARDING_ACTION':
      return { kind: 'safeguarding', label: 'Safeguarding action recorded' };
    case 'RESOLVE_CONCERN':
      return { kind: 'safeguarding', label: 'Safeguarding concern resolved' };
    case 'UPDATE_CALLER':
      return { kind: 'details', label: 'Caller details' };
    case 'SIGNPOST':
      return { kind: 'details', label: 'Signposted elsewhere' };
    case 'UPDATE_STARTING_POINT':
      return { kind: 'details', label: 'Starting point' };
    case 'IDENTIFY_BARRIER':
      return { kind: 'details', label: 'Barrier identified' };
    case 'REMOVE_BARRIER':
      return { kind: 'details', label: 'Barrier removed' };
    case 'UPDATE_BARRIER':
      return { kind: 'details', label: 'Barrier details' };
    case 'SET_NO_BARRIERS':
      return {
        kind: 'details',
        label: event.noneIdentified ? 'No barriers' : 'Barriers to look at',
      };
    case 'UPDATE_SKILL':
      return { kind: 'details', label: 'English, maths or digital' };
    case 'SET_SKILLS_DISCUSSED':
      return { kind: 'details', label: 'Skills discussed' };
    case 'ADD_ACTION':
      return { kind: 'details', label: 'Action agreed' };
    case 'REMOVE_ACTION':
      return { kind: 'details', label: 'Action removed' };
    case 'POINT_TO_SERVICE':
      return { kind: 'details', label: 'Service pointed to' };
    case 'REMOVE_SERVICE':
      return { kind: 'details', label: 'Service removed' };
    case 'CHOOSE_TRANSCRIPT':
      return {
        kind: 'details',
        label: event.decision === 'send' ? 'Transcript asked for' : 'Transcript declined',
      };
    case 'ANSWER_SERVICE_QUESTIONS':
      return { kind: 'details', label: 'Service questions answered' };
    case 'SKIP_SERVICE_QUESTIONS':
      return { kind: 'details', label: 'Service questions skipped' };
    case 'REOPEN_SERVICE_QUESTIONS':
      return { kind: 'details', label: 'Service questions reopened' };
    case 'FOLLOW_UP_DIALLED':
      return { kind: 'call', label: 'Follow-up call dialled' };
    case 'REVIEW_ACTION':
      return { kind: 'followUp', label: `Action reviewed: ${progressWords[event.progress]}` };
    case 'RECORD_STATUS_NOW':
      return { kind: 'details', label: 'Status now' };
    case 'RECORD_CHANGE':
      return { kind: 'followUp', label: `Circumstances changed ${changeWords[event.change]}` };
  }
}

/**
 * The timeline of a record's journal. Refuses (with the reason) a journal of
 * an unknown machine version, an event it cannot parse, or an empty journal.
 */
export function buildReplayTimeline(record: {
  machineVersion: number;
  machineVariant?: InteractionVariant | undefined;
  journal: readonly JournalEntry[];
}): Result<ReplayTimeline> {
  const variant = variantOf(record);
  const machine = machineFor(variant);
  const migrated = migrateJournal(record.machineVersion, record.journal);
  if (!migrated.ok) return migrated;
  const events = migrated.value;
  const first = events[0];
  if (!first) return fail('invalid_input', 'This interaction has no journal to replay');
  const startMs = Date.parse(first.at);
  const moments: ReplayMoment[] = events.map((event, index) => ({
    index,
    at: event.at,
    // A clock set back mid-call must not run the timeline backwards.
    offsetMs: Math.max(0, Date.parse(event.at) - startMs),
    event,
    ...describe(event),
  }));
  for (let index = 1; index < moments.length; index += 1) {
    const moment = moments[index];
    const before = moments[index - 1];
    if (moment && before && moment.offsetMs < before.offsetMs) moment.offsetMs = before.offsetMs;
  }

  // One actor walks the journal forward as far as anyone has asked; each
  // snapshot is kept (XState snapshots are immutable and share what did not change).
  const snapshots: InteractionSnapshot[] = [];
  let actor: ReturnType<typeof createActor<InteractionMachine>> | null = createActor(machine);
  actor.start();
  const advanceTo = (index: number) => {
    while (snapshots.length <= index && actor) {
      const event = events[snapshots.length];
      // As in replay(): nothing reaches a finished interaction, so a stray event changes nothing.
      if (event && actor.getSnapshot().status === 'active') actor.send(event);
      snapshots.push(actor.getSnapshot());
      if (snapshots.length === events.length) {
        actor.stop();
        actor = null;
      }
    }
  };

  const last = moments.at(-1);
  return ok({
    machineVersion: record.machineVersion,
    machineVariant: variant,
    moments,
    startedAt: first.at,
    durationMs: last ? last.offsetMs : 0,
    snapshotAt(index) {
      const clamped = Math.min(Math.max(0, Math.trunc(index)), events.length - 1);
      advanceTo(clamped);
      const snapshot = snapshots[clamped];
      if (!snapshot) throw new Error(`No snapshot at moment ${clamped}`);
      return snapshot;
    },
    indexAtOffset(offsetMs) {
      // Binary search: the last moment at or before the offset.
      let low = 0;
      let high = moments.length - 1;
      let found = 0;
      while (low <= high) {
        const middle = (low + high) >> 1;
        if ((moments[middle]?.offsetMs ?? 0) <= offsetMs) {
          found = middle;
          low = middle + 1;
        } else {
          high = middle - 1;
        }
      }
      return found;
    },
  });
}
