// The stages of the interaction's variant, in any order: each shows whether it
// is done; Alt+1, Alt+2 and on jump to them.
import {
  stageStatus,
  stageStatusLabels,
  variantStages,
  type InteractionContext,
} from '../../../shared/interaction/machine';
import { stageLabels, type AnyStageId } from '../../../shared/interaction/taxonomy';

const statusMarks = {
  done: '✓',
  not_covered: '–',
  not_needed: '·',
  in_progress: '…',
  not_started: '',
} as const;

export function StageNavigator({
  context,
  onGo,
}: {
  context: InteractionContext;
  onGo: (stage: AnyStageId) => void;
}) {
  return (
    <nav aria-label="Stages" className="stage-nav">
      <ol>
        {variantStages[context.variant].map((stage, index) => {
          const status = stageStatus(context, stage);
          const current = context.activeStage === stage;
          return (
            <li key={stage}>
              <button
                type="button"
                className={`stage-nav__stage stage-nav__stage--${status}`}
                aria-current={current ? 'step' : undefined}
                aria-keyshortcuts={`Alt+${index + 1}`}
                onClick={() => onGo(stage)}
              >
                <span aria-hidden="true" className="stage-nav__mark">
                  {statusMarks[status]}
                </span>
                {stageLabels[stage]}
                <span className="visually-hidden">, {stageStatusLabels[status]}</span>
                <kbd aria-hidden="true" className="stage-nav__key">
                  Alt+{index + 1}
                </kbd>
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
