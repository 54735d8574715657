// `npm run bench`: the performance figures against their baselines (tests/bench/main.ts).
import { runBundled } from './run-bundled.mjs';

await runBundled('tests/bench/main.ts', 'bench');
