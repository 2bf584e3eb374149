// The adviser's interaction screen as it stood at one moment, redrawn from
// the machine's snapshot with the same stage components the live desk uses.
// Read-only: everything sits in a disabled fieldset (no control can be used or
// focused) and every "send" is dropped, so nothing here records anything.
import { useId } from 'react';
import {
  contactPhase,
  variantStages,
  type InteractionSnapshot,
} from '../../../shared/interaction/machine';
import { stageLabels } from '../../../shared/interaction/taxonomy';
import { ChatMessageText } from '../chat/ChatMessageText';
import { SafeguardingPanel } from '../interaction/SafeguardingPanel';
import { StageNavigator } from '../interaction/StageNavigator';
import { StagePanel } from '../interaction/StagePanel';
import { duration } from '../interaction/time-words';
import { phaseWords } from '../interaction/phase-words';
import { londonFormat } from '../../../shared/time/london';

const ignore = () => undefined;

const clock = londonFormat({
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export function ReplayScreen({
  snapshot,
  offsetMs,
  at,
}: {
  snapshot: InteractionSnapshot;
  offsetMs: number;
  at: string;
}) {
  const { context } = snapshot;
  const phase = contactPhase(snapshot);
  const chat = context.channel === 'webchat';
  const headingId = useId();
  const notes = variantStages[context.variant].filter(
    (stage) => (context.notes[stage] ?? '').trim() !== '',
  );
  const what = chat
    ? 'Web chat'
    : context.variant === 'follow_up'
      ? 'Follow-up call'
      : 'Voice call';

  return (
    <article className="interaction replay-screen" aria-labelledby={headingId}>
      <header className="interaction__header replay-screen__header">
        <h3 id={headingId}>
          {what}: {phaseWords[phase]}
        </h3>
        <p className="replay-screen__time">
          <time dateTime={at}>{clock.format(new Date(at))}</time>, {duration(offsetMs)} in
        </p>
        <p className="replay-screen__readonly">Read only: as the adviser saw it</p>
      </header>
      <fieldset disabled className="replay-screen__frame">
        <legend className="visually-hidden">The adviser’s screen at this moment, read only</legend>
        <div className="replay-screen__body">
          <StageNavigator context={context} onGo={ignore} />
          {/* Keyed by stage, as on the live desk: a stage's own state never carries to the next. */}
          <StagePanel
            key={context.activeStage}
            stage={context.activeStage}
            context={context}
            send={ignore}
          />
          <aside className="interaction__side replay-screen__side" aria-label="At this moment">
            {chat && (
              <section className="replay-chat" aria-label="Chat so far">
                <h4>Chat so far</h4>
                {context.chat.length === 0 ? (
                  <p className="replay-quiet">No messages yet.</p>
                ) : (
                  <ol className="replay-chat__lines">
                    {context.chat.map((line) => (
                      <li
                        key={line.seq}
                        className={`replay-chat__line replay-chat__line--${line.from}`}
                      >
                        <span className="replay-chat__who">
                          {line.from === 'customer' ? 'Customer' : 'Adviser'},{' '}
                          <time dateTime={line.at}>{clock.format(new Date(line.at))}</time>
                        </span>
                        <ChatMessageText text={line.text} onOpenLink={ignore} />
                      </li>
                    ))}
                  </ol>
                )}
              </section>
            )}
            <section className="replay-notes" aria-label="Notes at this moment">
              <h4>Notes at this moment</h4>
              {notes.length === 0 ? (
                <p className="replay-quiet">No notes yet.</p>
              ) : (
                <dl>
                  {notes.map((stage) => (
                    <div key={stage}>
                      <dt>{stageLabels[stage]}</dt>
                      <dd>{context.notes[stage]}</dd>
                    </div>
                  ))}
                </dl>
              )}
            </section>
            <SafeguardingPanel context={context} send={ignore} live={false} />
            {/* Chosen at wrap-up; shown with the label the adviser read then. */}
            {context.outcomeCode && (
              <section className="replay-notes" aria-label="Outcome code">
                <h4>Outcome code</h4>
                <p>{context.outcomeCode.label}</p>
              </section>
            )}
          </aside>
        </div>
      </fieldset>
    </article>
  );
}
