// `npm run local`: the whole pipeline on the embedded emulator (scripts/local/cli.ts).
// Flags pass through: npm run local -- --help
import { runBundled } from './run-bundled.mjs';

await runBundled('scripts/local/cli.ts', 'local-cli');
