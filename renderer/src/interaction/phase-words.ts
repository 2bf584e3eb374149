// What the interaction screen says of its phase (live and in replay alike) and
// of its kind of contact. A chat is not a call: every word and control that
// differs between them is chosen here, once, rather than by a test of the
// channel at each place on the screen.
import type { InteractionVariant } from '../../../shared/interaction/machine';
import type { Channel } from '../../../shared/interaction/record';

export const phaseWords = {
  idle: 'Waiting',
  ringing: 'Ringing',
  live: 'Connected',
  onHold: 'On hold',
  wrapUp: 'Wrap-up',
  completed: 'Completed',
  missed: 'Missed',
} as const;

/** The kinds of contact the live desk guides, each with its own words. */
export type ContactKind = 'voice_call' | 'follow_up_call' | 'web_chat';

export interface ContactWords {
  /** The screen's heading, before its phase: "Web chat: Connected". */
  title: string;
  /** The running clock's label. */
  timer: string;
  /** The button that ends the contact. */
  end: string;
  /**
   * Whether Hold is offered. Hold is the telephone's (music for the caller);
   * a chat simply waits while the adviser looks something up.
   */
  hold: boolean;
  /**
   * Said in the heading once the customer, or their line, ended the contact;
   * null where the screen already says so elsewhere.
   */
  customerGone: string | null;
}

const calls = {
  timer: 'Call time',
  end: 'End call',
  hold: true,
  customerGone: 'The customer disconnected. Wrap up when you are ready: there is no time limit.',
} as const;

export const contactWords: Record<ContactKind, ContactWords> = {
  voice_call: { title: 'Voice call', ...calls },
  follow_up_call: { title: 'Follow-up call', ...calls },
  web_chat: {
    title: 'Web chat',
    timer: 'Chat time',
    end: 'End chat',
    hold: false,
    // The conversation itself says how the customer left (ChatConversation), beside their last words.
    customerGone: null,
  },
};

/**
 * A follow-up is always a call the desk makes; otherwise the channel decides
 * (none yet only before anything is offered, which the screen never shows).
 */
export function contactKind(channel: Channel | null, variant: InteractionVariant): ContactKind {
  if (channel === 'webchat') return 'web_chat';
  return variant === 'follow_up' ? 'follow_up_call' : 'voice_call';
}
