// The central server's tables as Kysely sees them: one typed row per table,
// the same on SQLite and PostgreSQL. Every query in the storage layer is
// checked against these, so a column renamed in a migration and not here
// fails the type-check rather than a request.
//
// Portable column types (decision 0013): times are ISO-8601 text in UTC (they
// sort as text on both engines), JSON documents are text, flags are 0/1
// integers, counters are 32-bit integers. Generated<> marks columns the
// database fills (defaults, identity).
import type { Generated, Insertable, Selectable } from 'kysely';
import type { CurrentStatus } from '../../shared/interaction/taxonomy';
import type { CircumstanceChange } from '../../shared/interaction/record';
import type { AgeGroup, RegionGroup } from '../../shared/wire/dashboard';

export interface AccountsTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  created_at: string;
}

export interface AccountRolesTable {
  account_id: string;
  role: string;
}

export interface SessionsTable {
  token_hash: string;
  account_id: string;
  created_at: string;
  expires_at: string;
}

export interface AppliedOutboxItemsTable {
  desk_id: string;
  item_id: string;
  kind: string;
  stream: string;
  delivered_by: string;
  applied_at: string;
}

export interface InteractionsTable {
  /**
   * A stable integer per row (migration 011): the rowid SQLite's full-text
   * index refers to, which VACUUM may not renumber. PostgreSQL numbers rows
   * too, so both engines hold the same columns.
   */
  seq: Generated<number>;
  id: string;
  adviser_id: string;
  desk_id: string;
  channel: string;
  contact_ref: string;
  /** UTC, as toISOString writes it: keyset paging compares these as text. */
  started_at: string;
  completed_at: string;
  received_at: string;
  /** From answer (or chat accepted) to the end; null if never connected. */
  talk_seconds: number | null;
  starting_status: CurrentStatus | null;
  /** 0 or 1, as are the other flags; within_remit is null until decided. */
  follow_up_booked: number;
  safeguarding_raised: number;
  within_remit: number | null;
  transcript_sent: number;
  /** JSON array of stage ids, '[]' when every stage was covered. */
  not_covered_stages: string;
  /** The redacted text of notes and chat, which the full-text search indexes; null until the history indexer has written it. */
  search_text: string | null;
  record_json: string;
  /** Dashboard columns (migration 016, server/storage/dashboard-columns.ts); null only on a record that never parsed. */
  completed_hour: string | null;
  answer_seconds: number | null;
  hold_seconds: number | null;
  wrap_seconds: number | null;
  follow_up_offered: number | null;
  transcript_offered: number | null;
  service_questions_skipped: number | null;
  /**
   * A follow-up interaction's outcome (migration 018): the booking it made
   * (null on every other interaction), the change reported, and the status
   * at first contact and now.
   */
  follow_up_booking_id: string | null;
  follow_up_change: CircumstanceChange | null;
  follow_up_status_first: CurrentStatus | null;
  follow_up_status_now: CurrentStatus | null;
  /**
   * Who the customer was at first contact (migration 023): the young person's
   * age group and region, from this record's caller stage, or on a follow-up
   * interaction from the first contact its booking was made in.
   */
  customer_age_group: Generated<AgeGroup>;
  customer_region: Generated<RegionGroup>;
}

/**
 * The dashboard's summary (migration 020, server/storage/dashboard-summary.ts):
 * the sums of the guidance interactions completed in one London hour
 * (`dashboard_hours`, period 'YYYY-MM-DDTHH') or day (`dashboard_days`,
 * 'YYYY-MM-DD'), by one adviser or every adviser ('*'), on one channel or
 * every channel ('*'). Kept by the ingest in the transaction that stores the
 * interaction.
 */
export interface DashboardSummaryTable {
  channel: string;
  period: string;
  adviser_id: string;
  answered: number;
  /** Answered within the service's standard target (20 s): other targets read the interactions. */
  answered_in_target: number;
  answer_seconds: number;
  answer_timed: number;
  connected_seconds: number;
  hold_seconds: number;
  wrap_seconds: number;
  /** Distinct (adviser, London hour) pairs with a completed contact in the row's scope. */
  active_adviser_hours: number;
  status_captured: number;
  follow_up_offered: number;
  follow_up_taken: number;
  transcript_offered: number;
  transcript_sent: number;
  not_covered: number;
  service_questions_skipped: number;
}

