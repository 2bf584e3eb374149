// The answers to what the adviser is typing: a listbox the search box drives
// with the arrow keys (aria-activedescendant), each result's title and snippet
// with the matched words marked, its kind and region, and an overdue mark.
// Each option is named by all of its visible text, so a screen reader says
// what a sighted adviser reads and speech control finds it by any of it.
import type { KnowledgeSearchAnswer, KnowledgeSearchHit } from '../../../shared/knowledge/article';
import { HighlightedText } from './HighlightedText';
import { kindWords, regionWords } from './knowledge-words';

/** The list's id when only one panel is on the page; each panel passes its own (see KnowledgePanel). */
export const resultsListId = 'knowledge-results';
/** An option's id within its list, so two panels on one page never share an id. */
export const resultOptionId = (articleId: string, listId: string = resultsListId) =>
  `${listId}-${articleId}`;

export interface KnowledgeResultsProps {
  results: readonly KnowledgeSearchHit[];
  activeIndex: number;
  onOpen: (hit: KnowledgeSearchHit) => void;
  onActivate: (index: number) => void;
  /** The listbox's id, which the search box's aria-controls names. */
  listId?: string;
  /** The article open beside the list, marked as such (wide layout). */
  openId?: string | null;
}

export function KnowledgeResults({
  results,
  activeIndex,
  onOpen,
  onActivate,
  listId = resultsListId,
  openId = null,
}: KnowledgeResultsProps) {
  return (
    <ul role="listbox" id={listId} aria-label="Knowledge results" className="knowledge__results">
      {results.map((hit, index) => {
        const classes = ['knowledge__result'];
        if (index === activeIndex) classes.push('knowledge__result--active');
        if (hit.id === openId) classes.push('knowledge__result--open');
        return (
          // Options are reached from the search box (arrow keys, Enter), not by Tab; a click opens too.
          // No aria-labelledby: the name is the option's own text, title, snippet and meta alike.
          <li
            key={hit.id}
            id={resultOptionId(hit.id, listId)}
            role="option"
            aria-selected={index === activeIndex}
            className={classes.join(' ')}
            onClick={() => onOpen(hit)}
            onMouseMove={() => {
              if (index !== activeIndex) onActivate(index);
            }}
          >
            <span className="knowledge__result-title">
              <HighlightedText segments={hit.titleHighlighted} />
              {hit.reviewState === 'overdue' && (
                <span className="knowledge__overdue-tag">, overdue for review</span>
              )}
            </span>{' '}
            <span className="knowledge__snippet">
              <HighlightedText segments={hit.snippet} />
            </span>{' '}
            <span className="knowledge__result-meta">
              {kindWords[hit.kind]} · {regionWords[hit.region]}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

/**
 * What was searched and how much was found, read out politely as it changes;
 * "Searched for" appears when the desk corrected the spelling of what was typed.
 */
export function SearchSummary({ answer }: { answer: KnowledgeSearchAnswer | null }) {
  const count = answer?.results.length ?? 0;
  return (
    <div aria-live="polite" className="knowledge__summary-line">
      {answer?.searchedFor != null && (
        <p className="knowledge__searched-for">
          Searched for <strong>{answer.searchedFor}</strong>
        </p>
      )}
      {answer && (
        <p>{count === 0 ? 'No articles match' : count === 1 ? '1 article' : `${count} articles`}</p>
      )}
    </div>
  );
}
