// One review beside its interaction's replay (always redacted here): the
// reviewer's scorecard while it is a draft, or the published review for the
// adviser to acknowledge and dispute and for another team leader to resolve.
// Every pinned moment and every piece of evidence moves the replay there.
import { useCallback, useRef, useState } from 'react';
import type { StaffMember } from '../../../shared/domain/people';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { ReviewView } from '../../../shared/wire/quality';
import { ReplayPlayer } from '../history/HistoryReplay';
import { OpenedNotices, useOpened, useReplayTimeline } from '../history/opened-replay';
import { qualityHash, reviewHash, type ReplayAt } from '../history/route';
import { ukDateTime } from '../interaction/time-words';
import { ReassignmentHistory, ReassignReview } from './ReassignReview';
import { ScorecardEditor } from './ScorecardEditor';
import { ScorecardView } from './ScorecardView';
import { purposeWords, statusWords } from './words';

const channelWords = { voice: 'Voice call', webchat: 'Web chat' } as const;

/** How long to keep looking for a queued save to reach the server before leaving it to the status bar. */
const followTries = 20;

export function ReviewScreen({
  desk,
  id,
  at,
}: {
  desk: DeskBridge;
  user: StaffMember;
  id: string;
  at: ReplayAt | null;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const following = useRef(0);
  const [moved, setMoved] = useState<string | null>(null);
  const open = useCallback(() => desk.openReview({ id }), [desk, id]);
  const { opened, value: view, attempt, show, retry } = useOpened(open, heading);

  /**
   * Looks at the review again after a save: a view the server answers
   * replaces the shown one; a failure (the network down, which is when the
   * outbox matters) leaves the shown one as it is.
   */
  const fetchView = useCallback(
    (forAttempt: number) =>
      open().then((answer) => {
        if (answer.ok) show(answer.value, forAttempt);
        return answer;
      }),
    [open, show],
  );

  // After a save is queued, look again until the outbox has delivered it, so
  // the screen says "published" once the server has it, not before.
  const follow = useCallback(() => {
    following.current = followTries;
    const look = async () => {
      const answer = await fetchView(attempt);
      following.current -= 1;
      const waiting = !answer.ok || answer.value.pending?.state === 'waiting';
      if (waiting && following.current > 0) {
        window.setTimeout(() => void look(), 500);
      }
    };
    void look();
  }, [fetchView, attempt]);

  const timeline = useReplayTimeline(view?.view.record);
  const changed = (next: ReviewView) => show({ ...next, pending: view?.pending ?? null });

  const review = view?.review;
  return (
    <section className="history-replay quality-review" aria-labelledby="quality-review-heading">
      <div className="history-replay__header">
        <a href={qualityHash} className="history-replay__back">
          Back to reviews
        </a>
        <h2 id="quality-review-heading" ref={heading} tabIndex={-1}>
          {view && review
            ? `Review: ${channelWords[view.view.record.channel]} on ${ukDateTime(view.view.record.startedAt)} with ${view.view.adviserName}`
            : 'Review'}
        </h2>
      </div>
      {review && (
        <p className="quality-facts">
          {purposeWords[review.purpose]}
          {review.sampleWeek ? ` (${review.sampleWeek})` : ''} · reviewer {review.reviewer.name} ·{' '}
          <span className={`quality-status quality-status--${review.status}`}>
            {statusWords[review.status]}
          </span>
          {review.publishedAt && ` · published ${ukDateTime(review.publishedAt)}`}
        </p>
      )}
      {view && (view.reassignments.length > 0 || view.may.reassign || moved) && (
        <div className="quality-reassign-row">
          <ReassignmentHistory reassignments={view.reassignments} />
          {moved && (
            <p role="status" className="notice notice--done">
              {moved}
            </p>
          )}
          {view.may.reassign && (
            <ReassignReview
              desk={desk}
              view={view}
              onMoved={(next) => {
                changed(next);
                setMoved(`Passed to ${next.review.reviewer.name}: it is on their list now.`);
              }}
            />
          )}
        </div>
      )}
      <OpenedNotices opened={opened} what="review" timeline={timeline} onRetry={retry} />
      {view && timeline?.ok && (
        <ReplayPlayer
          key={view.view.record.id}
          desk={desk}
          view={view.view}
          timeline={timeline.value}
          at={at}
          linkFor={(moment) => reviewHash(id, moment)}
          besidePlacement="side"
          beside={(position) =>
            view.may.edit ? (
              <ScorecardEditor
                desk={desk}
                view={view}
                position={position}
                momentAt={() => {
                  const moment = timeline.value.moments[position.index];
                  return moment
                    ? { index: moment.index, at: moment.at, offsetMs: moment.offsetMs }
                    : null;
                }}
                onSaved={follow}
              />
            ) : (
              <ScorecardView desk={desk} view={view} position={position} onChanged={changed} />
            )
          }
        />
      )}
    </section>
  );
}
