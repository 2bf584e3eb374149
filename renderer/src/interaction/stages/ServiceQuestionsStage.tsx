// Service-improvement questions: after the guidance, and skippable with a reason.
import { useState } from 'react';
import {
  heardFromLabels,
  heardFromOptions,
  serviceSkipReasons,
} from '../../../../shared/interaction/taxonomy';
import { RadioGroup, TextField } from '../controls';
import type { StageProps } from './types';

export function ServiceQuestionsStage({ context, send }: StageProps) {
  const { serviceQuestions } = context;
  const [ownReason, setOwnReason] = useState('');
  if (serviceQuestions.outcome === 'skipped') {
    return (
      <>
        <p>Skipped: {serviceQuestions.reason}</p>
        <button
          type="button"
          className="button"
          onClick={() => send({ type: 'REOPEN_SERVICE_QUESTIONS' })}
        >
          Ask the service questions after all
        </button>
      </>
    );
  }
  const heardFrom = serviceQuestions.outcome === 'answered' ? serviceQuestions.heardFrom : null;
  const detail = serviceQuestions.outcome === 'answered' ? serviceQuestions.detail : '';
  return (
    <>
      <RadioGroup
        legend="How did they hear about us?"
        options={heardFromOptions}
        labels={heardFromLabels}
        value={heardFrom}
        onChange={(choice) => send({ type: 'ANSWER_SERVICE_QUESTIONS', heardFrom: choice, detail })}
      />
      {heardFrom && (
        <TextField
          label="Anything else they said"
          value={detail}
          onText={(text) => send({ type: 'ANSWER_SERVICE_QUESTIONS', heardFrom, detail: text })}
        />
      )}
      <fieldset className="quick-pick">
        <legend>Skip the service questions</legend>
        {serviceSkipReasons.map((reason) => (
          <button
            key={reason}
            type="button"
            className="button"
            onClick={() => send({ type: 'SKIP_SERVICE_QUESTIONS', reason })}
          >
            Skip: {reason}
          </button>
        ))}
        <TextField label="Another reason to skip" value={ownReason} onText={setOwnReason} />
        <button
          type="button"
          className="button"
          disabled={!ownReason.trim()}
          onClick={() => send({ type: 'SKIP_SERVICE_QUESTIONS', reason: ownReason })}
        >
          Skip with this reason
        </button>
      </fieldset>
    </>
  );
}
