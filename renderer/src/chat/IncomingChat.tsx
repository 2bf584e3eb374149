// Chats offered to the adviser: who is waiting, how long they have waited, how
// long is left to accept before the chat goes to the next adviser, and Accept.
import { useLayoutEffect, useState } from 'react';
import type { HeldOffer } from './chat-desk';
import { secondsLeft, waitWords } from './chat-words';

export interface IncomingChatProps {
  held: HeldOffer;
  /** The page clock now; the count-down redraws it every second. */
  now: number;
  busy: boolean;
  onAccept: () => void;
  onDecline: () => void;
}

export function IncomingChat({ held, now, busy, onAccept, onDecline }: IncomingChatProps) {
  const { offer } = held;
  // The page clock ticks once a second, so an offer heard between ticks is drawn against a
  // reading older than the offer itself: "Accept within 21 seconds" of a 20-second offer.
  // The moment the page heard the offer is a later reading of the same clock: never count
  // from before it.
  const at = Math.max(now, held.heardAt);
  const left = secondsLeft(held.deadline, at);
  // The wait when offered, by the server's clock, then counted on this page's own clock.
  const waited =
    Math.max(0, Date.parse(offer.offeredAt) - Date.parse(offer.queuedAt)) / 1000 +
    (at - held.heardAt) / 1000;
  return (
    <section role="region" aria-label="Incoming chat" className="incoming-chat">
      <h2>Incoming chat</h2>
      <p className="incoming-chat__who">
        <bdi>{offer.customerName}</bdi>
        {offer.age !== null && `, aged ${offer.age}`}
        {` (waited ${waitWords(waited)})`}
      </p>
      {/* A timer is not read out every second; the adviser finds it when they look. */}
      <p role="timer" className="incoming-chat__countdown">
        {left > 0 ? `Accept within ${waitWords(left)}` : 'Offer ending…'}
      </p>
      <div className="incoming-chat__actions">
        <button
          type="button"
          className="button button--primary"
          disabled={busy || left === 0}
          onClick={onAccept}
        >
          Accept chat
        </button>
        <button type="button" className="button" disabled={busy} onClick={onDecline}>
          Decline
        </button>
      </div>
    </section>
  );
}

/**
 * The page clock, redrawn every second while something counts down. Set
 * afresh, before the screen is painted, whenever counting starts: kept from
 * the last tick, an offer arriving after a quiet spell was first drawn against
 * the time the clock last ticked, minutes ago ("Accept within 6 minutes" for
 * its first second).
 */
export function useSecondClock(running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useLayoutEffect(() => {
    if (!running) return;
    const tick = () => setNow(Date.now());
    tick();
    const timer = setInterval(tick, 1_000);
    return () => clearInterval(timer);
  }, [running]);
  return now;
}
