// `npm run size -- --devices N [--rate R]`: shards, parallelisation factor and monthly cost
// of a fleet (sizing/src/main.ts).
import { runBundled } from './run-bundled.mjs';

await runBundled('sizing/src/main.ts', 'size');
