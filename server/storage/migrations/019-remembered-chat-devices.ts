// Remembered chat devices: a customer who asks their own phone or computer to
// be remembered sends a key it keeps from chat to chat; each chat holds the
// key's hash, indexed, so the adviser sees that customer's earlier chats as a
// caller's earlier calls are found by their number (migration 014). Chats held
// before this migration were never remembered and keep no key.
import type { MigrationContext, ServerMigration } from './types';

export const rememberedChatDevicesMigration: ServerMigration = {
  version: 19,
  name: 'remembered-chat-devices',
  async up(context: MigrationContext) {
    await context.exec(
      context.engine === 'sqlite'
        ? 'ALTER TABLE chats ADD COLUMN device_key TEXT;'
        : 'ALTER TABLE chats ADD COLUMN device_key text;',
    );
    await context.exec('CREATE INDEX chats_device_key ON chats (device_key, queued_at);');
  },
};
