// Stages the desk for electron-builder: a folder of its own holding the built
// shell and renderer, a package.json naming only the desk's runtime packages
// (the dependencies of the desk's workspace, electron/package.json),
// and a production install of just those. electron-builder packages that folder
// (directories.app) and rebuilds the SQLite drivers for Electron there, so the
// project's own node_modules, which the server and the tests use under plain
// Node, is never touched.
//   npx tsx scripts/stage-desk.ts [--out .stage/desk]
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  deskManifest,
  deskManifestPath,
  isShippedBuildFile,
  stagingInstallArgs,
  type ProjectLock,
  type ProjectManifest,
} from './desk-package';

export interface StageOptions {
  /** The project folder (package.json, package-lock.json, dist/). */
  projectDir: string;
  stageDir: string;
  /** Runs npm in the staging folder; injectable so a test can see what is asked. */
  runNpm?: (args: readonly string[], cwd: string) => void;
}

export interface StagedDesk {
  manifest: ReturnType<typeof deskManifest>;
  npmArgs: readonly string[];
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

export function stageDesk(options: StageOptions): StagedDesk {
  const distDir = join(options.projectDir, 'dist');
  if (!existsSync(join(distDir, 'electron', 'main.js'))) {
    throw new Error('dist/electron/main.js is missing: run npm run build first');
  }
  const manifest = deskManifest(
    readJson<ProjectManifest>(join(options.projectDir, 'package.json')),
    readJson<ProjectManifest>(join(options.projectDir, deskManifestPath)),
    readJson<ProjectLock>(join(options.projectDir, 'package-lock.json')),
  );
  rmSync(options.stageDir, { recursive: true, force: true });
  mkdirSync(options.stageDir, { recursive: true });
  cpSync(distDir, join(options.stageDir, 'dist'), {
    recursive: true,
    filter: (source) => source === distDir || isShippedBuildFile(distDir, source),
  });
  writeFileSync(join(options.stageDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const runNpm =
    options.runNpm ??
    ((args, cwd) => {
      execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, {
        cwd,
        stdio: 'inherit',
      });
    });
  runNpm(stagingInstallArgs, options.stageDir);
  return { manifest, npmArgs: stagingInstallArgs };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { out: { type: 'string', default: '.stage/desk' } } });
  const projectDir = process.cwd();
  const staged = stageDesk({ projectDir, stageDir: resolve(projectDir, values.out) });
  console.log(
    `staged the desk in ${values.out} with ${Object.keys(staged.manifest.dependencies).join(', ')}`,
  );
}
