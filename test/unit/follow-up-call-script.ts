// A follow-up call as one goes, driven through the follow-up variant of the
// interaction machine: the helpline rings, the customer answers, the adviser
// reviews the action plan agreed at the first contact, records the status now
// beside the status then and the change, and completes. The unit tests, the
// fixture of the variant's journals and the integration tests build on it.
import type {
  AgreedAction,
  CircumstanceChange,
  InteractionRecord,
} from '../../shared/interaction/record';
import type { CurrentStatus } from '../../shared/interaction/taxonomy';
import { toInteractionRecord } from '../../shared/interaction/machine';
import { ContactScript } from '../../shared/interaction/script';

export const followUpIds = {
  interactionId: '5d2c8e1a-7b3f-4c9d-8e0a-1f2b3c4d5e6f',
  bookingId: '2a9e4c1b-5f3d-4e7a-8b6c-1d0f9e8a7b6c',
  firstInteractionId: '7c0f5a52-3d6e-4b1a-9f2c-0e8d4b6a1c35',
  deskId: '3f2e1d0c-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
};

export interface FollowUpCallOptions {
  interactionId?: string;
  bookingId?: string;
  firstInteractionId?: string;
  startAt?: string;
  callId?: string;
  statusAtFirstContact?: CurrentStatus | null;
  statusNow?: CurrentStatus;
  change?: CircumstanceChange | null;
  /** The plan agreed at the first contact; the first action is done, the rest no longer wanted. */
  actions?: AgreedAction[];
}

const agreedActions: AgreedAction[] = [
  { id: 'a1', description: 'Look at the college open day', owner: 'customer', due: null },
  {
    id: 'a2',
    description: 'Send details of the bus pass scheme',
    owner: 'adviser',
    due: '2025-04-01',
  },
];

/** The call up to its completion; `change: null` marks the change stage not covered instead. */
export function scriptedFollowUpCall(options: FollowUpCallOptions = {}): ContactScript {
  const call = new ContactScript(options.startAt ?? '2025-05-27T09:30:00.000Z', 20, 'follow_up');
  const actions = options.actions ?? agreedActions;
  call.send({
    type: 'FOLLOW_UP_DIALLED',
    interactionId: options.interactionId ?? followUpIds.interactionId,
    contactRef: options.callId ?? 'call-77',
    bookingId: options.bookingId ?? followUpIds.bookingId,
    firstInteractionId: options.firstInteractionId ?? followUpIds.firstInteractionId,
    statusAtFirstContact:
      options.statusAtFirstContact === undefined ? 'neet' : options.statusAtFirstContact,
    actions,
  });
  call.wait(25).send({ type: 'ANSWER' });
  const [first, ...rest] = actions;
  if (first) call.send({ type: 'REVIEW_ACTION', actionId: first.id, progress: 'done' });
  for (const text of ['W', 'Went', 'Went to the open day with her mum'])
    call.send({ type: 'NOTE', stage: 'actionReview', text });
  for (const action of rest)
    call.send({ type: 'REVIEW_ACTION', actionId: action.id, progress: 'no_longer_wanted' });
  call.send({ type: 'GO_TO_STAGE', stage: 'statusNow' });
  call.send({ type: 'RECORD_STATUS_NOW', status: options.statusNow ?? 'college' });
  call.send({ type: 'GO_TO_STAGE', stage: 'circumstances' });
  const change = options.change === undefined ? 'better' : options.change;
  if (change === null) {
    call.send({ type: 'MARK_NOT_COVERED', stage: 'circumstances', reason: 'Customer had to go' });
  } else {
    call.send({ type: 'RECORD_CHANGE', change });
  }
  call.send({ type: 'END_CALL' });
  call.send({
    type: 'CHOOSE_OUTCOME_CODE',
    code: { id: 'guidance_given', label: 'Guidance given' },
  });
  call.wait(60).send({ type: 'COMPLETE' });
  return call;
}

export function followUpRecord(
  options: FollowUpCallOptions & { adviserId?: string; deskId?: string } = {},
): InteractionRecord {
  const call = scriptedFollowUpCall(options);
  const built = toInteractionRecord(call.snapshot, {
    adviserId: options.adviserId ?? 'demo-adviser',
    deskId: options.deskId ?? followUpIds.deskId,
    journal: call.journal,
  });
  if (!built.ok) throw new Error(built.error.message);
  return built.value.record;
}
