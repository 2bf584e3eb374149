// Where the young person is now, and their goals in their own words.
import { limits } from '../../../../shared/limits';
import {
  currentStatusLabels,
  currentStatuses,
  schoolYears,
} from '../../../../shared/interaction/taxonomy';
import { NoteArea, RadioGroup } from '../controls';
import type { StageProps } from './types';

const yearLabels = Object.fromEntries(
  schoolYears.map((year) => [String(year), `Year ${year}`]),
) as Record<string, string>;

export function StartingPointStage({ context, send }: StageProps) {
  const { startingPoint } = context;
  return (
    <>
      <RadioGroup
        legend="Current status"
        options={currentStatuses}
        labels={currentStatusLabels}
        value={startingPoint.status}
        onChange={(status) => send({ type: 'UPDATE_STARTING_POINT', status })}
      />
      {startingPoint.status === 'school' && (
        <RadioGroup
          legend="School year"
          options={schoolYears.map(String)}
          labels={yearLabels}
          value={startingPoint.schoolYear === null ? null : String(startingPoint.schoolYear)}
          onChange={(year) => send({ type: 'UPDATE_STARTING_POINT', schoolYear: Number(year) })}
        />
      )}
      <NoteArea
        label="Goals and career ideas, in their words"
        value={startingPoint.goals}
        maxLength={limits.maxNoteChars}
        onText={(goals) => send({ type: 'UPDATE_STARTING_POINT', goals })}
      />
      <NoteArea
        label="What they already know or have done"
        value={startingPoint.alreadyKnowsOrDone}
        maxLength={limits.maxNoteChars}
        onText={(alreadyKnowsOrDone) => send({ type: 'UPDATE_STARTING_POINT', alreadyKnowsOrDone })}
      />
    </>
  );
}
