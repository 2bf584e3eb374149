// One interaction in progress: call controls, the stage navigator, the stage
// on screen, safeguarding, the live missing list, and wrap-up. A follow-up
// call is the same screen with the follow-up variant's stages. Laid out in
// columns that scroll on their own (interaction.css, decision 0033): the
// stages and checks, the chat in a web chat, the stage, and the knowledge panel.
import { useEffect, useId, useState } from 'react';
import type { StaffMember } from '../../../shared/domain/people';
import type { DeskBridge } from '../../../shared/ipc/contract';
import {
  contactPhase,
  missingForCompletion,
  toInteractionRecord,
  variantStages,
  type InteractionSnapshot,
} from '../../../shared/interaction/machine';
import type { JournalEntry } from '../../../shared/interaction/record';
import type { AnyStageId } from '../../../shared/interaction/taxonomy';
import type { ResultError } from '../../../shared/result';
import { chatDeskFor } from '../chat/chat-desk';
import { ChatPane } from '../chat/ChatPane';
import { useChatShown } from '../chat/hooks';
import { KnowledgePanel } from '../knowledge/KnowledgePanel';
import { CallTimers } from './CallTimers';
import { useLiveView } from './hooks';
import type { LiveInteraction } from './live-interaction';
import { EarlierContacts } from './EarlierContacts';
import { MissingList } from './MissingList';
import { SafeguardingPanel } from './SafeguardingPanel';
import { StageNavigator } from './StageNavigator';
import { StagePanel } from './StagePanel';
import { pointToArticleEvent } from './stages/NextStepsStage';
import { focusHome } from '../shell/focus-rescue';
import { contactKind, contactWords, phaseWords } from './phase-words';
import { WrapUpOutcome } from './WrapUpOutcome';
import { WrapUpSummary } from './WrapUpSummary';

interface InteractionScreenProps {
  desk: DeskBridge;
  user: StaffMember;
  deskId: string;
  interaction: LiveInteraction;
  /** The caller's number, when this desk knows it (see StageProps). */
  callerLine?: string | null;
  /** Called once the record is safely in the desk's outbox. */
  onDelivered: () => void;
}

/** Moves keyboard focus to the heading of the stage just chosen, so reading starts there. */
function focusStageHeading(stage: AnyStageId) {
  requestAnimationFrame(() =>
    document.querySelector<HTMLElement>(`[data-stage-heading="${stage}"]`)?.focus(),
  );
}

async function submitRecord(
  desk: DeskBridge,
  snapshot: InteractionSnapshot,
  journal: readonly JournalEntry[],
  meta: { adviserId: string; deskId: string },
): Promise<ResultError | null> {
  const built = toInteractionRecord(snapshot, { ...meta, journal });
  if (!built.ok) return built.error;
  const result = await desk.completeInteraction({
    record: built.value.record,
    followUp: built.value.followUp,
  });
  return result.ok ? null : result.error;
}

