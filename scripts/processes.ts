// Starting the product's processes and reading the one line each prints when it
// is ready. Used by the launcher (scripts/start.ts) and the end-to-end tests, so
// both start the product the same way.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface StartedProcess {
  child: ChildProcess;
  /** The first capture group of the ready line (a URL). */
  readyValue: string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
}

export interface StartOptions {
  name: string;
  /** A TypeScript entry point run with Node and the tsx loader, or a binary. */
  command: string;
  args: string[];
  /** The line that says the process is ready; group 1 is returned. */
  readyPattern: RegExp;
  env?: NodeJS.ProcessEnv;
  /** Each line the process prints, for a log or a test's diagnostics. */
  onLine?: (line: string) => void;
  /** Give the process a standard input to write to (`child.stdin`); otherwise it reads nothing. */
  stdin?: boolean;
  timeoutMs?: number;
}

/** Arguments that run a TypeScript entry point with the same Node that runs us. */
export function tsEntry(entry: string, args: string[] = []): { command: string; args: string[] } {
  return { command: process.execPath, args: ['--import', 'tsx', entry, ...args] };
}

export function startProcess(options: StartOptions): Promise<StartedProcess> {
  const child = spawn(options.command, options.args, {
    env: options.env ?? process.env,
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  const recent: string[] = [];
  const remember = (line: string) => {
    recent.push(line);
    if (recent.length > 40) recent.shift();
    options.onLine?.(line);
  };
  return new Promise((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => {
      if (ready) return;
      child.kill('SIGTERM');
      reject(
        new Error(`${options.name} did not start in time. Last output:\n${recent.join('\n')}`),
      );
    }, options.timeoutMs ?? 60_000);
    const watch = (stream: NodeJS.ReadableStream) => {
      createInterface({ input: stream }).on('line', (line) => {
        remember(line);
        if (ready) return;
        const match = options.readyPattern.exec(line);
        if (match?.[1]) {
          ready = true;
          clearTimeout(timer);
          resolve({ child, readyValue: match[1], exited });
        }
      });
    };
    if (child.stdout) watch(child.stdout);
    if (child.stderr) watch(child.stderr);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} could not start: ${error.message}`));
    });
    void exited.then((code) => {
      if (ready) return;
      clearTimeout(timer);
      reject(
        new Error(`${options.name} exited (${code}) before it was ready:\n${recent.join('\n')}`),
      );
    });
  });
}

/** Asks a process to stop (SIGTERM: drain and close) and waits, then insists. */
export async function stopProcess(started: StartedProcess, graceMs = 10_000): Promise<void> {
  if (started.child.exitCode !== null || started.child.signalCode !== null) return;
  started.child.kill('SIGTERM');
  const timer = setTimeout(() => started.child.kill('SIGKILL'), graceMs);
  await started.exited;
  clearTimeout(timer);
}
