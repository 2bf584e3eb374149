// The knowledge panel's words: sync status as the adviser reads it, and the
// names of topics, audiences, regions and kinds in the filters and results.
// No React here, so the words are tested on their own.
import type { KnowledgeSyncStatus } from '../../../shared/ipc/contract';
import type {
  KnowledgeAudience,
  KnowledgeKind,
  KnowledgeRegion,
  KnowledgeSearchFilters,
  KnowledgeTopic,
} from '../../../shared/knowledge/article';
import { londonDate, londonFormat } from '../../../shared/time/london';
import { ukDateTime } from '../interaction/time-words';

export const topicWords: Record<KnowledgeTopic, string> = {
  routes: 'Routes after 16',
  qualifications: 'Qualifications',
  'english-maths': 'English and maths',
  apprenticeships: 'Apprenticeships',
  university: 'University',
  careers: 'Careers and jobs',
  money: 'Money',
  rules: 'Rules and rights',
  support: 'Support services',
  'labour-market': 'Local jobs market',
};

export const audienceWords: Record<KnowledgeAudience, string> = {
  'young-person': 'Young person',
  parent: 'Parent or carer',
  professional: 'Professional',
};

export const regionWords: Record<KnowledgeRegion, string> = {
  national: 'National (England)',
  'north-east': 'North East',
  'north-west': 'North West',
  'yorkshire-and-the-humber': 'Yorkshire and the Humber',
  'east-midlands': 'East Midlands',
  'west-midlands': 'West Midlands',
  'east-of-england': 'East of England',
  london: 'London',
  'south-east': 'South East',
  'south-west': 'South West',
};

export const kindWords: Record<KnowledgeKind, string> = {
  guide: 'Guide',
  service: 'Service to refer to',
};

/** One choice per filter, or none: what the panel's four selects hold. */
export interface PanelFilters {
  topic: KnowledgeTopic | null;
  audience: KnowledgeAudience | null;
  region: KnowledgeRegion | null;
  kind: KnowledgeKind | null;
}

export const noFilters: PanelFilters = { topic: null, audience: null, region: null, kind: null };

/**
 * The search's filters for the panel's choices. A region keeps national
 * articles in view: an adviser choosing London still wants what applies everywhere.
 */
export function searchFiltersOf(filters: PanelFilters): KnowledgeSearchFilters {
  return {
    ...(filters.topic ? { topics: [filters.topic] } : {}),
    ...(filters.audience ? { audience: [filters.audience] } : {}),
    ...(filters.region
      ? {
          regions: filters.region === 'national' ? ['national'] : [filters.region, 'national'],
        }
      : {}),
    ...(filters.kind ? { kinds: [filters.kind] } : {}),
  };
}

const ukTime = londonFormat({ hour: '2-digit', minute: '2-digit' });

/** "09:05" for earlier today (UK time), the full date and time for any other day. */
function whenWords(iso: string, now: Date): string {
  const at = new Date(iso);
  return londonDate(at) === londonDate(now) ? ukTime.format(at) : ukDateTime(iso);
}

const articlesWord = (count: number) => (count === 1 ? '1 article' : `${count} articles`);

/** "Knowledge: 197 articles, up to date" and the like; null status means not heard yet. */
export function syncStatusWords(
  status: KnowledgeSyncStatus | null,
  now: Date = new Date(),
): string {
  if (!status) return 'Knowledge: checking the desk’s copy…';
  if (status.state === 'syncing') {
    const progress = status.progress;
    if (progress?.percent != null) return `Knowledge: syncing ${progress.percent}%`;
    if (progress && progress.applied > 0) {
      return `Knowledge: syncing, ${progress.applied} changes so far`;
    }
    return 'Knowledge: syncing';
  }
  if (status.state === 'error') {
    const held =
      status.articleCount > 0
        ? `${articlesWord(status.articleCount)}, searching the desk’s copy`
        : 'no articles on this desk yet';
    return `Knowledge: ${held}. Could not update: ${status.lastError ?? 'unknown problem'}`;
  }
  if (!status.lastSyncedAt) {
    return status.articleCount > 0
      ? `Knowledge: ${articlesWord(status.articleCount)}`
      : 'Knowledge: no articles yet; they arrive when the desk connects';
  }
  return `Knowledge: ${articlesWord(status.articleCount)}, up to date as of ${whenWords(status.lastSyncedAt, now)}`;
}
