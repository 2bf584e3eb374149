// A throwaway PostgreSQL server for tests and benchmarks: its own data folder in
// the temp folder, its own loopback port, gone when stopped. No Docker: it runs
// the binaries of Debian's `postgresql` package. Run directly, it starts one for
// a developer and prints its URL (`npx tsx scripts/postgres-cluster.ts`, with
// `--durable` to keep fsync on).
import { execFile, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface PostgresClusterOptions {
  /** Folder holding initdb and pg_ctl; found under /usr/lib/postgresql (newest version) or on PATH otherwise. */
  binDir?: string;
  /**
   * Keep PostgreSQL's crash-safety settings. Off by default: a throwaway cluster
   * has nothing to lose, and fsync dominates the time of small test writes.
   * Benchmarks that compare against a production set-up want it on.
   */
  durable?: boolean;
}

export interface PostgresCluster {
  /** Superuser URL of the `postgres` database, e.g. postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  /** Stops the server and deletes its data. Safe to call more than once. */
  stop(): Promise<void>;
}

const debianRoot = '/usr/lib/postgresql';

/** Where initdb and pg_ctl are, or null when PostgreSQL is not installed. */
export function findPostgresBinDir(): string | null {
  const hasTools = (dir: string) =>
    existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'));
  if (existsSync(debianRoot)) {
    // Debian installs each major version side by side; the newest is the one
    // the server is being written against.
    const versions = readdirSync(debianRoot)
      .filter((name) => /^\d+(\.\d+)?$/.test(name))
      .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
    for (const version of versions) {
      const dir = join(debianRoot, version, 'bin');
      if (hasTools(dir)) return dir;
    }
  }
  // Other systems (Homebrew, Fedora) put initdb on PATH; Debian deliberately does not.
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && hasTools(dir)) return dir;
  }
  return null;
}

/** A port that was free a moment ago; PostgreSQL cannot be given port 0 itself. */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not read the port of a loopback listener'));
      });
    });
  });
}

interface Runner {
  /** Runs a PostgreSQL tool as the user PostgreSQL agrees to run as. */
  run(tool: string, args: string[]): Promise<void>;
  runSync(tool: string, args: string[]): void;
}

function runnerFor(binDir: string, cwd: string, asPostgresUser: boolean): Runner {
  const command = (tool: string, args: string[]): [string, string[]] =>
    asPostgresUser
      ? ['runuser', ['-u', 'postgres', '--', join(binDir, tool), ...args]]
      : [join(binDir, tool), args];
  return {
    run(tool, args) {
      const [file, argv] = command(tool, args);
      return new Promise((resolve, reject) => {
        // cwd is the cluster's folder: as the postgres user, root's working
        // folder is often unreadable, and the tools complain about it.
        execFile(file, argv, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
          if (!error) return resolve();
          const output = `${stderr}${stdout}`.trim();
          reject(new Error(`${tool} failed: ${output || error.message}`));
        });
      });
    },
    runSync(tool, args) {
      const [file, argv] = command(tool, args);
      spawnSync(file, argv, { cwd, stdio: 'ignore' });
    },
  };
}

