// `npm run local`: bundles scripts/local/cli.ts (with the emulator harness of tests/support it is
// built on) into .local/ with esbuild, then runs it. Flags pass through: npm run local -- --help
import { build } from 'esbuild';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const root = join(import.meta.dirname, '..');
const outfile = join(root, '.local', 'local-cli.cjs');
await build({
  entryPoints: [join(root, 'scripts', 'local', 'cli.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  // Bundled code runs from .local/; the harness finds its files from the repository root.
  external: ['esbuild'],
});
createRequire(import.meta.url)(outfile);
