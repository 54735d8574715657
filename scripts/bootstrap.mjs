// `npm run bootstrap`: prepares one environment's AWS account and GitHub side
// (bootstrap/src/index.ts). Flags pass through: npm run bootstrap -- --help
import { join } from 'node:path';
import { runBundled } from './run-bundled.mjs';

process.env.BOOTSTRAP_REPO_ROOT ??= join(import.meta.dirname, '..');
await runBundled('bootstrap/src/index.ts', 'bootstrap');
