// What still stands between the adviser and "Complete interaction", live.
import { useId } from 'react';
import type { MissingItem } from '../../../shared/interaction/machine';
import { anyStageIds, type AnyStageId } from '../../../shared/interaction/taxonomy';

const isStage = (area: MissingItem['area']): area is AnyStageId =>
  (anyStageIds as readonly string[]).includes(area);

export function MissingList({
  missing,
  onGo,
}: {
  missing: MissingItem[];
  onGo: (stage: AnyStageId) => void;
}) {
  // An adviser may hold two chats, each screen with its own list.
  const headingId = useId();
  // One line per stage (its first gap, and how many more): the stage itself
  // lists them all, and the list stays short enough to see Complete beside it.
  const lines: { item: MissingItem; more: number }[] = [];
  for (const item of missing) {
    const last = lines.at(-1);
    if (last && isStage(item.area) && last.item.area === item.area) last.more += 1;
    else lines.push({ item, more: 0 });
  }
  return (
    <section className="missing" aria-labelledby={headingId}>
      <h2 id={headingId}>Missing before completion</h2>
      <ul aria-label="Missing before completion">
        {lines.map(({ item, more }) => (
          <li key={`${item.area}:${item.message}`}>
            {isStage(item.area) ? (
              <button
                type="button"
                className="link-button"
                onClick={() => onGo(item.area as AnyStageId)}
              >
                {item.message}
                {more > 0 && ` (and ${more} more)`}
              </button>
            ) : (
              item.message
            )}
          </li>
        ))}
      </ul>
      {missing.length === 0 && <p>Nothing missing.</p>}
    </section>
  );
}
