// The project is split into npm workspaces: the desk (electron/), its window
// (renderer/), the central server (server/) and the customer page
// (customer/) each declare the packages their own code imports, and the root
// declares what the code they share imports (shared/, knowledge-base/) and the
// tools. Declarations are only worth having if they are true, so this reads
// every source file's imports and holds each manifest to them, both ways: no
// import that its part does not declare, no declaration its part never imports.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const projectDir = fileURLToPath(new URL('../..', import.meta.url));

interface Manifest {
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const manifestOf = (folder: string): Manifest =>
  JSON.parse(readFileSync(join(projectDir, folder, 'package.json'), 'utf8')) as Manifest;

const declared = (manifest: Manifest) =>
  new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.devDependencies ?? {}),
  ]);

function sourceFiles(folder: string): string[] {
  return readdirSync(join(projectDir, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx|mts)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !relative(projectDir, file).split(sep).includes('node_modules'));
}

/** The package each bare import names (`@scope/name` or `name`), from static and dynamic imports. */
function packagesImportedBy(source: string): Set<string> {
  const names = new Set<string>();
  const pattern =
    /(?:^|[;\n])\s*(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[;\n])\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const match of source.matchAll(pattern)) {
    const specifier = match[1] ?? match[2] ?? match[3] ?? '';
    if (specifier === '' || specifier.startsWith('.') || specifier.startsWith('node:')) continue;
    const parts = specifier.split('/');
    names.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier));
  }
  return names;
}

function packagesImportedIn(folder: string): Set<string> {
  const names = new Set<string>();
  for (const file of sourceFiles(folder)) {
    for (const name of packagesImportedBy(readFileSync(file, 'utf8'))) names.add(name);
  }
  return names;
}

const root = manifestOf('.');
const workspaces = root.workspaces ?? [];
/** Declared at the root though no source imports them, each for its reason. */
const rootOnly: Record<string, string> = {
  electron: 'the platform the desk runs on; electron-builder reads its version from the root',
  tsx: 'runs the TypeScript entry points of the npm scripts',
};

describe('the workspaces', () => {
  it('are the desk, its window, the central server and the customer page', () => {
    expect(workspaces).toEqual(['electron', 'renderer', 'server', 'customer']);
  });

  it.each(workspaces)('%s declares exactly the packages its code imports', (folder) => {
    const imported = [...packagesImportedIn(folder)].filter((name) => !(name in rootOnly));
    expect([...declared(manifestOf(folder))].sort()).toEqual(imported.sort());
  });

  it('the root declares exactly what the shared code imports', () => {
    const shared = new Set([
      ...packagesImportedIn('shared'),
      ...packagesImportedIn('knowledge-base'),
    ]);
    expect(Object.keys(root.dependencies ?? {}).sort()).toEqual([...shared, 'tsx'].sort());
  });

  it('every other import is declared somewhere: scripts, benchmarks, tests and configuration', () => {
    const everywhere = new Set([
      ...declared(root),
      ...workspaces.flatMap((folder) => [...declared(manifestOf(folder))]),
    ]);
    const configFiles = readdirSync(projectDir).filter((name) => /\.(ts|js)$/.test(name));
    const imported = new Set([
      ...['scripts', 'bench', 'test'].flatMap((folder) => [...packagesImportedIn(folder)]),
      ...configFiles.flatMap((name) => [
        ...packagesImportedBy(readFileSync(join(projectDir, name), 'utf8')),
      ]),
    ]);
    expect([...imported].filter((name) => !everywhere.has(name))).toEqual([]);
  });

  it('reads imports as written: static, side-effect, dynamic and scoped, not strings', () => {
    const source = [
      "import { z } from 'zod';",
      "import type { Kysely } from 'kysely';",
      "export { io } from 'socket.io-client/build/esm';",
      "import '@fontsource/inter/400.css';",
      "const pg = await import('pg');",
      "import {\n  a,\n  b,\n} from '@socket.io/postgres-adapter';",
      "import { x } from './local';",
      "import { y } from 'node:fs';",
      "const words = 'taken from the mix';",
    ].join('\n');
    expect([...packagesImportedBy(source)].sort()).toEqual([
      '@fontsource/inter',
      '@socket.io/postgres-adapter',
      'kysely',
      'pg',
      'socket.io-client',
      'zod',
    ]);
  });
});
