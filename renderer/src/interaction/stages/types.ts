// What every stage panel receives: the captured context and a way to record.
import type { InteractionContext } from '../../../../shared/interaction/machine';
import type { UnstampedEvent } from '../live-interaction';

export interface StageProps {
  context: InteractionContext;
  send: (event: UnstampedEvent) => void;
  /**
   * The caller's number as telephony gave it, when this desk knows it (null:
   * withheld; undefined: a chat, or not known since a reload).
   */
  callerLine?: string | null;
}
