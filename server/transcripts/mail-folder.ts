// The mail sink's folder, <dataDir>/mail/: every email the embedded SMTP sink
// accepts, as a .eml file, and every text message the default provider sends,
// as a .txt file, each with one line in index.jsonl. The message file is
// written (and synced) before its index line, and the index line before the
// sink answers 250, so an acknowledged message is always listed and a listed
// message always has its file. A crash in between leaves at most an unlisted
// file, and the sender then sends again (same Message-ID), so nothing is lost.
import { randomUUID } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import { z } from 'zod';
import type { TranscriptTextMessage } from './types';

export const mailFolderName = 'mail';
export const mailIndexFile = 'index.jsonl';

export const mailEntrySchema = z.object({
  id: z.uuid(),
  channel: z.enum(['email', 'text']),
  /** The message file's name inside the folder: `<id>.eml` or `<id>.txt`. */
  file: z.string().regex(/^[0-9a-f-]{36}\.(eml|txt)$/),
  /** The envelope sender, for an email. */
  from: z.string().nullable(),
  to: z.array(z.string()),
  subject: z.string(),
  /** When the sink kept it. */
  date: z.iso.datetime(),
  size: z.number().int().min(0),
  /** Message-ID (email) or reference (text); a resend carries the same one. */
  messageId: z.string().nullable(),
});
export type MailEntry = z.infer<typeof mailEntrySchema>;

export interface KeptMessage {
  entry: MailEntry;
  /** The plain text the customer reads; never the HTML part. */
  text: string;
}

export interface EmailEnvelope {
  from: string | null;
  to: string[];
}

const addressesOf = (field: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((group) =>
    group.value.flatMap((address) => (address.address ? [address.address] : [])),
  );

/** Parser settings for reading kept mail: the text part only, nothing converted or linked. */
const readingOptions = { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true };

export class MailFolder {
  readonly dir: string;
  private readonly indexPath: string;
  /** Writes one at a time, so index lines from two SMTP sessions never interleave. */
  private writing: Promise<unknown> = Promise.resolve();

  constructor(
    dataDir: string,
    private readonly now: () => number = Date.now,
  ) {
    this.dir = join(dataDir, mailFolderName);
    this.indexPath = join(this.dir, mailIndexFile);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.endTornLine();
  }

  /**
   * A crash mid-append can leave the index's last line without its newline;
   * end it, so the next line starts afresh (the torn one is skipped when listed).
   */
  private endTornLine(): void {
    let index: number;
    try {
      index = openSync(this.indexPath, 'r+');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    try {
      const { size } = fstatSync(index);
      const last = Buffer.alloc(1);
      if (size > 0 && readSync(index, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a) {
        writeSync(index, '\n', size);
        fsyncSync(index);
      }
    } finally {
      closeSync(index);
    }
  }

  /** Keeps an email as received over SMTP. */
  async keepEmail(raw: Buffer, envelope: EmailEnvelope): Promise<MailEntry> {
    const parsed = await simpleParser(raw, readingOptions);
    const id = randomUUID();
    const headerTo = addressesOf(parsed.to);
    return this.keep(raw, {
      id,
      channel: 'email',
      file: `${id}.eml`,
      from: envelope.from,
      to: envelope.to.length > 0 ? envelope.to : headerTo,
      subject: parsed.subject ?? '',
      date: new Date(this.now()).toISOString(),
      size: raw.length,
      messageId: parsed.messageId ?? null,
    });
  }

  /** Keeps a text message sent through the default provider. */
  async keepText(message: TranscriptTextMessage): Promise<MailEntry> {
    const id = randomUUID();
    const date = new Date(this.now()).toISOString();
    // Header lines first, a blank line, then the body, so the file reads on its own.
    const content = Buffer.from(
      `To: ${oneLine(message.to)}\nSubject: ${oneLine(message.subject)}\n` +
        `Reference: ${oneLine(message.reference)}\nDate: ${date}\n\n${message.body}`,
      'utf8',
    );
    return this.keep(content, {
      id,
      channel: 'text',
      file: `${id}.txt`,
      from: null,
      to: [message.to],
      subject: message.subject,
      date,
      size: content.length,
      messageId: message.reference,
    });
  }

  /** Newest first. Lines that do not parse (a line torn by a crash) are skipped, not fatal. */
  async list(limit: number): Promise<MailEntry[]> {
    let index: string;
    try {
      index = await readFile(this.indexPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const entries: MailEntry[] = [];
    for (const line of index.split('\n')) {
      if (line.trim() === '') continue;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        continue;
      }
      const entry = mailEntrySchema.safeParse(json);
      if (entry.success) entries.push(entry.data);
    }
    return entries.reverse().slice(0, limit);
  }

  async read(id: string): Promise<KeptMessage | null> {
    const entry = (await this.list(Number.MAX_SAFE_INTEGER)).find((kept) => kept.id === id);
    if (!entry) return null;
    // The file name comes from our own index, checked by its schema: no path from the request.
    const raw = await readFile(join(this.dir, entry.file));
    if (entry.channel === 'text') {
      const body = raw.toString('utf8');
      const blank = body.indexOf('\n\n');
      return { entry, text: blank === -1 ? body : body.slice(blank + 2) };
    }
    const parsed = await simpleParser(raw, readingOptions);
    return { entry, text: parsed.text ?? '' };
  }

  private keep(content: Buffer, entry: MailEntry): Promise<MailEntry> {
    const write = this.writing.then(async () => {
      const target = join(this.dir, entry.file);
      const partial = `${target}.partial`;
      const file = await open(partial, 'wx', 0o600);
      try {
        await file.writeFile(content);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(partial, target);
      const index = await open(this.indexPath, 'a', 0o600);
      try {
        await index.appendFile(`${JSON.stringify(entry)}\n`);
        await index.sync();
      } finally {
        await index.close();
      }
      return entry;
    });
    // A failed write must not block the ones after it.
    this.writing = write.catch(() => undefined);
    return write;
  }
}

/** Header values stay on one line, whatever an address or subject holds. */
const oneLine = (value: string) => value.replace(/[\r\n]+/g, ' ');
