// The app shell: loads the desk's status, then shows sign-in or the desk, and keeps
// both current from the desk's pushed status and the page's own link to it.
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { StaffMember } from '../../shared/domain/people';
import type { DeskBridge, DeskStatus } from '../../shared/ipc/contract';
import type { ResultError } from '../../shared/result';
import type { DeskLink } from './desk/socket-client';
import { DeskScreen } from './shell/DeskScreen';
import { SignInScreen } from './shell/SignInScreen';

interface AppProps {
  desk: DeskBridge;
  link: DeskLink;
}

/** Marks on <html> that end-to-end tests wait on, instead of sleeping. */
function markDocument(name: 'deskReady' | 'deskScreen', value: string) {
  document.documentElement.dataset[name] = value;
}

export function App({ desk, link }: AppProps) {
  const [status, setStatus] = useState<DeskStatus | null>(null);
  const [loadProblem, setLoadProblem] = useState<ResultError | null>(null);
  const linkState = useSyncExternalStore(link.onChange, link.state);

  // Bumped by "Try again" to ask for the status once more.
  const [attempt, setAttempt] = useState(0);

  useEffect(() => desk.onStatusChanged(setStatus), [desk]);

  // Pushed events sent while the link was down are lost, so every (re)opened link
  // starts from a fresh status.
  useEffect(() => {
    if (linkState !== 'open') return;
    let current = true;
    void desk.status(null).then((result) => {
      if (!current) return;
      if (result.ok) {
        setStatus(result.value);
        setLoadProblem(null);
        markDocument('deskReady', 'true');
      } else {
        setLoadProblem(result.error);
        // A refresh that fails after a good start leaves the desk usable: still ready.
        if (document.documentElement.dataset.deskReady !== 'true') {
          markDocument('deskReady', 'failed');
        }
      }
    });
    return () => {
      current = false;
    };
  }, [desk, linkState, attempt]);

  // Signing in or out changes the desk's connection too; show the new user at once
  // and fetch the whole status rather than rely on a push that may race this answer.
  const signedIn = (user: StaffMember) => {
    setStatus((current) => (current ? { ...current, user } : current));
    setAttempt((count) => count + 1);
  };
  const signedOut = () => {
    setStatus((current) => (current ? { ...current, user: null } : current));
    setAttempt((count) => count + 1);
  };

  const screen = status === null ? 'loading' : status.user ? 'desk' : 'sign-in';
  useEffect(() => markDocument('deskScreen', screen), [screen]);

  if (status === null) {
    return (
      <main id="main" className="loading">
        <h1>Careers helpline desk</h1>
        {loadProblem ? (
          <div role="alert" className="notice notice--problem">
            <p>The desk could not start: {loadProblem.message}</p>
            <button
              type="button"
              className="button"
              onClick={() => setAttempt((count) => count + 1)}
            >
              Try again
            </button>
          </div>
        ) : linkState === 'reconnecting' ? (
          <p>The desk services are not answering yet. Trying again…</p>
        ) : (
          <p>Starting the desk…</p>
        )}
      </main>
    );
  }

  if (!status.user) return <SignInScreen desk={desk} onSignedIn={signedIn} />;

  return (
    <DeskScreen
      desk={desk}
      status={status}
      user={status.user}
      link={linkState}
      onSignedOut={signedOut}
    />
  );
}
