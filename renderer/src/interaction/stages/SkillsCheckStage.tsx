// English, maths and digital: current level, whether improving it matters, and that it was discussed.
import {
  improvementAnswers,
  skillAreaLabels,
  skillAreas,
  skillLevelLabels,
  skillLevelsFor,
  type SkillArea,
  type SkillLevel,
} from '../../../../shared/interaction/taxonomy';
import { useId } from 'react';
import { Checkbox, RadioGroup, TextField } from '../controls';
import type { StageProps } from './types';

const improvementLabels = { yes: 'Yes', no: 'No', unsure: 'Not sure yet' } as const;

function LevelSelect({
  area,
  label,
  value,
  onChange,
}: {
  area: SkillArea;
  label: string;
  value: SkillLevel | null;
  onChange: (level: SkillLevel | null) => void;
}) {
  const id = useId();
  // A level recorded before the area's list changed stays shown as it was.
  const offered =
    value === null || skillLevelsFor[area].includes(value)
      ? skillLevelsFor[area]
      : [value, ...skillLevelsFor[area]];
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value ?? ''}
        onChange={(event) =>
          onChange(event.target.value === '' ? null : (event.target.value as SkillLevel))
        }
      >
        <option value="">Not recorded</option>
        {offered.map((level) => (
          <option key={level} value={level}>
            {skillLevelLabels[level]}
          </option>
        ))}
      </select>
    </div>
  );
}

export function SkillsCheckStage({ context, send }: StageProps) {
  const { skillsCheck } = context;
  return (
    <>
      {skillAreas.map((area) => {
        const check = skillsCheck[area];
        const name = skillAreaLabels[area];
        return (
          <fieldset key={area} className="skill">
            <legend>{name}</legend>
            <LevelSelect
              area={area}
              label={`${name}: current level`}
              value={check.level}
              onChange={(level) => send({ type: 'UPDATE_SKILL', area, level })}
            />
            {check.level === 'studying' && (
              <TextField
                label={`${name}: predicted grade`}
                value={check.predicted}
                onText={(predicted) => send({ type: 'UPDATE_SKILL', area, predicted })}
              />
            )}
            <RadioGroup
              legend={`${name}: does improving it matter for their goal?`}
              options={improvementAnswers}
              labels={improvementLabels}
              value={check.improvementMatters}
              onChange={(improvementMatters) =>
                send({ type: 'UPDATE_SKILL', area, improvementMatters })
              }
            />
          </fieldset>
        );
      })}
      <Checkbox
        label="Discussed with the customer"
        checked={skillsCheck.discussed}
        onChange={(discussed) => send({ type: 'SET_SKILLS_DISCUSSED', discussed })}
      />
    </>
  );
}
