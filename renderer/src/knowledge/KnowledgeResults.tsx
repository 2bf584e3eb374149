// The answers to what the adviser is typing: a listbox the search box drives
// with the arrow keys (aria-activedescendant), each result's title and snippet
// with the matched words marked, its kind and region, and an overdue mark.
import type { KnowledgeSearchAnswer, KnowledgeSearchHit } from '../../../shared/knowledge/article';
import { HighlightedText } from './HighlightedText';
import { kindWords, regionWords } from './knowledge-words';

export const resultsListId = 'knowledge-results';
export const resultOptionId = (articleId: string) => `knowledge-result-${articleId}`;

export interface KnowledgeResultsProps {
  results: readonly KnowledgeSearchHit[];
  activeIndex: number;
  onOpen: (hit: KnowledgeSearchHit) => void;
  onActivate: (index: number) => void;
}

export function KnowledgeResults({
  results,
  activeIndex,
  onOpen,
  onActivate,
}: KnowledgeResultsProps) {
  return (
    <ul
      role="listbox"
      id={resultsListId}
      aria-label="Knowledge results"
      className="knowledge__results"
    >
      {results.map((hit, index) => {
        const titleId = `${resultOptionId(hit.id)}-title`;
        const snippetId = `${resultOptionId(hit.id)}-snippet`;
        return (
          // Options are reached from the search box (arrow keys, Enter), not by Tab; a click opens too.
          <li
            key={hit.id}
            id={resultOptionId(hit.id)}
            role="option"
            aria-selected={index === activeIndex}
            aria-labelledby={titleId}
            aria-describedby={snippetId}
            className={
              index === activeIndex
                ? 'knowledge__result knowledge__result--active'
                : 'knowledge__result'
            }
            onClick={() => onOpen(hit)}
            onMouseMove={() => {
              if (index !== activeIndex) onActivate(index);
            }}
          >
            <span className="knowledge__result-title" id={titleId}>
              <HighlightedText segments={hit.titleHighlighted} />
              {hit.reviewState === 'overdue' && (
                <span className="knowledge__overdue-tag">, overdue for review</span>
              )}
            </span>
            <span className="knowledge__snippet" id={snippetId}>
              <HighlightedText segments={hit.snippet} />
            </span>
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
