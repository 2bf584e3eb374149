// On an adviser's desk: a team leader has acknowledged a concern they raised,
// with what was done. Shown at the top of the desk until dismissed, and
// announced as it arrives; one that came while the desk was offline arrives
// when it next connects.
import { useEffect, useRef, useState } from 'react';
import { safeguardingCategoryLabels } from '../../../shared/interaction/taxonomy';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { SafeguardingOutcome } from '../../../shared/wire/safeguarding';
import { clockTime, whatWasDone } from './words';

export function ConcernOutcomes({ desk }: { desk: DeskBridge }) {
  const [outcomes, setOutcomes] = useState<readonly SafeguardingOutcome[]>([]);
  const [announcement, setAnnouncement] = useState('');
  const announced = useRef(new Set<string>());
  const region = useRef<HTMLElement>(null);

  useEffect(() => {
    let current = true;
    const take = (list: readonly SafeguardingOutcome[]) => {
      if (!current) return;
      setOutcomes(list);
      const fresh = list.filter(({ concern }) => !announced.current.has(concern.concernId));
      for (const { concern } of fresh) announced.current.add(concern.concernId);
      const newest = fresh.at(-1);
      if (newest) {
        setAnnouncement(
          `${newest.acknowledged.acknowledgedBy.displayName} acknowledged your safeguarding concern: ${whatWasDone(newest.acknowledged)}`,
        );
      }
    };
    const unsubscribe = desk.onSafeguardingOutcomes(({ outcomes: list }) => take(list));
    void desk.safeguardingOutcomes(null).then((result) => {
      if (result.ok) take(result.value.outcomes);
    });
    return () => {
      current = false;
      unsubscribe();
    };
  }, [desk]);

  const dismiss = async (concernId: string) => {
    const result = await desk.dismissSafeguardingOutcome({ concernId });
    if (result.ok) setOutcomes(result.value.outcomes);
    // The dismissed notice held focus: keep the keyboard in the same place.
    region.current?.focus();
  };

  return (
    <>
      {/* Always in the page, so a screen reader hears what is put into it. */}
      <p role="status" className="visually-hidden">
        {announcement}
      </p>
      {outcomes.length > 0 && (
        <section
          ref={region}
          tabIndex={-1}
          className="concern-outcomes"
          aria-labelledby="concern-outcomes-heading"
        >
          <h2 id="concern-outcomes-heading">Your safeguarding concerns acknowledged</h2>
          <ul className="concern-outcomes__list">
            {outcomes.map(({ concern, acknowledged }) => (
              <li key={concern.concernId}>
                <p>
                  <strong>{acknowledged.acknowledgedBy.displayName}</strong> acknowledged your
                  concern ({safeguardingCategoryLabels[concern.category]}
                  {concern.immediateRisk ? ', immediate risk' : ''}, raised at{' '}
                  <time dateTime={concern.raisedAt}>
                    {clockTime.format(new Date(concern.raisedAt))}
                  </time>
                  ) at{' '}
                  <time dateTime={acknowledged.acknowledgedAt}>
                    {clockTime.format(new Date(acknowledged.acknowledgedAt))}
                  </time>
                  .
                </p>
                <p>What was done: {whatWasDone(acknowledged)}</p>
                <button
                  type="button"
                  className="button"
                  onClick={() => void dismiss(concern.concernId)}
                >
                  Dismiss
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
