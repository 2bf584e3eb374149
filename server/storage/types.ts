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
import type { Result, ResultError } from '../../shared/result';
import type {
  FollowUpAttempt,
  FollowUpMessage,
  FollowUpStatus,
} from '../../shared/wire/follow-ups';
import type {
  HistoryPage,
  HistoryQuery,
  HistoryRow,
  PersonalDataView,
} from '../../shared/wire/history';
import type { KnowledgeEdit } from '../../shared/wire/knowledge';
import type { FormContent, ScorecardForm } from '../../shared/quality/form';
import type { ImprovementTargetFields } from '../../shared/quality/targets';
import type { ReviewPurpose, ReviewState, ReviewStatus } from '../../shared/quality/review';
import type { SampleCandidate, SamplingRequest, WeeklySample } from '../../shared/quality/sampling';
import type { ReviewScore } from '../../shared/quality/scoring';
import type {
  Dispute,
  DisputeInput,
  Flag,
  FormVersion,
  FormVersionNote,
  QualityReviewSave,
  Reassignment,
  ResolutionInput,
  ReviewSummary,
  ReviewVersion,
  SampleList,
} from '../../shared/wire/quality';
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
import type { KnownValue } from '../redaction/kinds';

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
  /**
   * The same save as QualityStore.saveAnswers, by the reviewer whose desk
   * delivered it; a refusal (not theirs, already published, problems) is a
   * StorageRefusedError, which answers the desk and keeps nothing.
   */
  saveQualityReview(save: QualityReviewSave, reviewerId: string, receivedAt: string): Promise<void>;
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
  /**
   * Applies several items as `applyOnce` does each, in order, in one durable
   * commit: what one item's `apply` throws rolls back that item alone (its
   * writes, its record as applied and the effects it asked for after the
   * commit) and is its outcome. Resolves once the commit is on disk; rejects
   * only when the commit itself failed, and then nothing was applied.
   */
  applyBatch(entries: readonly AppliedEntry[]): Promise<AppliedOutcome[]>;
  countApplied(deskId: string): Promise<number>;
}

export interface AppliedEntry {
  item: AppliedOutboxItem;
  apply: (writer: IngestWriter) => Promise<void>;
}

/** What became of one item of a batch: applied, applied before, or what its writes threw. */
export type AppliedOutcome = { status: 'applied' | 'duplicate' } | { error: unknown };

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
  /** `outbound` for a call the helpline makes (a follow-up); inbound when not said. */
  insert(
    call: Omit<StoredCall, 'recordingRef'> & { direction?: 'inbound' | 'outbound' },
  ): Promise<void>;
  find(id: string): Promise<StoredCall | null>;
  /** Sets connected_at if the call is still ringing; false if it was not. */
  markConnected(id: string, at: string): Promise<boolean>;
  /**
   * Sets ended_at if the call has not ended (and, with `onlyIfUnanswered`, was
   * never connected); false if it had.
   */
  markEnded(
    id: string,
    at: string,
    endedBy: CallEndedBy,
    options?: { onlyIfUnanswered?: boolean },
  ): Promise<boolean>;
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
export type RecordRedaction = (
  record: InteractionRecord,
  known?: readonly KnownValue[],
) => InteractionRecord;

/** Whose interactions a history reader may see: one adviser's, or (null) everyone's. */
export interface HistoryScope {
  adviserId: string | null;
}

/** A held interaction, whole and unredacted, with its adviser's name. */
export interface HeldInteraction {
  record: InteractionRecord;
  adviserName: string;
  /**
   * Personal values the server holds beside the record, which the record may
   * not repeat in the same form: the caller's number as telephony gave it, a
   * chat's name and transcript address. Every redaction of the record is
   * handed them (RecordRedaction's `known`).
   */
  known: KnownValue[];
}

