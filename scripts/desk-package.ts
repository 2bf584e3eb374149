// What the installed desk is made of, said once: the desk's own manifest
// (electron/package.json, a workspace of its own) names the npm packages it
// loads at run time as its dependencies, and everything else it uses as
// devDependencies, which vite.electron.config.ts bundles into dist/. Here: that
// list, the manifest of the staged app, and which built files go into it.
import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';

export interface ProjectManifest {
  name: string;
  version: string;
  description?: string;
  dependencies?: Record<string, string>;
}

export interface ProjectLock {
  packages?: Record<string, { version?: string } | undefined>;
}

/** Where the desk's workspace keeps its manifest, from the project folder. */
export const deskManifestPath = 'electron/package.json';

/**
 * Packages the desk loads from node_modules at run time: the dependencies of
 * the desk's workspace. The Electron build leaves exactly these (and electron
 * itself) outside its bundle; a native module cannot be bundled and must be
 * built against Electron's ABI. The desk's database opens with
 * better-sqlite3-multiple-ciphers (encrypted at rest, decision 0036), which
 * also makes the knowledge search's in-memory scratch database
 * (knowledge-base/search.ts makes it with the replica's own driver).
 */
export const deskRuntimeDependencies: readonly string[] = Object.keys(
  (
    JSON.parse(
      readFileSync(new URL(`../${deskManifestPath}`, import.meta.url), 'utf8'),
    ) as ProjectManifest
  ).dependencies ?? {},
).sort();

/**
 * The staged app's package.json: the desk workspace's runtime dependencies
 * alone, each at the exact version the development install has locked (so the
 * installer runs what the tests ran), under the project's name and version,
 * and no scripts.
 */
export function deskManifest(project: ProjectManifest, desk: ProjectManifest, lock: ProjectLock) {
  const dependencies: Record<string, string> = {};
  const names = Object.keys(desk.dependencies ?? {}).sort();
  if (names.length === 0) throw new Error(`${deskManifestPath} names no runtime dependencies`);
  for (const name of names) {
    // Hoisted to the top, or kept in the workspace's own folder where versions differ.
    const locked =
      lock.packages?.[`node_modules/${name}`]?.version ??
      lock.packages?.[`electron/node_modules/${name}`]?.version;
    if (!locked) throw new Error(`${name} is not in package-lock.json: run npm install first`);
    dependencies[name] = locked;
  }
  return {
    name: project.name,
    productName: 'Adviser Desk',
    version: project.version,
    description: project.description ?? 'Adviser desk',
    private: true,
    type: 'module',
    main: 'dist/electron/main.js',
    author: "Young People's Careers Helpline",
    dependencies,
  };
}

/** Built files the installer carries: the shell and the renderer, without source maps. */
export function isShippedBuildFile(distDir: string, file: string): boolean {
  const path = relative(distDir, file).split(sep).join('/');
  if (path.endsWith('.map')) return false;
  const top = path.split('/')[0];
  return top === 'electron' || top === 'renderer';
}

/** The install run inside the staging folder: production packages only, from the exact versions. */
export const stagingInstallArgs = [
  'install',
  '--omit=dev',
  '--no-audit',
  '--no-fund',
  // The native build happens once, for Electron, in electron-builder's rebuild
  // step; building it for Node here first would be wasted.
  '--ignore-scripts',
] as const;
