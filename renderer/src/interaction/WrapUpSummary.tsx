// What completing will do, shown before it is done: the transcript and action
// plan (sent to whom, how, or not), the follow-up booked or not, safeguarding
// concerns raised, the outcome code and the stages not covered. The adviser
// confirms or goes back. A modal dialog: focus starts on its heading, Tab stays
// inside it, Escape goes back, and focus returns to what opened it.
import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import type { InteractionContext } from '../../../shared/interaction/machine';
import { wrapUpSummary } from '../../../shared/interaction/wrap-up';
import './wrap-up.css';

const focusable =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function WrapUpSummary({
  context,
  busy,
  onConfirm,
  onBack,
}: {
  context: InteractionContext;
  busy: boolean;
  onConfirm: () => void;
  onBack: () => void;
}) {
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const dialog = useRef<HTMLDivElement>(null);
  const summary = wrapUpSummary(context);

  useEffect(() => {
    // Whatever opened the summary (the Complete button) gets focus back when it closes.
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    heading.current?.focus();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onBack();
      return;
    }
    if (event.key !== 'Tab' || !dialog.current) return;
    // Modal: Tab and Shift+Tab go round the dialog's own controls, never behind it.
    const controls = [...dialog.current.querySelectorAll<HTMLElement>(focusable)];
    const first = controls[0];
    const last = controls.at(-1);
    if (!first || !last) return;
    const active = document.activeElement;
    if (event.shiftKey && (active === first || active === heading.current)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="wrap-up-summary__backdrop">
      <div
        ref={dialog}
        className="wrap-up-summary"
        role="dialog"
        aria-modal="true"
        aria-labelledby={headingId}
        onKeyDown={onKeyDown}
      >
        <h2 id={headingId} ref={heading} tabIndex={-1}>
          Check before you complete
        </h2>
        <p>Completing sends this interaction’s record to the central server, and then:</p>
        <dl className="wrap-up-summary__list">
          <div>
            <dt>Transcript and action plan</dt>
            <dd>{summary.transcript}</dd>
          </div>
          <div>
            <dt>Follow-up call</dt>
            <dd>{summary.followUp}</dd>
          </div>
          <div>
            <dt>Safeguarding concerns raised</dt>
            <dd>
              {summary.safeguarding.length === 0 ? (
                'None in this interaction.'
              ) : (
                <ul>
                  {summary.safeguarding.map((line, index) => (
                    <li key={index}>{line}</li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
          <div>
            <dt>Outcome code</dt>
            <dd>{summary.outcomeCode ?? 'Not chosen'}</dd>
          </div>
          <div>
            <dt>Stages not covered</dt>
            <dd>
              {summary.notCovered.length === 0 ? (
                'None.'
              ) : (
                <ul>
                  {summary.notCovered.map((gap) => (
                    <li key={gap.stage}>
                      {gap.label}: {gap.reason}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
        </dl>
        <div className="wrap-up-summary__actions">
          <button
            type="button"
            className="button button--primary"
            disabled={busy}
            onClick={onConfirm}
          >
            Confirm and complete
          </button>
          <button type="button" className="button" onClick={onBack}>
            Go back
          </button>
        </div>
      </div>
    </div>
  );
}
