// The default TextMessageProvider: keeps each text message in the mail sink
// folder beside the emails, where operators list them. An SMS gateway
// replaces it by implementing TextMessageProvider (server/transcripts/types.ts).
import type { MailFolder } from './mail-folder';
import type { TextMessageProvider, TranscriptTextMessage } from './types';

export class SinkTextMessages implements TextMessageProvider {
  constructor(private readonly folder: MailFolder) {}

  async send(message: TranscriptTextMessage): Promise<void> {
    await this.folder.keepText(message);
  }
}
