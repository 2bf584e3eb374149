// Search as you type over the desk's knowledge replica. Whatever the adviser
// types is split into words here and every word is quoted before it reaches
// FTS5, so no input is ever read as query syntax. Misspelt words are corrected
// against the replica's own vocabulary, and the answer says what was searched.
import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import {
  knowledgeAudiences,
  knowledgeKinds,
  knowledgeRegions,
  knowledgeSearchQuerySchema,
  knowledgeTopics,
  type HighlightedText,
  type KnowledgeKind,
  type KnowledgeRegion,
  type KnowledgeSearchAnswer,
  type KnowledgeSearchFilters,
  type KnowledgeSearchHit,
  type KnowledgeTopic,
} from '../shared/knowledge/article';
import { fail, ok, parseInput, type Result } from '../shared/result';
import { maskOf, matchEnd, matchStart, tokenizer } from './replica';
import { editDistance, typedWords, wordsOf } from './text';

/** Words beyond this are ignored: a pasted page still searches on its opening words. */
const maxQueryWords = 12;
/**
 * Body ranking runs only when at most this many articles match. bm25 costs a
 * few microseconds per match, plus a pass over each matched word's whole list
 * to weigh it; at 100,000 articles ranking 1,500 matches took 10 to 20 ms.
 */
const rankedMatchLimit = 250;
/** Most recent title-and-keyword matches ranked when the query is not selective. */
const leadCandidateLimit = 400;
/**
 * A word being typed stands for its most frequent completions in the
 * vocabulary. Quoted whole words are stemmed by FTS5 ("universi" -> "university"
 * -> "univers"), which a raw prefix query would miss, and an OR of a few words
 * is read lazily where FTS5 merges every matching term's list for a prefix
 * that has no prefix index (four letters and more).
 */
const completionsPerPrefix = 6;

/** In bm25, title weighs most, then keywords (topic names), then summary, then body. */
const bodyWeights = 'bm25(knowledge_fts, 10.0, 4.0, 1.0, 6.0)';
const leadWeights = 'bm25(knowledge_lead_fts, 4.0, 1.0)';
/** Added to the score of an article whose title has every word typed, stop words included. */
const titleBonus = 8;
/** Weight of each searched word found in a title, times that word's rarity. */
const titleWordWeight = 2;
/**
 * Weight of each searched word found in a summary, times that word's rarity.
 * The title and summary say what an article is about; a body may mention a
 * topic in passing, so a word found only there earns nothing beyond bm25.
 */
const summaryWordWeight = 2;
/**
 * Added when the title holds the searched words side by side in the order typed:
 * "The 16 to 19 Bursary Fund" is about "bursary fund"; "University bursaries,
 * scholarships and hardship funds" holds both words but is about something else.
 */
const titlePhraseBonus = 4;

interface TitleWord {
  /** A title word starting with this counts as the searched word. */
  start: string;
  weight: number;
  /** Some word it stands for is in more than half the articles. */
  common: boolean;
}

/** The searched words a title or summary holds, each weighted by its rarity. */
function wordScore(text: string, titleWords: TitleWord[]): number {
  const inText = wordsOf(text);
  return titleWords.reduce(
    (score, titleWord) =>
      score + (inText.some((word) => word.startsWith(titleWord.start)) ? titleWord.weight : 0),
    0,
  );
}

/** True when the title holds the searched words side by side, in the order typed ("Bursary Fund"). */
function titleHoldsPhrase(title: string, titleWords: TitleWord[]): boolean {
  if (titleWords.length < 2) return false;
  const inTitle = wordsOf(title).filter((word) => !stopWords.has(word));
  for (let at = 0; at + titleWords.length <= inTitle.length; at += 1) {
    if (titleWords.every((titleWord, index) => inTitle[at + index]!.startsWith(titleWord.start)))
      return true;
  }
  return false;
}

/** What an article's title and summary say about the query: the part of its score bm25 cannot give. */
function leadScore(title: string, summary: string, titleWords: TitleWord[]): number {
  return (
    titleWordWeight * wordScore(title, titleWords) +
    summaryWordWeight * wordScore(summary, titleWords) +
    (titleHoldsPhrase(title, titleWords) ? titlePhraseBonus : 0)
  );
}

