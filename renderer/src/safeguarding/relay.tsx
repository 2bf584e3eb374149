// Telling team leaders of a concern the adviser raised: the interaction's
// safeguarding panel hands each newly open concern to the desk services, which
// queue it durably and send it live when online. The provider sits above the
// interaction host so a remounted panel does not send the same concern again.
// It also holds the service's immediate-risk protocol, as the desk last had it
// from the server, for the panel to show the moment there is immediate risk.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { InteractionContext } from '../../../shared/interaction/machine';
import {
  defaultSafeguardingProtocol,
  safeguardingExcerpt,
  type SafeguardingProtocol,
  type SafeguardingRaise,
} from '../../../shared/wire/safeguarding';

type RelayState =
  | { state: 'sending' }
  | { state: 'alerted' }
  | { state: 'queued' }
  | { state: 'problem'; message: string };

interface SafeguardingRelay {
  /** Sends the concern once per page; a later call with the same id does nothing. */
  relay(raise: SafeguardingRaise): void;
  stateOf(concernId: string): RelayState | null;
  /** The protocol the desk holds now: the server's last one, or the default. */
  protocol: SafeguardingProtocol;
  /** Asks the desk again (the server may have sent a newer one since). */
  refreshProtocol(): void;
}

const RelayContext = createContext<SafeguardingRelay | null>(null);

export function SafeguardingRelayProvider({
  desk,
  children,
}: {
  desk: DeskBridge;
  children: ReactNode;
}) {
  const sent = useRef(new Set<string>());
  const [states, setStates] = useState<ReadonlyMap<string, RelayState>>(new Map());
  const setState = useCallback(
    (concernId: string, state: RelayState) =>
      setStates((current) => new Map(current).set(concernId, state)),
    [],
  );
  const relay = useCallback(
    (raise: SafeguardingRaise) => {
      if (sent.current.has(raise.concernId)) return;
      sent.current.add(raise.concernId);
      setState(raise.concernId, { state: 'sending' });
      void desk
        .raiseSafeguardingConcern(raise)
        .then((result) =>
          setState(
            raise.concernId,
            result.ok
              ? { state: result.value.sentLive ? 'alerted' : 'queued' }
              : { state: 'problem', message: result.error.message },
          ),
        );
    },
    [desk, setState],
  );
  const [protocol, setProtocol] = useState<SafeguardingProtocol>(defaultSafeguardingProtocol);
  const refreshProtocol = useCallback(() => {
    void desk.safeguardingProtocol(null).then((result) => {
      if (result.ok) setProtocol(result.value);
    });
  }, [desk]);
  useEffect(refreshProtocol, [refreshProtocol]);
  const value = useMemo<SafeguardingRelay>(
    () => ({
      relay,
      stateOf: (concernId) => states.get(concernId) ?? null,
      protocol,
      refreshProtocol,
    }),
    [relay, states, protocol, refreshProtocol],
  );
  return <RelayContext.Provider value={value}>{children}</RelayContext.Provider>;
}

/**
 * Hands the interaction's open concern to the desk as soon as the machine has
 * accepted it (so a refused raise is never sent), with the machine's own time.
 * After a reload the open concern is sent once more; the server keeps it once.
 */
export function useRelayRaisedConcern(context: InteractionContext): void {
  const relay = useContext(RelayContext)?.relay;
  const open = context.safeguarding.find((concern) => concern.resolvedAt === null);
  const interactionId = context.interactionId;
  const contactRef = context.contactRef;
  useEffect(() => {
    if (!relay || !open || !interactionId || !contactRef) return;
    relay({
      concernId: open.id,
      interactionId,
      contactRef,
      category: open.category,
      immediateRisk: open.immediateRisk,
      whatWasSaid: safeguardingExcerpt(open.whatWasSaid),
      raisedAt: open.raisedAt,
    });
  }, [relay, open, interactionId, contactRef]);
}

const relayWords = {
  sending: 'Alerting team leaders…',
  alerted: 'Team leaders have been alerted.',
  queued: 'Team leaders will be alerted as soon as the desk reaches the central server.',
} as const;

/** Whether team leaders know of this concern yet, beside the concern in the panel. */
export function SafeguardingRelayStatus({ concernId }: { concernId: string }) {
  const state = useContext(RelayContext)?.stateOf(concernId) ?? null;
  if (!state) return null;
  if (state.state === 'problem') {
    return (
      <p role="alert" className="notice notice--problem">
        Team leaders could not be alerted: {state.message}. Tell a team leader in person.
      </p>
    );
  }
  return <p role="status">{relayWords[state.state]}</p>;
}

/**
 * The immediate-risk protocol to show, and a way to ask the desk for the
 * latest. Outside the provider (a replay, which sends nothing) it is the default.
 */
export function useSafeguardingProtocol(): {
  protocol: SafeguardingProtocol;
  refresh: () => void;
} {
  const context = useContext(RelayContext);
  return {
    protocol: context?.protocol ?? defaultSafeguardingProtocol,
    refresh: context?.refreshProtocol ?? noRefresh,
  };
}

const noRefresh = () => undefined;
