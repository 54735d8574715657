// Prints the mutation score per product folder and per file from a Stryker JSON report (the
// incremental file `npm run mutation` keeps, or mutation.json), computed by Stryker's own metrics
// library: killed + timed out over valid mutants (compile errors and ignored ones excluded).
// Usage: node scripts/mutation-scores.mjs [REPORT.json] [--files] [--min PERCENT]
// With --min, exits 1 naming every folder below PERCENT (`npm run mutation` runs it with 80, so
// the run fails when any one folder is below the threshold, not only when the whole is), and
// every folder with no valid mutant at all: its score is undefined, which proves nothing.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { calculateMetrics } from 'mutation-testing-metrics';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { files: { type: 'boolean', default: false }, min: { type: 'string' } },
});
const report = positionals[0] ?? 'reports/mutation/stryker-incremental.json';
const minimum = values.min === undefined ? undefined : Number(values.min);
if (minimum !== undefined && !(minimum >= 0 && minimum <= 100)) {
  console.error(`--min takes a percentage from 0 to 100, not "${values.min}"`);
  process.exit(2);
}

function folderOf(file) {
  const action = /^actions\/([^/]+)\/src\//.exec(file);
  if (action) return `actions/${action[1]}/src`;
  return file.split('/').slice(0, 2).join('/');
}

/** Stryker's metrics (mutationScore, totalDetected, totalValid, timeout) of some files. */
const metricsOf = (entries) => calculateMetrics(Object.fromEntries(entries)).metrics;

function line(name, { mutationScore, totalDetected, totalValid, timeout }) {
  const score = Number.isNaN(mutationScore) ? 'n/a' : `${mutationScore.toFixed(1)} %`;
  return `${name.padEnd(48)} ${score.padStart(8)}  ${totalDetected} / ${totalValid} (${timeout} timed out)`;
}

const { files } = JSON.parse(readFileSync(report, 'utf8'));
const folders = new Map();
for (const [file, result] of Object.entries(files).sort()) {
  const folder = folderOf(file);
  folders.set(folder, [...(folders.get(folder) ?? []), [file, result]]);
}
const below = [];
const unscored = [];
for (const [folder, entries] of folders) {
  const metrics = metricsOf(entries);
  console.log(line(folder, metrics));
  if (values.files) {
    for (const entry of entries) console.log(line(`  ${entry[0]}`, metricsOf([entry])));
  }
  if (minimum === undefined) continue;
  if (Number.isNaN(metrics.mutationScore)) unscored.push(folder);
  else if (metrics.mutationScore < minimum) below.push(folder);
}
if (below.length > 0) console.error(`Mutation score below ${minimum} % in: ${below.join(', ')}`);
if (unscored.length > 0)
  console.error(`No valid mutant, so no mutation score, in: ${unscored.join(', ')}`);
if (below.length > 0 || unscored.length > 0) process.exit(1);
