// Who is calling, the young person's age, and whether the contact is within remit.
import { callerTypeLabels, callerTypes } from '../../../../shared/interaction/taxonomy';
import { Checkbox, RadioGroup, TextField } from '../controls';
import type { StageProps } from './types';

const remitLabels = {
  yes: 'Within remit (13 to 18)',
  no: 'Outside remit: signpost elsewhere',
} as const;

export function CallerStage({ context, send }: StageProps) {
  const { caller } = context;
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
