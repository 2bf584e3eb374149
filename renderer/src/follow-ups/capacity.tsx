// What the follow-up booking form on the live desk asks the desk for: how many
// follow-ups each day of a window already holds, and the helpline's service
// hours. Given through context, so the stage panels stay free of the desk
// bridge (a replay shows the same panels with no server to ask).
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { ServiceHours } from '../../../shared/time/service-hours';
import type { FollowUpCapacity } from '../../../shared/wire/follow-ups';

type CapacityLoader = (from: string, to: string) => Promise<FollowUpCapacity | null>;

const CapacityContext = createContext<CapacityLoader | null>(null);
const ServiceHoursContext = createContext<ServiceHours | null>(null);

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
  // The desk's cached hours (the built-in ones on a desk that never reached the server).
  const [hours, setHours] = useState<ServiceHours | null>(null);
  useEffect(() => {
    let current = true;
    void desk.serviceHours(null).then((answer) => {
      if (current && answer.ok) setHours(answer.value.hours);
    });
    return () => {
      current = false;
    };
  }, [desk]);
  return (
    <CapacityContext.Provider value={load}>
      <ServiceHoursContext.Provider value={hours}>{children}</ServiceHoursContext.Provider>
    </CapacityContext.Provider>
  );
}

/** The service hours a booking is checked against; null until the desk answers, or in a replay. */
export const useServiceHours = (): ServiceHours | null => useContext(ServiceHoursContext);

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
