// `npm run bench`: bundles tests/bench/main.ts with esbuild into .local/ and runs it.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const outfile = join(root, '.local', 'bench.cjs');
await build({
  entryPoints: [join(root, 'tests', 'bench', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  external: ['esbuild'],
});
createRequire(import.meta.url)(outfile);