export interface FollowUpsTable {
  id: string;
  interaction_id: string;
  adviser_id: string;
  slot_start: string;
  contact_method: string;
  created_at: string;
  received_at: string;
  booking_json: string;
  /** Migration 015: where the follow-up call stands. */
  status: Generated<'open' | 'completed' | 'withdrawn' | 'unreached'>;
  withdrawn_reason: string | null;
  /** The follow-up interaction that completed it. */
  completed_by: string | null;
  closed_at: string | null;
  rebooked_at: string | null;
}

export interface FollowUpAttemptsTable {
  id: string;
  follow_up_id: string;
  adviser_id: string;
  call_id: string;
  attempted_at: string;
  day_part: 'morning' | 'afternoon' | 'evening';
  answered: number;
}

export interface FollowUpMessagesTable {
  follow_up_id: string;
  kind: 'reminder' | 'no_answer';
  via: 'text' | 'email';
  sent_at: string;
}

export interface CallsTable {
  id: string;
  adviser_id: string;
  cli: string | null;
  /** The caller's number as one key (migration 014, server/telephony/caller-line.ts); null when withheld. */
  cli_key: string | null;
  /** Migration 015: 'outbound' for a follow-up call the helpline made. */
  direction: Generated<'inbound' | 'outbound'>;
  offered_at: string;
  connected_at: string | null;
  ended_at: string | null;
  ended_by: 'adviser' | 'customer' | 'network' | null;
  recording_ref: string | null;
}

export interface TranscriptsTable {
  interaction_id: string;
  adviser_id: string;
  via: 'email' | 'text';
  address: string;
  subject: string;
  requested_at: string;
  status: Generated<'queued' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  sent_at: string | null;
  last_error: string | null;
  next_attempt_at: string | null;
  claimed_until: string | null;
  claim_token: string | null;
}

export interface KnowledgeArticleVersionsTable {
  /** Identity on PostgreSQL, AUTOINCREMENT on SQLite: never handed out twice. */
  version: Generated<number>;
  article_id: string;
  status: 'published' | 'retired';
  content_json: string;
  draft_id: string | null;
  written_by: string | null;
  written_at: string;
  retire_reason: string | null;
}

export interface KnowledgeArticlesTable {
  id: string;
  version: number;
  status: 'published' | 'retired';
  title: string;
  review_by: string;
}

export interface KnowledgeDraftsTable {
  draft_id: string;
  article_id: string;
  author_id: string;
  base_version: number | null;
  content_json: string;
  note: string;
  status: Generated<'awaiting-review' | 'published' | 'rejected'>;
  edited_at: string;
  submitted_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decided_against_version: number | null;
  rejection_reason: string | null;
  published_version: number | null;
}

export interface ChatsTable {
  id: string;
  resume_token_hash: string;
  customer_name: string;
  /** Migration 019: a hash of the key a customer's own device keeps when they ask it to be remembered. */
  device_key: string | null;
  age: number | null;
  status: 'queued' | 'connected' | 'ended' | 'abandoned';
  queued_at: string;
  position_at_join: number;
  adviser_id: string | null;
  answered_at: string | null;
  waited_ms: number | null;
  ended_at: string | null;
  ended_by: 'customer' | 'adviser' | 'service' | null;
  transcript_email: string | null;
  last_seq: Generated<number>;
  customer_acked_seq: Generated<number>;
  adviser_acked_seq: Generated<number>;
}

export interface ChatMessagesTable {
  chat_id: string;
  seq: number;
  sender: 'customer' | 'adviser';
  client_message_id: string;
  author: string;
  body: string;
  sent_at: string;
}

