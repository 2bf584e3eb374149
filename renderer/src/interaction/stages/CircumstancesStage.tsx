// A follow-up call's last stage: whether the customer's circumstances changed
// since the first contact, as they describe it. The outcome the service is judged on.
import { circumstanceChanges } from '../../../../shared/interaction/record';
import { RadioGroup } from '../controls';
import { circumstanceChangeLabels } from './follow-up-words';
import type { StageProps } from './types';

export function CircumstancesStage({ context, send }: StageProps) {
  return (
    <>
      <p className="stage-intro">
        Ask the customer, in their own words, whether things have changed since they first contacted
        the helpline. Record what they say, not what the adviser thinks.
      </p>
      <RadioGroup
        legend="Have their circumstances changed since the first contact?"
        options={circumstanceChanges}
        labels={circumstanceChangeLabels}
        value={context.followUpOf?.change ?? null}
        onChange={(change) => send({ type: 'RECORD_CHANGE', change })}
      />
    </>
  );
}
