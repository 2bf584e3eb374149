// What the central server keeps, behind one set of asynchronous interfaces,
// implemented once on Kysely for SQLite (the embedded default) and PostgreSQL
// (storage.ts). Routes, socket handlers and ingest appliers see only these;
// no SQL is written outside the storage layer. Writes that must land together
// share a unit of work: `ServerStorage.transaction` hands every store, bound to
// one transaction, to the work.
import type { KyselyDashboard } from './dashboard';
import type { Role, StaffMember } from '../../shared/domain/people';
import type { TranscriptRequest } from '../../shared/documents/transcript';
import type { FollowUpBooking, InteractionRecord } from '../../shared/interaction/record';
import type { Result } from '../../shared/result';
import type { HistoryPage, HistoryQuery, PersonalDataView } from '../../shared/wire/history';
import type { KnowledgeEdit } from '../../shared/wire/knowledge';
import type { OutboxKind } from '../../shared/wire/outbox';
import type { SafeguardingRaise } from '../../shared/wire/safeguarding';
import type { CallEnded } from '../../shared/wire/socket';
import type {
  MarkKind,
  TrainingEntry,
  TrainingEntryFields,
  TrainingList,
  TrainingMark,
  TrainingQuery,
} from '../../shared/wire/training';
import type { ChatStore } from '../chat/types';
import type { KnowledgeStore } from '../knowledge/types';
import type { SafeguardingStore } from '../safeguarding/types';
import type { CallRecording } from '../telephony/recording';
import type { TranscriptDeliveryStore } from '../transcripts/types';
import type { Engine } from './database';

export interface StaffAccount extends StaffMember {
  /** Self-describing scrypt hash (see server/auth/passwords.ts). */
  passwordHash: string;
}

export interface NewStaffAccount {
  username: string;
  displayName: string;
  roles: Role[];
  passwordHash: string;
}

export interface AccountStore {
  count(): Promise<number>;
  create(account: NewStaffAccount): Promise<StaffMember>;
  findByUsername(username: string): Promise<StaffAccount | null>;
  findById(id: string): Promise<StaffMember | null>;
}

export interface StaffSession {
  /** sha256 of the token the desk holds; the token itself is never stored. */
  tokenHash: string;
  accountId: string;
  createdAt: string;
  expiresAt: string;
}

export interface SessionStore {
  create(session: StaffSession): Promise<void>;
  find(tokenHash: string): Promise<StaffSession | null>;
  /**
   * The session with the staff member it belongs to, read in one query: every desk
   * event checks its session is live and takes the account's roles as they are now.
   */
  findWithStaff(tokenHash: string): Promise<{ session: StaffSession; staff: StaffMember } | null>;
  delete(tokenHash: string): Promise<void>;
  deleteExpired(now: string): Promise<number>;
}

/**
 * What an ingest applier may write while an outbox item is applied. Each
 * domain that adds an outbox kind adds the writes it needs here; they run in
 * the same transaction as the record of the item having been applied.
 */
export interface IngestWriter {
  saveInteraction(record: InteractionRecord, receivedAt: string): Promise<void>;
  saveFollowUpBooking(booking: FollowUpBooking, receivedAt: string): Promise<void>;
  /**
   * Queues a transcript of one of this adviser's held interactions (a
   * StorageConflictError when none is held yet); the request's address is
   * already parsed. No document is kept: the sender composes it from the record.
   */
  queueTranscript(request: TranscriptRequest, adviserId: string, receivedAt: string): Promise<void>;
  /** The same draft as KnowledgeStore.submitDraft; a resend by the same author is a no-op. */
  submitKnowledgeDraft(edit: KnowledgeEdit, authorId: string, receivedAt: string): Promise<void>;
  /** The same concern as SafeguardingStore.raise; a concern already held (sent live) is a no-op. */
  raiseSafeguardingConcern(
    raise: SafeguardingRaise,
    adviserId: string,
    receivedAt: string,
  ): Promise<void>;
}

