// The signed-in desk: header with the adviser and sign-out, the interaction area,
// and the status bar. Between calls the interaction area shows who is waiting.
// Staff who may read past interactions also have the history area and the
// training library, and advisers and team leaders the quality area; those who
// take no live work (trainers, for one) land on the history. Everyone may
// search the knowledge network in its own area, between calls too.
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
import { KnowledgeArea, useKnowledgeAreaOpen } from '../knowledge/KnowledgeArea';
import { knowledgeHash } from '../knowledge/knowledge-route';
import { mayReadHistory, takesLiveWork } from '../history/find-query';
import { HistoryArea, type HistoryRoute } from '../history/HistoryArea';
import {
  dashboardHash,
  deskHash,
  findHash,
  goTo,
  libraryHash,
  qualityHash,
  useDeskRoute,
} from '../history/route';
import { mayReadQuality } from '../quality/access';
import { QualityArea, type QualityRoute } from '../quality/QualityArea';
import { DashboardArea } from '../dashboard/DashboardArea';
import { mayReadTraining } from '../training/access';
import { TrainingArea, type TrainingRoute } from '../training/TrainingArea';
import { MissedOfferNotice } from './MissedOfferNotice';
import { StatusBar } from './StatusBar';
import { WaitingForCall } from './WaitingForCall';
import { FollowUpList } from '../follow-ups/FollowUpList';

/** The service dashboard is for team leaders; the server's policy (`dashboard.read`) enforces it. */
const mayReadDashboard = (user: StaffMember) => user.roles.includes('team_leader');

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
  const route = useDeskRoute();
  const live = takesLiveWork(user);
  const trainingRoute: TrainingRoute | null =
    route.area === 'training' && mayReadTraining(user) ? route : null;
  const qualityRoute: QualityRoute | null =
    route.area === 'quality' && mayReadQuality(user) ? route : null;
  const dashboardOpen = route.area === 'dashboard' && mayReadDashboard(user);
  const knowledgeOpen = useKnowledgeAreaOpen();
  const historyRoute: HistoryRoute | null =
    !mayReadHistory(user) || trainingRoute || qualityRoute || dashboardOpen || knowledgeOpen
      ? null
      : route.area === 'history'
        ? route
        : live
          ? null
          : { area: 'history', view: 'find' };
  const away =
    historyRoute !== null ||
    trainingRoute !== null ||
    qualityRoute !== null ||
    dashboardOpen ||
    knowledgeOpen;

  // A call or chat offered while the adviser reads history must not go unseen.
  useEffect(() => {
    if (!live) return;
    const toLiveDesk = () => goTo(deskHash);
    const stopCalls = desk.onCallOffered(toLiveDesk);
    const stopChats = desk.onChatOffered(toLiveDesk);
    return () => {
      stopCalls();
      stopChats();
    };
  }, [desk, live]);

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
        {/* Availability and the queue are for those who take live work. */}
        {live && <ChatHeader desk={desk} />}
        <p className="desk__adviser">
          <span className="desk__adviser-name">{user.displayName}</span>
          <span className="desk__adviser-role">
            {user.roles.map((role) => roleLabels[role]).join(', ')}
          </span>
        </p>
        <button
          type="button"
          className="button"
          disabled={signingOut}
          onClick={() => void signOut()}
        >
          Sign out
        </button>
        {/* The areas and the knowledge network's tools on a row of their own, so
            the row above never has to wrap at 1366 px. */}
        <div className="desk__tools">
          {/* Every role reads the knowledge network, so every desk has areas. */}
          <nav className="desk__areas" aria-label="Desk areas">
            {live && (
              <a href={deskHash} aria-current={!away ? 'page' : undefined}>
                Live desk
              </a>
            )}
            <a href={knowledgeHash} aria-current={knowledgeOpen ? 'page' : undefined}>
              Knowledge
            </a>
            {mayReadHistory(user) && (
              <a href={findHash} aria-current={historyRoute !== null ? 'page' : undefined}>
                History
              </a>
            )}
            {mayReadTraining(user) && (
              <a href={libraryHash} aria-current={trainingRoute !== null ? 'page' : undefined}>
                Training library
              </a>
            )}
            {mayReadQuality(user) && (
              <a href={qualityHash} aria-current={qualityRoute !== null ? 'page' : undefined}>
                Quality
              </a>
            )}
            {mayReadDashboard(user) && (
              <a href={dashboardHash} aria-current={dashboardOpen ? 'page' : undefined}>
                Service dashboard
              </a>
            )}
          </nav>
          <KnowledgeAdminNav desk={desk} user={user} />
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1} className="desk__main">
        <h1 className="visually-hidden">Adviser desk</h1>
        <SafeguardingAlerts desk={desk} user={user} />
        {/* Above the history area too: an adviser reading history must learn they were set Busy. */}
        {live && <MissedOfferNotice desk={desk} />}
        {signOutProblem && (
          <div role="alert" className="notice notice--problem">
            <p>Could not sign out: {signOutProblem.message}</p>
          </div>
        )}
        {historyRoute && <HistoryArea desk={desk} user={user} route={historyRoute} />}
        {trainingRoute && <TrainingArea desk={desk} user={user} route={trainingRoute} />}
        {qualityRoute && <QualityArea desk={desk} user={user} route={qualityRoute} />}
        {dashboardOpen && <DashboardArea desk={desk} />}
        {knowledgeOpen && <KnowledgeArea desk={desk} />}
        {/* Kept mounted under the other areas: a live interaction keeps its state. */}
        <div className="desk__live" hidden={away}>
          <ChatArea desk={desk} link={link} />
          {/* InteractionHost renders nothing while no call is on the desk; the
              stylesheet then shows the waiting panel that follows it. */}
          <div className="desk__interaction">
            <SafeguardingRelayProvider desk={desk}>
              <InteractionHost desk={desk} user={user} deskId={status.deskId} />
            </SafeguardingRelayProvider>
          </div>
          <WaitingForCall desk={desk} connection={status.connection} />
          {live && <FollowUpList desk={desk} userId={user.id} connection={status.connection} />}
        </div>
      </main>
      <StatusBar status={status} link={link} now={new Date()} />
    </div>
  );
}