/**
 * How many edits a correction may make to a word that is not in the index. A
 * real word the index lacks is as likely as a typo, and short words sit close
 * to other words: over the Debian British English word list, words absent from
 * the starter network were changed into another word 94% of the time at five
 * letters and 74% at six when two edits were allowed ("liable" became
 * "little"), and nearly always at three letters ("sen" became "set"). So: none
 * up to three letters (acronyms and short words are typed on purpose), one up
 * to six, two from seven ("vetinary", "solicter"). Decision 0024 has the figures.
 */
export function correctionEditLimit(word: string): number {
  if (word.length <= 3) return 0;
  return word.length <= 6 ? 1 : 2;
}

/** Dropped when the query has other words: they match nearly every article and rank nothing. */
const stopWords = new Set(
  (
    'a an and are as at be but by can could do does for from had has have how i if in into is it its me my ' +
    'of on or our should so than that the their them then there they this to was we were what when where ' +
    'which who why will with would you your'
  ).split(' '),
);

export interface KnowledgeSearchOptions {
  /** Today's date, for marking articles past their review-by date. */
  now?: () => Date;
}

interface QueryWord {
  typed: string;
  searched: string;
  partial: boolean;
}

/** The same query for each index: they differ in how a word being typed is matched (termOf). */
interface Match {
  lead: string;
  body: string;
}

interface RankedArticle {
  rowid: number;
  score: number;
}

interface LeadRow {
  rowid: number;
  title: string;
  summary: string;
}

interface HitRow {
  id: string;
  title: string;
  summary: string;
  body: string;
  topics_mask: number;
  region_mask: number;
  kind_mask: number;
  review_by: string;
}

interface Marked {
  title: string;
  summary: string;
  passage: string;
}

interface FilterMasks {
  topics: number;
  audience: number;
  regions: number;
  kinds: number;
}

const emptyAnswer = (): KnowledgeSearchAnswer => ({
  results: [],
  searchedFor: null,
  corrections: [],
});

const filterClause = `(@topics = 0 OR (a.topics_mask & @topics) != 0)
  AND (@audience = 0 OR (a.audience_mask & @audience) != 0)
  AND (@regions = 0 OR (a.region_mask & @regions) != 0)
  AND (@kinds = 0 OR (a.kind_mask & @kinds) != 0)`;

/** Stop words as typed, quoted: they count towards a title match ("A levels") but are not searched alone. */
function stopWordsTyped(text: string): string[] {
  const typed = typedWords(text, maxQueryWords);
  const complete = typed.lastIsPartial ? typed.words.slice(0, -1) : typed.words;
  return complete.filter((word) => stopWords.has(word) || word.length === 1).map(quoted);
}

/** The string just after every string that starts with `prefix`, for a range scan. */
function pastPrefix(prefix: string): string {
  const points = Array.from(prefix);
  const last = points.pop()?.codePointAt(0) ?? 0;
  // The last code point there is has nothing after it: any longer string sorts after the prefix itself.
  if (last >= 0x10ffff) return `${prefix}\u{10ffff}`;
  return points.join('') + String.fromCodePoint(last + 1);
}

const quoted = (word: string): string => `"${word.replace(/"/g, '""')}"`;

export class KnowledgeSearch {
  private readonly statements: Record<string, Statement>;
  private readonly now: () => Date;
  private completionCache = new Map<string, string[]>();
  private cacheCursor = -1;
  private cachedArticleCount: number | null = null;

  /** A scratch index of just the hits, for marking matches: see markMatches. */
  private readonly scratch: Database.Database;
  private readonly scratchStatements: Record<string, Statement>;

