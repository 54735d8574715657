// Prints the mutation score per product folder and per file from a Stryker JSON report (the
// incremental file `npm run mutation` keeps, or mutation.json): killed + timed out over valid
// mutants (killed, timed out, survived, no coverage); compile errors and ignored ones excluded.
// Usage: node scripts/mutation-scores.mjs [REPORT.json] [--files] [--min PERCENT]
// With --min, exits 1 naming every folder below PERCENT (`npm run mutation` runs it with 80, so
// the run fails when any one folder is below the threshold, not only when the whole is).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

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
const DETECTED = new Set(['Killed', 'Timeout']);
const VALID = new Set([...DETECTED, 'Survived', 'NoCoverage']);

function folderOf(file) {
  const action = /^actions\/([^/]+)\/src\//.exec(file);
  if (action) return `actions/${action[1]}/src`;
  return file.split('/').slice(0, 2).join('/');
}

function tally(mutants) {
  const counts = { detected: 0, valid: 0, timedOut: 0 };
  for (const { status } of mutants) {
    if (!VALID.has(status)) continue;
    counts.valid += 1;
    if (DETECTED.has(status)) counts.detected += 1;
    if (status === 'Timeout') counts.timedOut += 1;
  }
  return counts;
}

const percent = ({ detected, valid }) => (100 * detected) / valid;

function line(name, counts) {
  const score = counts.valid === 0 ? 'n/a' : `${percent(counts).toFixed(1)} %`;
  const { detected, valid, timedOut } = counts;
  return `${name.padEnd(48)} ${score.padStart(8)}  ${detected} / ${valid} (${timedOut} timed out)`;
}

const { files } = JSON.parse(readFileSync(report, 'utf8'));
const folders = new Map();
for (const [file, { mutants }] of Object.entries(files).sort()) {
  const folder = folderOf(file);
  folders.set(folder, [...(folders.get(folder) ?? []), [file, mutants]]);
}
const below = [];
for (const [folder, entries] of folders) {
  const counts = tally(entries.flatMap(([, mutants]) => mutants));
  console.log(line(folder, counts));
  if (values.files) {
    for (const [file, mutants] of entries) console.log(line(`  ${file}`, tally(mutants)));
  }
  if (minimum !== undefined && counts.valid > 0 && percent(counts) < minimum) below.push(folder);
}
if (below.length > 0) {
  console.error(`Mutation score below ${minimum} % in: ${below.join(', ')}`);
  process.exit(1);
}
