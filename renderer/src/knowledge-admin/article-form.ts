// The article form's values and rules, without React: an article's front
// matter and body as the adviser types them, turned into ArticleContent and
// checked with the same schema the server uses (articleContentSchema, whose
// messages say what to fix in plain words), with each problem placed on the
// field the adviser can fix it in.
import {
  articleContentSchema,
  type ArticleContent,
  type KnowledgeAudience,
  type KnowledgeKind,
  type KnowledgeRegion,
  type KnowledgeTopic,
} from '../../../shared/knowledge/article';
import type { ResultError } from '../../../shared/result';
import { audienceWords, kindWords, regionWords, topicWords } from '../knowledge/knowledge-words';

export interface ArticleFormValues {
  id: string;
  title: string;
  summary: string;
  topics: KnowledgeTopic[];
  audience: KnowledgeAudience[];
  region: KnowledgeRegion;
  kind: KnowledgeKind;
  lastReviewed: string;
  reviewBy: string;
  /** One source a line: `title | https://link`. */
  sources: string;
  phone: string;
  website: string;
  email: string;
  text: string;
  openingHours: string;
  body: string;
  /** Why the change was made, for the reviewer. Not part of the article. */
  note: string;
}

/** Where a problem is shown: a form field, or `contact` for the contact details as a group. */
export type ArticleFormField = Exclude<keyof ArticleFormValues, 'note'> | 'contact';
export type ArticleFormErrors = Partial<Record<ArticleFormField, string>>;

export type ArticleFormCheck =
  { ok: true; content: ArticleContent } | { ok: false; errors: ArticleFormErrors };

const contactFields = ['phone', 'website', 'email', 'text'] as const;
/** The fields in the order the form shows them: problems are listed, and the first focused, in this order. */
export const formFields: readonly ArticleFormField[] = [
  'title',
  'id',
  'summary',
  'topics',
  'audience',
  'region',
  'kind',
  'lastReviewed',
  'reviewBy',
  'sources',
  'contact',
  'phone',
  'website',
  'email',
  'text',
  'openingHours',
  'body',
];

/** The problems in the form's order, the first being the field to move focus to. */
export function problemsInFormOrder(errors: ArticleFormErrors): [ArticleFormField, string][] {
  return formFields.flatMap((field) => {
    const message = errors[field];
    return message === undefined ? [] : [[field, message] as [ArticleFormField, string]];
  });
}

/** An ISO date a number of whole years after `isoDate` (29 February falls to 1 March). */
export function yearsAfter(isoDate: string, years: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return date.toISOString().slice(0, 10);
}

/** A new article: reviewed today, due for review in a year, as the starter articles are. */
export function blankArticleForm(today: string): ArticleFormValues {
  return {
    id: '',
    title: '',
    summary: '',
    topics: [],
    audience: ['young-person'],
    region: 'national',
    kind: 'guide',
    lastReviewed: today,
    reviewBy: yearsAfter(today, 1),
    sources: '',
    phone: '',
    website: '',
    email: '',
    text: '',
    openingHours: '',
    body: '',
    note: '',
  };
}

export function formFromArticle(article: ArticleContent): ArticleFormValues {
  return {
    id: article.id,
    title: article.title,
    summary: article.summary,
    topics: [...article.topics],
    audience: [...article.audience],
    region: article.region,
    kind: article.kind,
    lastReviewed: article.lastReviewed,
    reviewBy: article.reviewBy,
    sources: article.sources.map((source) => `${source.title} | ${source.url}`).join('\n'),
    phone: article.contact?.phone ?? '',
    website: article.contact?.website ?? '',
    email: article.contact?.email ?? '',
    text: article.contact?.text ?? '',
    openingHours: article.openingHours ?? '',
    body: article.body,
    note: '',
  };
}

/** `title | link` a line; a line that is only a link is titled by itself. */
function sourcesOf(lines: string): { title: string; url: string }[] {
  return lines
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const bar = line.lastIndexOf('|');
      if (bar < 0) return { title: line, url: line };
      return { title: line.slice(0, bar).trim(), url: line.slice(bar + 1).trim() };
    });
}

