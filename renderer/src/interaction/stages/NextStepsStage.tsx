// The skills action plan: main points, agreed actions with owners, and what we pointed to.
// Articles are listed as the young person will see them in the plan: title and
// public link, never the article's internal id.
import { useState, type FormEvent } from 'react';
import { newId } from '../../../../shared/domain/ids';
import type { NextSteps } from '../../../../shared/interaction/record';
import type { ArticleLink } from '../../../../shared/knowledge/public-link';
import { limits } from '../../../../shared/limits';
import { NoteArea, RadioGroup, TextField } from '../controls';
import type { UnstampedEvent } from '../live-interaction';
import type { StageProps } from './types';

const ownerLabels = { customer: 'Customer', adviser: 'Adviser' } as const;

function AddToList({ label, onAdd }: { label: string; onAdd: (value: string) => void }) {
  const [value, setValue] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!value.trim()) return;
    onAdd(value.trim());
    setValue('');
  };
  return (
    <form className="inline-form" onSubmit={submit}>
      <TextField label={label} value={value} onText={setValue} />
      <button type="submit" className="button">
        Add {label.toLowerCase()}
      </button>
    </form>
  );
}

/** Points to an article with what the young person will be shown for it, fixed now. */
export function pointToArticleEvent({ articleId, title, url }: ArticleLink): UnstampedEvent {
  return { type: 'POINT_TO_ARTICLE', articleId, shown: { title, url } };
}

/**
 * The articles pointed to, each with what the young person will be shown. An
 * article pointed to before records kept its title (an interaction restored
 * from an older desk) has only its id: the plan then takes the title from the
 * server's copy, and the adviser is told so rather than shown a bare id.
 */
function pointedToArticles(nextSteps: NextSteps): (ArticleLink | { articleId: string })[] {
  const shown = new Map((nextSteps.articleLinks ?? []).map((link) => [link.articleId, link]));
  return nextSteps.articleIds.map((articleId) => shown.get(articleId) ?? { articleId });
}

function PointedToArticle({
  article,
  onRemove,
}: {
  article: ArticleLink | { articleId: string };
  onRemove: () => void;
}) {
  if (!('title' in article)) {
    return (
      <li>
        An article with no title recorded{' '}
        <span className="field__hint">
          (the action plan will show its title from the knowledge network)
        </span>{' '}
        <button type="button" className="button button--small" onClick={onRemove}>
          Remove this article
        </button>
      </li>
    );
  }
  return (
    <li>
      <bdi>{article.title}</bdi>{' '}
      <span className="field__hint">
        {article.url ? (
          <>
            (<bdi>{article.url}</bdi>)
          </>
        ) : (
          '(no public page: the plan gives its title only)'
        )}
      </span>{' '}
      <button type="button" className="button button--small" onClick={onRemove}>
        Remove {article.title} from the plan
      </button>
    </li>
  );
}

export function NextStepsStage({ context, send }: StageProps) {
  const { nextSteps } = context;
  const [description, setDescription] = useState('');
  const [owner, setOwner] = useState<'customer' | 'adviser'>('customer');
  const [due, setDue] = useState('');

  const addAction = (event: FormEvent) => {
    event.preventDefault();
    if (!description.trim()) return;
    send({
      type: 'ADD_ACTION',
      action: { id: newId(), description: description.trim(), owner, due: due || null },
    });
    setDescription('');
    setDue('');
  };

  return (
    <>
      <NoteArea
        label="Main points discussed"
        value={nextSteps.mainPoints}
        maxLength={limits.maxNoteChars}
        onText={(text) => send({ type: 'UPDATE_MAIN_POINTS', text })}
      />
      <h3>Actions agreed</h3>
      <ul aria-label="Actions agreed">
        {nextSteps.actions.map((action) => (
          <li key={action.id}>
            {action.description} ({ownerLabels[action.owner]}
            {action.due ? `, by ${action.due}` : ''}){' '}
            <button
              type="button"
              className="button button--small"
              onClick={() => send({ type: 'REMOVE_ACTION', actionId: action.id })}
            >
              Remove action: {action.description}
            </button>
          </li>
        ))}
      </ul>
      <form className="inline-form" onSubmit={addAction} aria-label="Add an action">
        <TextField label="Action" value={description} onText={setDescription} />
        <RadioGroup
          legend="Whose action"
          options={['customer', 'adviser'] as const}
          labels={ownerLabels}
          value={owner}
          onChange={setOwner}
        />
        <TextField label="Due date (optional)" type="date" value={due} onText={setDue} />
        <button type="submit" className="button">
          Add action
        </button>
      </form>
      <h3>Pointed to</h3>
      <ul aria-label="Articles and services pointed to">
        {pointedToArticles(nextSteps).map((article) => (
          <PointedToArticle
            key={`article-${article.articleId}`}
            article={article}
            onRemove={() => send({ type: 'REMOVE_ARTICLE', articleId: article.articleId })}
          />
        ))}
        {nextSteps.services.map((service) => (
          <li key={`service-${service}`}>
            {service}{' '}
            <button
              type="button"
              className="button button--small"
              onClick={() => send({ type: 'REMOVE_SERVICE', service })}
            >
              Remove service {service}
            </button>
          </li>
        ))}
      </ul>
      {/* Articles come from the knowledge panel, which knows their titles and
          public pages; an id typed here would reach the young person as an id. */}
      <p className="field__hint">
        To add an article, open it in the knowledge panel and choose Add to action plan.
      </p>
      <AddToList
        label="Outside service"
        onAdd={(service) => send({ type: 'POINT_TO_SERVICE', service })}
      />
    </>
  );
}
