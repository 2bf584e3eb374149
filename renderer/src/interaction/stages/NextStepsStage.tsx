// The skills action plan: main points, agreed actions with owners, and what we pointed to.
import { useState, type FormEvent } from 'react';
import { newId } from '../../../../shared/domain/ids';
import { limits } from '../../../../shared/limits';
import { NoteArea, RadioGroup, TextField } from '../controls';
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
        {nextSteps.articleIds.map((articleId) => (
          <li key={`article-${articleId}`}>
            Article {articleId}{' '}
            <button
              type="button"
              className="button button--small"
              onClick={() => send({ type: 'REMOVE_ARTICLE', articleId })}
            >
              Remove article {articleId}
            </button>
          </li>
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
      <AddToList
        label="Article"
        onAdd={(articleId) => send({ type: 'POINT_TO_ARTICLE', articleId })}
      />
      <AddToList
        label="Outside service"
        onAdd={(service) => send({ type: 'POINT_TO_SERVICE', service })}
      />
    </>
  );
}
