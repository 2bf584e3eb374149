// The knowledge panel's pieces rendered to markup in Node: the roles and names
// the end-to-end tests find, highlights that are always text in <mark> and
// never markup, an article's Markdown with raw HTML and unsafe links dropped,
// the search box's keys, the sync status words, and who opens a checked link.
import fc from 'fast-check';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DeskBridge, KnowledgeSyncStatus } from '../../shared/ipc/contract';
import type { KnowledgeArticle, KnowledgeSearchHit } from '../../shared/knowledge/article';
import { fail, ok } from '../../shared/result';
import {
  ArticleView,
  chatLinkFor,
  type ArticleViewProps,
} from '../../renderer/src/knowledge/ArticleView';
import { openCheckedLink } from '../../renderer/src/knowledge/external-links';
import { HighlightedText } from '../../renderer/src/knowledge/HighlightedText';
import { filtersButtonWords, KnowledgePanel } from '../../renderer/src/knowledge/KnowledgePanel';
import { KnowledgeResults, SearchSummary } from '../../renderer/src/knowledge/KnowledgeResults';
import {
  noFilters,
  searchFiltersOf,
  syncStatusWords,
} from '../../renderer/src/knowledge/knowledge-words';
import { searchKeyOutcome } from '../../renderer/src/knowledge/search-keys';

// Rendering to markup calls no desk function; any call would be a bug in the test.
const desk = new Proxy({} as DeskBridge, {
  get: (_, name) => () => {
    throw new Error(`desk.${String(name)} was called while rendering`);
  },
});

const hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>';

function hit(overrides: Partial<KnowledgeSearchHit> & { id: string }): KnowledgeSearchHit {
  return {
    title: 'Apprenticeship pay',
    titleHighlighted: [
      { text: 'Apprenticeship', match: true },
      { text: ' pay', match: false },
    ],
    snippet: [
      { text: 'What an ', match: false },
      { text: 'apprentice', match: true },
      { text: ' earns.', match: false },
    ],
    kind: 'guide',
    region: 'national',
    topics: ['apprenticeships', 'money'],
    reviewBy: '2027-06-01',
    reviewState: 'current',
    score: 1,
    ...overrides,
  };
}

const article: KnowledgeArticle = {
  id: 'apprenticeship-pay',
  version: 4,
  status: 'published',
  title: 'Apprenticeship pay',
  summary: 'What an apprentice earns, and when the rate goes up.',
  body: [
    '## The rate',
    '',
    `Raw HTML is not rendered: ${hostile} <iframe src="https://example.org"></iframe>`,
    '',
    '[Official rates](https://www.gov.uk/national-minimum-wage-rates) and [a trick](javascript:alert(1)).',
    '',
    '![A pay slip](https://example.org/slip.png)',
  ].join('\n'),
  topics: ['apprenticeships', 'money'],
  audience: ['young-person'],
  region: 'national',
  kind: 'guide',
  lastReviewed: '2026-01-10',
  reviewBy: '2026-07-10',
  sources: [{ title: 'GOV.UK: pay rates', url: 'https://www.gov.uk/national-minimum-wage-rates' }],
};

const viewProps: ArticleViewProps = {
  article,
  reviewState: 'current',
  inPlan: false,
  onAddToPlan: () => undefined,
  onOpenLink: () => undefined,
  onBack: () => undefined,
  linkProblem: null,
};

describe('highlighted text', () => {
  it('renders matches as <mark> and everything as text, so hostile text stays escaped', () => {
    const html = renderToStaticMarkup(
      <HighlightedText
        segments={[
          { text: hostile, match: false },
          { text: '<b>bold?</b>', match: true },
        ]}
      />,
    );
    expect(html).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;' +
        '<mark class="knowledge__match">&lt;b&gt;bold?&lt;/b&gt;</mark>',
    );
    expect(html).not.toMatch(/<script|<img|<b>/);
  });

  it('never makes an element of any text: only <mark> tags, and the text comes back whole', () => {
    const unescape = (markup: string) =>
      markup
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#x27;/g, "'")
        .replace(/&amp;/g, '&');
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            text: fc.oneof(
              fc.string({ unit: 'grapheme', maxLength: 40 }),
              fc.constantFrom(hostile, '</mark><script>', '&lt;b&gt;', '"><svg onload=x>'),
            ),
            match: fc.boolean(),
          }),
          { maxLength: 8 },
        ),
        (segments) => {
          const html = renderToStaticMarkup(<HighlightedText segments={segments} />);
          const tags = html.match(/<[^>]*>/g) ?? [];
          expect(
            tags.every((tag) => tag === '<mark class="knowledge__match">' || tag === '</mark>'),
          ).toBe(true);
          const text = unescape(html.replace(/<mark class="knowledge__match">|<\/mark>/g, ''));
          expect(text).toBe(segments.map((segment) => segment.text).join(''));
        },
      ),
    );
  });
});

