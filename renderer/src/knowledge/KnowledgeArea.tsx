// The desk's Knowledge area: the knowledge network searched at any time, not
// only beside a live interaction (an adviser between calls looks something
// up). The same panel, results and article view as in a call, laid out wide;
// nothing here adds to an action plan, since no interaction is open.
import { useSyncExternalStore } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import { isKnowledgeHash } from './knowledge-route';
import { KnowledgePanel } from './KnowledgePanel';

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

/** Whether the Knowledge area is the desk's current area, kept current as the hash changes. */
export function useKnowledgeAreaOpen(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => isKnowledgeHash(window.location.hash),
    () => false,
  );
}

export function KnowledgeArea({ desk }: { desk: DeskBridge }) {
  return (
    <div className="knowledge-area">
      <h2 className="knowledge-area__title">Knowledge network</h2>
      <KnowledgePanel desk={desk} plannedArticleIds={[]} onAddToPlan={null} layout="wide" />
    </div>
  );
}