  constructor(db: Database.Database, options: KnowledgeSearchOptions = {}) {
    this.now = options.now ?? (() => new Date());
    const bodyMatches = (filtered: boolean, columns: string) =>
      filtered
        ? `SELECT ${columns} FROM knowledge_fts f JOIN knowledge_articles a ON a.rowid = f.rowid
             WHERE knowledge_fts MATCH @match AND ${filterClause} ORDER BY f.rowid DESC LIMIT @cap`
        : `SELECT ${columns} FROM knowledge_fts f WHERE knowledge_fts MATCH @match ORDER BY f.rowid DESC LIMIT @cap`;
    const leadMatches = (filtered: boolean) =>
      filtered
        ? `SELECT f.rowid AS rowid, ${leadWeights} AS score FROM knowledge_lead_fts f
             JOIN knowledge_articles a ON a.rowid = f.rowid
             WHERE knowledge_lead_fts MATCH @match AND ${filterClause} ORDER BY f.rowid DESC LIMIT @cap`
        : `SELECT f.rowid AS rowid, ${leadWeights} AS score FROM knowledge_lead_fts f
             WHERE knowledge_lead_fts MATCH @match ORDER BY f.rowid DESC LIMIT @cap`;
    const prepare = (sql: string) => db.prepare(sql);
    this.statements = {
      cursor: prepare('SELECT cursor FROM knowledge_sync_state WHERE singleton = 1').pluck(),
      anyMatch: prepare(
        'SELECT rowid FROM knowledge_fts WHERE knowledge_fts MATCH ? LIMIT 1',
      ).pluck(),
      completions: prepare(
        'SELECT word FROM knowledge_words WHERE word >= ? AND word < ? ORDER BY doc_count DESC LIMIT ?',
      ).pluck(),
      hasCompletion: prepare(
        'SELECT 1 FROM knowledge_words WHERE word >= ? AND word < ? LIMIT 1',
      ).pluck(),
      spellingCandidates: prepare(
        'SELECT word, doc_count AS docCount FROM knowledge_words WHERE word >= ? AND word < ? AND length(word) BETWEEN ? AND ?',
      ),
      countBody: prepare(`SELECT count(*) FROM (${bodyMatches(false, 'f.rowid')})`).pluck(),
      countBodyFiltered: prepare(`SELECT count(*) FROM (${bodyMatches(true, 'f.rowid')})`).pluck(),
      // Filters of 0 pass everything; the join is kept for the title, which the title score reads.
      rankBody: prepare(
        bodyMatches(
          true,
          `f.rowid AS rowid, ${bodyWeights} AS score, a.title AS title, a.summary AS summary`,
        ),
      ),
      articleCount: prepare('SELECT count(*) FROM knowledge_articles').pluck(),
      documentFrequency: prepare(
        'SELECT max(doc_count) FROM knowledge_words WHERE word >= ? AND word < ?',
      ).pluck(),
      // Filters of 0 pass everything, as for rankBody.
      titleMatches: prepare(
        `SELECT f.rowid AS rowid, a.title AS title, a.summary AS summary FROM knowledge_lead_fts f
           JOIN knowledge_articles a ON a.rowid = f.rowid
           WHERE knowledge_lead_fts MATCH @match AND ${filterClause} ORDER BY f.rowid DESC LIMIT @cap`,
      ),
      recentBody: prepare(bodyMatches(false, 'f.rowid AS rowid')).pluck(),
      recentBodyFiltered: prepare(bodyMatches(true, 'f.rowid AS rowid')).pluck(),
      rankLead: prepare(
        `SELECT rowid, score FROM (${leadMatches(false)}) ORDER BY score LIMIT @limit`,
      ),
      rankLeadFiltered: prepare(
        `SELECT rowid, score FROM (${leadMatches(true)}) ORDER BY score LIMIT @limit`,
      ),
      hit: prepare(
        'SELECT id, title, summary, body, topics_mask, region_mask, kind_mask, review_by FROM knowledge_articles WHERE rowid = ?',
      ),
    };
    // Made by the driver that opened the replica's database (on the desk,
    // SQLite3 Multiple Ciphers; unkeyed, in memory, never on disk), so the
    // installed desk carries one SQLite.
    const ScratchDatabase = db.constructor as typeof Database;
    this.scratch = new ScratchDatabase(':memory:');
    this.scratch.exec(`CREATE VIRTUAL TABLE hits USING fts5(title, summary, body, ${tokenizer})`);
    this.scratchStatements = {
      clear: this.scratch.prepare('DELETE FROM hits'),
      add: this.scratch.prepare(
        'INSERT INTO hits (rowid, title, summary, body) VALUES (?, ?, ?, ?)',
      ),
      marked: this.scratch.prepare(
        `SELECT rowid, highlight(hits, 0, '${matchStart}', '${matchEnd}') AS title,
                highlight(hits, 1, '${matchStart}', '${matchEnd}') AS summary,
                snippet(hits, 2, '${matchStart}', '${matchEnd}', '…', 24) AS passage
           FROM hits WHERE hits MATCH ?`,
      ),
    };
  }

