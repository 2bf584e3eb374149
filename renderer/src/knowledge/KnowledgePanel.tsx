// The knowledge panel: search as the adviser types (answered by the desk's
// local replica, so it works with the network off), filters, keyboard
// navigation through the results, the article view, adding an article to the
// skills action plan, and how current the desk's copy is. Beside a live
// interaction it is one narrow column, its filters folded away until asked for
// so the results keep the room; in the desk's Knowledge area (between calls)
// it is wide, with the filters beside the results and the article beside them.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { DeskBridge, KnowledgeSyncStatus } from '../../../shared/ipc/contract';
import {
  knowledgeAudiences,
  knowledgeKinds,
  knowledgeRegions,
  knowledgeTopics,
  type KnowledgeArticle,
  type KnowledgeSearchAnswer,
  type KnowledgeSearchHit,
} from '../../../shared/knowledge/article';
import { articleLinkFor, type ArticleLink } from '../../../shared/knowledge/public-link';
import { ArticleView } from './ArticleView';
import { searchKeyOutcome } from './search-keys';
import { openCheckedLink } from './external-links';
import { KnowledgeResults, resultOptionId, SearchSummary } from './KnowledgeResults';
import {
  audienceWords,
  kindWords,
  noFilters,
  regionWords,
  searchFiltersOf,
  syncStatusWords,
  topicWords,
  type PanelFilters,
} from './knowledge-words';
import './knowledge.css';

export interface KnowledgePanelProps {
  desk: DeskBridge;
  /** Article ids already among the skills action plan's resources. */
  plannedArticleIds: readonly string[];
  /**
   * Adds an article to the action plan with what the young person will be
   * shown for it (title and public link, as they stand now); null when the
   * interaction can no longer take it.
   */
  onAddToPlan: ((article: ArticleLink) => void) | null;
  /** A short pause while typing before searching; the search itself is local and fast. */
  debounceMs?: number;
  /** Sends a message in the live chat (web chats only); see ArticleView. */
  onSendInChat?: (text: string) => Promise<string | null>;
  /**
   * `beside` (the default) is the narrow column beside a live interaction;
   * `wide` is the Knowledge area's: filters, results and the open article side by side.
   */
  layout?: 'beside' | 'wide';
}

interface OpenArticle {
  hit: KnowledgeSearchHit;
  article: KnowledgeArticle | null;
  problem: string | null;
}

/** How many results the panel shows: enough to scan, few enough to arrow through. */
const resultLimit = 20;

