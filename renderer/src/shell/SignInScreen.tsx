// The sign-in screen: username and password, and the desk's own words when it refuses.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { StaffMember } from '../../../shared/domain/people';
import type { ResultError } from '../../../shared/result';

interface SignInScreenProps {
  desk: DeskBridge;
  onSignedIn: (user: StaffMember) => void;
}

export function SignInScreen({ desk, onSignedIn }: SignInScreenProps) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [refusal, setRefusal] = useState<ResultError | null>(null);
  const [signingIn, setSigningIn] = useState(false);
  const refusalRef = useRef<HTMLDivElement>(null);
  // A refusal takes focus, so it is read out and Tab goes on to the fields.
  useEffect(() => {
    if (refusal) refusalRef.current?.focus();
  }, [refusal]);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (signingIn) return;
    setSigningIn(true);
    setRefusal(null);
    const result = await desk.signIn({ username, password });
    setSigningIn(false);
    if (result.ok) {
      onSignedIn(result.value);
    } else {
      setPassword('');
      setRefusal(result.error);
    }
  };

  return (
    <main id="main" className="sign-in">
      <form
        className="sign-in__form"
        aria-labelledby="sign-in-heading"
        aria-busy={signingIn}
        noValidate
        onSubmit={(event) => void submit(event)}
      >
        <p className="sign-in__service">Careers helpline</p>
        <h1 id="sign-in-heading">Sign in</h1>
        {refusal && (
          <div ref={refusalRef} tabIndex={-1} role="alert" className="notice notice--problem">
            <p>{refusal.message}</p>
            {refusal.issues && refusal.issues.length > 0 && (
              <ul>
                {refusal.issues.map((issue) => (
                  <li key={`${issue.path}:${issue.message}`}>{issue.message}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        <div className="field">
          <label htmlFor="sign-in-username">Username</label>
          <input
            id="sign-in-username"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            // The adviser came here to sign in; nothing else on the page needs focus.
            autoFocus
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="sign-in-password">Password</label>
          <input
            id="sign-in-password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </div>
        <button type="submit" className="button button--primary" disabled={signingIn}>
          Sign in
        </button>
      </form>
    </main>
  );
}
