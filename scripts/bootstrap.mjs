// `npm run bootstrap`: prepares one environment's AWS account and GitHub side
// (bootstrap/src/index.ts). Flags pass through: npm run bootstrap -- --help
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runBundled } from './run-bundled.mjs';

const root = join(import.meta.dirname, '..');
process.env.BOOTSTRAP_REPO_ROOT ??= root;
// A bundle of its own per run: two bootstraps at once (two environments, or parallel tests)
// must not load each other's half-written file. Once loaded, the file is not needed.
const name = `bootstrap-${process.pid}`;
try {
  await runBundled('bootstrap/src/index.ts', name);
} finally {
  rmSync(join(root, '.local', `${name}.cjs`), { force: true });
}
