// The reviews a reader may see: a team leader's to write (or every review),
// and an adviser's reviews of their own work once published. Each opens
// beside its interaction's replay.
import { useEffect, useId, useState } from 'react';
import type { StaffMember } from '../../../shared/domain/people';
import type { DeskBridge } from '../../../shared/ipc/contract';
import { reviewStatuses, type ReviewStatus } from '../../../shared/quality/review';
import type { ResultError } from '../../../shared/result';
import type { ReviewScope, ReviewSummary } from '../../../shared/wire/quality';
import { reviewHash } from '../history/route';
import { ukDateTime } from '../interaction/time-words';
import { mayReviewQuality, receivesReviews } from './access';
import { OwnTargets } from './TargetsPanel';
import { percentWords, purposeWords, reasonWords, statusWords } from './words';

const channelWords = { voice: 'Voice call', webchat: 'Web chat' } as const;

const scopeWords: Record<ReviewScope, string> = {
  assigned: 'Assigned to me',
  all: 'All reviews',
  about_me: 'Reviews of my work',
};

type Loaded =
  | { state: 'loading' }
  | { state: 'failed'; error: ResultError }
  | { state: 'shown'; reviews: ReviewSummary[] };

function why(review: ReviewSummary): string {
  if (review.purpose === 'sample' && review.sampleReasons.length > 0) {
    return `${purposeWords.sample} ${review.sampleWeek ?? ''} (${review.sampleReasons.map((reason) => reasonWords[reason]).join(', ')})`;
  }
  return purposeWords[review.purpose];
}

export function ReviewList({
  desk,
  user,
  shown,
}: {
  desk: DeskBridge;
  user: StaffMember;
  /** The list reloads each time it is shown again: a review may have changed meanwhile. */
  shown: boolean;
}) {
  const leader = mayReviewQuality(user);
  const scopes: ReviewScope[] = [
    ...(leader ? (['assigned', 'all'] as const) : []),
    ...(receivesReviews(user) ? (['about_me'] as const) : []),
  ];
  const [scope, setScope] = useState<ReviewScope>(scopes[0] ?? 'about_me');
  const [status, setStatus] = useState<ReviewStatus | ''>('');
  const [attempt, setAttempt] = useState(0);
  const [answered, setAnswered] = useState<{ key: string; loaded: Loaded } | null>(null);
  const scopeId = useId();
  const statusId = useId();
  const key = `${scope}|${status}|${attempt}`;
  const loaded: Loaded = answered?.key === key ? answered.loaded : { state: 'loading' };

  // Fetched again each time the list is shown: a review may have changed meanwhile.
  useEffect(() => {
    if (!shown) return;
    let current = true;
    void desk.listReviews({ scope, ...(status ? { status } : {}), limit: 100 }).then((answer) => {
      if (!current) return;
      setAnswered({
        key,
        loaded: answer.ok
          ? { state: 'shown', reviews: answer.value.reviews }
          : { state: 'failed', error: answer.error },
      });
    });
    return () => {
      current = false;
    };
  }, [desk, scope, status, key, shown]);

  const adviserOnly = scopes.length === 1 && scopes[0] === 'about_me';
  return (
    <section className="quality-list" aria-labelledby="quality-list-heading">
      <h3 id="quality-list-heading" className={adviserOnly ? undefined : 'visually-hidden'}>
        {adviserOnly ? 'Reviews of your work' : 'Reviews'}
      </h3>
      {adviserOnly && (
        <p className="quality-quiet">
          A team leader’s review appears here once it is published. Acknowledge it, and if you
          disagree with an item, dispute it within the time shown: another team leader decides.
        </p>
      )}
      <div className="quality-filters" role="group" aria-label="Which reviews">
        {scopes.length > 1 && (
          <div className="field">
            <label htmlFor={scopeId}>Show</label>
            <select
              id={scopeId}
              value={scope}
              onChange={(event) => setScope(event.target.value as ReviewScope)}
            >
              {scopes.map((held) => (
                <option key={held} value={held}>
                  {scopeWords[held]}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor={statusId}>Status</label>
          <select
            id={statusId}
            value={status}
            onChange={(event) => setStatus(event.target.value as ReviewStatus | '')}
          >
            <option value="">Any</option>
            {reviewStatuses
              .filter((held) => scope !== 'about_me' || held !== 'draft')
              .map((held) => (
                <option key={held} value={held}>
                  {statusWords[held]}
                </option>
              ))}
          </select>
        </div>
      </div>
      {loaded.state === 'loading' && <p role="status">Loading reviews…</p>}
      {loaded.state === 'failed' && (
        <div role="alert" className="notice notice--problem">
          <p>Could not load the reviews: {loaded.error.message}</p>
          <button type="button" className="button" onClick={() => setAttempt((count) => count + 1)}>
            Try again
          </button>
        </div>
      )}
      {loaded.state === 'shown' && loaded.reviews.length === 0 && (
        <p className="quality-quiet">
          {scope === 'assigned'
            ? 'Nothing assigned to you. Draw the week’s sample, or review an interaction from History.'
            : scope === 'about_me'
              ? 'No reviews of your work have been published yet.'
              : 'No reviews yet.'}
        </p>
      )}
      {loaded.state === 'shown' && loaded.reviews.length > 0 && (
        <table className="quality-table">
          <caption className="visually-hidden">{scopeWords[scope]}</caption>
          <thead>
            <tr>
              <th scope="col">Interaction</th>
              {scope !== 'about_me' && <th scope="col">Adviser</th>}
              <th scope="col">Reviewer</th>
              <th scope="col">Why reviewed</th>
              <th scope="col">Status</th>
              <th scope="col">Score</th>
            </tr>
          </thead>
          <tbody>
            {loaded.reviews.map((review) => (
              <tr key={review.id}>
                <td>
                  <a href={reviewHash(review.id)}>
                    {channelWords[review.interaction.channel]} on{' '}
                    {ukDateTime(review.interaction.startedAt)}
                  </a>
                </td>
                {scope !== 'about_me' && <td>{review.adviser.name}</td>}
                <td>{review.reviewer.name}</td>
                <td>{why(review)}</td>
                <td>
                  <span className={`quality-status quality-status--${review.status}`}>
                    {statusWords[review.status]}
                  </span>
                  {review.openDisputes > 0 && ` (${review.openDisputes} open)`}
                </td>
                <td>
                  {review.status === 'draft' ? '—' : percentWords(review.percentage)}
                  {review.passed === false && ' · critical fail'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {scope === 'about_me' && shown && <OwnTargets desk={desk} />}
    </section>
  );
}
