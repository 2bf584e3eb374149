// The transcript offer, on every channel: by email or text message, or declined.
import { useState, type FormEvent } from 'react';
import { transcriptAddressProblem } from '../../../../shared/interaction/machine';
import { RadioGroup, TextField } from '../controls';
import type { StageProps } from './types';

const viaLabels = { email: 'Email', text: 'Text message' } as const;

export function TranscriptStage({ context, send }: StageProps) {
  const { transcript } = context;
  const [via, setVia] = useState<'email' | 'text'>('email');
  const [address, setAddress] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const record = (event: FormEvent) => {
    event.preventDefault();
    const typed = address.trim();
    // Exactly one mailbox or one UK mobile: the machine's check, which is the
    // one the record and the server apply, so the event is never one it drops.
    const why = transcriptAddressProblem(via, typed);
    setProblem(why);
    if (!why) send({ type: 'CHOOSE_TRANSCRIPT', decision: 'send', via, address: typed });
  };

  return (
    <>
      {transcript.decision === 'send' && (
        <p>
          Transcript will be sent by {viaLabels[transcript.via].toLowerCase()} to{' '}
          {transcript.address}.
        </p>
      )}
      {transcript.decision === 'declined' && <p>The customer declined a transcript.</p>}
      <form onSubmit={record} aria-label="Send a transcript">
        <RadioGroup
          legend="Send the transcript by"
          options={['email', 'text'] as const}
          labels={viaLabels}
          value={via}
          onChange={setVia}
        />
        <TextField
          label={via === 'email' ? 'Email address' : 'Mobile number'}
          type={via === 'email' ? 'email' : 'tel'}
          value={address}
          onText={setAddress}
        />
        {problem && (
          <p role="alert" className="notice notice--problem">
            {problem}
          </p>
        )}
        <button type="submit" className="button button--primary">
          Record transcript choice
        </button>
      </form>
      <button
        type="button"
        className="button"
        onClick={() =>
          send({ type: 'CHOOSE_TRANSCRIPT', decision: 'declined', via: null, address: null })
        }
      >
        Customer declined a transcript
      </button>
    </>
  );
}
