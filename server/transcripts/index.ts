// Transcript delivery inside the central server: the mail folder, the
// embedded SMTP sink (unless a real relay is configured), the relay, the text
// message provider and the sender loop, started together and closed in order.
import type { KnowledgeArticle } from '../../shared/knowledge/article';
import { MailFolder } from './mail-folder';
import { TranscriptSender } from './sender';
import { resolveTranscriptSettings, type TranscriptDeliveryOptions } from './settings';
import { startSmtpSink, type RunningSmtpSink } from './smtp-sink';
import { smtpRelay, type SmtpRelayTarget } from './smtp-relay';
import { SinkTextMessages } from './text-messages';
import type { EmailRelay, TextMessageProvider, TranscriptDeliveryStore } from './types';
import type { LogLine } from '../logging';

export type { TranscriptDeliveryOptions } from './settings';

export interface TranscriptDeliveryDependencies {
  dataDir: string;
  store: TranscriptDeliveryStore;
  now: () => number;
  log: LogLine;
  options: TranscriptDeliveryOptions;
  /** The server's copy of an article, for records that name one without its title and link. */
  articles?: (articleId: string) => Promise<KnowledgeArticle | null>;
}

export interface CustomerMessaging {
  email: EmailRelay;
  textMessages: TextMessageProvider;
  /** Message-IDs are made in the From address's domain. */
  messageIdDomain: string;
}

export interface TranscriptDelivery {
  /** The sink folder: emails the embedded sink kept, and text messages. */
  folder: MailFolder;
  /** The embedded sink's address, or null when a real relay is configured. */
  sink: { host: string; port: number } | null;
  sender: TranscriptSender;
  /** The same ways out for other messages to customers (follow-up reminders and notes). */
  messages: CustomerMessaging;
  close(): Promise<void>;
}

export async function startTranscriptDelivery(
  deps: TranscriptDeliveryDependencies,
): Promise<TranscriptDelivery> {
  const settings = resolveTranscriptSettings(deps.options);
  if (!settings.ok) {
    const issues = (settings.error.issues ?? []).map((issue) => `${issue.path}: ${issue.message}`);
    throw new Error([settings.error.message, ...issues].join('; '));
  }
  const { smtpUrl, from, messageIdDomain, sinkPort, retry } = settings.value;
  const folder = new MailFolder(deps.dataDir, deps.now);

  let sink: RunningSmtpSink | null = null;
  let relay: SmtpRelayTarget;
  if (smtpUrl === null) {
    sink = await startSmtpSink({ folder, port: sinkPort, log: deps.log });
    relay = { url: `smtp://${sink.host}:${sink.port}`, auth: sink.auth };
    deps.log(`mail sink listening on ${sink.host}:${sink.port}, keeping mail in ${folder.dir}`);
  } else {
    relay = { url: smtpUrl };
    deps.log(`transcripts go to the relay at ${new URL(smtpUrl).host}`);
  }
  const email = smtpRelay(relay, from);

  const textMessages = deps.options.textMessages ?? new SinkTextMessages(folder);
  const sender = new TranscriptSender({
    store: deps.store,
    email,
    textMessages,
    messageIdDomain,
    retry,
    now: deps.now,
    random: deps.options.random ?? Math.random,
    log: deps.log,
    ...(deps.options.idleCheckMs ? { idleCheckMs: deps.options.idleCheckMs } : {}),
    ...(deps.articles ? { articles: deps.articles } : {}),
  });
  const stopHints = deps.store.onQueued(() => sender.wake());
  sender.start();

  let closing: Promise<void> | null = null;
  return {
    folder,
    sink: sink ? { host: sink.host, port: sink.port } : null,
    sender,
    messages: { email, textMessages, messageIdDomain },
    close() {
      closing ??= (async () => {
        stopHints();
        // The sender first: a send in progress may be talking to the sink.
        await sender.stop();
        email.close();
        await sink?.close();
      })();
      return closing;
    },
  };
}
