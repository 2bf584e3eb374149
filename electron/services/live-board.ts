// The live board on a team leader's desk: the server pushes it on the desk
// socket whenever routing or safeguarding changes it (server/dashboard/live.ts);
// the desk keeps the latest, parsed, hands it to the renderer as a pushed event,
// and answers it on request for a dashboard opened after the last push.
import { ok } from '../../shared/result';
import { liveBoardSchema, type LiveBoard } from '../../shared/wire/dashboard';
import type { DeskHandlerRegistry } from './handlers';
import type { DeskSocket } from './outbox-transport';
import type { ServerConnection } from './server-connection';

export class DeskLiveBoard {
  private latest: LiveBoard | null = null;
  /** Sign-in replaces the socket; each one gets the board's listener once. */
  private readonly listening = new WeakSet<DeskSocket>();

  constructor(
    connection: ServerConnection,
    private readonly published: (board: LiveBoard) => void,
  ) {
    connection.on('connected', () => this.listen(connection.currentSocket()));
    // Signed out, the board is someone else's to see: forget it.
    connection.on('state', (state) => {
      if (state === 'signed_out') this.latest = null;
    });
  }

  current(): LiveBoard | null {
    return this.latest;
  }

  private listen(socket: DeskSocket | null): void {
    if (!socket || this.listening.has(socket)) return;
    this.listening.add(socket);
    socket.on('dashboard:board', (board: unknown) => {
      const parsed = liveBoardSchema.safeParse(board);
      if (!parsed.success) return;
      this.latest = parsed.data;
      this.published(parsed.data);
    });
  }
}

export function registerLiveBoardHandlers(
  registry: DeskHandlerRegistry,
  board: DeskLiveBoard,
): void {
  registry.register('liveBoard', () => ok(board.current()));
}
