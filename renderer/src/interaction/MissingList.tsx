// What still stands between the adviser and "Complete interaction", live.
import { useId } from 'react';
import type { MissingItem } from '../../../shared/interaction/machine';
import { stageIds, type StageId } from '../../../shared/interaction/taxonomy';

const isStage = (area: MissingItem['area']): area is StageId =>
  (stageIds as readonly string[]).includes(area);

export function MissingList({
  missing,
  onGo,
}: {
  missing: MissingItem[];
  onGo: (stage: StageId) => void;
}) {
  // An adviser may hold two chats, each screen with its own list.
  const headingId = useId();
  return (
    <section className="missing" aria-labelledby={headingId}>
      <h2 id={headingId}>Missing before completion</h2>
      <ul aria-label="Missing before completion">
        {missing.map((item) => (
          <li key={`${item.area}:${item.message}`}>
            {isStage(item.area) ? (
              <button
                type="button"
                className="link-button"
                onClick={() => onGo(item.area as StageId)}
              >
                {item.message}
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