function FilterSelect<T extends string>({
  label,
  values,
  words,
  value,
  onChange,
}: {
  label: string;
  values: readonly T[];
  words: Record<T, string>;
  value: T | null;
  onChange: (value: T | null) => void;
}) {
  const id = useId();
  return (
    <div className="knowledge__filter">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value ?? ''}
        onChange={(event) => {
          const chosen = values.find((candidate) => candidate === event.target.value);
          onChange(chosen ?? null);
        }}
      >
        <option value="">Any</option>
        {values.map((option) => (
          <option key={option} value={option}>
            {words[option]}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Focuses the open article's heading in this panel (another panel may be mounted, hidden). */
function focusArticleHeading(panel: HTMLElement | null) {
  requestAnimationFrame(() =>
    panel?.querySelector<HTMLElement>('[data-knowledge-article-heading]')?.focus(),
  );
}

/** "Filters" with how many are chosen, for the button that shows and hides them. */
export function filtersButtonWords(filters: PanelFilters): string {
  const chosen = Object.values(filters).filter((value) => value !== null).length;
  return chosen === 0 ? 'Filters' : `Filters (${chosen} chosen)`;
}

export function KnowledgePanel({
  desk,
  plannedArticleIds,
  onAddToPlan,
  debounceMs = 60,
  onSendInChat,
  layout = 'beside',
}: KnowledgePanelProps) {
  const wide = layout === 'wide';
  const [text, setText] = useState('');
  const [filters, setFilters] = useState<PanelFilters>(noFilters);
  const [answer, setAnswer] = useState<KnowledgeSearchAnswer | null>(null);
  const [searchProblem, setSearchProblem] = useState<string | null>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [open, setOpen] = useState<OpenArticle | null>(null);
  const [sync, setSync] = useState<KnowledgeSyncStatus | null>(null);
  const [linkProblem, setLinkProblem] = useState<string | null>(null);
  // Folded beside an interaction, so a 900 px screen shows results rather than four selects.
  const [filtersShown, setFiltersShown] = useState(wide);
  const searchBox = useRef<HTMLInputElement>(null);
  const panel = useRef<HTMLElement>(null);
  const latestSearch = useRef(0);
  const hintId = useId();
  const listId = `${useId()}knowledge-results`;
  const filtersId = useId();

  // Where the desk's copy stands now, then every change the desk pushes.
  useEffect(() => {
    let live = true;
    const stop = desk.onKnowledgeSyncChanged(setSync);
    void desk.knowledgeSyncStatus(null).then((result) => {
      // A push that arrived first is newer than this answer.
      if (live && result.ok) setSync((current) => current ?? result.value);
    });
    return () => {
      live = false;
      stop();
    };
  }, [desk]);

  // Search as typed. A sync that moved the cursor searches again, so a retired
  // article leaves the list and a new one joins it without a keystroke.
  const cursor = sync?.cursor ?? 0;
  useEffect(() => {
    const request = ++latestSearch.current;
    const typed = text.trim() !== '';
    const timer = setTimeout(
      () => {
        if (!typed) {
          setAnswer(null);
          setSearchProblem(null);
          setActiveId(null);
          return;
        }
        void desk
          .searchKnowledge({ text, filters: searchFiltersOf(filters), limit: resultLimit })
          .then((result) => {
            // Only the newest query's answer is shown; an older one arriving late is dropped.
            if (request !== latestSearch.current) return;
            if (!result.ok) {
              setSearchProblem(result.error.message);
              return;
            }
            setSearchProblem(null);
            setAnswer(result.value);
            setActiveId((current) =>
              result.value.results.some((hit) => hit.id === current)
                ? current
                : (result.value.results[0]?.id ?? null),
            );
          });
      },
      typed ? debounceMs : 0,
    );
    return () => clearTimeout(timer);
  }, [desk, text, filters, cursor, debounceMs]);

  // The open article, fetched again when a sync moves the cursor (it may have changed or gone).
  const openId = open?.hit.id ?? null;
  useEffect(() => {
    if (!openId) return;
    let live = true;
    void desk.openArticle({ id: openId }).then((result) => {
      if (!live) return;
      setOpen((current) =>
        current?.hit.id === openId
          ? {
              ...current,
              article: result.ok ? result.value : null,
              problem: result.ok ? null : result.error.message,
            }
          : current,
      );
    });
    return () => {
      live = false;
    };
  }, [desk, openId, cursor]);

  const loadedId = open?.article?.id ?? null;
  useEffect(() => {
    if (loadedId) focusArticleHeading(panel.current);
  }, [loadedId]);

  // The Knowledge area is where the adviser came to search: start them in the box.
  useEffect(() => {
    if (wide) searchBox.current?.focus();
  }, [wide]);

  const results = answer?.results ?? [];
  const activeIndex = results.findIndex((hit) => hit.id === activeId);
  const activeHit = results[activeIndex];

  const openHit = (hit: KnowledgeSearchHit) => {
    setActiveId(hit.id);
    setLinkProblem(null);
    // Enter on the article already open keeps it (and its fetched copy) and returns to its top.
    if (open?.hit.id === hit.id) {
      focusArticleHeading(panel.current);
      return;
    }
    setOpen({ hit, article: null, problem: null });
  };

  const backToResults = () => {
    setOpen(null);
    setLinkProblem(null);
    searchBox.current?.focus();
  };

  const openLink = (url: string) => {
    setLinkProblem(null);
    void openCheckedLink(desk, url).then((problem) => setLinkProblem(problem?.message ?? null));
  };

  const onSearchKey = (event: KeyboardEvent<HTMLInputElement>) => {
    const outcome = searchKeyOutcome(event.key, {
      resultIds: results.map((hit) => hit.id),
      activeId: activeHit?.id ?? null,
      articleOpen: open !== null,
      text,
    });
    if (outcome.action === 'none') return;
    event.preventDefault();
    switch (outcome.action) {
      case 'activate':
        setActiveId(outcome.id);
        // Beside an interaction the list takes the article's place again; wide, both show.
        if (!wide) setOpen(null);
        document
          .getElementById(resultOptionId(outcome.id, listId))
          ?.scrollIntoView({ block: 'nearest' });
        return;
      case 'open': {
        const hit = results.find((candidate) => candidate.id === outcome.id);
        if (hit) openHit(hit);
        return;
      }
      case 'back':
        backToResults();
        return;
      case 'clear':
        setText('');
        return;
    }
  };

  const typed = text.trim() !== '';
  const showingResults = typed && (wide || !open);
  // aria-controls names the list only while it is on the page.
  const listShown = showingResults && results.length > 0;
  // Made from the article as the adviser sees it now: what the plan will show the young person.
  const openedLink = open?.article ? articleLinkFor(open.article) : null;
  const chosenFilters = Object.values(filters).some((value) => value !== null);

  const articleArea = open ? (
    open.article ? (
      <ArticleView
        article={open.article}
        reviewState={open.hit.reviewState}
        inPlan={plannedArticleIds.includes(open.article.id)}
        onAddToPlan={onAddToPlan && openedLink ? () => onAddToPlan(openedLink) : null}
        onOpenLink={openLink}
        onBack={backToResults}
        backLabel={wide ? 'Close the article' : 'Back to results'}
        linkProblem={linkProblem}
        authoring={desk}
        onSendInChat={onSendInChat}
      />
    ) : (
      <div className="knowledge__article">
        <button type="button" className="button button--small" onClick={backToResults}>
          {wide ? 'Close the article' : 'Back to results'}
        </button>
        <p role={open.problem ? 'alert' : 'status'}>
          {open.problem ?? `Opening “${open.hit.title}”…`}
        </p>
      </div>
    )
  ) : null;

  const resultList = listShown ? (
    <KnowledgeResults
      results={results}
      activeIndex={activeIndex}
      onOpen={openHit}
      onActivate={(index) => setActiveId(results[index]?.id ?? null)}
      listId={listId}
      openId={wide ? (open?.hit.id ?? null) : null}
    />
  ) : null;
  // Always on the page, so a screen reader hears it change (a live region added with its text is not read).
  const summary = <SearchSummary answer={showingResults ? answer : null} />;

  return (
    <section
      ref={panel}
      className={
        wide ? `knowledge knowledge--wide${open ? ' knowledge--reading' : ''}` : 'knowledge'
      }
      aria-label="Knowledge"
    >
      <div className="knowledge__query">
        <div className="knowledge__top">
          {/* In the Knowledge area the area's own heading names the panel. */}
          {!wide && <h3 className="knowledge__heading">Knowledge</h3>}
          <p role="status" className="knowledge__sync">
            {syncStatusWords(sync)}
          </p>
        </div>
        <input
          ref={searchBox}
          type="search"
          className="knowledge__search"
          aria-label="Search knowledge"
          aria-describedby={hintId}
          aria-controls={listShown ? listId : undefined}
          aria-activedescendant={
            listShown && activeHit ? resultOptionId(activeHit.id, listId) : undefined
          }
          autoComplete="off"
          spellCheck={false}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            if (!wide) setOpen(null);
          }}
          onKeyDown={onSearchKey}
        />
        <p id={hintId} className="knowledge__hint">
          Results appear as you type: arrows choose, Enter opens, Escape goes back or clears.
        </p>
      </div>
      <div className="knowledge__filter-area">
        {!wide && (
          <div className="knowledge__filter-bar">
            <button
              type="button"
              className="button button--small"
              aria-expanded={filtersShown}
              aria-controls={filtersId}
              onClick={() => setFiltersShown((shown) => !shown)}
            >
              {filtersButtonWords(filters)}
            </button>
            {chosenFilters && (
              <button
                type="button"
                className="button button--small"
                onClick={() => setFilters(noFilters)}
              >
                Clear filters
              </button>
            )}
            {/* Beside the button, so the count costs the results no line of their own. */}
            {summary}
          </div>
        )}
        <fieldset className="knowledge__filters" id={filtersId} hidden={!filtersShown}>
          <legend>Filters</legend>
          <FilterSelect
            label="Topic"
            values={knowledgeTopics}
            words={topicWords}
            value={filters.topic}
            onChange={(topic) => setFilters((current) => ({ ...current, topic }))}
          />
          <FilterSelect
            label="Audience"
            values={knowledgeAudiences}
            words={audienceWords}
            value={filters.audience}
            onChange={(audience) => setFilters((current) => ({ ...current, audience }))}
          />
          <FilterSelect
            label="Region"
            values={knowledgeRegions}
            words={regionWords}
            value={filters.region}
            onChange={(region) => setFilters((current) => ({ ...current, region }))}
          />
          <FilterSelect
            label="Kind"
            values={knowledgeKinds}
            words={kindWords}
            value={filters.kind}
            onChange={(kind) => setFilters((current) => ({ ...current, kind }))}
          />
          {wide && chosenFilters && (
            <button
              type="button"
              className="button button--small"
              onClick={() => setFilters(noFilters)}
            >
              Clear filters
            </button>
          )}
        </fieldset>
      </div>
      {searchProblem && (
        <p role="alert" className="notice notice--problem">
          The search did not answer: {searchProblem}
        </p>
      )}
      {wide ? (
        <>
          {/* Scrolls on its own, so it takes focus too: the keyboard can scroll what the mouse can. */}
          <div className="knowledge__result-area" role="region" aria-label="Results" tabIndex={0}>
            {summary}
            {!typed && (
              <p className="knowledge__hint">
                Type what you are looking for: a job, a course, a rule, a service.
              </p>
            )}
            {resultList}
          </div>
          {articleArea && <div className="knowledge__article-area">{articleArea}</div>}
        </>
      ) : (
        (articleArea ?? resultList)
      )}
    </section>
  );
}
