/**
 * The web app's build: web/ → dist/web, which `ringback serve` serves (src/server/web-app.ts).
 * `npx vite --config web/vite.config.ts` runs a dev server that proxies the API to a
 * `ringback serve` on :8080.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: here('../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: false,
    rolldownOptions: {
      // core/ modules declare zod schemas at top level; the app uses their plain functions only,
      // so building a schema is pure here and zod stays out of the bundle.
      treeshake: { manualPureFunctions: ['z'] },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
