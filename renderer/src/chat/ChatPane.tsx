// The chat inside the interaction screen for a web-chat interaction: the
// conversation from the desk's chat model, sending through the desk services,
// links opened only after the desk's check, and the customer's transcript
// request recorded on the interaction.
import { useEffect, useState } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { TranscriptChoice } from '../../../shared/interaction/record';
import { openCheckedLink } from '../knowledge/external-links';
import { chatDeskFor } from './chat-desk';
import { ChatConversation } from './ChatConversation';
import { useChatDesk } from './hooks';
import './chat.css';

export interface ChatPaneProps {
  desk: DeskBridge;
  chatId: string;
  transcript: TranscriptChoice;
  /** Records the customer's transcript request; null once the interaction cannot take it. */
  onRecordTranscript: ((email: string) => void) | null;
}

export function ChatPane({ desk, chatId, transcript, onRecordTranscript }: ChatPaneProps) {
  const model = chatDeskFor(desk);
  const chat = useChatDesk(desk).chats.find((held) => held.chatId === chatId);
  const [linkProblem, setLinkProblem] = useState<string | null>(null);
  const [loadProblem, setLoadProblem] = useState<string | null>(null);

  // After a reload or a desk restart the conversation may not be on the page yet.
  const missing = chat === undefined;
  useEffect(() => {
    if (!missing) return;
    let current = true;
    void model.open(chatId).then((answer) => {
      if (current) setLoadProblem(answer.ok ? null : answer.error.message);
    });
    return () => {
      current = false;
    };
  }, [missing, model, chatId]);

  if (!chat) {
    return (
      <section className="chat" aria-label="Chat">
        {loadProblem ? (
          <p role="alert" className="notice notice--problem">
            The conversation could not be loaded: {loadProblem}
          </p>
        ) : (
          <p>Loading the conversation…</p>
        )}
      </section>
    );
  }

  return (
    <ChatConversation
      chat={chat}
      onSend={async (text) => {
        const answer = await model.send(chatId, text);
        return answer.ok ? null : answer.error.message;
      }}
      onTyping={(typing) => void model.setTyping(chatId, typing)}
      onOpenLink={(url) =>
        void openCheckedLink(desk, url).then((problem) => setLinkProblem(problem?.message ?? null))
      }
      linkProblem={linkProblem}
      transcriptRecordedFor={
        transcript.decision === 'send' && transcript.via === 'email' ? transcript.address : null
      }
      onRecordTranscript={onRecordTranscript}
    />
  );
}
