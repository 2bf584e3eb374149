// How many follow-ups each day of a window already holds, for the booking form
// on the live desk. Given through context, so the stage panels stay free of
// the desk bridge (a replay shows the same panels with no server to ask).
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { FollowUpCapacity } from '../../../shared/wire/follow-ups';

type CapacityLoader = (from: string, to: string) => Promise<FollowUpCapacity | null>;

const CapacityContext = createContext<CapacityLoader | null>(null);

export function FollowUpCapacityProvider({
  desk,
  children,
}: {
  desk: DeskBridge;
  children: ReactNode;
}) {
  // One loader per desk: a new one each render would ask the server again on every keystroke.
  const load = useCallback<CapacityLoader>(
    async (from, to) => {
      const answer = await desk.followUpCapacity({ from, to });
      return answer.ok ? answer.value : null;
    },
    [desk],
  );
  return <CapacityContext.Provider value={load}>{children}</CapacityContext.Provider>;
}

/** The window's days with their counts; null while loading, offline, or with nobody to ask. */
export function useFollowUpCapacity(
  from: string | null,
  to: string | null,
): FollowUpCapacity['days'] | null {
  const load = useContext(CapacityContext);
  const [days, setDays] = useState<FollowUpCapacity['days'] | null>(null);
  useEffect(() => {
    if (!load || !from || !to) return;
    let current = true;
    void load(from, to).then((capacity) => {
      if (current) setDays(capacity?.days ?? null);
    });
    return () => {
      current = false;
    };
  }, [load, from, to]);
  return days;
}