  /** Frees the scratch index; the replica's database stays open (the desk owns it). */
  close(): void {
    this.scratch.close();
  }

  /** Searches for what was typed. Never throws: any text is a valid query. */
  search(input: unknown): Result<KnowledgeSearchAnswer> {
    const parsed = parseInput(knowledgeSearchQuerySchema, input, 'Knowledge search');
    if (!parsed.ok) return parsed;
    try {
      return ok(this.answer(parsed.value.text, parsed.value.filters, parsed.value.limit));
    } catch (error) {
      return fail('internal', `The knowledge search failed: ${(error as Error).message}`);
    }
  }

  private answer(
    text: string,
    filters: KnowledgeSearchFilters,
    limit: number,
  ): KnowledgeSearchAnswer {
    this.refreshCaches();
    const words = this.correct(this.meaningfulWords(text));
    if (words.length === 0) return emptyAnswer();
    const masks: FilterMasks = {
      topics: maskOf<KnowledgeTopic>(knowledgeTopics, filters.topics ?? []),
      audience: maskOf(knowledgeAudiences, filters.audience ?? []),
      regions: maskOf<KnowledgeRegion>(knowledgeRegions, filters.regions ?? []),
      kinds: maskOf<KnowledgeKind>(knowledgeKinds, filters.kinds ?? []),
    };
    const leadTerms = words.map((word) => this.termOf(word, 'lead'));
    const titleWords = this.titleWordsOf(words);
    // A word being typed that stands for words in most articles ("in" for "in", "information"...)
    // narrows bodies by almost nothing and bm25 gives it no weight, yet merging those long lists
    // is most of a query's cost: beside other words it is left out of the body match, like a stop
    // word, and counts only towards the title score and the highlighting.
    const bodyWords = words.filter((word, index) => !(word.partial && titleWords[index]!.common));
    const bodyTerms = (bodyWords.length > 0 ? bodyWords : words).map((word) =>
      this.termOf(word, 'body'),
    );
    const titleMatch = `{title} : (${[...new Set([...stopWordsTyped(text), ...leadTerms])].join(' AND ')})`;
    // A one-letter prefix alone is answered from titles: it would match nearly every body.
    const titlesOnly = words.length === 1 && words[0]!.partial && words[0]!.searched.length === 1;
    let match: Match = { lead: leadTerms.join(' AND '), body: bodyTerms.join(' AND ') };
    let ranked = this.ranked(match, titleMatch, titleWords, masks, limit, titlesOnly);
    if (ranked.length === 0 && words.length > 1) {
      // No article has every word: rank those with any of them, most words first.
      match = { lead: leadTerms.join(' OR '), body: bodyTerms.join(' OR ') };
      ranked = this.ranked(match, titleMatch, titleWords, masks, limit, false);
    }
    const corrections = words
      .filter((word) => word.searched !== word.typed)
      .map((word) => ({ typed: word.typed, searched: word.searched }));
    const rows = ranked.map((article) => this.statements.hit!.get(article.rowid) as HitRow);
    const marked = this.markMatches(rows, ranked, match.lead, words);
    return {
      results: ranked.map((article, index) =>
        this.hitOf(article, rows[index]!, marked.get(article.rowid)),
      ),
      searchedFor: corrections.length > 0 ? words.map((word) => word.searched).join(' ') : null,
      corrections,
    };
  }

  /** The typed words worth searching on, duplicates and (when others remain) stop words removed. */
  private meaningfulWords(text: string): QueryWord[] {
    const typed = typedWords(text, maxQueryWords);
    const words: QueryWord[] = [];
    const seen = new Set<string>();
    typed.words.forEach((word, index) => {
      const partial = typed.lastIsPartial && index === typed.words.length - 1;
      const key = `${word}${partial ? '*' : ''}`;
      if (seen.has(key)) return;
      seen.add(key);
      words.push({ typed: word, searched: word, partial });
    });
    const lastWord = words.at(-1);
    // "careers a" while "a" is the start of the next word: too short to narrow anything yet.
    if (words.length > 1 && lastWord?.partial && lastWord.typed.length === 1) words.pop();
    const informative = words.filter((word) => word.partial || !stopWords.has(word.typed));
    return informative.length > 0 ? informative : words;
  }

