// The article form: front matter and Markdown body, for a new article or an
// edit of the desk's copy. Checked with the server's own schema before it is
// sent; each problem is shown on its field, and a summary links to them. The
// edit is queued on the desk, so it can be written with the network off.
import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import {
  knowledgeAudiences,
  knowledgeKinds,
  knowledgeRegions,
  knowledgeTopics,
} from '../../../shared/knowledge/article';
import { audienceWords, kindWords, regionWords, topicWords } from '../knowledge/knowledge-words';
import {
  checkArticleForm,
  errorsFromResult,
  type ArticleFormErrors,
  type ArticleFormField,
  type ArticleFormValues,
} from './article-form';
import './knowledge-admin.css';

export interface ArticleFormProps {
  desk: DeskBridge;
  /** `new` lets the adviser choose the id; an edit keeps the article's. */
  mode: 'new' | 'edit';
  initial: ArticleFormValues;
  /** The version of the desk's copy being edited; null for a new article. */
  baseVersion: number | null;
  onSubmitted: (draft: { draftId: string; articleId: string; title: string }) => void;
  onCancel: () => void;
}

const fieldLabels: Record<ArticleFormField, string> = {
  id: 'Article id',
  title: 'Title',
  summary: 'Summary',
  topics: 'Topics',
  audience: 'Audience',
  region: 'Region',
  kind: 'Kind',
  lastReviewed: 'Last reviewed',
  reviewBy: 'Review by',
  sources: 'Sources',
  phone: 'Phone',
  website: 'Website',
  email: 'Email',
  text: 'Text',
  openingHours: 'Opening hours',
  body: 'Body (Markdown)',
  contact: 'Contact details',
};

