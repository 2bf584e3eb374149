// What the installed desk is made of, said once: the npm packages it loads at
// run time (everything else is bundled into dist/ by vite.electron.config.ts),
// the manifest of the staged app and which built files go into it.
import { relative, sep } from 'node:path';

/**
 * Packages the desk loads from node_modules at run time. The Electron build
 * leaves exactly these (and electron itself) outside its bundle; a native
 * module cannot be bundled and must be built against Electron's ABI. The
 * desk's database opens with better-sqlite3-multiple-ciphers (encrypted at
 * rest, decision 0036); better-sqlite3 stays for the knowledge search's
 * in-memory scratch database (knowledge-base/search.ts), which the server shares.
 */
export const deskRuntimeDependencies = [
  'better-sqlite3',
  'better-sqlite3-multiple-ciphers',
  'electron-updater',
] as const;

export interface ProjectManifest {
  name: string;
  version: string;
  description?: string;
  dependencies?: Record<string, string>;
}

export interface ProjectLock {
  packages?: Record<string, { version?: string } | undefined>;
}

/**
 * The staged app's package.json: the desk's runtime dependencies alone, each at
 * the exact version the development install has locked (so the installer runs
 * what the tests ran), and no scripts.
 */
export function deskManifest(project: ProjectManifest, lock: ProjectLock) {
  const dependencies: Record<string, string> = {};
  for (const name of deskRuntimeDependencies) {
    if (!project.dependencies?.[name]) {
      throw new Error(`${name} is loaded by the desk but is not a dependency in package.json`);
    }
    const locked = lock.packages?.[`node_modules/${name}`]?.version;
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