  /**
   * Corrects only words that are not words of the index: a word the index holds,
   * as typed or by its stem ("abusers" for "abuse"), is searched as typed, and so
   * is a word being typed that starts a word of the index. Anything else is
   * corrected within correctionEditLimit edits, or searched as typed.
   */
  private correct(words: QueryWord[]): QueryWord[] {
    return words.map((word) => {
      if (correctionEditLimit(word.typed) === 0 || /^\d+$/.test(word.typed)) return word;
      if (word.partial) {
        // Only the vocabulary as typed counts as a start: FTS5 stems a prefix query's word
        // too, so "barister"* would match "barista" by its stem "barist".
        if (this.hasCompletion(word.typed)) return word;
        // A whole word the index holds by its stem is a word, not a typo: "abusers" was
        // corrected to "buses" and "accessed" to "accepted" when only starts counted.
        if (this.matchesAny(quoted(word.typed))) return word;
        // Typing may have stopped at the end of the whole misspelt word ("vetinary" for "veterinary").
        const corrected = this.correctPrefix(word.typed) ?? this.correctWord(word.typed);
        return corrected ? { ...word, searched: corrected } : word;
      }
      if (this.matchesAny(quoted(word.typed))) return word;
      const corrected = this.correctWord(word.typed);
      return corrected ? { ...word, searched: corrected } : word;
    });
  }

  /**
   * A word as an FTS5 term for one index. A word being typed of one to three
   * letters is a prefix query in the lead index, which keeps prefix tables for
   * them (stems that short are never cut shorter than the word typed, so the
   * prefix is exact). The body index keeps none, and a bare prefix there would
   * merge the lists of every word it starts, so in bodies, as for every longer
   * word being typed, it stands for its most frequent completions.
   */
  private termOf(word: QueryWord, index: 'lead' | 'body'): string {
    if (!word.partial) return quoted(word.searched);
    const prefix = word.searched;
    if (prefix.length <= 3 && index === 'lead') return `${quoted(prefix)}*`;
    const completions = this.completions(prefix);
    if (completions.length === 0) return `${quoted(prefix)}*`;
    return completions.length === 1
      ? quoted(completions[0]!)
      : `(${completions.map(quoted).join(' OR ')})`;
  }

  /**
   * Each searched word as the start a title word must have to count as the same
   * word (roughly its stem), weighted by how rare it is in the replica.
   */
  private titleWordsOf(words: QueryWord[]): TitleWord[] {
    const articles = this.articleCount();
    return words.map((word) => {
      const start = word.partial
        ? word.searched
        : word.searched.slice(0, Math.max(3, word.searched.length - 3));
      const documents =
        (this.statements.documentFrequency!.get(start, pastPrefix(start)) as number | null) ?? 0;
      return {
        start,
        weight: Math.log(1 + articles / (documents + 1)),
        common: documents * 2 > articles,
      };
    });
  }

