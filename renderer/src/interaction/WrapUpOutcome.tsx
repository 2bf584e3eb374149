// The wrap-up outcome code: one radio group, from the list the desk holds
// (the operator's, cached from the server, or the built-in one). Choosing a
// code journals it with its label as read now, so a later rename changes
// nothing already recorded.
import { useEffect, useId, useState } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { InteractionContext } from '../../../shared/interaction/machine';
import { defaultOutcomeCodes, type OutcomeCode } from '../../../shared/interaction/outcome-codes';
import { RadioGroup } from './controls';
import type { UnstampedEvent } from './live-interaction';
import './wrap-up.css';

/** The desk's list; the built-in one until it answers, or if it cannot. */
export function useOutcomeCodes(desk: DeskBridge): readonly OutcomeCode[] {
  const [codes, setCodes] = useState<readonly OutcomeCode[]>(defaultOutcomeCodes);
  useEffect(() => {
    let current = true;
    void desk.outcomeCodes(null).then((answer) => {
      // The list is the desk's own cache; should even that fail, the built-in
      // list keeps wrap-up possible rather than trapping the adviser.
      if (current && answer.ok) setCodes(answer.value.codes);
    });
    return () => {
      current = false;
    };
  }, [desk]);
  return codes;
}

export function WrapUpOutcome({
  desk,
  context,
  send,
}: {
  desk: DeskBridge;
  context: InteractionContext;
  send: (event: UnstampedEvent) => void;
}) {
  const headingId = useId();
  const listed = useOutcomeCodes(desk);
  const chosen = context.outcomeCode ?? null;
  // A code chosen before the list changed stays on screen as it was chosen.
  const codes =
    chosen && !listed.some((code) => code.id === chosen.id)
      ? [...listed, { id: chosen.id, label: chosen.label }]
      : listed;
  const labels = Object.fromEntries(codes.map((code) => [code.id, code.label]));
  return (
    <section className="wrap-up-outcome" aria-labelledby={headingId}>
      <h2 id={headingId}>Wrap-up</h2>
      <RadioGroup
        legend="Outcome code (required)"
        options={codes.map((code) => code.id)}
        labels={labels}
        value={chosen?.id ?? null}
        onChange={(id) => {
          const code = codes.find((candidate) => candidate.id === id);
          if (code) send({ type: 'CHOOSE_OUTCOME_CODE', code: { id: code.id, label: code.label } });
        }}
      />
    </section>
  );
}
