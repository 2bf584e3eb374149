// A synthetic knowledge network for the benchmark: articles of realistic length
// (2 to 3 KB of body) whose words are drawn, Zipf-distributed, from the starter
// articles' own vocabulary, so term frequencies look like real text.
import { readdirSync, readFileSync } from 'node:fs';
import { readArticleFolder } from '../knowledge-base/articles';
import { openStorage } from '../server/storage/storage';
import type { ArticleContent } from '../shared/knowledge/article';
import { wordsOf } from '../knowledge-base/text';
import {
  knowledgeAudiences,
  knowledgeRegions,
  knowledgeTopics,
  type KnowledgeArticle,
  type KnowledgeChangePage,
} from '../shared/knowledge/article';

/** Careers text used for the vocabulary when the starter folder is still nearly empty. */
const fallbackText = `An apprenticeship combines paid work with training towards a recognised qualification.
Apprenticeships run from intermediate level 2 to degree level 6 and 7, and employers pay at least the
apprentice rate of the national minimum wage. Young people must stay in education or training until
their eighteenth birthday: full-time study at school, sixth form or college, an apprenticeship or
traineeship, or part-time training alongside work or volunteering. The 16 to 19 Bursary Fund helps
students who need money for transport, books, equipment or meals. Student finance covers tuition fees
and maintenance loans for university courses; repayments depend on earnings after graduation. T levels
are two-year technical courses with an industry placement of at least 45 days. GCSE resits in English
and maths are required for students who have not yet achieved grade 4. Supported internships help young
people with an education, health and care plan move into paid employment. Nursing, medicine, teaching,
law, engineering, construction trades, digital and creative careers, the armed forces, HGV driving,
wedding planning and the space sector each have their own entry routes, work experience expectations,
funding options and local labour market demand across London, the North East, Yorkshire and the Humber.`;

/** The project's own documentation, a stand-in source of words before the starter articles exist. */
function projectDocs(): string[] {
  const docs = new URL('../docs/', import.meta.url);
  const names = readdirSync(docs, { recursive: true, encoding: 'utf8' }).filter((name) =>
    name.endsWith('.md'),
  );
  return names.map((name) => readFileSync(new URL(name, docs), 'utf8'));
}

/** Small, fast, seedable generator so a corpus is the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface Vocabulary {
  /** Words by falling frequency in the starter articles. */
  words: string[];
  /** Cumulative Zipf weights over `words`, for drawing by rank. */
  cumulative: Float64Array;
  /** Words worth searching for: four letters or more, not among the commonest fifty. */
  searchable: string[];
  fromStarterArticles: number;
}

export function buildVocabulary(exponent = 1.0): Vocabulary {
  const { articles } = readArticleFolder();
  const text =
    articles.length >= 20
      ? articles.map((article) => `${article.title} ${article.summary} ${article.body}`).join(' ')
      : [fallbackText, ...projectDocs()].join(' ');
  const counts = new Map<string, number>();
  for (const word of wordsOf(text)) {
    if (/^\d+$/.test(word) && word.length > 2) continue;
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const words = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([word]) => word);
  const cumulative = new Float64Array(words.length);
  let total = 0;
  words.forEach((_, rank) => {
    total += 1 / Math.pow(rank + 1, exponent);
    cumulative[rank] = total;
  });
  for (let rank = 0; rank < words.length; rank += 1) cumulative[rank] = cumulative[rank]! / total;
  const searchable = words.slice(50).filter((word) => word.length >= 4 && !/\d/.test(word));
  return {
    words,
    cumulative,
    searchable,
    fromStarterArticles: articles.length >= 20 ? articles.length : 0,
  };
}

function drawRank(vocabulary: Vocabulary, random: () => number): number {
  const target = random();
  let low = 0;
  let high = vocabulary.cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (vocabulary.cumulative[middle]! < target) low = middle + 1;
    else high = middle;
  }
  return low;
}

const drawWord = (vocabulary: Vocabulary, random: () => number): string =>
  vocabulary.words[drawRank(vocabulary, random)]!;

const pickFrom = <T>(values: readonly T[], random: () => number): T =>
  values[Math.floor(random() * values.length)]!;

function sentence(vocabulary: Vocabulary, random: () => number, words: number): string {
  const drawn = Array.from({ length: words }, () => drawWord(vocabulary, random));
  const first = drawn[0] ?? 'and';
  drawn[0] = first.charAt(0).toUpperCase() + first.slice(1);
  return `${drawn.join(' ')}.`;
}

