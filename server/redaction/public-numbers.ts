// Numbers the adviser gives out are not anyone's personal data and stay in
// every redacted text. This is the one list: add a service here, nowhere else.
// The helpline's own number is not recorded anywhere in this repository yet;
// when it is, it belongs in this list.

export interface PublicNumber {
  service: string;
  number: string;
}

export const publicNumbers: readonly PublicNumber[] = [
  { service: 'Emergency services', number: '999' },
  { service: 'Emergency services (EU)', number: '112' },
  { service: 'NHS 111', number: '111' },
  { service: 'Police non-emergency', number: '101' },
  { service: 'Childline', number: '0800 1111' },
  { service: 'Samaritans', number: '116 123' },
  { service: 'Shout (text SHOUT)', number: '85258' },
  { service: 'NSPCC helpline', number: '0808 800 5000' },
  // The outside services the knowledge network's starter articles give out
  // (a unit test keeps this in step with the articles' phone fields).
  { service: 'Mind', number: '0300 123 3393' },
  { service: 'FRANK', number: '0300 123 6600' },
  { service: 'Switchboard LGBT+ helpline', number: '0800 0119 100' },
  { service: 'Papyrus HOPELINE247', number: '0800 068 4141' },
  { service: 'National Careers Service', number: '0800 100 900' },
  { service: 'StepChange Debt Charity', number: '0800 138 1111' },
  { service: 'Citizens Advice', number: '0800 144 8848' },
  { service: "The King's Trust", number: '0800 842 842' },
  { service: 'National Domestic Abuse Helpline', number: '0808 2000 247' },
  { service: 'Centrepoint Helpline', number: '0808 800 0661' },
  { service: 'Scope', number: '0808 800 3333' },
  { service: 'Shelter', number: '0808 800 4444' },
  { service: 'Beat', number: '0808 801 0677' },
  { service: 'YoungMinds', number: '0808 802 5544' },
  { service: 'Contact (families with disabled children)', number: '0808 808 3555' },
  { service: 'The Mix', number: '0808 808 4994' },
];

const publicDigits = new Set(publicNumbers.map((entry) => entry.number.replace(/\D/g, '')));

/** Is this written number (any spacing, +44 or not) one of the public numbers? */
export function isPublicNumber(written: string): boolean {
  let digits = written.replace(/\(0\)/g, '').replace(/\D/g, '');
  if (digits.startsWith('0044')) digits = `0${digits.slice(4)}`;
  else if (digits.startsWith('44') && written.trim().startsWith('+'))
    digits = `0${digits.slice(2)}`;
  return publicDigits.has(digits);
}