export function ArticleForm({
  desk,
  mode,
  initial,
  baseVersion,
  onSubmitted,
  onCancel,
}: ArticleFormProps) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<ArticleFormErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  const formId = useId();
  const idOf = (field: ArticleFormField) => `${formId}-${field}`;
  const errorIdOf = (field: ArticleFormField) => `${formId}-${field}-error`;

  const set = <K extends keyof ArticleFormValues>(field: K, value: ArticleFormValues[K]) =>
    setValues((current) => ({ ...current, [field]: value }));

  const toggle = <K extends 'topics' | 'audience'>(
    field: K,
    option: ArticleFormValues[K][number],
    on: boolean,
  ) =>
    setValues((current) => {
      const chosen = current[field] as string[];
      const next = on ? [...chosen, option] : chosen.filter((value) => value !== option);
      return { ...current, [field]: next };
    });

  const showProblems = (found: ArticleFormErrors, message: string | null) => {
    setErrors(found);
    setProblem(message);
    requestAnimationFrame(() => summaryRef.current?.focus());
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const checked = checkArticleForm(values);
    if (!checked.ok) return showProblems(checked.errors, null);
    setSending(true);
    const result = await desk.submitKnowledgeEdit({
      content: checked.content,
      baseVersion,
      note: values.note,
    });
    setSending(false);
    if (result.ok) {
      setErrors({});
      setProblem(null);
      onSubmitted({ ...result.value, title: checked.content.title });
      return;
    }
    showProblems(errorsFromResult(result.error), result.error.message);
  };

  const invalid = (field: ArticleFormField) =>
    errors[field]
      ? { 'aria-invalid': true as const, 'aria-describedby': errorIdOf(field) }
      : { 'aria-invalid': false as const };

  const errorFor = (field: ArticleFormField) =>
    errors[field] ? (
      <p id={errorIdOf(field)} className="article-form__error">
        {fieldLabels[field]}: {errors[field]}
      </p>
    ) : null;

  const textField = (
    field: Exclude<ArticleFormField, 'topics' | 'audience' | 'region' | 'kind' | 'contact'>,
    props: { type?: string; multiline?: number; hint?: string; readOnly?: boolean } = {},
  ): ReactNode => {
    const hintId = props.hint ? `${idOf(field)}-hint` : undefined;
    const common = {
      id: idOf(field),
      value: values[field],
      readOnly: props.readOnly,
      ...invalid(field),
      ...(hintId && !errors[field] ? { 'aria-describedby': hintId } : {}),
    };
    return (
      <div className="article-form__field">
        <label htmlFor={idOf(field)}>{fieldLabels[field]}</label>
        {props.hint && (
          <p id={hintId} className="article-form__hint">
            {props.hint}
          </p>
        )}
        {errorFor(field)}
        {props.multiline ? (
          <textarea
            {...common}
            rows={props.multiline}
            onChange={(event) => set(field, event.target.value)}
          />
        ) : (
          <input
            {...common}
            type={props.type ?? 'text'}
            onChange={(event) => set(field, event.target.value)}
          />
        )}
      </div>
    );
  };

  const errorList = Object.entries(errors) as [ArticleFormField, string][];
  const title = mode === 'new' ? 'New article' : 'Edit article';

  return (
    <form
      className="article-form"
      aria-label={title}
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <div ref={summaryRef} tabIndex={-1} role={problem || errorList.length ? 'alert' : undefined}>
        {(problem || errorList.length > 0) && (
          <div className="notice notice--problem">
            <p>{problem ?? 'The article cannot be sent yet. Please fix:'}</p>
            {errorList.length > 0 && (
              <ul aria-label="Problems to fix">
                {errorList.map(([field, message]) => (
                  <li key={field}>
                    <a href={`#${idOf(field)}`}>
                      {fieldLabels[field]}: {message}
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
      {textField('id', {
        readOnly: mode === 'edit',
        hint:
          mode === 'new'
            ? 'Lower case words joined by hyphens, for example hgv-driving-funding'
            : 'An article keeps its id',
      })}
      {textField('title')}
      {textField('summary', { multiline: 2 })}
      <fieldset className="article-form__choices" {...invalid('topics')}>
        <legend>{fieldLabels.topics}</legend>
        {errorFor('topics')}
        {knowledgeTopics.map((topic) => (
          <label key={topic}>
            <input
              type="checkbox"
              checked={values.topics.includes(topic)}
              onChange={(event) => toggle('topics', topic, event.target.checked)}
            />{' '}
            {topicWords[topic]}
          </label>
        ))}
      </fieldset>
      <fieldset className="article-form__choices" {...invalid('audience')}>
        <legend>{fieldLabels.audience}</legend>
        {errorFor('audience')}
        {knowledgeAudiences.map((audience) => (
          <label key={audience}>
            <input
              type="checkbox"
              checked={values.audience.includes(audience)}
              onChange={(event) => toggle('audience', audience, event.target.checked)}
            />{' '}
            {audienceWords[audience]}
          </label>
        ))}
      </fieldset>
      <div className="article-form__field">
        <label htmlFor={idOf('region')}>{fieldLabels.region}</label>
        {errorFor('region')}
        <select
          id={idOf('region')}
          value={values.region}
          {...invalid('region')}
          onChange={(event) => {
            const region = knowledgeRegions.find((value) => value === event.target.value);
            if (region) set('region', region);
          }}
        >
          {knowledgeRegions.map((region) => (
            <option key={region} value={region}>
              {regionWords[region]}
            </option>
          ))}
        </select>
      </div>
      <div className="article-form__field">
        <label htmlFor={idOf('kind')}>{fieldLabels.kind}</label>
        {errorFor('kind')}
        <select
          id={idOf('kind')}
          value={values.kind}
          {...invalid('kind')}
          onChange={(event) => {
            const kind = knowledgeKinds.find((value) => value === event.target.value);
            if (kind) set('kind', kind);
          }}
        >
          {knowledgeKinds.map((kind) => (
            <option key={kind} value={kind}>
              {kindWords[kind]}
            </option>
          ))}
        </select>
      </div>
      {textField('lastReviewed', { type: 'date' })}
      {textField('reviewBy', { type: 'date' })}
      {textField('sources', {
        multiline: 3,
        hint: 'One a line: the source’s title, a bar, then its link (title | https://…)',
      })}
      <fieldset className="article-form__contact" {...invalid('contact')}>
        <legend>{fieldLabels.contact} (needed for a service)</legend>
        {errorFor('contact')}
        {textField('phone', { type: 'tel' })}
        {textField('website', { type: 'url' })}
        {textField('email', { type: 'email' })}
        {textField('text')}
        {textField('openingHours')}
      </fieldset>
      {textField('body', { multiline: 14 })}
      <div className="article-form__field">
        <label htmlFor={`${formId}-note`}>Note for the reviewer</label>
        <textarea
          id={`${formId}-note`}
          rows={2}
          value={values.note}
          onChange={(event) => set('note', event.target.value)}
        />
      </div>
      <div className="article-form__actions">
        <button type="submit" className="button button--primary" disabled={sending}>
          Send for review
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