/** The article at a position in the corpus: the same article for the same position and seed. */
export function syntheticArticle(
  vocabulary: Vocabulary,
  index: number,
  seed = 1,
): KnowledgeArticle {
  const random = seededRandom(seed * 1_000_003 + index);
  // Titles and summaries lean on the less common words, as real titles do.
  const titleWords = 3 + Math.floor(random() * 5);
  const title = Array.from({ length: titleWords }, () => {
    const rank = drawRank(vocabulary, random);
    return rank < 30 ? pickFrom(vocabulary.searchable, random) : vocabulary.words[rank]!;
  }).join(' ');
  const summary = sentence(vocabulary, random, 18 + Math.floor(random() * 16)).slice(0, 390);
  const bodyLength = 2_000 + Math.floor(random() * 1_000);
  const paragraphs: string[] = [];
  let length = 0;
  while (length < bodyLength) {
    const paragraph =
      random() < 0.15
        ? `## ${sentence(vocabulary, random, 3 + Math.floor(random() * 3)).slice(0, -1)}`
        : Array.from({ length: 2 + Math.floor(random() * 4) }, () =>
            sentence(vocabulary, random, 8 + Math.floor(random() * 14)),
          ).join(' ');
    paragraphs.push(paragraph);
    length += paragraph.length + 2;
  }
  const kind = random() < 0.15 ? 'service' : 'guide';
  const topics = [
    ...new Set([pickFrom(knowledgeTopics, random), pickFrom(knowledgeTopics, random)]),
  ];
  return {
    id: `synthetic-${index + 1}`,
    version: index + 1,
    status: 'published',
    title: title.charAt(0).toUpperCase() + title.slice(1),
    summary,
    body: paragraphs.join('\n\n').slice(0, 3_000),
    topics,
    audience: [pickFrom(knowledgeAudiences, random)],
    region: random() < 0.6 ? 'national' : pickFrom(knowledgeRegions, random),
    kind,
    // About one in ten is past its review-by date, as on a live desk.
    lastReviewed: '2025-12-01',
    reviewBy: random() < 0.1 ? '2026-06-01' : '2027-04-01',
    sources: [{ title: 'GOV.UK', url: 'https://www.gov.uk/' }],
    ...(kind === 'service'
      ? { contact: { phone: '0800 000 000' }, openingHours: 'Monday to Friday 9am to 5pm' }
      : {}),
  };
}

/** The corpus as the server's change feed would send it, page by page. */
export function* syntheticPages(
  vocabulary: Vocabulary,
  articles: number,
  pageSize = 1_000,
  seed = 1,
): Generator<KnowledgeChangePage> {
  for (let start = 0; start < articles; start += pageSize) {
    const end = Math.min(articles, start + pageSize);
    const changes = [];
    for (let index = start; index < end; index += 1) {
      const article = syntheticArticle(vocabulary, index, seed);
      changes.push({ version: article.version, article });
    }
    yield { changes, nextCursor: end, hasMore: end < articles };
  }
}

/**
 * What advisers type: every prefix of real words from the second letter on, and
 * two- and three-word queries whose last word is still being typed.
 */
export function asYouTypeQueries(vocabulary: Vocabulary, count: number, seed = 7): string[] {
  const random = seededRandom(seed);
  const queries: string[] = [];
  while (queries.length < count) {
    const wordsInQuery = random() < 0.5 ? 1 : random() < 0.6 ? 2 : 3;
    const leading = Array.from({ length: wordsInQuery - 1 }, () =>
      pickFrom(vocabulary.searchable, random),
    );
    const typing = pickFrom(vocabulary.searchable, random);
    for (let length = 2; length <= typing.length && queries.length < count; length += 1) {
      queries.push([...leading, typing.slice(0, length)].join(' '));
    }
  }
  return queries;
}

/**
 * A central server's store holding `articles` synthetic articles, written
 * before the server starts so its starter import sees articles held. The
 * benchmarks that sync a desk from a real server start from this.
 */
export async function seedServerKnowledge(
  dataDir: string,
  vocabulary: Vocabulary,
  articles: number,
): Promise<void> {
  const storage = await openStorage({ dataDir });
  try {
    const corpus: ArticleContent[] = [];
    for (let index = 0; index < articles; index += 1) {
      const {
        version: _version,
        status: _status,
        ...content
      } = syntheticArticle(vocabulary, index);
      corpus.push(content);
    }
    await storage.knowledge.importIfEmpty(corpus, new Date().toISOString());
  } finally {
    await storage.close();
  }
}
