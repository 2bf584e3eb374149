// Builds the renderer into dist/renderer. Relative asset paths let the same build
// load from file:// in Electron and over http from the browser-mode desk services;
// nothing is inlined, because the page's CSP allows scripts and styles only from 'self'.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    // Chromium has native modulepreload; the polyfill would be one more script to vet.
    modulePreload: { polyfill: false },
  },
});