/** The content as typed, before checking: blank optional fields left out rather than sent empty. */
export function contentCandidate(values: ArticleFormValues): Record<string, unknown> {
  const contact = Object.fromEntries(
    contactFields.map((field) => [field, values[field].trim()]).filter(([, value]) => value !== ''),
  );
  return {
    id: values.id.trim(),
    title: values.title,
    summary: values.summary,
    topics: values.topics,
    audience: values.audience,
    region: values.region,
    kind: values.kind,
    lastReviewed: values.lastReviewed,
    reviewBy: values.reviewBy,
    sources: sourcesOf(values.sources),
    ...(Object.keys(contact).length > 0 ? { contact } : {}),
    ...(values.openingHours.trim() !== '' ? { openingHours: values.openingHours } : {}),
    body: values.body,
  };
}

/**
 * Which field a problem belongs to, from its path in the content (`sources.1.url`,
 * `contact.email`) or in the desk request (`content.id`). Null when no field fits.
 */
export function fieldOfPath(path: readonly (string | number)[]): ArticleFormField | null {
  const parts = path[0] === 'content' ? path.slice(1) : path;
  const [first, second] = parts;
  if (first === 'contact') {
    const inner = contactFields.find((field) => field === second);
    return inner ?? 'contact';
  }
  return formFields.find((field) => field === first) ?? null;
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

function messageFor(path: readonly (string | number)[], message: string): string {
  const parts = path[0] === 'content' ? path.slice(1) : path;
  // A source's problem names its line, since the sources share one box.
  if (parts[0] === 'sources' && typeof parts[1] === 'number') {
    return `On line ${parts[1] + 1}, ${lowerFirst(message)}`;
  }
  return message;
}

export function checkArticleForm(values: ArticleFormValues): ArticleFormCheck {
  const parsed = articleContentSchema.safeParse(contentCandidate(values));
  if (parsed.success) return { ok: true, content: parsed.data };
  const errors: ArticleFormErrors = {};
  for (const issue of parsed.error.issues) {
    const path = issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part));
    const field = fieldOfPath(path) ?? 'body';
    // The first problem on a field is the one to fix first.
    errors[field] ??= messageFor(path, issue.message);
  }
  return { ok: false, errors };
}

/** Problems the desk or server named (ResultError.issues, paths as `content.sources.0.url`) by field. */
export function errorsFromResult(error: ResultError): ArticleFormErrors {
  const errors: ArticleFormErrors = {};
  for (const issue of error.issues ?? []) {
    const path = issue.path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
    const field = fieldOfPath(path);
    if (field) errors[field] ??= messageFor(path, issue.message);
  }
  return errors;
}

/** One front-matter field as the reviewer compares it, in words. */
export interface ComparedField {
  label: string;
  value: string;
}

/** The front matter in words, in a fixed order, so two copies line up field by field. */
export function frontMatterWords(content: ArticleContent): ComparedField[] {
  const contact = content.contact
    ? contactFields
        .map((field) => (content.contact?.[field] ? `${field}: ${content.contact[field]}` : ''))
        .filter((line) => line !== '')
        .join('; ')
    : '';
  return [
    { label: 'Title', value: content.title },
    { label: 'Summary', value: content.summary },
    { label: 'Topics', value: content.topics.map((topic) => topicWords[topic]).join(', ') },
    {
      label: 'Audience',
      value: content.audience.map((audience) => audienceWords[audience]).join(', '),
    },
    { label: 'Region', value: regionWords[content.region] },
    { label: 'Kind', value: kindWords[content.kind] },
    { label: 'Last reviewed', value: content.lastReviewed },
    { label: 'Review by', value: content.reviewBy },
    {
      label: 'Sources',
      value: content.sources.map((source) => `${source.title} (${source.url})`).join('; '),
    },
    { label: 'Contact', value: contact },
    { label: 'Opening hours', value: content.openingHours ?? '' },
  ];
}
