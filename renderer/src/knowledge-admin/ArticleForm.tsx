// The article form: front matter and Markdown body, for a new article or an
// edit of the desk's copy. A new article's id is made from its title as it is
// typed (shown, and editable), and one the desk already holds is refused on the
// field before sending. Checked with the server's own schema before it is
// sent; each problem is shown on its field in plain words, a summary links to
// them, and focus moves to the first. The edit is queued on the desk, so it
// can be written with the network off.
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import {
  knowledgeAudiences,
  knowledgeKinds,
  knowledgeRegions,
  knowledgeTopics,
} from '../../../shared/knowledge/article';
import { articleIdFromTitle, freeArticleId } from '../../../shared/knowledge/article-id';
import { audienceWords, kindWords, regionWords, topicWords } from '../knowledge/knowledge-words';
import {
  checkArticleForm,
  errorsFromResult,
  problemsInFormOrder,
  type ArticleFormErrors,
  type ArticleFormField,
  type ArticleFormValues,
} from './article-form';
import './knowledge-admin.css';

export interface ArticleFormProps {
  desk: DeskBridge;
  /** `new` makes the id from the title (the adviser may change it); an edit keeps the article's. */
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
  // A new article's id follows its title until the author types an id of their own.
  const [idFollowsTitle, setIdFollowsTitle] = useState(mode === 'new' && initial.id === '');
  // The published article already using the id typed, if the desk holds one.
  const [idTakenBy, setIdTakenBy] = useState<{ id: string; title: string } | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const formId = useId();
  const idOf = (field: ArticleFormField) => `${formId}-${field}`;
  const errorIdOf = (field: ArticleFormField) => `${formId}-${field}-error`;

  /** A field the author changes loses its old problem; the next check says whether it is fixed. */
  const clearProblem = (field: keyof ArticleFormValues) =>
    setErrors((current) => {
      const contact = ['phone', 'website', 'email', 'text', 'kind'].includes(field);
      if (!(field in current) && !(contact && 'contact' in current)) return current;
      const rest: ArticleFormErrors = { ...current };
      delete rest[field as ArticleFormField];
      if (contact) delete rest.contact;
      return rest;
    });

  const set = <K extends keyof ArticleFormValues>(field: K, value: ArticleFormValues[K]) => {
    setValues((current) => ({ ...current, [field]: value }));
    clearProblem(field);
  };

  // The id made from the title, moved on past ids the desk already holds ("-2", "-3"...).
  const [freeId, setFreeId] = useState<{ title: string; id: string | null } | null>(null);
  useEffect(() => {
    if (!idFollowsTitle) return;
    let live = true;
    const title = values.title;
    void freeArticleId(title, async (id) => (await desk.openArticle({ id })).ok).then((id) => {
      if (live) setFreeId({ title, id });
    });
    return () => {
      live = false;
    };
  }, [desk, idFollowsTitle, values.title]);
  const madeId =
    freeId?.title === values.title && freeId.id !== null
      ? freeId.id
      : articleIdFromTitle(values.title);
  // What the form holds: the id made from the title while it follows the title.
  const current: ArticleFormValues = idFollowsTitle ? { ...values, id: madeId } : values;

