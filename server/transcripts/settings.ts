// How transcript delivery is configured: the embedded SMTP sink by default,
// a real relay with one setting (SMTP_URL), the From address (TRANSCRIPT_FROM),
// the sink's port (SMTP_SINK_PORT) and the retry policy.
import { z } from 'zod';
import { fail, ok, parseInput, type Result } from '../../shared/result';
import { defaultRetryPolicy, retryPolicySchema, type RetryPolicy } from './retry';
import type { TextMessageProvider } from './types';

export const defaultTranscriptFrom = 'Careers helpline <transcripts@careers-helpline.localhost>';

/** `Name <local@domain>` or `local@domain`; the domain names the Message-IDs. */
const fromPattern = /^(?:[^<>\r\n]*<([^\s<>@]+@([A-Za-z0-9.-]+))>|([^\s<>@]+@([A-Za-z0-9.-]+)))$/;

export const smtpUrlSchema = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'SMTP_URL must look like smtp://user:pass@host:587 or smtps://user:pass@host:465');

export const transcriptFromSchema = z
  .string()
  .trim()
  .max(320)
  .regex(
    fromPattern,
    'TRANSCRIPT_FROM must be an address, like Careers helpline <transcripts@example.org>',
  );

/** A number, or digits from the environment. */
const portSchema = z
  .union([z.number(), z.string().regex(/^\d+$/, 'SMTP_SINK_PORT must be a number from 0 to 65535')])
  .transform(Number)
  .pipe(z.number().int().min(0).max(65535));

/** The settings that can come from the environment or ServerOptions. */
export const transcriptSettingsSchema = z.object({
  /** A real relay; unset means the embedded sink. */
  smtpUrl: smtpUrlSchema.optional(),
  from: transcriptFromSchema.optional(),
  /** The embedded sink's loopback port; 0 (the default) picks a free one. */
  sinkPort: portSchema.optional(),
  retry: retryPolicySchema.partial().optional(),
});
/** As given (a port may still be digits in a string); resolveTranscriptSettings checks it. */
export type TranscriptSettings = z.input<typeof transcriptSettingsSchema>;

export interface TranscriptDeliveryOptions extends TranscriptSettings {
  /** Jitter source, [0, 1); Math.random by default. */
  random?: () => number;
  /** Where text messages go; by default the mail sink folder. */
  textMessages?: TextMessageProvider;
  /**
   * The longest the sender sleeps with nothing due (60 s by default). Tests
   * make it long, so only the queue hint or wake() can start a send.
   */
  idleCheckMs?: number;
}

export interface ResolvedTranscriptSettings {
  smtpUrl: string | null;
  from: string;
  messageIdDomain: string;
  sinkPort: number;
  retry: RetryPolicy;
}

/** Checks the settings; a real relay needs a real From address, not the sink's placeholder. */
export function resolveTranscriptSettings(
  input: TranscriptSettings,
): Result<ResolvedTranscriptSettings> {
  const parsed = parseInput(transcriptSettingsSchema, input, 'Transcript settings');
  if (!parsed.ok) return parsed;
  const settings = parsed.value;
  if (settings.smtpUrl && !settings.from) {
    return fail(
      'invalid_input',
      'SMTP_URL is set but TRANSCRIPT_FROM is not: a real relay needs the service address transcripts come from',
    );
  }
  const from = settings.from ?? defaultTranscriptFrom;
  const match = fromPattern.exec(from);
  const messageIdDomain = match?.[2] ?? match?.[4] ?? 'careers-helpline.localhost';
  const retry = { ...defaultRetryPolicy, ...settings.retry };
  if (retry.maxDelayMs < retry.baseDelayMs) {
    return fail('invalid_input', 'The retry policy’s longest delay is shorter than its first');
  }
  return ok({
    smtpUrl: settings.smtpUrl ?? null,
    from,
    messageIdDomain,
    sinkPort: settings.sinkPort ?? 0,
    retry,
  });
}

/** Reads SMTP_URL, TRANSCRIPT_FROM and SMTP_SINK_PORT; unset or empty variables are left out. */
export function transcriptSettingsFromEnv(
  env: Record<string, string | undefined>,
): TranscriptSettings {
  const given = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const smtpUrl = given('SMTP_URL');
  const from = given('TRANSCRIPT_FROM');
  const sinkPort = given('SMTP_SINK_PORT');
  return {
    ...(smtpUrl ? { smtpUrl } : {}),
    ...(from ? { from } : {}),
    // Checked with the rest in resolveTranscriptSettings; a non-number fails there.
    ...(sinkPort ? { sinkPort } : {}),
  };
}
