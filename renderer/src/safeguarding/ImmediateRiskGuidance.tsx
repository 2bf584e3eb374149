// The service's immediate-risk protocol, shown to the adviser the moment they
// say a young person is at immediate risk, and again beside the open concern:
// what to do now, and whom to call with their numbers.
import { useEffect, useId, useRef } from 'react';
import type { SafeguardingProtocol } from '../../../shared/wire/safeguarding';
import './safeguarding.css';

export function ImmediateRiskGuidance({
  protocol,
  announce = false,
}: {
  protocol: SafeguardingProtocol;
  /** Announced to screen readers as it appears (the form); not when it is just there (the summary). */
  announce?: boolean;
}) {
  const headingId = useId();
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    // The safeguarding column is narrow and the form long: bring the protocol
    // into view as it appears, without moving focus from the question.
    if (announce) section.current?.scrollIntoView({ block: 'nearest' });
  }, [announce]);
  return (
    <section ref={section} className="risk-guidance" aria-labelledby={headingId}>
      <h3 id={headingId} className="risk-guidance__heading">
        {protocol.heading}
      </h3>
      {announce && (
        <p role="alert" className="visually-hidden">
          {protocol.heading}. The steps and numbers to call are shown below the question.
        </p>
      )}
      <ol className="risk-guidance__steps">
        {protocol.steps.map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ol>
      <h4 className="risk-guidance__subheading">Whom to call</h4>
      <ul className="risk-guidance__contacts">
        {protocol.contacts.map((contact) => (
          <li key={contact.name}>
            <span className="risk-guidance__name">{contact.name}</span>
            {contact.number ? (
              <span className="risk-guidance__number">{contact.number}</span>
            ) : (
              <span className="risk-guidance__number risk-guidance__number--person">In person</span>
            )}
            <span className="risk-guidance__when">{contact.when}</span>
          </li>
        ))}
      </ul>
      {protocol.footnote && <p className="risk-guidance__footnote">{protocol.footnote}</p>}
    </section>
  );
}