export interface AppliedOutboxItem {
  deskId: string;
  itemId: string;
  kind: OutboxKind;
  stream: string;
  /** The staff member whose desk delivered it. */
  deliveredBy: string;
  appliedAt: string;
}

export interface IngestStore {
  /**
   * Applies an outbox item at most once per desk: in one transaction, checks
   * whether `(deskId, itemId)` was applied before; if not, runs `apply` and
   * records the item. Anything `apply` throws rolls everything back.
   */
  applyOnce(
    item: AppliedOutboxItem,
    apply: (writer: IngestWriter) => Promise<void>,
  ): Promise<'applied' | 'duplicate'>;
  countApplied(deskId: string): Promise<number>;
}

export interface ListFilter {
  /** Only this adviser's; null for everyone's. */
  adviserId: string | null;
  limit: number;
}

export interface InteractionStore {
  /** Newest completed first. */
  list(filter: ListFilter): Promise<InteractionRecord[]>;
  count(): Promise<number>;
}

export interface FollowUpStore {
  /** Newest booked first. */
  list(filter: ListFilter): Promise<FollowUpBooking[]>;
  count(): Promise<number>;
}

/** A transcript as held for sending; its document is composed from the held record when sent. */
export interface QueuedTranscript {
  interactionId: string;
  adviserId: string;
  via: TranscriptRequest['via'];
  /** One mailbox, or a UK mobile in E.164 (transcripts queued by older servers: as the desk sent it). */
  address: string;
  subject: string;
  requestedAt: string;
  status: 'queued' | 'sent' | 'failed';
  attempts: number;
  sentAt: string | null;
  /** Why the latest attempt failed; kept after a later success, as history. */
  lastError: string | null;
}

export interface TranscriptStore {
  /** Newest requested first. */
  list(filter: ListFilter): Promise<QueuedTranscript[]>;
  count(): Promise<number>;
}

export type CallEndedBy = CallEnded['endedBy'];

export interface StoredCall {
  id: string;
  adviserId: string;
  cli: string | null;
  offeredAt: string;
  connectedAt: string | null;
  endedAt: string | null;
  endedBy: CallEndedBy | null;
  /** The call's recording, once the telephony side has kept one. */
  recordingRef: string | null;
}

export interface CallStore {
  insert(call: Omit<StoredCall, 'recordingRef'>): Promise<void>;
  find(id: string): Promise<StoredCall | null>;
  /** Sets connected_at if the call is still ringing; false if it was not. */
  markConnected(id: string, at: string): Promise<boolean>;
  /** Sets ended_at if the call has not ended; false if it had. */
  markEnded(id: string, at: string, endedBy: CallEndedBy): Promise<boolean>;
  /** Keeps the call's recording and sets its reference; null if the call is unknown or has one. */
  saveRecording(id: string, recording: CallRecording): Promise<string | null>;
  /** The recording of a call, or null when it has none. */
  readRecording(id: string): Promise<CallRecording | null>;
  /** How long a call's recording lasts, read from its header; null when it has none. */
  recordingSeconds(call: StoredCall): Promise<number | null>;
}

/**
 * Hides a record's personal data (server/redaction's redactRecord). Storage is
 * handed it rather than importing it, so the text it indexes for history
 * search is redacted by the same code that redacts a view, and a test can say
 * which redaction it means.
 */
export type RecordRedaction = (record: InteractionRecord) => InteractionRecord;

/** Whose interactions a history reader may see: one adviser's, or (null) everyone's. */
export interface HistoryScope {
  adviserId: string | null;
}

/** A held interaction, whole and unredacted, with its adviser's name. */
export interface HeldInteraction {
  record: InteractionRecord;
  adviserName: string;
}

export interface NewPersonalDataView {
  interactionId: string;
  viewerId: string;
  reason: string;
  viewedAt: string;
}

