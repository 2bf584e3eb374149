// The knowledge panel beside a live interaction: search as the adviser types
// (answered by the desk's local replica, so it works with the network off),
// filters, keyboard navigation through the results, the article view, adding
// an article to the skills action plan, and how current the desk's copy is.
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
import { KnowledgeResults, resultOptionId, resultsListId, SearchSummary } from './KnowledgeResults';
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

function focusArticleHeading() {
  requestAnimationFrame(() =>
    document.querySelector<HTMLElement>('[data-knowledge-article-heading]')?.focus(),
  );
}

export function KnowledgePanel({
  desk,
  plannedArticleIds,
  onAddToPlan,
  debounceMs = 60,
  onSendInChat,
}: KnowledgePanelProps) {
  const [text, setText] = useState('');
  const [filters, setFilters] = useState<PanelFilters>(noFilters);
  const [answer, setAnswer] = useState<KnowledgeSearchAnswer | null>(null);
  const [searchProblem, setSearchProblem] = useState<string | null>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [open, setOpen] = useState<OpenArticle | null>(null);
  const [sync, setSync] = useState<KnowledgeSyncStatus | null>(null);
  const [linkProblem, setLinkProblem] = useState<string | null>(null);
  const searchBox = useRef<HTMLInputElement>(null);
  const latestSearch = useRef(0);
  const hintId = useId();

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
    if (loadedId) focusArticleHeading();
  }, [loadedId]);

  const results = answer?.results ?? [];
  const activeIndex = results.findIndex((hit) => hit.id === activeId);
  const activeHit = results[activeIndex];

  const openHit = (hit: KnowledgeSearchHit) => {
    setActiveId(hit.id);
    setLinkProblem(null);
    // Enter on the article already open keeps it (and its fetched copy) and returns to its top.
    if (open?.hit.id === hit.id) {
      focusArticleHeading();
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
        setOpen(null);
        document.getElementById(resultOptionId(outcome.id))?.scrollIntoView({ block: 'nearest' });
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

  const showingResults = !open && text.trim() !== '';
  // Made from the article as the adviser sees it now: what the plan will show the young person.
  const openedLink = open?.article ? articleLinkFor(open.article) : null;

  return (
    <section className="knowledge" aria-label="Knowledge">
      <h3 className="knowledge__heading">Knowledge</h3>
      <p role="status" className="knowledge__sync">
        {syncStatusWords(sync)}
      </p>
      <input
        ref={searchBox}
        type="search"
        className="knowledge__search"
        aria-label="Search knowledge"
        aria-describedby={hintId}
        aria-controls={resultsListId}
        aria-activedescendant={
          showingResults && activeHit ? resultOptionId(activeHit.id) : undefined
        }
        autoComplete="off"
        spellCheck={false}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setOpen(null);
        }}
        onKeyDown={onSearchKey}
      />
      <p id={hintId} className="knowledge__hint">
        Results appear as you type. Up and down arrows move through them, Enter opens one, Escape
        goes back or clears.
      </p>
      <fieldset className="knowledge__filters">
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
      </fieldset>
      <SearchSummary answer={showingResults ? answer : null} />
      {searchProblem && (
        <p role="alert" className="notice notice--problem">
          The search did not answer: {searchProblem}
        </p>
      )}
      {open ? (
        open.article ? (
          <ArticleView
            article={open.article}
            reviewState={open.hit.reviewState}
            inPlan={plannedArticleIds.includes(open.article.id)}
            onAddToPlan={onAddToPlan && openedLink ? () => onAddToPlan(openedLink) : null}
            onOpenLink={openLink}
            onBack={backToResults}
            linkProblem={linkProblem}
            authoring={desk}
            onSendInChat={onSendInChat}
          />
        ) : (
          <div className="knowledge__article">
            <button type="button" className="button button--small" onClick={backToResults}>
              Back to results
            </button>
            <p role={open.problem ? 'alert' : 'status'}>
              {open.problem ?? `Opening “${open.hit.title}”…`}
            </p>
          </div>
        )
      ) : (
        showingResults && (
          <KnowledgeResults
            results={results}
            activeIndex={activeIndex}
            onOpen={openHit}
            onActivate={(index) => setActiveId(results[index]?.id ?? null)}
          />
        )
      )}
    </section>
  );
}
