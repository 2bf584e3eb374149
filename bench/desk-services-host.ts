// The desk services in a process of their own, for the desk-thread benchmark:
// what electron/desk-services.ts is in Electron's utility process, with Node's
// IPC channel standing in for the utility process's message port (both carry
// structured clones, in order). The Electron binary does not run everywhere
// the benchmark does; the services and the protocol are the same code.
import { createDeskServices } from '../electron/services/desk';
import { serveDeskServices, type MessageLink } from '../electron/services/host-protocol';
import { servicesOptionsFrom } from '../electron/services/services-open';

const link: MessageLink = {
  post: (message) => process.send?.(message),
  onMessage(listener) {
    const handler = (message: unknown) => listener(message);
    process.on('message', handler);
    return () => process.off('message', handler);
  },
};

await serveDeskServices(
  link,
  // The folder, the server, the keys and the host, as the shell's services process takes them.
  (open, host) => createDeskServices(servicesOptionsFrom(open, host)),
  (problem) => process.stderr.write(`${problem}\n`),
);
process.exit(0);
