// Safeguarding, reachable from every live state: raise a concern, escalate,
// record the actions and referral, resolve. An open concern blocks completion.
// Saying there is immediate risk shows the service's protocol at once.
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { newId } from '../../../shared/domain/ids';
import type { InteractionContext } from '../../../shared/interaction/machine';
import {
  safeguardingCategories,
  safeguardingCategoryLabels,
  type SafeguardingCategory,
} from '../../../shared/interaction/taxonomy';
import { limits } from '../../../shared/limits';
import { ImmediateRiskGuidance } from '../safeguarding/ImmediateRiskGuidance';
import {
  SafeguardingRelayStatus,
  useRelayRaisedConcern,
  useSafeguardingProtocol,
} from '../safeguarding/relay';
import { NoteArea, RadioGroup, TextField } from './controls';
import type { UnstampedEvent } from './live-interaction';

interface SafeguardingPanelProps {
  context: InteractionContext;
  send: (event: UnstampedEvent) => void;
  live: boolean;
}

function RaiseConcern({
  send,
  onDone,
  onCancel,
}: {
  send: SafeguardingPanelProps['send'];
  onDone: () => void;
  onCancel: () => void;
}) {
  const [category, setCategory] = useState<SafeguardingCategory | null>(null);
  const [whatWasSaid, setWhatWasSaid] = useState('');
  const [risk, setRisk] = useState<'yes' | 'no' | null>(null);
  const { protocol, refresh } = useSafeguardingProtocol();
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    // The server may have sent a newer protocol since the desk started.
    refresh();
    // Straight to the first question: the adviser is mid-call.
    form.current?.querySelector<HTMLInputElement>('input')?.focus();
  }, [refresh]);
  const cancelOnEscape = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    // Nothing else on the screen should also take this Escape.
    event.stopPropagation();
    onCancel();
  };
  const raise = (event: FormEvent) => {
    event.preventDefault();
    if (!category || !risk) return;
    send({
      type: 'RAISE_CONCERN',
      concernId: newId(),
      category,
      whatWasSaid,
      immediateRisk: risk === 'yes',
    });
    onDone();
  };
  return (
    <form
      ref={form}
      onSubmit={raise}
      onKeyDown={cancelOnEscape}
      aria-label="Raise a safeguarding concern"
    >
      <RadioGroup
        legend="Category"
        options={safeguardingCategories}
        labels={safeguardingCategoryLabels}
        value={category}
        onChange={setCategory}
      />
      <NoteArea
        label="What was said"
        value={whatWasSaid}
        maxLength={limits.maxNoteChars}
        onText={setWhatWasSaid}
      />
      <RadioGroup
        legend="Immediate risk"
        options={['yes', 'no'] as const}
        labels={{ yes: 'Yes', no: 'No' }}
        value={risk}
        onChange={setRisk}
      />
      {risk === 'yes' && <ImmediateRiskGuidance protocol={protocol} announce />}
      <div className="safeguarding__form-actions">
        <button type="submit" className="button button--primary" disabled={!category || !risk}>
          Raise concern
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function SafeguardingPanel({ context, send, live }: SafeguardingPanelProps) {
  const [raising, setRaising] = useState(false);
  const raiseButton = useRef<HTMLButtonElement>(null);
  const openConcern = useRef<HTMLDivElement>(null);
  /**
   * Where focus goes once the form has closed: back to its opener, or to the
   * concern just raised. A ref, read after the render that closes the form.
   */
  const focusAfter = useRef<'opener' | 'concern' | null>(null);
  const { protocol } = useSafeguardingProtocol();
  // An adviser may hold two chats, each screen with its own panel.
  const headingId = useId();
  const [escalatedTo, setEscalatedTo] = useState('');
  const [action, setAction] = useState('');
  const [referral, setReferral] = useState('');
  const [outcome, setOutcome] = useState('');
  const open = context.safeguarding.find((concern) => concern.resolvedAt === null);
  const resolvedCount = context.safeguarding.length - (open ? 1 : 0);
  useRelayRaisedConcern(context);
  useEffect(() => {
    const target = focusAfter.current;
    if (target === null) return;
    focusAfter.current = null;
    if (target === 'opener') raiseButton.current?.focus();
    else (openConcern.current ?? raiseButton.current)?.focus();
  });

  return (
    <section className="safeguarding" aria-labelledby={headingId}>
      <h2 id={headingId}>Safeguarding</h2>
      {resolvedCount > 0 && (
        <p>
          {resolvedCount === 1 ? 'One concern resolved.' : `${resolvedCount} concerns resolved.`}
        </p>
      )}
      {open ? (
        <div role="group" aria-label="Open safeguarding concern" ref={openConcern} tabIndex={-1}>
          <p className="notice notice--problem">
            Concern open: {safeguardingCategoryLabels[open.category]}
            {open.immediateRisk ? ', immediate risk' : ''}. It must be resolved before the
            interaction can complete.
          </p>
          <SafeguardingRelayStatus concernId={open.id} />
          {open.immediateRisk && <ImmediateRiskGuidance protocol={protocol} />}
          {open.escalatedAt === null ? (
            <>
              <TextField label="Escalated to" value={escalatedTo} onText={setEscalatedTo} />
              <button
                type="button"
                className="button"
                disabled={!escalatedTo.trim()}
                onClick={() => send({ type: 'ESCALATE_CONCERN', concernId: open.id, escalatedTo })}
              >
                Escalate concern
              </button>
            </>
          ) : (
            <p>Escalated to {open.escalatedTo}.</p>
          )}
          <ul aria-label="Safeguarding actions taken">
            {open.actions.map((taken) => (
              <li key={taken.at + taken.action}>
                {taken.action}
                {taken.referral ? ` (referral: ${taken.referral})` : ''}
              </li>
            ))}
          </ul>
          <TextField label="Action taken" value={action} onText={setAction} />
          <TextField label="Referral (optional)" value={referral} onText={setReferral} />
          <button
            type="button"
            className="button"
            disabled={!action.trim()}
            onClick={() => {
              send({
                type: 'RECORD_SAFEGUARDING_ACTION',
                concernId: open.id,
                action,
                referral: referral.trim() || null,
              });
              setAction('');
              setReferral('');
            }}
          >
            Record action
          </button>
          <NoteArea
            label="Outcome"
            value={outcome}
            maxLength={limits.maxNoteChars}
            onText={setOutcome}
          />
          <button
            type="button"
            className="button button--primary"
            disabled={open.escalatedAt === null || open.actions.length === 0}
            onClick={() => send({ type: 'RESOLVE_CONCERN', concernId: open.id, outcome })}
          >
            Resolve concern
          </button>
        </div>
      ) : raising ? (
        <RaiseConcern
          send={send}
          onDone={() => {
            focusAfter.current = 'concern';
            setRaising(false);
          }}
          onCancel={() => {
            focusAfter.current = 'opener';
            setRaising(false);
          }}
        />
      ) : (
        <button
          ref={raiseButton}
          type="button"
          className="button"
          disabled={!live}
          onClick={() => setRaising(true)}
        >
          Raise safeguarding concern
        </button>
      )}
    </section>
  );
}