export function InteractionScreen({
  desk,
  user,
  deskId,
  interaction,
  callerLine,
  onDelivered,
}: InteractionScreenProps) {
  const { snapshot, saveProblem } = useLiveView(interaction);
  const { context } = snapshot;
  const phase = contactPhase(snapshot);
  const missing = missingForCompletion(snapshot);
  const [problem, setProblem] = useState<ResultError | null>(null);
  const [busy, setBusy] = useState(false);
  // One screen per interaction, and an adviser may hold two chats: ids must not repeat.
  const headingId = useId();
  const [completeRefused, setCompleteRefused] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const send = interaction.send.bind(interaction);
  const chat = context.channel === 'webchat';
  const followUp = interaction.variant === 'follow_up';
  const words = contactWords[contactKind(context.channel, interaction.variant)];
  // Below the width that holds every column, a chat folds the knowledge panel
  // behind a button in the heading; wider, the panel is always shown and this is moot.
  const [knowledgeShown, setKnowledgeShown] = useState(false);
  const knowledgeId = useId();
  // Of several live chats, only the one selected in the chat tabs is on screen.
  const shown = useChatShown(desk, chat ? interaction.contactRef : null);

  const goTo = (stage: AnyStageId) => {
    setKnowledgeShown(false);
    send({ type: 'GO_TO_STAGE', stage });
    focusStageHeading(stage);
  };

  // Alt+1, Alt+2 and on jump between the variant's stages from anywhere on the
  // screen, text fields included.
  useEffect(() => {
    const stages = variantStages[interaction.variant];
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      if (chat && !chatDeskFor(desk).isShown(interaction.contactRef)) return;
      if (!/^[1-9]$/.test(event.key)) return;
      const stage = stages[Number(event.key) - 1];
      if (!stage) return;
      event.preventDefault();
      // A folded knowledge panel gives the stage its column back.
      setKnowledgeShown(false);
      interaction.send({ type: 'GO_TO_STAGE', stage });
      focusStageHeading(stage);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [interaction, chat, desk]);

  const endCall = async () => {
    setBusy(true);
    const result = chat
      ? await desk.endChat({ chatId: interaction.contactRef })
      : await desk.endCall({ callId: interaction.contactRef });
    setBusy(false);
    // The adviser must never be trapped on a call the telephony side will not confirm ending.
    setProblem(result.ok ? null : result.error);
    send({ type: 'END_CALL' });
  };

  const toggleKnowledge = () => {
    const next = !knowledgeShown;
    setKnowledgeShown(next);
    // Straight into the search box when it opens; closing leaves focus on the button.
    if (next)
      requestAnimationFrame(() =>
        document
          .getElementById(knowledgeId)
          ?.querySelector<HTMLInputElement>('input[type="search"]')
          ?.focus(),
      );
  };

  const complete = async () => {
    // Nothing missing: the adviser first sees what completing will do, and confirms.
    const toConfirm = !confirming && missing.length === 0;
    setConfirming(toConfirm);
    if (toConfirm) return;
    send({ type: 'COMPLETE' });
    const next = interaction.getView();
    if (contactPhase(next.snapshot) !== 'completed') {
      setCompleteRefused(true);
      return;
    }
    await deliver();
  };

  const deliver = async () => {
    setBusy(true);
    setProblem(null);
    const next = interaction.getView();
    const failure = await submitRecord(desk, next.snapshot, next.journal, {
      adviserId: user.id,
      deskId,
    });
    setBusy(false);
    if (failure) setProblem(failure);
    else onDelivered();
  };

  return (
    <article
      className={`interaction interaction--live interaction--${chat ? 'chat' : 'call'}${
        knowledgeShown ? ' interaction--knowledge-shown' : ''
      }`}
      aria-labelledby={headingId}
      hidden={!shown}
    >
      <header className="interaction__header">
        {/* One line: what and how long, then the controls, so the columns keep the height. */}
        <div className="interaction__bar">
          <h2 id={headingId} {...focusHome}>
            {words.title}: {phaseWords[phase]}
          </h2>
          <CallTimers call={context.call} label={words.timer} />
          <div className="interaction__controls">
            {phase === 'live' && words.hold && (
              <button type="button" className="button" onClick={() => send({ type: 'HOLD' })}>
                Hold
              </button>
            )}
            {phase === 'onHold' && (
              <button type="button" className="button" onClick={() => send({ type: 'RESUME' })}>
                Resume
              </button>
            )}
            {(phase === 'live' || phase === 'onHold') && (
              <button
                type="button"
                className="button"
                disabled={busy}
                onClick={() => void endCall()}
              >
                {words.end}
              </button>
            )}
            {/* In the header, so it is on screen however long the stage is. */}
            {phase === 'wrapUp' && (
              <button
                type="button"
                className="button button--primary"
                disabled={busy}
                onClick={() => void complete()}
              >
                Complete interaction
              </button>
            )}
            {/* Shown by the stylesheet only where a chat's columns cannot all fit. */}
            {chat && phase !== 'completed' && (
              <button
                type="button"
                className="button interaction__knowledge-toggle"
                aria-expanded={knowledgeShown}
                aria-controls={knowledgeId}
                onClick={toggleKnowledge}
              >
                {knowledgeShown ? 'Hide knowledge' : 'Show knowledge'}
              </button>
            )}
          </div>
        </div>
        {phase === 'wrapUp' && completeRefused && missing.length > 0 && (
          <p role="alert" className="notice notice--problem">
            Not yet: close the gaps in “Missing before completion” by doing them or marking them not
            covered.
          </p>
        )}
        {words.customerGone &&
        (context.call.endedBy === 'customer' || context.call.endedBy === 'network') ? (
          <p role="status">{words.customerGone}</p>
        ) : null}
        {saveProblem && (
          <p role="alert" className="notice notice--problem">
            Could not save this interaction on the desk: {saveProblem}
          </p>
        )}
        {problem && (
          <p role="alert" className="notice notice--problem">
            {problem.message} ({problem.code})
          </p>
        )}
      </header>
      {confirming && phase === 'wrapUp' && (
        <WrapUpSummary
          context={context}
          busy={busy}
          onConfirm={() => void complete()}
          onBack={() => setConfirming(false)}
        />
      )}
      {phase !== 'completed' && (
        <div className="interaction__body">
          {/* Where the adviser is and what is left, beside whatever the stage asks. */}
          <div className="interaction__rail">
            <StageNavigator context={context} onGo={goTo} />
            <aside className="interaction__side" aria-label="Interaction checks">
              {phase === 'wrapUp' && <WrapUpOutcome desk={desk} context={context} send={send} />}
              <SafeguardingPanel context={context} send={send} live={phase !== 'missed'} />
              {/* The caller in context, above what is still to record. */}
              <EarlierContacts
                desk={desk}
                contact={
                  chat ? { chatId: interaction.contactRef } : { callId: interaction.contactRef }
                }
              />
              <MissingList missing={missing} onGo={goTo} />
            </aside>
          </div>
          {chat && (
            <ChatPane
              desk={desk}
              chatId={interaction.contactRef}
              transcript={context.transcript}
              onRecordTranscript={
                phase === 'missed'
                  ? null
                  : (email) =>
                      send({
                        type: 'CHOOSE_TRANSCRIPT',
                        decision: 'send',
                        via: 'email',
                        address: email,
                      })
              }
            />
          )}
          <StagePanel
            stage={context.activeStage}
            context={context}
            send={send}
            callerLine={callerLine}
          />
          <div id={knowledgeId} className="interaction__knowledge">
            <KnowledgePanel
              desk={desk}
              plannedArticleIds={context.nextSteps.articleIds}
              // A follow-up reviews the plan agreed at the first contact; it makes no new one.
              onAddToPlan={
                phase === 'missed' || followUp
                  ? null
                  : (article) => send(pointToArticleEvent(article))
              }
              onSendInChat={
                chat && (phase === 'live' || phase === 'onHold')
                  ? async (text) => {
                      const sent = await desk.sendChatMessage({
                        chatId: interaction.contactRef,
                        text,
                      });
                      return sent.ok ? null : sent.error.message;
                    }
                  : undefined
              }
            />
          </div>
        </div>
      )}
      {phase === 'completed' && (
        <footer className="interaction__wrap-up">
          <p>
            The interaction is completed. Its record has not reached the desk&apos;s outbox yet.
          </p>
          <button
            type="button"
            className="button button--primary"
            disabled={busy}
            onClick={() => void deliver()}
          >
            Send the record again
          </button>
        </footer>
      )}
    </article>
  );
}
