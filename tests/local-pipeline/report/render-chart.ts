import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Thresholds } from '../../../lambda/src/config';
import { repoRoot } from '../../../local-pipeline/emulator/tools';
import type { ChartReading, Excursion } from '../../../local-pipeline/report/excursions';

/**
 * Renders the chart the way `npm run local` does: chart.ts bundled by scripts/run-bundled.mjs
 * (Vega ships ES modules only, which jest's CommonJS runtime cannot load), in its own process.
 * Each test file names its own bundle, so files running at once never load each other's
 * half-written one.
 */
export function renderSvg(
  readings: readonly ChartReading[],
  excursions: readonly Excursion[],
  thresholds: Thresholds,
  bundleName: string,
): string {
  const runBundled = pathToFileURL(join(repoRoot, 'scripts', 'run-bundled.mjs')).href;
  const result = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { runBundled } = await import(${JSON.stringify(runBundled)});` +
        `await runBundled('tests/local-pipeline/report/render-chart.fixture.ts', ${JSON.stringify(bundleName)});`,
    ],
    {
      cwd: repoRoot,
      input: JSON.stringify({ readings, excursions, thresholds }),
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`rendering failed: ${result.stderr}`);
  return result.stdout;
}