describe('the results list', () => {
  it('is a listbox named for the search, with the active result selected and overdue ones marked', () => {
    const html = renderToStaticMarkup(
      <KnowledgeResults
        results={[
          hit({ id: 'apprenticeship-pay' }),
          hit({ id: 'hgv-driving', title: 'HGV driving', reviewState: 'overdue' }),
        ]}
        activeIndex={1}
        onOpen={() => undefined}
        onActivate={() => undefined}
      />,
    );
    expect(html).toContain('role="listbox" id="knowledge-results" aria-label="Knowledge results"');
    expect(html).toMatch(
      /<li id="knowledge-results-apprenticeship-pay" role="option" aria-selected="false"/,
    );
    expect(html).toMatch(
      /<li id="knowledge-results-hgv-driving" role="option" aria-selected="true"/,
    );
    // Named by its own text (title, snippet and meta), not by the title alone.
    expect(html).not.toMatch(/aria-labelledby|aria-describedby/);
    expect(html).toContain('<mark class="knowledge__match">Apprenticeship</mark> pay');
    expect(html).toContain('What an <mark class="knowledge__match">apprentice</mark> earns.');
    expect(html.match(/overdue for review/g)).toHaveLength(1);
  });

  it('says what was searched for when the spelling was corrected, and when nothing matches', () => {
    const corrected = renderToStaticMarkup(
      <SearchSummary
        answer={{
          results: [hit({ id: 'apprenticeship-pay' })],
          searchedFor: 'apprentice pay',
          corrections: [{ typed: 'aprentice', searched: 'apprentice' }],
        }}
      />,
    );
    expect(corrected).toContain('Searched for <strong>apprentice pay</strong>');
    expect(corrected).toContain('1 article');
    const none = renderToStaticMarkup(
      <SearchSummary answer={{ results: [], searchedFor: null, corrections: [] }} />,
    );
    expect(none).toContain('No articles match');
    expect(none).not.toContain('Searched for');
  });
});

describe('send link in chat', () => {
  it("sends a service's own website, else the article's first source, and only an https page", () => {
    const guide = {
      ...viewProps.article,
      sources: [{ title: 'GOV.UK', url: 'https://www.gov.uk/x' }],
    };
    expect(chatLinkFor(guide)).toBe(`${guide.title}: https://www.gov.uk/x`);
    const service = { ...guide, contact: { website: 'https://www.childline.org.uk/' } };
    expect(chatLinkFor(service)).toBe(`${guide.title}: https://www.childline.org.uk/`);
    const plain = { ...guide, sources: [{ title: 'Old', url: 'http://example.org/' }] };
    expect(chatLinkFor(plain)).toBeNull();
  });

  it('is offered only when the view is given a live chat to send in', () => {
    const voice = renderToStaticMarkup(<ArticleView {...viewProps} />);
    expect(voice).not.toContain('Send link in chat');
    const chat = renderToStaticMarkup(
      <ArticleView {...viewProps} onSendInChat={() => Promise.resolve(null)} />,
    );
    expect(chat).toContain('>Send link in chat</button>');
  });
});

describe('the article view', () => {
  it('renders Markdown with raw HTML, unsafe links and remote images left out', () => {
    const html = renderToStaticMarkup(<ArticleView {...viewProps} />);
    expect(html).toContain('<h4>The rate</h4>');
    expect(html).not.toMatch(/<script|<iframe|<img|onerror=|javascript:/i);
    expect(html).toContain('href="https://www.gov.uk/national-minimum-wage-rates"');
    expect(html).toContain('<span>a trick</span>');
    expect(html).toContain('[Image: A pay slip]');
    expect(html).toContain('(opens outside the desk)');
    expect(html).toContain('<ul aria-label="Sources">');
  });

  it('offers Add to action plan, says when it is there already, and marks an overdue article', () => {
    const fresh = renderToStaticMarkup(<ArticleView {...viewProps} />);
    expect(fresh).toContain('>Add to action plan</button>');
    expect(fresh).toContain('>Back to results</button>');
    expect(fresh).not.toContain('Overdue for review');

    const planned = renderToStaticMarkup(
      <ArticleView {...viewProps} inPlan reviewState="overdue" />,
    );
    expect(planned).not.toContain('Add to action plan');
    expect(planned).toContain('aria-disabled="true">In the action plan</button>');
    expect(planned).toContain('<strong>Overdue for review</strong> since 2026-07-10');

    const missed = renderToStaticMarkup(<ArticleView {...viewProps} onAddToPlan={null} />);
    expect(missed).not.toContain('Add to action plan');
  });

  it('lists a service’s contact details and says why a link was not opened', () => {
    const service: KnowledgeArticle = {
      ...article,
      id: 'young-carers-support',
      kind: 'service',
      contact: { phone: '0300 123 1053', website: 'https://carers.org/' },
      openingHours: 'Monday to Friday, 9am to 5pm',
    };
    const html = renderToStaticMarkup(
      <ArticleView
        {...viewProps}
        article={service}
        linkProblem="Links to this machine or a private network are not opened"
      />,
    );
    expect(html).toContain('aria-label="How to contact this service"');
    expect(html).toContain('<dd>0300 123 1053</dd>');
    expect(html).toContain('<dd>Monday to Friday, 9am to 5pm</dd>');
    expect(html).toContain('role="alert"');
    expect(html).toContain('That link was not opened');
  });
});

