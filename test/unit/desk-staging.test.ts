// What the installer is made of: the staging step copies the built shell and
// renderer (no source maps, no server), writes a manifest naming only the
// desk's runtime packages at their locked versions, and installs production
// packages in the staging folder, never in the project's own node_modules.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deskManifest, deskRuntimeDependencies } from '../../scripts/desk-package';
import { stageDesk } from '../../scripts/stage-desk';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function write(root: string, path: string, text = 'x') {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

const project = { name: 'adviser-desk', version: '1.2.3' };
/** The desk's workspace: what the installed desk loads, and what the build bundles. */
const desk = {
  name: '@adviser-desk/desk',
  version: '1.2.3',
  dependencies: {
    'better-sqlite3': '^12.0.0',
    'better-sqlite3-multiple-ciphers': '^12.0.0',
    'electron-updater': '^6.8.0',
  },
  devDependencies: { 'socket.io-client': '^4.0.0', zod: '^4.0.0' },
};
const lock = {
  packages: {
    'node_modules/better-sqlite3': { version: '12.11.1' },
    'node_modules/better-sqlite3-multiple-ciphers': { version: '12.11.1' },
    'node_modules/electron-updater': { version: '6.8.10' },
    'node_modules/express': { version: '5.3.0' },
    'node_modules/socket.io-client': { version: '4.8.4' },
  },
};

describe('the staged desk', () => {
  it('copies the built shell and renderer without maps, writes its manifest and installs there', () => {
    const projectDir = mkdtempSync(join(tmpdir(), 'desk-project-'));
    folders.push(projectDir);
    write(projectDir, 'package.json', JSON.stringify(project));
    write(projectDir, 'electron/package.json', JSON.stringify(desk));
    write(projectDir, 'package-lock.json', JSON.stringify(lock));
    for (const file of [
      'dist/electron/main.js',
      'dist/electron/main.js.map',
      'dist/electron/preload.cjs',
      'dist/electron/knowledge-writer-worker.js',
      'dist/renderer/index.html',
      'dist/renderer/assets/index-abc.js',
      'dist/renderer/assets/index-abc.js.map',
      'dist/customer/index.html',
      'server/main.ts',
      'server/package.json',
    ]) {
      write(projectDir, file);
    }
    const stageDir = join(projectDir, '.stage', 'desk');
    const npmRuns: { args: readonly string[]; cwd: string }[] = [];

    const staged = stageDesk({
      projectDir,
      stageDir,
      runNpm: (args, cwd) => npmRuns.push({ args, cwd }),
    });

    expect(filesUnder(stageDir)).toEqual([
      'dist/electron/knowledge-writer-worker.js',
      'dist/electron/main.js',
      'dist/electron/preload.cjs',
      'dist/renderer/assets/index-abc.js',
      'dist/renderer/index.html',
      'package.json',
    ]);
    const manifest = JSON.parse(readFileSync(join(stageDir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      main: string;
      scripts?: unknown;
      devDependencies?: unknown;
    };
    expect(manifest).toEqual(staged.manifest);
    expect(manifest.dependencies).toEqual({
      'better-sqlite3': '12.11.1',
      'better-sqlite3-multiple-ciphers': '12.11.1',
      'electron-updater': '6.8.10',
    });
    expect(manifest.main).toBe('dist/electron/main.js');
    expect(manifest.scripts).toBeUndefined();
    expect(manifest.devDependencies).toBeUndefined();
    // One production install, in the staging folder and nowhere else.
    expect(npmRuns).toEqual([{ args: staged.npmArgs, cwd: stageDir }]);
    expect(staged.npmArgs).toContain('--omit=dev');
  });

  it('refuses to stage before the build', () => {
    const projectDir = mkdtempSync(join(tmpdir(), 'desk-project-'));
    folders.push(projectDir);
    write(projectDir, 'package.json', JSON.stringify(project));
    write(projectDir, 'electron/package.json', JSON.stringify(desk));
    write(projectDir, 'package-lock.json', JSON.stringify(lock));
    expect(() =>
      stageDesk({ projectDir, stageDir: join(projectDir, 'stage'), runNpm: () => undefined }),
    ).toThrow(/npm run build/);
  });
});

describe('the desk manifest', () => {
  it('names only the packages the desk loads: its workspace dependencies, none bundled', () => {
    // One SQLite driver: the cipher build, which opens the desk's database and the search's scratch one.
    expect([...deskRuntimeDependencies]).toEqual([
      'better-sqlite3-multiple-ciphers',
      'electron-updater',
    ]);
    const real = JSON.parse(
      readFileSync(new URL('../../electron/package.json', import.meta.url), 'utf8'),
    ) as { dependencies: Record<string, string> };
    expect(Object.keys(real.dependencies).sort()).toEqual([...deskRuntimeDependencies]);
    // What the build bundles is not installed beside it.
    const manifest = deskManifest(project, desk, lock);
    expect(Object.keys(manifest.dependencies)).not.toContain('socket.io-client');
  });

  it('fails clearly when a runtime package is not locked, or the desk names none', () => {
    expect(() => deskManifest(project, desk, { packages: {} })).toThrow(/package-lock.json/);
    expect(() => deskManifest(project, { name: 'x', version: '1.0.0' }, lock)).toThrow(
      /names no runtime dependencies/,
    );
  });
});

describe('the installer configuration', () => {
  it('packages the staging folder with the Electron fuses set', () => {
    const config = readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8');
    expect(config).toMatch(/^ {2}app: \.stage\/desk$/m);
    for (const fuse of [
      'runAsNode: false',
      'enableNodeOptionsEnvironmentVariable: false',
      'enableNodeCliInspectArguments: false',
      'enableEmbeddedAsarIntegrityValidation: true',
      'onlyLoadAppFromAsar: true',
      'enableCookieEncryption: true',
    ]) {
      expect(config).toContain(`  ${fuse}`);
    }
    const scripts = (
      JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(scripts.dist).toMatch(/stage-desk\.ts && electron-builder/);
    // Native modules load only from outside the asar archive: the desk's one SQLite driver.
    expect(config).toContain('  - node_modules/better-sqlite3-multiple-ciphers/**');
    expect(config).not.toContain('  - node_modules/better-sqlite3/**');
  });

  it('gives every installer the icon, at least 512 pixels square, and an update feed', () => {
    const config = readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8');
    expect(config.match(/^ {2}icon: build\/icon\.png$/gm)).toHaveLength(3);
    const png = readFileSync(new URL('../../build/icon.png', import.meta.url));
    // The PNG signature, then the IHDR chunk: width and height as 32-bit big-endian numbers.
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024]);
    expect(config).toMatch(/^publish:\n {2}provider: generic\n/m);
  });
});
