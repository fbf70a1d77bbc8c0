import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * One renderer build for both shells. `base: './'` makes every asset URL relative, so the
 * same files load from Electron's app:// scheme and over http from the browser host.
 * Nothing is inlined as a script, so the strict CSP (script-src 'self') holds.
 */
export default defineConfig({
  root: here('./renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: here('./dist/renderer'),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    target: 'chrome120',
    sourcemap: true,
    modulePreload: { polyfill: false },
  },
  server: { host: '127.0.0.1', strictPort: false },
});
