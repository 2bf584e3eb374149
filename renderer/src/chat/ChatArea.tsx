// The chat area above the interaction: chats offered to the adviser, and the
// tab list that switches between live chats when several are open at once.
import { useEffect, useState, type KeyboardEvent } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { DeskLinkState } from '../desk/socket-client';
import { chatDeskFor } from './chat-desk';
import { useChatDesk } from './hooks';
import { IncomingChat, useSecondClock } from './IncomingChat';
import './chat.css';

export function ChatArea({ desk, link }: { desk: DeskBridge; link: DeskLinkState }) {
  const model = chatDeskFor(desk);
  const state = useChatDesk(desk);
  const now = useSecondClock(state.offers.length > 0);
  const [busy, setBusy] = useState<string | null>(null);

  // Pushes sent while the page's link to the desk was down are lost: reload whole when it is back.
  useEffect(() => {
    if (link === 'open') void model.refresh();
  }, [link, model]);

  const accept = async (chatId: string) => {
    setBusy(chatId);
    await model.accept(chatId);
    setBusy(null);
  };
  const decline = async (chatId: string) => {
    setBusy(chatId);
    await model.decline(chatId);
    setBusy(null);
  };

  const live = state.liveChatIds
    .map((chatId) => state.chats.find((chat) => chat.chatId === chatId))
    .filter((chat) => chat !== undefined);

  const tabKey = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = live[(index + step + live.length) % live.length];
    if (!next) return;
    model.select(next.chatId);
    document.getElementById(`chat-tab-${next.chatId}`)?.focus();
  };

  if (state.offers.length === 0 && live.length < 2 && !state.problem) return null;
  return (
    <div className="chat-area">
      {state.problem && (
        <p role="alert" className="notice notice--problem">
          {state.problem.message}{' '}
          <button type="button" className="button" onClick={() => model.clearProblem()}>
            Dismiss
          </button>
        </p>
      )}
      {state.offers.map((held) => (
        <IncomingChat
          key={held.offer.chatId}
          held={held}
          now={now}
          busy={busy === held.offer.chatId}
          onAccept={() => void accept(held.offer.chatId)}
          onDecline={() => void decline(held.offer.chatId)}
        />
      ))}
      {live.length >= 2 && (
        <div role="tablist" aria-label="Live chats" className="chat-tabs">
          {live.map((chat, index) => {
            const selected = state.selected === chat.chatId;
            const waiting = chat.messages.at(-1)?.from === 'customer' && chat.endedAt === null;
            return (
              <button
                key={chat.chatId}
                id={`chat-tab-${chat.chatId}`}
                type="button"
                role="tab"
                aria-selected={selected}
                tabIndex={selected ? 0 : -1}
                className="chat-tabs__tab"
                onClick={() => model.select(chat.chatId)}
                onKeyDown={(event) => tabKey(event, index)}
              >
                <bdi>{chat.customerName}</bdi>
                {chat.endedAt !== null
                  ? ' (ended)'
                  : waiting
                    ? ' (new message)'
                    : chat.customerTyping
                      ? ' (typing)'
                      : ''}
              </button>
            );
          })}
        </div>
      )}
    </div>
  );
}
