// Renders the SVG chart of the readings and excursions given as JSON on stdin, to stdout. The
// chart tests run it bundled the way `npm run local` bundles the pipeline (scripts/run-bundled.mjs):
// Vega ships only ES modules, which jest's CommonJS runtime cannot load.
import { readFileSync } from 'node:fs';
import type { Thresholds } from '../../../lambda/src/config';
import { renderReadingsSvg } from '../../../local-pipeline/report/chart';
import type { ChartReading, Excursion } from '../../../local-pipeline/report/excursions';

const input = JSON.parse(readFileSync(0, 'utf8')) as {
  readings: ChartReading[];
  excursions: Excursion[];
  thresholds: Thresholds;
};
renderReadingsSvg(input.readings, input.excursions, input.thresholds).then(
  (svg) => process.stdout.write(svg),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  },
);
