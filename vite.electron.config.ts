// Builds the Electron shell: the main process, the desk services' process and
// the knowledge writer's worker as ESM for Node, and the preload
// as CommonJS (a sandboxed preload cannot be an ES module). The renderer is
// built separately by vite.config.ts into dist/renderer.
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { build, defineConfig, type InlineConfig, type Plugin } from 'vite';
import { deskRuntimeDependencies } from './scripts/desk-package';

// What stays outside the bundle is exactly what the staged installer installs.
const external = [
  'electron',
  ...deskRuntimeDependencies,
  ...builtinModules,
  ...builtinModules.map((name) => `node:${name}`),
];

const preload: InlineConfig = {
  configFile: false,
  logLevel: 'warn',
  build: {
    outDir: 'dist/electron',
    emptyOutDir: false,
    target: 'node20',
    minify: false,
    sourcemap: true,
    lib: {
      entry: resolve(import.meta.dirname, 'electron/preload/index.ts'),
      formats: ['cjs'],
      fileName: () => 'preload.cjs',
    },
    rollupOptions: { external: ['electron'] },
  },
};

/** Builds the preload once the main process is written, into the same folder. */
const buildPreload = (): Plugin => ({
  name: 'adviser-desk:preload',
  apply: 'build',
  async closeBundle() {
    await build(preload);
  },
});

export default defineConfig({
  plugins: [buildPreload()],
  build: {
    outDir: 'dist/electron',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    ssr: true,
    lib: {
      // The knowledge writer's worker thread is its own entry, emitted beside
      // main.js, where electron/services/knowledge-writer.ts looks for it.
      entry: {
        main: resolve(import.meta.dirname, 'electron/main.ts'),
        // The desk services run in a utility process of their own (electron/desk-services.ts),
        // which main.js starts from beside itself.
        'desk-services': resolve(import.meta.dirname, 'electron/desk-services.ts'),
        'knowledge-writer-worker': resolve(
          import.meta.dirname,
          'electron/services/knowledge-writer-worker.ts',
        ),
      },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rollupOptions: { external },
  },
  ssr: { noExternal: true },
});
