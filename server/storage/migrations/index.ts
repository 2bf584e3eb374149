// Every migration of the central server's database, in order. Append only:
// a database records which of these it has had, and must match a prefix.
import { accountsMigration } from './001-accounts';
import { ingestMigration } from './002-ingest';
import { callsMigration } from './003-calls';
import { transcriptsMigration } from './004-transcripts';
import { knowledgeMigration } from './005-knowledge';
import { transcriptDeliveryMigration } from './006-transcript-delivery';
import { chatMigration } from './007-chat';
import { safeguardingMigration } from './008-safeguarding';
import { transcriptsComposedOnServerMigration } from './009-transcripts-composed-on-server';
import { knowledgeSearchMigration } from './010-knowledge-search';
import { interactionHistoryMigration } from './011-interaction-history';
import { trainingLibraryMigration } from './012-training-library';
import { qualityReviewMigration } from './013-quality-review';
import { callerLinesMigration } from './014-caller-lines';
import { followUpCallsMigration } from './015-follow-up-calls';
import { serviceDashboardMigration } from './016-service-dashboard';
import { qualityFormsTargetsReassignmentMigration } from './017-quality-forms-targets-reassignment';
import { followUpOutcomesMigration } from './018-follow-up-outcomes';
import { rememberedChatDevicesMigration } from './019-remembered-chat-devices';
import { dashboardSummaryMigration } from './020-dashboard-summary';
import { safeguardingFollowThroughMigration } from './021-safeguarding-follow-through';
import { outcomesByCustomerMigration } from './023-outcomes-by-customer';
import { reviewsByInteractionTimeMigration } from './024-reviews-by-interaction-time';
import { oneAdviserHourPerRowMigration } from './025-one-adviser-hour-per-row';
import type { ServerMigration } from './types';

export const serverMigrations: readonly ServerMigration[] = [
  accountsMigration,
  ingestMigration,
  callsMigration,
  transcriptsMigration,
  knowledgeMigration,
  transcriptDeliveryMigration,
  chatMigration,
  safeguardingMigration,
  transcriptsComposedOnServerMigration,
  knowledgeSearchMigration,
  interactionHistoryMigration,
  trainingLibraryMigration,
  qualityReviewMigration,
  callerLinesMigration,
  followUpCallsMigration,
  serviceDashboardMigration,
  qualityFormsTargetsReassignmentMigration,
  followUpOutcomesMigration,
  rememberedChatDevicesMigration,
  dashboardSummaryMigration,
  safeguardingFollowThroughMigration,
  outcomesByCustomerMigration,
  reviewsByInteractionTimeMigration,
  oneAdviserHourPerRowMigration,
];