export interface HistoryStore {
  /**
   * One page of completed interactions within `scope`, by the query's filters
   * and sort; rows carry no personal data (a text search's snippet is the
   * redacted text). A cursor this server did not make is `invalid_input`.
   */
  page(query: HistoryQuery, scope: HistoryScope): Promise<Result<HistoryPage>>;
  find(id: string): Promise<HeldInteraction | null>;
  /**
   * Completed voice interactions whose call came from the caller line
   * `lineKey` (calls' cli_key), newest first, leaving out the call `exceptCallId`.
   */
  byCallerLine(lineKey: string, exceptCallId: string, limit: number): Promise<HeldInteraction[]>;
  /**
   * Gives up to `limit` interactions that have no search text yet (oldest
   * first) the text `searchTextFor` makes of them, which must be redacted;
   * answers how many it did. Two processes never take the same row.
   */
  indexSearchText(
    searchTextFor: (record: InteractionRecord) => string,
    limit: number,
  ): Promise<number>;
  /** Records that a staff member saw an interaction's personal data, and why. */
  recordView(view: NewPersonalDataView): Promise<PersonalDataView>;
  /** Newest first. */
  listViews(limit: number): Promise<PersonalDataView[]>;
}

export interface NewTrainingEntry {
  interactionId: string;
  fields: TrainingEntryFields;
  /** Who adds it (kept as `addedBy` the first time only). */
  by: string;
  at: string;
}

export interface TrainingDecision {
  decision: 'cleared' | 'refused';
  note: string;
  by: string;
  at: string;
}

export interface TrainingMarkInput {
  at: string;
  kind: MarkKind;
  text: string;
  by: string;
  createdAt: string;
}

/** Trainees (who may not curate) see only cleared entries. */
export interface TrainingListScope {
  onlyCleared: boolean;
}

export interface TrainingStore {
  find(interactionId: string): Promise<TrainingEntry | null>;
  /** Adds an interaction to the library awaiting clearance, or edits its entry; null when no such interaction is held. */
  save(entry: NewTrainingEntry): Promise<TrainingEntry | null>;
  /** A team leader's decision; null when the interaction has no entry. */
  decide(interactionId: string, decision: TrainingDecision): Promise<TrainingEntry | null>;
  /** Takes an entry, its tags and its marks out of the library. */
  remove(interactionId: string): Promise<boolean>;
  /** Newest added first, with the tags of every entry the scope allows. */
  list(query: TrainingQuery, scope: TrainingListScope): Promise<TrainingList>;
  /** Null when the interaction has no entry. */
  addMark(interactionId: string, mark: TrainingMarkInput): Promise<TrainingMark | null>;
  removeMark(interactionId: string, markId: string): Promise<boolean>;
  /** In the order of the moments they are pinned to. */
  marks(interactionId: string): Promise<TrainingMark[]>;
}

/** Every store, bound to the database or to one transaction. */
export interface Stores {
  accounts: AccountStore;
  sessions: SessionStore;
  ingest: IngestStore;
  interactions: InteractionStore;
  followUps: FollowUpStore;
  transcripts: TranscriptStore;
  calls: CallStore;
  knowledge: KnowledgeStore;
  /** Claiming, marking and listing transcripts as the sender delivers them (server/transcripts/). */
  transcriptDelivery: TranscriptDeliveryStore;
  /** Web chats, their messages and queue abandonments (server/chat/). */
  chats: ChatStore;
  safeguarding: SafeguardingStore;
  /** Finding past interactions, and the audit of personal-data views. */
  history: HistoryStore;
  /** The training library: curated interactions, their clearance, tags and marks. */
  training: TrainingStore;
  /** The service dashboard's sums and the improvement plan. */
  dashboard: KyselyDashboard;
}

export interface ServerStorage extends Stores {
  readonly engine: Engine;
  /** The engine and where, as the server reports it at start. */
  readonly description: string;
  /**
   * The unit of work: runs `work` in one transaction with every store bound to
   * it, commits when it resolves and rolls back when it throws. What stores
   * ask to run after commit (listeners) runs once it has committed.
   */
  transaction<T>(work: (stores: Stores) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Thrown by a store when a write collides with something already held (a unique key). */
export class StorageConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageConflictError';
  }
}
