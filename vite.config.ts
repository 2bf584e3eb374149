// Builds the renderer into dist/renderer. Relative asset paths let the same build
// load from file:// in Electron and over http from the browser-mode desk services;
// nothing is inlined, because the page's CSP allows scripts and styles only from 'self'.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { build, defineConfig, type Plugin } from 'vite';

/**
 * The customer chat page (customer/, served by the central server at /chat) is
 * a second build with its own settings (no React, base /chat/), run straight
 * after this one so that every `vite build` makes both.
 */
const customerChatPage = (): Plugin => ({
  name: 'customer-chat-page',
  apply: 'build',
  async closeBundle() {
    await build({
      configFile: false,
      root: fileURLToPath(new URL('./customer', import.meta.url)),
      base: '/chat/',
      logLevel: 'warn',
      build: {
        outDir: fileURLToPath(new URL('./dist/customer', import.meta.url)),
        emptyOutDir: true,
        assetsInlineLimit: 0,
        modulePreload: { polyfill: false },
      },
    });
  },
});

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react(), customerChatPage()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    // Chromium has native modulepreload; the polyfill would be one more script to vet.
    modulePreload: { polyfill: false },
  },
});