function quoteSetting(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export async function startPostgresCluster(
  options: PostgresClusterOptions = {},
): Promise<PostgresCluster> {
  const binDir = options.binDir ?? findPostgresBinDir();
  if (!binDir || !existsSync(join(binDir, 'initdb')) || !existsSync(join(binDir, 'pg_ctl'))) {
    throw new Error(
      `PostgreSQL's initdb and pg_ctl were not found (looked in ${options.binDir ?? `${debianRoot}/*/bin and on PATH`}). ` +
        "Install Debian's postgresql package (sudo apt-get install --no-install-recommends postgresql), " +
        'or set TEST_DATABASE_URL=postgres://user@host:port/db to use a server you already have.',
    );
  }

  const asPostgresUser = process.getuid?.() === 0;
  const folder = mkdtempSync(join(tmpdir(), 'adviser-desk-postgres-'));
  const dataDir = join(folder, 'data');
  const logFile = join(folder, 'server.log');
  const runner = runnerFor(binDir, folder, asPostgresUser);

  let stopped = false;
  // The pid file rather than a flag: a start that failed halfway, or is still
  // under way when the process exits, can have left a server running too.
  const mayBeRunning = () => existsSync(join(dataDir, 'postmaster.pid'));
  const removeFolder = () => rmSync(folder, { recursive: true, force: true });
  // A test run that dies without its teardown (process.exit, an uncaught error)
  // must not leave a postmaster running: pg_ctl daemonises it, so nothing else
  // would ever stop it.
  const stopOnExit = () => {
    if (stopped) return;
    stopped = true;
    if (mayBeRunning()) runner.runSync('pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w']);
    removeFolder();
  };
  process.once('exit', stopOnExit);

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', stopOnExit);
    try {
      if (mayBeRunning())
        await runner.run('pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w']);
    } finally {
      removeFolder();
    }
  };

  try {
    if (asPostgresUser) {
      // PostgreSQL refuses to run as root; the postgres user (made by Debian's
      // package) must own the folder it writes its data and socket into.
      const { uid, gid } = postgresUser();
      chownSync(folder, uid, gid);
    }
    // -N: no point waiting for initdb to fsync data that will be thrown away.
    // C locale: the machine's locale may not be generated, and sorting must not
    // depend on where the tests run.
    await runner.run('initdb', [
      '-D',
      dataDir,
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--locale=C',
      '-N',
    ]);
    const settings: Record<string, string> = {
      listen_addresses: '127.0.0.1',
      // Inside the cluster's folder: /var/run/postgresql belongs to the system's
      // own server, and a user other than postgres cannot write there.
      unix_socket_directories: folder,
      ...(options.durable
        ? {}
        : { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }),
    };
    // Appending keeps the file's owner, so this works as root too; settings go in
    // the file rather than on pg_ctl's command line, which goes through a shell.
    appendFileSync(
      join(dataDir, 'postgresql.conf'),
      `\n# adviser-desk throwaway cluster\n${Object.entries(settings)
        .map(([name, value]) => `${name} = ${quoteSetting(value)}`)
        .join('\n')}\n`,
    );

    // The free port can be taken between finding it and PostgreSQL binding it;
    // another port then is as good as the first.
    for (let attempt = 1; ; attempt += 1) {
      const port = await freeLoopbackPort();
      try {
        await runner.run('pg_ctl', [
          'start',
          '-D',
          dataDir,
          '-l',
          logFile,
          '-w',
          '-t',
          '60',
          '-o',
          `-p ${port}`,
        ]);
        return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, stop };
      } catch (error) {
        const log = tail(logFile, 20);
        if (attempt < 3 && /could not bind|address already in use/i.test(log)) continue;
        throw new Error(`${(error as Error).message}${log ? `\nServer log:\n${log}` : ''}`, {
          cause: error,
        });
      }
    }
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

function postgresUser(): { uid: number; gid: number } {
  const result = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gidResult = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  const uid = Number.parseInt(result.stdout, 10);
  const gid = Number.parseInt(gidResult.stdout, 10);
  if (result.status !== 0 || gidResult.status !== 0 || Number.isNaN(uid) || Number.isNaN(gid)) {
    throw new Error(
      "Running as root, but there is no postgres user to run PostgreSQL as (PostgreSQL refuses root). Install Debian's postgresql package, which creates it, or run as another user.",
    );
  }
  return { uid, gid };
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  const cluster = await startPostgresCluster({ durable: process.argv.includes('--durable') });
  // The URL alone on stdout, for a script reading it line by line; the rest is for people.
  console.log(cluster.url);
  console.error(
    `PostgreSQL is running (started in ${Math.round(performance.now() - startedAt)} ms). ` +
      `Try: TEST_DATABASE_URL=${cluster.url} npm test\nCtrl-C stops it and deletes its data.`,
  );
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    cluster.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.on('SIGHUP', shutdown);
  // Signal handlers alone do not keep Node alive; this does until a signal comes.
  setInterval(() => undefined, 1 << 30);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