  private ranked(
    match: Match,
    titleMatch: string,
    titleWords: TitleWord[],
    masks: FilterMasks,
    limit: number,
    titlesOnly: boolean,
  ): RankedArticle[] {
    const filtered = masks.topics + masks.audience + masks.regions + masks.kinds > 0;
    const parameters = { match: match.body, cap: rankedMatchLimit + 1, limit, ...masks };
    const pick = (name: string) => this.statements[filtered ? `${name}Filtered` : name]!;
    if (!titlesOnly) {
      const matches = pick('countBody').get(parameters) as number;
      if (matches <= rankedMatchLimit) {
        // bm25 gives a word in most articles almost no weight, so among "levels"
        // articles a title with every typed word, "A levels", would not stand out.
        // The shorter such title is the closer match ("GCSEs explained" before "Resitting GCSE English and maths").
        const titled = this.statements.titleMatches!.all({
          ...masks,
          match: titleMatch,
          cap: rankedMatchLimit,
        }) as LeadRow[];
        const bonus = (title: string) => titleBonus + 3 / Math.max(1, title.split(/\s+/).length);
        const bonuses = new Map(titled.map(({ rowid, title }) => [rowid, bonus(title)]));
        // bm25 gives nothing to a word found in over half the articles (its IDF is clamped), and
        // saturates once a word is in the title, so the title and summary each count the searched
        // words they hold, weighted by each word's own rarity.
        const bodyRanked = (
          this.statements.rankBody!.all(parameters) as (LeadRow & RankedArticle)[]
        ).map(({ rowid, score, title, summary }) => ({
          rowid,
          score: score - (bonuses.get(rowid) ?? 0) - leadScore(title, summary, titleWords),
        }));
        // A title holding every word typed is about the query even when the body does not hold
        // the word being typed's commonest completions ("eating dis" for "Beat: eating disorder support").
        const inBody = new Set(bodyRanked.map((article) => article.rowid));
        const titleOnly = titled
          .filter(({ rowid }) => !inBody.has(rowid))
          .map(({ rowid, title, summary }) => ({
            rowid,
            score: -bonus(title) - leadScore(title, summary, titleWords),
          }));
        return [...bodyRanked, ...titleOnly].sort((a, b) => a.score - b.score).slice(0, limit);
      }
    }
    // Not selective: rank the most recent title-and-keyword matches, then fill from the body by recency.
    const lead = pick('rankLead').all({
      ...parameters,
      match: match.lead,
      cap: leadCandidateLimit,
    }) as RankedArticle[];
    if (lead.length >= limit || titlesOnly)
      return lead.map(({ rowid, score }) => ({ rowid, score: -score }));
    const found = new Set(lead.map((article) => article.rowid));
    const lowest = lead.reduce((least, article) => Math.min(least, -article.score), 0);
    const recent = (pick('recentBody').all({ ...parameters, cap: limit * 2 }) as number[])
      .filter((rowid) => !found.has(rowid))
      .slice(0, limit - lead.length);
    return [
      ...lead.map(({ rowid, score }) => ({ rowid, score: -score })),
      ...recent.map((rowid, index) => ({ rowid, score: lowest - 1 - index })),
    ];
  }

  /**
   * Marks matched words in the hits' title, summary and a body passage. FTS5's
   * highlight() on the full index re-runs the whole query for each hit (several
   * milliseconds for a prefix), so the hits are copied into a scratch index with
   * the same tokenizer and marked there. Only a window of each body is copied,
   * around the first place a query word seems to occur, to keep the copy cheap.
   */
  private markMatches(
    rows: HitRow[],
    ranked: RankedArticle[],
    match: string,
    words: QueryWord[],
  ): Map<number, Marked> {
    const marked = new Map<number, Marked>();
    if (rows.length === 0) return marked;
    const stems = words.flatMap((word) =>
      word.partial
        ? [word.searched]
        : [word.searched.slice(0, Math.max(3, word.searched.length - 3))],
    );
    this.scratch.transaction(() => {
      this.scratchStatements.clear!.run();
      rows.forEach((row, index) =>
        this.scratchStatements.add!.run(
          ranked[index]!.rowid,
          row.title,
          row.summary,
          passageWindow(row.body, stems),
        ),
      );
      for (const found of this.scratchStatements.marked!.all(match) as (Marked & {
        rowid: number;
      })[]) {
        marked.set(found.rowid, found);
      }
    })();
    return marked;
  }

  private hitOf(
    article: RankedArticle,
    row: HitRow,
    marked: Marked | undefined,
  ): KnowledgeSearchHit {
    const summary = segmentsOf(marked?.summary ?? row.summary);
    const passage = segmentsOf(plainPassage(marked?.passage ?? ''));
    const today = this.now().toISOString().slice(0, 10);
    return {
      id: row.id,
      title: row.title,
      titleHighlighted: segmentsOf(marked?.title ?? row.title),
      snippet:
        summary.some((segment) => segment.match) || !passage.some((segment) => segment.match)
          ? summary
          : passage,
      kind: knowledgeKinds.find((_, index) => row.kind_mask === 1 << index) ?? 'guide',
      region: knowledgeRegions.find((_, index) => row.region_mask === 1 << index) ?? 'national',
      topics: knowledgeTopics.filter((_, index) => (row.topics_mask & (1 << index)) !== 0),
      reviewBy: row.review_by,
      reviewState: row.review_by < today ? 'overdue' : 'current',
      // bm25 is lower-is-better; the answer's score is higher-is-better.
      score: Math.round(-article.score * 1000) / 1000,
    };
  }

  private refreshCaches(): void {
    const cursor = this.statements.cursor!.get() as number;
    if (cursor !== this.cacheCursor) {
      this.completionCache = new Map();
      this.cachedArticleCount = null;
      this.cacheCursor = cursor;
    }
  }

