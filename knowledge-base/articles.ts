// Reads the starter articles (Markdown with YAML front matter, see
// docs/knowledge-article-format.md) and checks each against the article schema,
// naming the file and the field whenever something is wrong.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { articleContentSchema, type ArticleContent } from '../shared/knowledge/article';

/** The folder the server imports on its first start. */
export const starterArticlesFolder = fileURLToPath(new URL('./articles/', import.meta.url));

export interface ArticleFileProblem {
  file: string;
  /** The front-matter field as written in the file (snake_case), or `(file)` / `(body)`. */
  field: string;
  message: string;
}

export type ArticleFileOutcome =
  { ok: true; article: ArticleContent } | { ok: false; problems: ArticleFileProblem[] };

/** Front-matter names as written in the files, mapped to the article's field names. */
const frontMatterFields = {
  id: 'id',
  title: 'title',
  summary: 'summary',
  topics: 'topics',
  audience: 'audience',
  region: 'region',
  kind: 'kind',
  last_reviewed: 'lastReviewed',
  review_by: 'reviewBy',
  sources: 'sources',
  contact: 'contact',
  opening_hours: 'openingHours',
} as const satisfies Record<string, keyof ArticleContent>;

const fieldNameInFile = new Map<string, string>(
  Object.entries(frontMatterFields).map(([inFile, inArticle]) => [inArticle, inFile]),
);

const frontMatterPattern = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/;

/** Parses one article file. `fileName` is used in problems and must match the article's id. */
export function parseArticleFile(fileName: string, text: string): ArticleFileOutcome {
  const file = basename(fileName);
  const problem = (field: string, message: string): ArticleFileOutcome => ({
    ok: false,
    problems: [{ file, field, message }],
  });
  const parts = frontMatterPattern.exec(text);
  if (!parts)
    return problem('(file)', 'does not start with a front-matter block between two --- lines');
  const [, yamlText = '', body = ''] = parts;

  let frontMatter: unknown;
  try {
    // Dates stay strings (the core schema does not turn 2026-11-01 into a Date).
    frontMatter = parseYaml(yamlText, { schema: 'core', uniqueKeys: true });
  } catch (error) {
    const where =
      error instanceof YAMLParseError && error.linePos
        ? ` (front matter line ${error.linePos[0].line})`
        : '';
    return problem(
      '(front matter)',
      `is not valid YAML${where}: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  if (typeof frontMatter !== 'object' || frontMatter === null || Array.isArray(frontMatter)) {
    return problem('(front matter)', 'must be a mapping of field names to values');
  }

  const problems: ArticleFileProblem[] = [];
  const candidate: Record<string, unknown> = { body: body.trim() };
  for (const [name, value] of Object.entries(frontMatter)) {
    const field = frontMatterFields[name as keyof typeof frontMatterFields];
    if (field === undefined)
      problems.push({ file, field: name, message: 'is not a known front-matter field' });
    else candidate[field] = value;
  }

  const parsed = articleContentSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [head, ...rest] = issue.path.map(String);
      const field =
        head === undefined
          ? '(front matter)'
          : head === 'body'
            ? '(body)'
            : (fieldNameInFile.get(head) ?? head);
      problems.push({ file, field: [field, ...rest].join('.'), message: issue.message });
    }
  }
  if (parsed.success && parsed.data.id !== file.replace(/\.md$/, '')) {
    problems.push({
      file,
      field: 'id',
      message: `is "${parsed.data.id}" but the file is named ${file}`,
    });
  }
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, article: parsed.data };
}

export interface ArticleFolder {
  articles: ArticleContent[];
  problems: ArticleFileProblem[];
}

/** Reads every `.md` file in the folder, in name order. Duplicate ids are problems too. */
export function readArticleFolder(folder: string = starterArticlesFolder): ArticleFolder {
  const files = readdirSync(folder)
    .filter((name) => name.endsWith('.md'))
    .sort();
  const articles: ArticleContent[] = [];
  const problems: ArticleFileProblem[] = [];
  const fileById = new Map<string, string>();
  for (const file of files) {
    const outcome = parseArticleFile(file, readFileSync(join(folder, file), 'utf8'));
    if (!outcome.ok) {
      problems.push(...outcome.problems);
      continue;
    }
    const earlier = fileById.get(outcome.article.id);
    if (earlier !== undefined) {
      problems.push({
        file,
        field: 'id',
        message: `"${outcome.article.id}" is already used by ${earlier}`,
      });
      continue;
    }
    fileById.set(outcome.article.id, file);
    articles.push(outcome.article);
  }
  return { articles, problems };
}

export class ArticleFolderError extends Error {
  override name = 'ArticleFolderError';
  constructor(readonly problems: ArticleFileProblem[]) {
    super(
      `${problems.length} problem(s) in the knowledge articles:\n` +
        problems
          .map((problem) => `  ${problem.file}: ${problem.field} ${problem.message}`)
          .join('\n'),
    );
  }
}

/** The starter articles, all valid, or an ArticleFolderError listing every problem. */
export function loadArticleFolder(folder: string = starterArticlesFolder): ArticleContent[] {
  const { articles, problems } = readArticleFolder(folder);
  if (problems.length > 0) throw new ArticleFolderError(problems);
  return articles;
}
