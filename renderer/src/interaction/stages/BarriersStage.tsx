// Barriers to education, training or work: each with notes, what was agreed and any referral.
import { limits } from '../../../../shared/limits';
import { barrierKinds, barrierLabels } from '../../../../shared/interaction/taxonomy';
import { Checkbox, NoteArea, TextField } from '../controls';
import type { StageProps } from './types';

export function BarriersStage({ context, send }: StageProps) {
  const { barriers } = context;
  const identified = new Set(barriers.identified.map((barrier) => barrier.kind));
  return (
    <>
      <Checkbox
        label="No barriers identified"
        checked={barriers.noneIdentified}
        onChange={(noneIdentified) => send({ type: 'SET_NO_BARRIERS', noneIdentified })}
      />
      <fieldset className="quick-pick">
        <legend>Barriers identified</legend>
        {barrierKinds.map((kind) => (
          <Checkbox
            key={kind}
            label={barrierLabels[kind]}
            checked={identified.has(kind)}
            onChange={(checked) =>
              send({ type: checked ? 'IDENTIFY_BARRIER' : 'REMOVE_BARRIER', kind })
            }
          />
        ))}
      </fieldset>
      {barriers.identified.map((barrier) => (
        <fieldset key={barrier.kind} className="barrier">
          <legend>{barrierLabels[barrier.kind]}</legend>
          <NoteArea
            label={`${barrierLabels[barrier.kind]}: notes`}
            value={barrier.notes}
            maxLength={limits.maxNoteChars}
            onText={(notes) => send({ type: 'UPDATE_BARRIER', kind: barrier.kind, notes })}
          />
          <NoteArea
            label={`${barrierLabels[barrier.kind]}: what was agreed`}
            value={barrier.agreed}
            maxLength={limits.maxNoteChars}
            onText={(agreed) => send({ type: 'UPDATE_BARRIER', kind: barrier.kind, agreed })}
          />
          <TextField
            label={`${barrierLabels[barrier.kind]}: referral to a specialist service`}
            value={barrier.referral ?? ''}
            onText={(referral) =>
              send({
                type: 'UPDATE_BARRIER',
                kind: barrier.kind,
                referral: referral.trim() ? referral : null,
              })
            }
          />
        </fieldset>
      ))}
    </>
  );
}