export interface QueueAbandonmentsTable {
  kind: 'chat' | 'call';
  contact_id: string;
  queued_at: string;
  left_at: string;
  waited_ms: number;
  /** The London hour it left in, 'YYYY-MM-DDTHH' (migration 016). */
  left_hour: string | null;
}

export interface SafeguardingConcernsTable {
  id: string;
  interaction_id: string;
  adviser_id: string;
  category: string;
  /** 0 or 1. */
  immediate_risk: number;
  what_was_said: string;
  raised_at: string;
  received_at: string;
  received_via: 'live' | 'outbox';
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  /** What the team leader did, said on acknowledging; null before migration 021. */
  acknowledged_note: string | null;
  /** One of safeguardingAcknowledgementActions, when the team leader chose one (migration 021). */
  acknowledged_action: string | null;
  /** When the raising adviser's desk showed them the acknowledgement (migration 021). */
  adviser_told_at: string | null;
}

/** One view of an interaction's personal data, with the reason given (migration 011). */
export interface PersonalDataViewsTable {
  id: string;
  interaction_id: string;
  viewer_id: string;
  reason: string;
  viewed_at: string;
}

/** An interaction in the training library (migration 012). */
export interface TrainingEntriesTable {
  interaction_id: string;
  title: string;
  description: string;
  status: 'awaiting_clearance' | 'cleared' | 'refused';
  added_by: string;
  added_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
}

export interface TrainingTagsTable {
  interaction_id: string;
  tag: string;
}

export interface TrainingMarksTable {
  id: string;
  interaction_id: string;
  at: string;
  kind: 'bookmark' | 'note';
  text: string;
  author_id: string;
  created_at: string;
}

/** A version of a scorecard form (migration 013); a published version never changes. */
export interface QualityFormsTable {
  id: string;
  version: number;
  status: 'draft' | 'published';
  title: string;
  form_json: string;
  created_at: string;
  /** Who last saved this version in the form editor, and when (migration 017); null for versions kept at start-up. */
  saved_by: string | null;
  saved_at: string | null;
  /** Who published it from the editor, and when; null for versions kept at start-up. */
  published_by: string | null;
  published_at: string | null;
}

/** A week's review sample: its seed, rules and the request it was drawn from, so it can be drawn again. */
export interface QualitySamplesTable {
  id: string;
  week: string;
  seed: number;
  per_adviser: number;
  rules_version: number;
  population_digest: string;
  /** The sampling request as drawn: seed, rules, every candidate and reviewer (shared/quality/sampling.ts). */
  request_json: string;
  /** The WeeklySample it gave. */
  sample_json: string;
  drawn_by: string;
  drawn_at: string;
}

export interface QualitySampleItemsTable {
  sample_id: string;
  interaction_id: string;
  adviser_id: string;
  /** JSON array of sample reasons. */
  reasons_json: string;
  reviewer_id: string | null;
  review_id: string | null;
}

export interface QualityCalibrationSessionsTable {
  id: string;
  title: string;
  form_id: string;
  form_version: number;
  created_by: string;
  created_at: string;
  closed_by: string | null;
  closed_at: string | null;
}

export interface QualityReviewsTable {
  id: string;
  interaction_id: string;
  /**
   * When the reviewed interaction was completed (migration 024), copied from
   * it when the review is made, so reports find a range's reviews by index.
   */
  interaction_completed_at: string | null;
  adviser_id: string;
  reviewer_id: string;
  form_id: string;
  form_version: number;
  purpose: 'sample' | 'flagged' | 'adhoc' | 'calibration';
  calibration_session_id: string | null;
  sample_id: string | null;
  status: 'draft' | 'published' | 'acknowledged' | 'disputed' | 'resolved';
  /** Published versions so far; 0 while a draft. */
  version: number;
  /** JSON array of the current answers (the draft's, or the latest version's). */
  answers_json: string;
  /** The latest version's ReviewScore as JSON; null while a draft. */
  score_json: string | null;
  percentage: number | null;
  /** 0 or 1; null while a draft. */
  passed: number | null;
  created_at: string;
  updated_at: string;
  published_at: string | null;
  acknowledged_at: string | null;
  acknowledged_version: number | null;
  acknowledgement: string | null;
}

