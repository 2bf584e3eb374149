// Transcripts are composed by the server from the interaction record it holds,
// when it sends them: the bodies desks used to send with each request are
// dropped, so mail from the helpline's address never carries a desk's own
// text or links, not even for transcripts queued before this version.
import { schemaChange, type ServerMigration } from './types';

export const transcriptsComposedOnServerMigration: ServerMigration = {
  version: 9,
  name: 'transcripts-composed-on-server',
  up: schemaChange({
    sqlite: `
      ALTER TABLE transcripts DROP COLUMN body_text;
      ALTER TABLE transcripts DROP COLUMN body_html;
    `,
    postgres: `
      ALTER TABLE transcripts DROP COLUMN body_text, DROP COLUMN body_html;
    `,
  }),
};