describe('the knowledge panel', () => {
  it('is a region named Knowledge with a search box, four labelled filters and a sync status', () => {
    const html = renderToStaticMarkup(
      <KnowledgePanel desk={desk} plannedArticleIds={[]} onAddToPlan={() => undefined} />,
    );
    expect(html).toContain('<section class="knowledge" aria-label="Knowledge">');
    expect(html).toMatch(/<input type="search"[^>]*aria-label="Search knowledge"/);
    for (const label of ['Topic', 'Audience', 'Region', 'Kind']) {
      expect(html).toMatch(new RegExp(`<label for="[^"]+">${label}</label><select`));
    }
    expect(html).toContain('role="status" class="knowledge__sync">Knowledge: checking');
    // No results list until something is typed, and so nothing for the search box to control.
    expect(html).not.toContain('role="listbox"');
    expect(html).not.toMatch(/<input type="search"[^>]*aria-controls/);
  });

  it('folds its filters away beside an interaction, behind a button that says how many are chosen', () => {
    const html = renderToStaticMarkup(
      <KnowledgePanel desk={desk} plannedArticleIds={[]} onAddToPlan={() => undefined} />,
    );
    const fieldset = /<fieldset class="knowledge__filters" id="([^"]+)" hidden="">/.exec(html);
    expect(fieldset).not.toBeNull();
    expect(html).toContain(
      `aria-expanded="false" aria-controls="${fieldset?.[1]}">Filters</button>`,
    );
    expect(filtersButtonWords(noFilters)).toBe('Filters');
    expect(filtersButtonWords({ ...noFilters, region: 'london', kind: 'service' })).toBe(
      'Filters (2 chosen)',
    );
  });

  it('in the Knowledge area, shows its filters beside the results and leaves the heading to the area', () => {
    const html = renderToStaticMarkup(
      <KnowledgePanel desk={desk} plannedArticleIds={[]} onAddToPlan={null} layout="wide" />,
    );
    expect(html).toContain('<section class="knowledge knowledge--wide" aria-label="Knowledge">');
    expect(html).not.toContain('<h3');
    expect(html).toMatch(/<fieldset class="knowledge__filters" id="[^"]+"><legend>/);
    expect(html).not.toContain('aria-expanded');
    // Until an article is open the results have its room too.
    expect(html).not.toContain('knowledge__article-area');
    expect(html).toContain('Type what you are looking for');
  });
});

describe('the search box keys', () => {
  const state = { resultIds: ['a', 'b', 'c'], activeId: 'a', articleOpen: false, text: 'pay' };

  it('moves through the results with the arrows, stopping at the ends', () => {
    expect(searchKeyOutcome('ArrowDown', state)).toEqual({ action: 'activate', id: 'b' });
    expect(searchKeyOutcome('ArrowDown', { ...state, activeId: 'c' })).toEqual({
      action: 'activate',
      id: 'c',
    });
    expect(searchKeyOutcome('ArrowUp', state)).toEqual({ action: 'activate', id: 'a' });
    expect(searchKeyOutcome('ArrowUp', { ...state, activeId: null })).toEqual({
      action: 'activate',
      id: 'c',
    });
    expect(searchKeyOutcome('ArrowDown', { ...state, resultIds: [], activeId: null })).toEqual({
      action: 'none',
    });
  });

  it('opens the active result (or the first) on Enter', () => {
    expect(searchKeyOutcome('Enter', { ...state, activeId: 'b' })).toEqual({
      action: 'open',
      id: 'b',
    });
    expect(searchKeyOutcome('Enter', { ...state, activeId: 'gone' })).toEqual({
      action: 'open',
      id: 'a',
    });
  });

  it('goes back from an article on Escape, then clears, then does nothing', () => {
    expect(searchKeyOutcome('Escape', { ...state, articleOpen: true })).toEqual({ action: 'back' });
    expect(searchKeyOutcome('Escape', state)).toEqual({ action: 'clear' });
    expect(searchKeyOutcome('Escape', { ...state, text: '' })).toEqual({ action: 'none' });
    expect(searchKeyOutcome('a', state)).toEqual({ action: 'none' });
  });
});

