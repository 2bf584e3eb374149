// Where interactions live on the desk: offers ring here, answered ones become
// the interaction screen, and after a reload they come back from IndexedDB.
// Renders nothing while no call is on the desk.
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { StaffMember } from '../../../shared/domain/people';
import type { DeskBridge } from '../../../shared/ipc/contract';
import { contactPhase } from '../../../shared/interaction/machine';
import { chatDeskFor } from '../chat/chat-desk';
import { followChats } from '../chat/follow-chats';
import { takeAnsweredFollowUps } from '../follow-ups/answered-calls';
import { FollowUpCapacityProvider } from '../follow-ups/capacity';
import { IncomingCall } from './IncomingCall';
import { InteractionScreen } from './InteractionScreen';
import { LiveDesk } from './live-desk';
import type { LiveInteraction } from './live-interaction';
import { useLiveView } from './hooks';
import { DexieInteractionStore, type InteractionStore } from './store';
import './interaction.css';

interface InteractionHostProps {
  desk: DeskBridge;
  user: StaffMember;
  deskId: string;
  /** The local store; IndexedDB unless a test passes another. */
  store?: InteractionStore;
}

function OneInteraction({
  desk,
  user,
  deskId,
  live,
  interaction,
}: {
  desk: DeskBridge;
  user: StaffMember;
  deskId: string;
  live: LiveDesk;
  interaction: LiveInteraction;
}) {
  const { snapshot } = useLiveView(interaction);
  const phase = contactPhase(snapshot);
  // A call that ends before it is answered has nothing to record.
  useEffect(() => {
    if (phase === 'missed') void live.release(interaction);
  }, [phase, live, interaction]);
  if (phase === 'missed' || phase === 'idle') return null;
  if (phase === 'ringing') {
    return (
      <IncomingCall
        desk={desk}
        interaction={interaction}
        callerLine={live.callerLine(interaction.contactRef)}
      />
    );
  }
  return (
    <FollowUpCapacityProvider desk={desk}>
      <InteractionScreen
        desk={desk}
        user={user}
        deskId={deskId}
        interaction={interaction}
        callerLine={live.callerLine(interaction.contactRef)}
        onDelivered={() => void live.release(interaction)}
      />
    </FollowUpCapacityProvider>
  );
}

export function InteractionHost({ desk, user, deskId, store }: InteractionHostProps) {
  const [live] = useState(() => new LiveDesk(store ?? new DexieInteractionStore(), user.id));
  const interactions = useSyncExternalStore(live.subscribe, live.list);
  const [restoreProblem, setRestoreProblem] = useState<string | null>(null);

  useEffect(() => {
    live.restore().then(
      () =>
        setRestoreProblem(
          live.mismatchedOnRestore.length > 0
            ? 'An interaction was restored from its journal, which differed from its saved state.'
            : null,
        ),
      (error: unknown) => setRestoreProblem(`Could not restore interactions: ${String(error)}`),
    );
  }, [live]);

  useEffect(() => desk.onCallOffered((offer) => void live.offer(offer)), [desk, live]);
  // A follow-up call answered from the day's list becomes a follow-up interaction here.
  useEffect(
    () => takeAnsweredFollowUps(desk, (call) => void live.answeredFollowUp(call)),
    [desk, live],
  );
  // Web chats the adviser accepts become interactions here too.
  useEffect(() => followChats(chatDeskFor(desk), live), [desk, live]);

  useEffect(
    () =>
      desk.onCallEnded((ended) => {
        const interaction = live.byContact(ended.callId);
        if (!interaction) return;
        if (ended.endedBy !== 'adviser') {
          interaction.send({ type: 'CUSTOMER_DISCONNECTED', by: ended.endedBy });
          return;
        }
        // The adviser's own "End call" has already been recorded here. A call still ringing
        // here that they declined on another desk stops ringing, missed on this one.
        if (contactPhase(interaction.getView().snapshot) === 'ringing')
          interaction.send({ type: 'CUSTOMER_DISCONNECTED', by: 'network' });
      }),
    [desk, live],
  );

  const inProgress = interactions.length > 0;
  useEffect(() => {
    if (!inProgress) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older Chromium shows the prompt only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [inProgress]);

  if (!inProgress && !restoreProblem) return null;
  return (
    <>
      {restoreProblem && (
        <p role="alert" className="notice notice--problem">
          {restoreProblem}
        </p>
      )}
      {interactions.map((interaction) => (
        <OneInteraction
          key={interaction.id}
          desk={desk}
          user={user}
          deskId={deskId}
          live={live}
          interaction={interaction}
        />
      ))}
    </>
  );
}
