/**
 * `npm run bench -- web`: what a browser downloads to show the first page of the web app —
 * the entry script, the scripts it preloads and the stylesheet, gzipped — against the budget
 * (250 KB of JavaScript) and against a baseline built in the same run: a React "hello" page
 * with the same Vite settings, so the ratio is what Ringback's own code adds to React.
 * Pages loaded later (lazy chunks) are listed apart.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { ROOT, TMP, writeResult } from './support.js';

const BUDGET_GZIP_BYTES = 250 * 1024;

interface Download {
  file: string;
  bytes: number;
  gzip: number;
}

function sizeOf(dir: string, file: string): Download {
  const content = readFileSync(join(dir, file));
  return { file, bytes: content.length, gzip: gzipSync(content, { level: 9 }).length };
}

/** The scripts and stylesheets index.html makes the browser fetch before the first render. */
function initialDownloads(dir: string): { js: Download[]; css: Download[] } {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const js = [
    ...html.matchAll(/<script[^>]+src="\/([^"]+\.js)"/g),
    ...html.matchAll(/rel="modulepreload"[^>]*href="\/([^"]+)"/g),
  ].map((m) => m[1]!);
  const css = [...html.matchAll(/rel="stylesheet"[^>]*href="\/([^"]+)"/g)].map((m) => m[1]!);
  return { js: [...new Set(js)].map((f) => sizeOf(dir, f)), css: css.map((f) => sizeOf(dir, f)) };
}

const total = (ds: Download[], key: 'bytes' | 'gzip') => ds.reduce((sum, d) => sum + d[key], 0);

/** A React page that renders one paragraph, built like the app. */
async function buildBaseline(): Promise<string> {
  const root = join(TMP, 'web-baseline');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  writeFileSync(
    join(root, 'index.html'),
    '<!doctype html><html><body><div id="root"></div><script type="module" src="/main.tsx"></script></body></html>',
  );
  writeFileSync(
    join(root, 'main.tsx'),
    "import { createRoot } from 'react-dom/client';\ncreateRoot(document.getElementById('root')!).render(<p>hello</p>);\n",
  );
  const outDir = join(root, 'dist');
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    oxc: { jsx: { runtime: 'automatic' } },
    resolve: {
      alias: { react: join(ROOT, 'node_modules/react'), 'react-dom': join(ROOT, 'node_modules/react-dom') },
    },
    build: { outDir, emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
  });
  return outDir;
}

export async function run(): Promise<void> {
  const appDir = join(ROOT, 'dist/web');
  await build({ configFile: join(ROOT, 'web/vite.config.ts'), logLevel: 'warn' });
  const app = initialDownloads(appDir);
  const initialJs = new Set(app.js.map((d) => d.file));
  const lazy = readdirSync(join(appDir, 'assets'))
    .filter((f) => f.endsWith('.js') && !initialJs.has(`assets/${f}`))
    .map((f) => sizeOf(appDir, `assets/${f}`));
  const baseline = initialDownloads(await buildBaseline());

  const appJsGzip = total(app.js, 'gzip');
  const baselineJsGzip = total(baseline.js, 'gzip');
  const result = {
    budgetGzipBytes: BUDGET_GZIP_BYTES,
    initial: {
      jsGzipBytes: appJsGzip,
      jsBytes: total(app.js, 'bytes'),
      cssGzipBytes: total(app.css, 'gzip'),
      files: [...app.js, ...app.css],
    },
    lazy: { jsGzipBytes: total(lazy, 'gzip'), files: lazy },
    baseline: {
      what: 'React 19 page rendering one paragraph, same Vite settings',
      jsGzipBytes: baselineJsGzip,
    },
    ratios: {
      initialJsToBudget: appJsGzip / BUDGET_GZIP_BYTES,
      initialJsToReactBaseline: appJsGzip / baselineJsGzip,
    },
    withinBudget: appJsGzip <= BUDGET_GZIP_BYTES,
  };
  const path = writeResult('web', result);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  process.stdout.write(
    `web: initial JavaScript ${kb(appJsGzip)} gzipped (budget ${kb(BUDGET_GZIP_BYTES)}, ` +
      `${(result.ratios.initialJsToBudget * 100).toFixed(0)} % of it); ` +
      `React-only baseline ${kb(baselineJsGzip)} → ${result.ratios.initialJsToReactBaseline.toFixed(2)}×; ` +
      `CSS ${kb(result.initial.cssGzipBytes)}; lazy pages ${kb(result.lazy.jsGzipBytes)} in ${lazy.length} files\n` +
      `results: ${path}\n`,
  );
  if (!result.withinBudget) process.exitCode = 1;
}
