// What a key pressed in the knowledge search box does. Kept apart from the
// component so the keyboard behaviour is tested without a DOM.

export interface SearchBoxState {
  /** The results on screen, in order. */
  resultIds: readonly string[];
  /** The result Enter would open, or null. */
  activeId: string | null;
  articleOpen: boolean;
  text: string;
}

export type SearchKeyOutcome =
  | { action: 'activate'; id: string }
  | { action: 'open'; id: string }
  | { action: 'back' }
  | { action: 'clear' }
  | { action: 'none' };

/**
 * ArrowDown and ArrowUp move through the results (stopping at the ends) and
 * show the list again if an article was open; Enter opens the active result,
 * or the first; Escape goes back from an article to the results, then clears
 * the search. Other keys type.
 */
export function searchKeyOutcome(key: string, state: SearchBoxState): SearchKeyOutcome {
  const { resultIds, activeId } = state;
  const index = activeId === null ? -1 : resultIds.indexOf(activeId);
  switch (key) {
    case 'ArrowDown':
    case 'ArrowUp': {
      if (resultIds.length === 0) return { action: 'none' };
      const step = key === 'ArrowDown' ? 1 : -1;
      const from = index < 0 ? (step === 1 ? -1 : resultIds.length) : index;
      const next = resultIds[Math.max(0, Math.min(resultIds.length - 1, from + step))];
      return next === undefined ? { action: 'none' } : { action: 'activate', id: next };
    }
    case 'Enter': {
      const chosen = resultIds[index] ?? resultIds[0];
      return chosen === undefined ? { action: 'none' } : { action: 'open', id: chosen };
    }
    case 'Escape':
      if (state.articleOpen) return { action: 'back' };
      return state.text !== '' ? { action: 'clear' } : { action: 'none' };
    default:
      return { action: 'none' };
  }
}
