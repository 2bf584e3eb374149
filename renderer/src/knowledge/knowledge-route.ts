// The desk's Knowledge area as a hash route, `#/knowledge`, so the knowledge
// network can be searched between calls from the desk's navigation, and Back
// returns from it. The desk's other routes (history/route.ts) treat it as the
// live desk's; the shell asks this module first (useKnowledgeAreaOpen).

export const knowledgeHash = '#/knowledge';

/** True for `#/knowledge` and anything under it (`#/knowledge?...`, `#/knowledge/`). */
export function isKnowledgeHash(hash: string): boolean {
  const path = hash.replace(/^#/, '').split('?', 1)[0] ?? '';
  return path.split('/').filter(Boolean)[0] === 'knowledge';
}