describe('the knowledge words', () => {
  const status = (overrides: Partial<KnowledgeSyncStatus>): KnowledgeSyncStatus => ({
    cursor: 197,
    state: 'idle',
    progress: null,
    lastSyncedAt: '2026-11-29T09:05:00.000Z',
    lastError: null,
    articleCount: 197,
    ...overrides,
  });

  it('says how current the desk’s copy is', () => {
    // 09:05 UTC is 09:05 in London in November.
    expect(syncStatusWords(status({}), new Date('2026-11-29T15:00:00Z'))).toBe(
      'Knowledge: 197 articles, up to date as of 09:05',
    );
    expect(syncStatusWords(status({}), new Date('2026-11-30T15:00:00Z'))).toMatch(
      /^Knowledge: 197 articles, up to date as of Sun, 29 Nov 2026, 09:05$/,
    );
    expect(
      syncStatusWords(
        status({ state: 'syncing', progress: { pages: 2, applied: 80, percent: 40 } }),
      ),
    ).toBe('Knowledge: syncing 40%');
    expect(
      syncStatusWords(
        status({ state: 'syncing', progress: { pages: 2, applied: 80, percent: null } }),
      ),
    ).toBe('Knowledge: syncing, 80 changes so far');
    expect(
      syncStatusWords(
        status({ state: 'error', lastError: 'The central server cannot be reached' }),
      ),
    ).toBe(
      'Knowledge: 197 articles, searching the desk’s copy. Could not update: The central server cannot be reached',
    );
    expect(syncStatusWords(status({ lastSyncedAt: null, articleCount: 0, cursor: 0 }))).toBe(
      'Knowledge: no articles yet; they arrive when the desk connects',
    );
  });

  it('keeps national articles in view when a region is chosen', () => {
    expect(searchFiltersOf(noFilters)).toEqual({});
    expect(searchFiltersOf({ ...noFilters, region: 'london', kind: 'service' })).toEqual({
      regions: ['london', 'national'],
      kinds: ['service'],
    });
    expect(searchFiltersOf({ ...noFilters, region: 'national' })).toEqual({
      regions: ['national'],
    });
  });
});

describe('opening a link from an article', () => {
  const answering = (value: Awaited<ReturnType<DeskBridge['openExternalLink']>>) => ({
    openExternalLink: async () => value,
  });

  it('opens the checked URL in the page only when the desk hands it back', async () => {
    const opened: string[] = [];
    const open = (url: string) => opened.push(url);
    expect(
      await openCheckedLink(
        answering(ok({ url: 'https://www.gov.uk/', openedBy: 'renderer' })),
        'https://www.gov.uk',
        open,
      ),
    ).toBeNull();
    expect(
      await openCheckedLink(
        answering(ok({ url: 'https://carers.org/', openedBy: 'desk' })),
        'https://carers.org/',
        open,
      ),
    ).toBeNull();
    const refused = await openCheckedLink(
      answering(fail('forbidden', 'Links to this machine or a private network are not opened')),
      'https://127.0.0.1/',
      open,
    );
    expect(refused).toMatchObject({ code: 'forbidden' });
    expect(opened).toEqual(['https://www.gov.uk/']);
  });
});

describe('the interaction screen with the knowledge panel', () => {
  it('puts the Knowledge region beside the stages while the interaction is live', async () => {
    const { InteractionScreen } = await import('../../renderer/src/interaction/InteractionScreen');
    const { LiveInteraction } = await import('../../renderer/src/interaction/live-interaction');
    const { MemoryInteractionStore } = await import('../../renderer/src/interaction/store');
    let now = Date.UTC(2026, 10, 29, 9);
    const call = LiveInteraction.offered(
      new MemoryInteractionStore(),
      'demo-adviser',
      { contactRef: 'call-1', channel: 'voice', offeredAt: '2026-11-29T09:00:00.000Z' },
      () => new Date((now += 1000)).toISOString(),
    );
    call.send({ type: 'ANSWER' });
    const html = renderToStaticMarkup(
      <InteractionScreen
        desk={desk}
        user={{
          id: 'demo-adviser',
          username: 'demo',
          displayName: 'Demo Adviser',
          roles: ['adviser'],
        }}
        deskId="11111111-2222-4333-8444-555555555555"
        interaction={call}
        onDelivered={() => undefined}
      />,
    );
    const body = html.slice(html.indexOf('class="interaction__body"'));
    expect(body).toContain('<nav aria-label="Stages"');
    expect(body).toContain('<section class="knowledge" aria-label="Knowledge">');
  });
});
