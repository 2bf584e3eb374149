// React bindings for the page's chat model.
import { useSyncExternalStore } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import { chatDeskFor, type ChatDeskState } from './chat-desk';

export function useChatDesk(desk: DeskBridge): ChatDeskState {
  const model = chatDeskFor(desk);
  return useSyncExternalStore(model.subscribe, model.state, model.state);
}

const noSubscription = () => () => undefined;

/**
 * Whether an interaction's screen is on show. Calls always are; of several live
 * chats only the selected one is. A call never touches the chat model.
 */
export function useChatShown(desk: DeskBridge, chatId: string | null): boolean {
  const model = chatId === null ? null : chatDeskFor(desk);
  const shown = () => model?.isShown(chatId) ?? true;
  return useSyncExternalStore(model?.subscribe ?? noSubscription, shown, shown);
}
