// Builds the renderer into dist/renderer. Relative asset paths let the same build
// load from file:// in Electron and over http from the browser-mode desk services;
// nothing is inlined, because the page's CSP allows scripts and styles only from 'self'.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { build, defineConfig, type Plugin } from 'vite';
import { cspMetaContent, deskRendererPolicy } from './shared/http/security-headers';

const cspPlaceholder =
  '<!-- Content-Security-Policy: the build writes it here from shared/http/security-headers.ts -->';

/**
 * The renderer's page with its meta CSP written from the policy the desk shell
 * and browser mode send as a header, so the two cannot drift apart. One built
 * page serves both hosts and a browser enforces the meta and the header
 * policies alike, so the meta allows the bridge socket and Electron's header
 * takes it away. A meta policy cannot carry frame-ancestors: the headers alone
 * refuse framing.
 */
export function withRendererCsp(html: string): string {
  // Never silently left out: a page without its placeholder fails the build.
  if (!html.includes(cspPlaceholder))
    throw new Error(`renderer/index.html lacks ${cspPlaceholder}`);
  const policy = cspMetaContent(deskRendererPolicy({ bridgeSocket: true }).csp);
  return html.replace(
    cspPlaceholder,
    `<meta http-equiv="Content-Security-Policy" content="${policy.replaceAll('"', '&quot;')}" />`,
  );
}

const rendererCspMeta = (): Plugin => ({
  name: 'renderer-csp-meta',
  transformIndexHtml: withRendererCsp,
});

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
  plugins: [react(), rendererCspMeta(), customerChatPage()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    // Chromium has native modulepreload; the polyfill would be one more script to vet.
    modulePreload: { polyfill: false },
  },
});
