// Who is calling, the young person's age and where they live, and whether the
// contact is within remit.
import { useId } from 'react';
import { customerRegions } from '../../../../shared/interaction/record';
import { callerTypeLabels, callerTypes } from '../../../../shared/interaction/taxonomy';
import { regionWords } from '../../knowledge/knowledge-words';
import { Checkbox, RadioGroup, TextField } from '../controls';
import type { StageProps } from './types';

const remitLabels = {
  yes: 'Within remit (13 to 18)',
  no: 'Outside remit: signpost elsewhere',
} as const;

export function CallerStage({ context, send }: StageProps) {
  const { caller } = context;
  const regionId = useId();
  const regionHintId = useId();
  const ageText = typeof caller.age === 'number' ? String(caller.age) : '';
  return (
    <>
      <RadioGroup
        legend="Who is calling"
        options={callerTypes}
        labels={callerTypeLabels}
        value={caller.callerType}
        onChange={(callerType) => send({ type: 'UPDATE_CALLER', callerType })}
      />
      <TextField
        label="Young person's age"
        type="number"
        min={0}
        max={120}
        value={ageText}
        hint="For a caller on behalf of a young person, the young person's age."
        onText={(text) => {
          const years = Number.parseInt(text, 10);
          send({
            type: 'UPDATE_CALLER',
            age: Number.isInteger(years) && years >= 0 && years <= 120 ? years : null,
          });
        }}
      />
      <Checkbox
        label="Age not given"
        checked={caller.age === 'not_given'}
        onChange={(checked) => send({ type: 'UPDATE_CALLER', age: checked ? 'not_given' : null })}
      />
      {/* Optional: the outcome figures count by region, but a customer who
          would rather not say must not be held up for it. */}
      <div className="field">
        <label htmlFor={regionId}>Where the young person lives (optional)</label>
        <select
          id={regionId}
          value={caller.region ?? ''}
          aria-describedby={regionHintId}
          onChange={(event) =>
            send({
              type: 'UPDATE_CALLER',
              region: customerRegions.find((region) => region === event.target.value) ?? null,
            })
          }
        >
          <option value="">Not given</option>
          {customerRegions.map((region) => (
            <option key={region} value={region}>
              {regionWords[region]}
            </option>
          ))}
        </select>
        <p id={regionHintId} className="field__hint">
          The region of England, for the service&rsquo;s outcome figures.
        </p>
      </div>
      <RadioGroup
        legend="Remit"
        options={['yes', 'no'] as const}
        labels={remitLabels}
        value={caller.withinRemit === null ? null : caller.withinRemit ? 'yes' : 'no'}
        onChange={(answer) => send({ type: 'UPDATE_CALLER', withinRemit: answer === 'yes' })}
      />
      {caller.withinRemit === false && (
        <TextField
          label="Signposted to"
          value={caller.signpostedTo ?? ''}
          onText={(to) => {
            if (to.trim()) send({ type: 'SIGNPOST', to });
          }}
        />
      )}
    </>
  );
}
