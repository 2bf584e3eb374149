// The signed-in desk: header with the adviser and sign-out, the interaction area,
// and the status bar. Between calls the interaction area shows who is waiting.
import { useEffect, useRef, useState, type MouseEvent } from 'react';
import { roleLabels, type StaffMember } from '../../../shared/domain/people';
import type { DeskBridge, DeskStatus } from '../../../shared/ipc/contract';
import type { ResultError } from '../../../shared/result';
import type { DeskLinkState } from '../desk/socket-client';
import { ChatArea } from '../chat/ChatArea';
import { ChatHeader } from '../chat/ChatHeader';
import { InteractionHost } from '../interaction/InteractionHost';
import { SafeguardingRelayProvider } from '../safeguarding/relay';
import { SafeguardingAlerts } from '../safeguarding/SafeguardingAlerts';
import { KnowledgeAdminNav } from '../knowledge-admin/KnowledgeAdminNav';
import { StatusBar } from './StatusBar';
import { WaitingForCall } from './WaitingForCall';

interface DeskScreenProps {
  desk: DeskBridge;
  status: DeskStatus;
  user: StaffMember;
  link: DeskLinkState;
  onSignedOut: () => void;
}

export function DeskScreen({ desk, status, user, link, onSignedOut }: DeskScreenProps) {
  const main = useRef<HTMLElement>(null);
  const [signOutProblem, setSignOutProblem] = useState<ResultError | null>(null);
  const [signingOut, setSigningOut] = useState(false);

  // Signing in removed the focused form; start keyboard users at the desk's main area.
  useEffect(() => {
    main.current?.focus();
  }, []);

  const skipToMain = (event: MouseEvent<HTMLAnchorElement>) => {
    // Focus rather than navigate: the address bar's fragment is not ours to change.
    event.preventDefault();
    main.current?.focus();
  };

  const signOut = async () => {
    setSigningOut(true);
    setSignOutProblem(null);
    const result = await desk.signOut(null);
    setSigningOut(false);
    if (result.ok) onSignedOut();
    else setSignOutProblem(result.error);
  };

  return (
    <div className="desk">
      <a className="skip-link" href="#main" onClick={skipToMain}>
        Skip to main content
      </a>
      <header className="desk__header">
        <p className="desk__service">Careers helpline desk</p>
        <ChatHeader desk={desk} />
        <p className="desk__adviser">
          <span className="desk__adviser-name">{user.displayName}</span>
          <span className="desk__adviser-role">
            {user.roles.map((role) => roleLabels[role]).join(', ')}
          </span>
        </p>
        <KnowledgeAdminNav desk={desk} user={user} />
        <button
          type="button"
          className="button"
          disabled={signingOut}
          onClick={() => void signOut()}
        >
          Sign out
        </button>
      </header>
      <main id="main" ref={main} tabIndex={-1} className="desk__main">
        <h1 className="visually-hidden">Adviser desk</h1>
        <SafeguardingAlerts desk={desk} user={user} />
        {signOutProblem && (
          <div role="alert" className="notice notice--problem">
            <p>Could not sign out: {signOutProblem.message}</p>
          </div>
        )}
        <ChatArea desk={desk} link={link} />
        {/* InteractionHost renders nothing while no call is on the desk; the
            stylesheet then shows the waiting panel that follows it. */}
        <div className="desk__interaction">
          <SafeguardingRelayProvider desk={desk}>
            <InteractionHost desk={desk} user={user} deskId={status.deskId} />
          </SafeguardingRelayProvider>
        </div>
        <WaitingForCall connection={status.connection} />
      </main>
      <StatusBar status={status} link={link} now={new Date()} />
    </div>
  );
}
