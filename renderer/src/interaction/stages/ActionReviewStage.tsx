// A follow-up call's first stage: the skills action plan agreed at the first
// contact, reviewed with the customer action by action.
import { actionProgress } from '../../../../shared/interaction/record';
import { RadioGroup } from '../controls';
import { actionProgressLabels } from './follow-up-words';
import type { StageProps } from './types';

const ownerWords = { customer: 'the customer’s to do', adviser: 'the adviser’s to do' } as const;

export function ActionReviewStage({ context, send }: StageProps) {
  const actions = context.followUpOf?.actions ?? [];
  if (actions.length === 0) {
    return (
      <p>
        No actions were agreed at the first contact (or its record had not reached the server when
        this call was made). Note what the customer has done since, below.
      </p>
    );
  }
  return (
    <>
      <p className="stage-intro">
        Agreed at the first contact. Ask how far each action got, in the customer’s words.
      </p>
      <ol className="action-review">
        {actions.map((action, index) => (
          <li key={action.actionId} className="action-review__action">
            <RadioGroup
              legend={`${index + 1}. ${action.description}${action.owner ? ` (${ownerWords[action.owner]})` : ''}`}
              options={actionProgress}
              labels={actionProgressLabels}
              value={action.progress}
              onChange={(progress) =>
                send({ type: 'REVIEW_ACTION', actionId: action.actionId, progress })
              }
            />
          </li>
        ))}
      </ol>
    </>
  );
}
