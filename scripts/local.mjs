// `npm run local`: the whole pipeline on the embedded emulator (local-pipeline/cli.ts).
// Flags pass through: npm run local -- --help
import { runBundled } from './run-bundled.mjs';

await runBundled('local-pipeline/cli.ts', 'local-cli');
