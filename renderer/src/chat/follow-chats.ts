// Ties the adviser's chats to interactions on this page: a chat accepted here
// becomes a web-chat interaction (offered, then answered), and the customer
// leaving (or the chat ending elsewhere) reaches that interaction's machine.
// Tells the chat model which chats have an interaction, for the tab list.
import { contactPhase } from '../../../shared/interaction/machine';
import type { LiveChat } from '../../../shared/ipc/contract';
import type { LiveDesk } from '../interaction/live-desk';
import type { LiveInteraction } from '../interaction/live-interaction';
import type { ChatDeskModel } from './chat-desk';

function isChat(interaction: LiveInteraction): boolean {
  return interaction.getView().snapshot.context.channel === 'webchat';
}

/**
 * Puts every message both parties have seen (it has the server's sequence
 * number) into the interaction's journal and record, once, in chat order; the
 * transcript the customer receives is composed from that record.
 */
function recordChatLines(interaction: LiveInteraction, chat: LiveChat): void {
  const seen = new Set(interaction.getView().snapshot.context.chat.map((line) => line.seq));
  for (const message of chat.messages) {
    if (message.seq === null || message.delivery !== 'sent' || seen.has(message.seq)) continue;
    interaction.send({
      type: 'CHAT_MESSAGE',
      line: { seq: message.seq, from: message.from, text: message.text, at: message.sentAt },
    });
  }
}

/** Brings one interaction in line with its chat; each event is sent once, as the machine moves on. */
function follow(interaction: LiveInteraction, chat: LiveChat): void {
  const phase = contactPhase(interaction.getView().snapshot);
  // Restored between the offer and the answer (a reload at that moment): the chat was accepted.
  if (phase === 'ringing' && chat.answeredAt !== null) {
    interaction.send({ type: 'ANSWER' });
    // The age the young person gave on the chat page starts the first stage, as
    // they said it; the adviser confirms or corrects it like anything else.
    const { caller } = interaction.getView().snapshot.context;
    if (chat.age !== null && caller.age === null) {
      interaction.send({ type: 'UPDATE_CALLER', age: chat.age });
    }
  }
  const now = contactPhase(interaction.getView().snapshot);
  if (now === 'live' || now === 'onHold' || now === 'wrapUp') recordChatLines(interaction, chat);
  if (now !== 'live' && now !== 'onHold') return;
  if (chat.customerLeft || chat.endedBy === 'customer') {
    interaction.send({
      type: 'CUSTOMER_DISCONNECTED',
      by: chat.customerLeft?.how === 'gone' ? 'network' : 'customer',
    });
  } else if (chat.endedBy === 'service') {
    interaction.send({ type: 'CUSTOMER_DISCONNECTED', by: 'network' });
  } else if (chat.endedBy === 'adviser') {
    // Ended from another of the adviser's desks.
    interaction.send({ type: 'END_CALL' });
  }
}

export function followChats(model: ChatDeskModel, live: LiveDesk): () => void {
  let stopped = false;
  let restored = false;
  let running = false;
  let again = false;

  const syncOnce = () => {
    for (const chat of model.state().chats) {
      const interaction = live.byContact(chat.chatId);
      if (interaction) {
        follow(interaction, chat);
        continue;
      }
      const offeredAt = model.acceptedHereAfterOffer(chat.chatId);
      if (offeredAt !== null && chat.answeredAt !== null && chat.endedAt === null) {
        // Answered on the next pass, through the same path as a restored one.
        live.offer({ callId: chat.chatId, channel: 'webchat', offeredAt });
      }
    }
    model.setLiveChats(
      live
        .list()
        .filter((interaction) => isChat(interaction))
        .map((interaction) => interaction.contactRef),
    );
  };

  // Offering an interaction notifies the live desk's listeners, which is this
  // function again: run passes one after another, never one inside another.
  const sync = () => {
    if (stopped || !restored) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        syncOnce();
      } while (again);
    } finally {
      running = false;
    }
  };

  // Only once the stored interactions are back, so a reload never makes a second one for a chat.
  void live.restore().then(() => {
    restored = true;
    sync();
  });
  const stopModel = model.subscribe(sync);
  const stopLive = live.subscribe(sync);
  return () => {
    stopped = true;
    stopModel();
    stopLive();
  };
}
