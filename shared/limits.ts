// Sizes every boundary enforces, in one place so both ends agree.
export const limits = {
  /** Largest socket.io message the server accepts (bytes). */
  maxSocketMessageBytes: 1_000_000,
  /** Largest HTTP JSON body the server accepts (bytes). */
  maxHttpBodyBytes: 1_000_000,
  /** Longest free-text note the interaction screen keeps (characters). */
  maxNoteChars: 20_000,
  /** Longest search query the knowledge panel passes on (characters). */
  maxQueryChars: 5_000,
  /** Largest journal a completed interaction may carry (events). */
  maxJournalEvents: 20_000,
} as const;
