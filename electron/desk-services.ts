// The desk services' own process (Electron's utility process): the local
// database, outbox, knowledge sync and server connection, the same services as
// browser mode, answering the main process over its port (host-protocol.ts).
// The window's thread then never waits on SQLite or the network.
import { join } from 'node:path';
import type { MessageEvent } from 'electron';
import { createDeskServices } from './services/desk';
import { serveDeskServices, type MessageLink } from './services/host-protocol';
import { createDeskLogger, deskLogFile, type DeskLogger } from './services/logging';
import { servicesOptionsFrom } from './services/services-open';

const port = process.parentPort;
const link: MessageLink = {
  post: (message) => port.postMessage(message),
  onMessage(listener) {
    const handler = (event: MessageEvent) => listener(event.data);
    port.on('message', handler);
    return () => port.off('message', handler);
  },
};

let log: DeskLogger | null = null;
void serveDeskServices(
  link,
  (open, host) => {
    // JSON lines in the data folder, for an operator or a support request.
    log = createDeskLogger({
      destination: deskLogFile(join(open.dataDir, 'logs', 'desk.log')),
      level: open.logLevel,
    });
    return createDeskServices({
      // The folder, the server, the keys the main process keeps under
      // safeStorage, and what it does for the services.
      ...servicesOptionsFrom(open, host),
      log,
    });
  },
  (problem) => {
    if (log) log.warn(problem);
    else process.stderr.write(`${problem}\n`);
  },
).then(() => process.exit(0));
