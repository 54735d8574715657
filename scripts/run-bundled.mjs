// Runs a TypeScript entry (with the emulator harness it is built on) by bundling it with esbuild
// into .local/ first: npm run local and npm run bench use it.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

export async function runBundled(entry, name) {
  const outfile = join(root, '.local', `${name}.cjs`);
  await build({
    entryPoints: [join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    external: ['esbuild'],
    // vega-canvas's Node build loads the optional `canvas` package with a top-level await, which a
    // CommonJS bundle cannot hold. The charts (local-pipeline/report/chart.ts) render SVG and need no
    // canvas: its browser build finds no DOM and returns none, and Vega then estimates text widths.
    alias: { 'vega-canvas': join(root, 'node_modules/vega-canvas/build/vega-canvas.browser.js') },
  });
  createRequire(import.meta.url)(outfile);
}