  // A new article's id that the desk already holds is said on the field as soon as it is typed.
  useEffect(() => {
    if (mode !== 'new') return;
    const id = current.id.trim();
    let live = true;
    const timer = setTimeout(() => {
      if (id === '') {
        setIdTakenBy(null);
        return;
      }
      void desk.openArticle({ id }).then((held) => {
        if (live) setIdTakenBy(held.ok ? { id, title: held.value.title } : null);
      });
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [desk, mode, current.id]);
  const takenMessage =
    idTakenBy && idTakenBy.id === current.id.trim()
      ? `“${idTakenBy.id}” is already the id of the published article “${idTakenBy.title}”. Choose another id, or open that article and edit it instead.`
      : null;
  const shownErrors: ArticleFormErrors =
    takenMessage && !errors.id ? { ...errors, id: takenMessage } : errors;

  const toggle = <K extends 'topics' | 'audience'>(
    field: K,
    option: ArticleFormValues[K][number],
    on: boolean,
  ) => {
    setValues((current) => {
      const chosen = current[field] as string[];
      const next = on ? [...chosen, option] : chosen.filter((value) => value !== option);
      return { ...current, [field]: next };
    });
    clearProblem(field);
  };

  /** The control to put the author in for a field: a group's first input, or the field itself. */
  const controlOf = (field: ArticleFormField): HTMLElement | null => {
    const element = formRef.current?.querySelector<HTMLElement>(`[id="${idOf(field)}"]`) ?? null;
    return element?.tagName === 'FIELDSET'
      ? element.querySelector<HTMLElement>('input, select, textarea')
      : element;
  };

  const showProblems = (found: ArticleFormErrors, message: string | null) => {
    setErrors(found);
    setProblem(message);
    const [first] = problemsInFormOrder(found);
    // The first field to fix, whose own message is read with it; the summary when no field is to blame.
    requestAnimationFrame(() => (first ? controlOf(first[0]) : summaryRef.current)?.focus());
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const checked = checkArticleForm(current);
    if (!checked.ok) return showProblems(checked.errors, null);
    if (takenMessage) return showProblems({ id: takenMessage }, null);
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
    shownErrors[field]
      ? { 'aria-invalid': true as const, 'aria-describedby': errorIdOf(field) }
      : { 'aria-invalid': false as const };

  const errorFor = (field: ArticleFormField) =>
    shownErrors[field] ? (
      <p id={errorIdOf(field)} className="article-form__error">
        {shownErrors[field]}
      </p>
    ) : null;

  const textField = (
    field: Exclude<ArticleFormField, 'topics' | 'audience' | 'region' | 'kind' | 'contact'>,
    props: {
      type?: string;
      multiline?: number;
      hint?: string;
      readOnly?: boolean;
      onChange?: (value: string) => void;
    } = {},
  ): ReactNode => {
    const hintId = props.hint ? `${idOf(field)}-hint` : undefined;
    const describedBy = [shownErrors[field] ? errorIdOf(field) : null, hintId ?? null]
      .filter((id) => id !== null)
      .join(' ');
    const common = {
      id: idOf(field),
      value: current[field],
      readOnly: props.readOnly,
      ...invalid(field),
      ...(describedBy !== '' ? { 'aria-describedby': describedBy } : {}),
    };
    const change = props.onChange ?? ((value: string) => set(field, value));
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
            onChange={(event) => change(event.target.value)}
          />
        ) : (
          <input
            {...common}
            type={props.type ?? 'text'}
            onChange={(event) => change(event.target.value)}
          />
        )}
      </div>
    );
  };

  const errorList = problemsInFormOrder(errors);
  const title = mode === 'new' ? 'New article' : 'Edit article';

  return (
    <form
      ref={formRef}
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
                    <a
                      href={`#${idOf(field)}`}
                      onClick={(event) => {
                        // Focus rather than navigate: the desk's areas live in the address's fragment.
                        event.preventDefault();
                        controlOf(field)?.focus();
                      }}
                    >
                      {fieldLabels[field]}: {message}
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
      {textField('title', {
        hint:
          values.kind === 'service'
            ? 'For a service, its name and what it helps with, for example “Shelter: housing and homelessness advice”'
            : undefined,
      })}
      {textField('id', {
        readOnly: mode === 'edit',
        hint:
          mode === 'edit'
            ? 'An article keeps its id'
            : idFollowsTitle
              ? 'Made from the title as you type it. Change it if you like; empty it to make it from the title again.'
              : 'Lower-case words joined by hyphens, for example hgv-driving-funding',
        onChange: (value) => {
          // Emptied, the id is made from the title again.
          setIdFollowsTitle(mode === 'new' && value.trim() === '');
          set('id', value);
        },
      })}
      {textField('summary', { multiline: 2 })}
      <fieldset className="article-form__choices" id={idOf('topics')} {...invalid('topics')}>
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
      <fieldset className="article-form__choices" id={idOf('audience')} {...invalid('audience')}>
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
      <fieldset className="article-form__contact" id={idOf('contact')} {...invalid('contact')}>
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