/** Whose earlier interactions to find: a caller's line, or a remembered chat device. */
export type EarlierContactMatch =
  | { channel: 'voice'; lineKey: string; exceptCallId: string }
  | { channel: 'webchat'; deviceKeyHash: string; exceptChatId: string };

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
   * Completed interactions of the same contact, newest first, leaving out the
   * one in hand: voice calls from the caller line (calls' cli_key), or web
   * chats from the remembered device (chats' device_key).
   */
  earlierContacts(match: EarlierContactMatch, limit: number): Promise<HeldInteraction[]>;
  /**
   * Gives up to `limit` interactions that have no search text yet (oldest
   * first) the text `searchTextFor` makes of them and their known values, which must be redacted;
   * answers how many it did. Two processes never take the same row.
   */
  indexSearchText(
    searchTextFor: (record: InteractionRecord) => string,
    limit: number,
  ): Promise<number>;
  /**
   * Merges about `pages` pages of the search index's segments into fewer;
   * answers whether there was anything to merge (call again until false).
   * SQLite's full-text index gains a segment with each write; PostgreSQL's
   * GIN index is kept by autovacuum, so there this does nothing.
   */
  tidySearchIndex(pages: number): Promise<boolean>;
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

/** A review as stored: what the lifecycle decisions read (shared/quality/review.ts), and more. */
export interface StoredReview extends ReviewState {
  id: string;
  interactionId: string;
  formId: string;
  formVersion: number;
  calibrationSessionId: string | null;
  sampleId: string | null;
  /** The current version's score; null while a draft. */
  score: ReviewScore | null;
  createdAt: string;
  updatedAt: string;
  acknowledgedAt: string | null;
  acknowledgement: string | null;
}

/** Which reviews a list may hold: the route fills it from the reader's roles. */
export interface ReviewListFilter {
  /** Only reviews this team leader writes. */
  reviewerId?: string;
  /** Only reviews about this adviser's work. */
  adviserId?: string;
  /** Only from `published` on (what an adviser may see). */
  publishedOnly: boolean;
  /** Leave calibration out (it never counts towards an adviser). */
  withoutCalibration: boolean;
  /** Calibration is blind: others' reviews of a session show only once it is complete. */
  blindFor: string;
  status?: ReviewStatus;
  purpose?: ReviewPurpose;
  limit: number;
}

export interface NewQualityReview {
  interactionId: string;
  reviewerId: string;
  form: Pick<ScorecardForm, 'id' | 'version'>;
  purpose: Exclude<ReviewPurpose, 'calibration'>;
  at: string;
}

/** A week's sample as drawn, with the request it was drawn from, for QualityStore.recordSample. */
export interface NewSample {
  request: SamplingRequest;
  sample: WeeklySample;
  form: Pick<ScorecardForm, 'id' | 'version'>;
  drawnBy: string;
  drawnAt: string;
}

export interface StoredSample {
  id: string;
  request: SamplingRequest;
  sample: WeeklySample;
  drawnBy: string;
  drawnAt: string;
  /** The draft review made for each sampled interaction; absent when it had one already. */
  reviewIds: Map<string, string>;
}

export interface NewCalibration {
  title: string;
  interactionIds: string[];
  reviewerIds: string[];
  form: Pick<ScorecardForm, 'id' | 'version'>;
  by: string;
  at: string;
}

/** A calibration session as stored, with every review of it (whoever reads; the route hides what is blind). */
export interface StoredCalibration {
  id: string;
  title: string;
  formId: string;
  formVersion: number;
  createdBy: { id: string; name: string };
  createdAt: string;
  closedAt: string | null;
  interactionIds: string[];
  reviewers: { id: string; name: string }[];
  reviews: (Pick<
    StoredReview,
    'id' | 'interactionId' | 'reviewerId' | 'status' | 'answers' | 'score'
  > & { reviewerName: string })[];
}

/** One published review for a report: whose work, when the interaction was completed, and its current score. */
export interface ReportReview {
  adviser: { id: string; name: string };
  completedAt: string;
  formId: string;
  formVersion: number;
  score: ReviewScore;
}

/** An improvement target as stored, with the names of the people on it. */
export interface StoredTarget extends ImprovementTargetFields {
  id: string;
  adviserName: string;
  setBy: { id: string; name: string };
  setAt: string;
  withdrawal: { by: { id: string; name: string }; at: string; reason: string } | null;
}

/** Which targets a list holds: the route fills it from the reader's roles. */
export interface TargetFilter {
  adviserId?: string;
  /** Only targets whose period (start to due date, London days) overlaps this one. */
  overlapping?: { from: string; to: string };
  includeWithdrawn: boolean;
  limit: number;
}

export interface QualityStore {
  /** Keeps a form version if it is not held; a held version is never changed ('differs' if it would be). */
  ensureForm(form: ScorecardForm, at: string): Promise<'added' | 'held' | 'differs'>;
  /** Every form version, newest version first. */
  forms(): Promise<ScorecardForm[]>;
  form(id: string, version: number): Promise<ScorecardForm | null>;
  /** The newest published version of a form; new reviews are scored against it. */
  latestPublishedForm(id: string): Promise<ScorecardForm | null>;
  /** Staff who review: every account with the team-leader role. */
  teamLeaderIds(): Promise<string[]>;
  /** Staff whose work is reviewed and who may be set targets: every account with the adviser role. */
  adviserIds(): Promise<string[]>;
  staffNames(ids: readonly string[]): Promise<Map<string, string>>;
  /** The history rows (no personal data) of held interactions, by id. */
  interactionRows(ids: readonly string[]): Promise<Map<string, HistoryRow>>;
  /** Interactions completed in [from, to) (UTC instants), as the sampler takes them. */
  sampleCandidates(from: string, to: string): Promise<SampleCandidate[]>;
  /**
   * Records a drawn sample and makes a draft review for each sampled
   * interaction with a reviewer and no review yet, in one transaction. A week
   * is drawn once: a second draw is a conflict naming the first.
   */
  recordSample(sample: NewSample): Promise<Result<StoredSample>>;
  sample(id: string): Promise<StoredSample | null>;
  /** Newest week first. */
  samples(limit: number): Promise<SampleList['samples']>;
  /** A team leader's review outside the sample; a conflict if the interaction has one. */
  createReview(review: NewQualityReview): Promise<Result<StoredReview>>;
  review(id: string): Promise<StoredReview | null>;
  summary(id: string): Promise<ReviewSummary | null>;
  listReviews(filter: ReviewListFilter): Promise<ReviewSummary[]>;
  versions(reviewId: string): Promise<ReviewVersion[]>;
  disputes(reviewId: string): Promise<Dispute[]>;
  /** The reviewer's answers, as a draft or published (decideSave), in one transaction. */
  saveAnswers(
    reviewId: string,
    by: string,
    save: Pick<QualityReviewSave, 'answers' | 'publish'>,
    at: string,
  ): Promise<Result<StoredReview>>;
  acknowledge(
    reviewId: string,
    by: string,
    comment: string,
    at: string,
  ): Promise<Result<StoredReview>>;
  dispute(
    reviewId: string,
    by: string,
    items: DisputeInput['items'],
    at: string,
    windowDays: number,
  ): Promise<Result<StoredReview>>;
  resolve(
    reviewId: string,
    by: string,
    itemId: string,
    resolution: Required<Pick<ResolutionInput, 'outcome' | 'reason'>> & {
      answer: Exclude<ResolutionInput['answer'], undefined>;
    },
    at: string,
  ): Promise<Result<StoredReview>>;
  /** An adviser asks for one of their own interactions to be reviewed (again: the note is replaced). */
  flag(interactionId: string, adviserId: string, note: string, at: string): Promise<Result<Flag>>;
  /**
   * A session and a draft calibration review for each interaction and
   * reviewer; refused when an interaction is not held, a reviewer is not a
   * team leader, or a reviewer would score their own interaction.
   */
  createCalibration(session: NewCalibration): Promise<Result<StoredCalibration>>;
  calibration(id: string): Promise<StoredCalibration | null>;
  /** Newest first. */
  calibrations(limit: number): Promise<StoredCalibration[]>;
  closeCalibration(id: string, by: string, at: string): Promise<StoredCalibration | null>;
  /** Published reviews (never calibration) of interactions completed in [from, to). */
  reportReviews(from: string, to: string, adviserId: string | null): Promise<ReportReview[]>;
  /** Sessions started in [from, to) (UTC instants), oldest first: the agreement trend's points. */
  calibrationsStarted(from: string, to: string, limit: number): Promise<StoredCalibration[]>;
  /** Who saved and published each version of each form, where recorded. */
  formNotes(): Promise<FormVersionNote[]>;
  /**
   * The form editor's next version of a form, in one transaction: a new draft
   * one version above the newest when that is published, or the draft changed
   * in place. Refused when a version newer than `basedOn` exists, or with every
   * problem of the form at once.
   */
  saveFormDraft(
    formId: string,
    draft: { basedOn: number; content: FormContent },
    by: string,
    at: string,
  ): Promise<Result<FormVersion>>;
  /** Publishes a draft version; a published version is never published (or changed) again. */
  publishFormVersion(
    formId: string,
    version: number,
    by: string,
    at: string,
  ): Promise<Result<FormVersion>>;
  /** Passes a draft review to another team leader (decideReassign), recorded, in one transaction. */
  reassign(
    reviewId: string,
    by: string,
    to: string,
    reason: string,
    at: string,
  ): Promise<Result<StoredReview>>;
  /** Oldest first. */
  reassignments(reviewId: string): Promise<Reassignment[]>;
  addTarget(target: ImprovementTargetFields, by: string, at: string): Promise<Result<StoredTarget>>;
  withdrawTarget(id: string, by: string, reason: string, at: string): Promise<Result<StoredTarget>>;
  target(id: string): Promise<StoredTarget | null>;
  /** Newest due date first. */
  targets(filter: TargetFilter): Promise<StoredTarget[]>;
}

/** A booked follow-up as the call list needs it: the booking (at its current slot), where it stands, and the first contact's record. */
export interface HeldFollowUp {
  booking: FollowUpBooking;
  bookedByName: string;
  status: FollowUpStatus;
  withdrawnReason: string | null;
  completedBy: string | null;
  closedAt: string | null;
  /** When it was last moved to another slot; attempts before it do not count against the new one. */
  rebookedAt: string | null;
  /** The interaction that booked it; null when its record has not been delivered yet. */
  record: InteractionRecord | null;
  attempts: FollowUpAttempt[];
  messages: FollowUpMessage[];
}

export interface NewFollowUpAttempt extends FollowUpAttempt {
  followUpId: string;
}

export interface FollowUpCallStore {
  find(id: string): Promise<HeldFollowUp | null>;
  /** Open follow-ups whose slot starts before `before`, earliest first. */
  openBefore(before: string): Promise<HeldFollowUp[]>;
  /** Open follow-ups whose slot starts in [from, to). */
  openBetween(from: string, to: string): Promise<HeldFollowUp[]>;
  /** The slots of follow-ups booked (and not withdrawn) in [from, to), for capacity. */
  slotsBetween(from: string, to: string): Promise<string[]>;
  addAttempt(attempt: NewFollowUpAttempt): Promise<void>;
  /** Closes an open follow-up; false when it was not open. */
  close(
    id: string,
    status: Exclude<FollowUpStatus, 'open'>,
    at: string,
    detail?: { withdrawnReason?: string; completedBy?: string },
  ): Promise<boolean>;
  /** Moves an open follow-up's slot; false when it was not open. */
  rebook(id: string, slotStart: string, at: string): Promise<boolean>;
  /** Records a message as sent before it is sent, so only one process sends it; false when it already was. */
  claimMessage(id: string, message: FollowUpMessage): Promise<boolean>;
  /** Gives a claim back when its send failed, so it is tried again. */
  releaseMessage(id: string, kind: FollowUpMessage['kind']): Promise<void>;
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
  /** Quality review: forms, reviews and their versions and disputes, samples, calibration. */
  quality: QualityStore;
  /** Follow-up calls: status, attempts and messages of booked follow-ups. */
  followUpCalls: FollowUpCallStore;
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

/**
 * Thrown by a write the rules refuse (invalid answers, not this person's to
 * make) where only an exception can stop it: inside an outbox item's
 * transaction, which it rolls back. The ingest answers the desk with `refusal`.
 */
export class StorageRefusedError extends Error {
  constructor(readonly refusal: ResultError) {
    super(refusal.message);
    this.name = 'StorageRefusedError';
  }
}

/** Thrown by a store when a write collides with something already held (a unique key). */
export class StorageConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageConflictError';
  }
}
