// The stage on screen: its own controls, free-text notes, and the way to close
// the gap without doing it ("not covered", with a reason).
import { useId, useState, type ComponentType } from 'react';
import { stageGaps, stageStatus, stageStatusLabels } from '../../../shared/interaction/machine';
import { stageLabels, type AnyStageId } from '../../../shared/interaction/taxonomy';
import { limits } from '../../../shared/limits';
import { NoteArea } from './controls';
import { ActionReviewStage } from './stages/ActionReviewStage';
import { BarriersStage } from './stages/BarriersStage';
import { CallerStage } from './stages/CallerStage';
import { CircumstancesStage } from './stages/CircumstancesStage';
import { FollowUpStage } from './stages/FollowUpStage';
import { NextStepsStage } from './stages/NextStepsStage';
import { ServiceQuestionsStage } from './stages/ServiceQuestionsStage';
import { SkillsCheckStage } from './stages/SkillsCheckStage';
import { StartingPointStage } from './stages/StartingPointStage';
import { StatusNowStage } from './stages/StatusNowStage';
import { TranscriptStage } from './stages/TranscriptStage';
import type { StageProps } from './stages/types';

const stageComponents: Record<AnyStageId, ComponentType<StageProps>> = {
  callerEligibility: CallerStage,
  startingPoint: StartingPointStage,
  barriers: BarriersStage,
  skillsCheck: SkillsCheckStage,
  nextSteps: NextStepsStage,
  followUp: FollowUpStage,
  transcript: TranscriptStage,
  serviceQuestions: ServiceQuestionsStage,
  actionReview: ActionReviewStage,
  statusNow: StatusNowStage,
  circumstances: CircumstancesStage,
};

function NotCovered({ stage, context, send }: StageProps & { stage: AnyStageId }) {
  const [reason, setReason] = useState('');
  const id = useId();
  const recorded = context.notCovered[stage];
  if (recorded !== undefined) {
    return (
      <div className="not-covered">
        <p>Not covered: {recorded}</p>
        <button
          type="button"
          className="button"
          onClick={() => send({ type: 'CLEAR_NOT_COVERED', stage })}
        >
          Undo not covered
        </button>
      </div>
    );
  }
  return (
    <div className="not-covered">
      <label htmlFor={id}>Reason not covered</label>
      <input
        id={id}
        type="text"
        value={reason}
        maxLength={500}
        onChange={(event) => setReason(event.target.value)}
      />
      <button
        type="button"
        className="button"
        disabled={!reason.trim()}
        onClick={() => send({ type: 'MARK_NOT_COVERED', stage, reason })}
      >
        Mark {stageLabels[stage]} not covered
      </button>
    </div>
  );
}

/** Everything this stage still needs, at once, so no required field is a surprise. */
function StageGaps({
  stage,
  context,
  status,
}: Pick<StageProps, 'context'> & { stage: AnyStageId; status: ReturnType<typeof stageStatus> }) {
  if (status !== 'in_progress' && status !== 'not_started') return null;
  const gaps = stageGaps(context, stage);
  if (gaps.length === 0) return null;
  return (
    <div className="stage-gaps">
      <p className="stage-gaps__heading">Still to record here:</p>
      <ul aria-label={`Still to record in ${stageLabels[stage]}`}>
        {gaps.map((gap) => (
          <li key={gap}>{gap}</li>
        ))}
      </ul>
    </div>
  );
}

export function StagePanel({
  stage,
  context,
  send,
  callerLine,
}: StageProps & { stage: AnyStageId }) {
  const Stage = stageComponents[stage];
  const headingId = useId();
  const status = stageStatus(context, stage);
  return (
    <section className="stage-panel" aria-labelledby={headingId}>
      <h2 id={headingId} tabIndex={-1} data-stage-heading={stage}>
        {stageLabels[stage]}{' '}
        <span className={`stage-status stage-status--${status}`}>
          ({stageStatusLabels[status]})
        </span>
      </h2>
      <StageGaps stage={stage} context={context} status={status} />
      <Stage context={context} send={send} callerLine={callerLine} />
      <NoteArea
        label={`Notes on ${stageLabels[stage].toLowerCase()}`}
        value={context.notes[stage] ?? ''}
        maxLength={limits.maxNoteChars}
        rows={4}
        onText={(text) => send({ type: 'NOTE', stage, text })}
      />
      {/* Keyed by stage: a reason typed on one stage and not sent must not follow the adviser to the next. */}
      <NotCovered key={stage} stage={stage} context={context} send={send} />
    </section>
  );
}