  private articleCount(): number {
    this.cachedArticleCount ??= this.statements.articleCount!.get() as number;
    return this.cachedArticleCount;
  }

  private matchesAny(match: string): boolean {
    return this.statements.anyMatch!.get(match) !== undefined;
  }

  private hasCompletion(prefix: string): boolean {
    return this.statements.hasCompletion!.get(prefix, pastPrefix(prefix)) !== undefined;
  }

  private completions(prefix: string): string[] {
    const cached = this.completionCache.get(prefix);
    if (cached) return cached;
    const completions = this.statements.completions!.all(
      prefix,
      pastPrefix(prefix),
      completionsPerPrefix,
    ) as string[];
    if (this.completionCache.size > 10_000) this.completionCache.clear();
    this.completionCache.set(prefix, completions);
    return completions;
  }

  /** Words starting with the typed word's first or second letter: catches swaps and a lost first letter. */
  private spellingCandidates(
    typed: string,
    shortest: number,
    longest: number,
  ): { word: string; docCount: number }[] {
    const initials = [...new Set([...typed.slice(0, 2)])];
    return initials.flatMap(
      (initial) =>
        this.statements.spellingCandidates!.all(
          initial,
          pastPrefix(initial),
          shortest,
          longest,
        ) as {
          word: string;
          docCount: number;
        }[],
    );
  }

  /** The nearest word in the vocabulary within one or two edits, the more frequent on a tie. */
  private correctWord(typed: string): string | null {
    const limit = correctionEditLimit(typed);
    let best: { word: string; distance: number; docCount: number } | null = null;
    for (const candidate of this.spellingCandidates(
      typed,
      typed.length - limit,
      typed.length + limit,
    )) {
      const distance = editDistance(typed, candidate.word, limit);
      if (distance > limit) continue;
      if (
        !best ||
        distance < best.distance ||
        (distance === best.distance && candidate.docCount > best.docCount)
      ) {
        best = { word: candidate.word, distance, docCount: candidate.docCount };
      }
    }
    return best?.word ?? null;
  }

  /** For a word still being typed: the nearest start of a known word ("aprent" -> "apprent"). */
  private correctPrefix(typed: string): string | null {
    const limit = correctionEditLimit(typed);
    let best: { prefix: string; distance: number; docCount: number } | null = null;
    for (const candidate of this.spellingCandidates(typed, typed.length - 1, 1_000)) {
      for (let length = typed.length - 1; length <= typed.length + 1; length += 1) {
        const prefix = candidate.word.slice(0, length);
        if (prefix.length !== length) continue;
        const distance = editDistance(typed, prefix, limit);
        if (distance > limit) continue;
        const better =
          !best ||
          distance < best.distance ||
          (distance === best.distance && candidate.docCount > best.docCount) ||
          (distance === best.distance &&
            candidate.docCount === best.docCount &&
            prefix.length < best.prefix.length);
        if (better) best = { prefix, distance, docCount: candidate.docCount };
      }
    }
    return best?.prefix ?? null;
  }
}

/** Splits highlight() output into marked and unmarked runs. */
export function segmentsOf(marked: string): HighlightedText {
  const segments: HighlightedText = [];
  let match = false;
  for (const piece of marked.split(/([\uE000\uE001])/)) {
    if (piece === matchStart) match = true;
    else if (piece === matchEnd) match = false;
    else if (piece.length > 0) {
      const last = segments.at(-1);
      if (last && last.match === match) last.text += piece;
      else segments.push({ text: piece, match });
    }
  }
  return segments;
}

/** About 600 characters of the body around the first place one of the stems appears. */
function passageWindow(body: string, stems: string[]): string {
  const lowered = body.toLowerCase();
  let first = -1;
  for (const stem of stems) {
    const at = lowered.indexOf(stem);
    if (at !== -1 && (first === -1 || at < first)) first = at;
  }
  const start = Math.max(0, first - 200);
  return body.slice(start, start + 600);
}

/** A body passage as readable text: Markdown links, emphasis and heading marks taken out. */
function plainPassage(passage: string): string {
  return passage
    .replace(/\[([^\]]*)\]\([^)\s]*\)/g, '$1')
    .replace(/[#*_`>|]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