export interface QualityReviewVersionsTable {
  review_id: string;
  version: number;
  kind: 'published' | 'resolution';
  answers_json: string;
  score_json: string;
  written_by: string;
  written_at: string;
  reason: string;
}

export interface QualityDisputesTable {
  review_id: string;
  item_id: string;
  reason: string;
  raised_by: string;
  raised_at: string;
  outcome: 'upheld' | 'partly' | 'rejected' | null;
  resolution_reason: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  resolved_version: number | null;
}

export interface QualityFlagsTable {
  interaction_id: string;
  adviser_id: string;
  note: string;
  flagged_at: string;
}

/** A review passed from one team leader to another while still a draft (migration 017). */
export interface QualityReviewReassignmentsTable {
  id: string;
  review_id: string;
  from_reviewer: string;
  to_reviewer: string;
  reassigned_by: string;
  reassigned_at: string;
  reason: string;
}

/** An adviser's improvement target from a performance review (migration 017). */
export interface QualityTargetsTable {
  id: string;
  adviser_id: string;
  measure: 'average_score' | 'reviews_passed' | 'next_steps_good' | 'item_pass_rate';
  /** Only for an item's pass rate. */
  item_id: string | null;
  target_percent: number;
  /** London days, YYYY-MM-DD. */
  starts_on: string;
  due_on: string;
  note: string;
  set_by: string;
  set_at: string;
  withdrawn_by: string | null;
  withdrawn_at: string | null;
  withdrawal_reason: string | null;
}

/** One action of the service's improvement plan (migration 016). */
export interface ImprovementActionsTable {
  id: string;
  title: string;
  owner_id: string;
  /** The dashboard figure the action should move (shared/wire/dashboard.ts). */
  figure: string;
  /** Calendar days (YYYY-MM-DD) in London. */
  started_on: string;
  target_date: string;
  created_by: string;
  created_at: string;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: string;
}

export interface ServerSchema {
  accounts: AccountsTable;
  account_roles: AccountRolesTable;
  sessions: SessionsTable;
  applied_outbox_items: AppliedOutboxItemsTable;
  interactions: InteractionsTable;
  dashboard_hours: DashboardSummaryTable;
  dashboard_days: DashboardSummaryTable;
  follow_ups: FollowUpsTable;
  follow_up_attempts: FollowUpAttemptsTable;
  follow_up_messages: FollowUpMessagesTable;
  calls: CallsTable;
  transcripts: TranscriptsTable;
  knowledge_article_versions: KnowledgeArticleVersionsTable;
  knowledge_articles: KnowledgeArticlesTable;
  knowledge_drafts: KnowledgeDraftsTable;
  chats: ChatsTable;
  chat_messages: ChatMessagesTable;
  queue_abandonments: QueueAbandonmentsTable;
  safeguarding_concerns: SafeguardingConcernsTable;
  personal_data_views: PersonalDataViewsTable;
  training_entries: TrainingEntriesTable;
  training_tags: TrainingTagsTable;
  training_marks: TrainingMarksTable;
  quality_forms: QualityFormsTable;
  quality_samples: QualitySamplesTable;
  quality_sample_items: QualitySampleItemsTable;
  quality_calibration_sessions: QualityCalibrationSessionsTable;
  quality_reviews: QualityReviewsTable;
  quality_review_versions: QualityReviewVersionsTable;
  quality_disputes: QualityDisputesTable;
  quality_flags: QualityFlagsTable;
  quality_review_reassignments: QualityReviewReassignmentsTable;
  quality_targets: QualityTargetsTable;
  improvement_actions: ImprovementActionsTable;
  schema_migrations: SchemaMigrationsTable;
}

/** A row as read, and as written, for any table above. */
export type Row<T extends keyof ServerSchema> = Selectable<ServerSchema[T]>;
export type NewRow<T extends keyof ServerSchema> = Insertable<ServerSchema[T]>;
