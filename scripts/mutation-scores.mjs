// Prints the mutation score per product folder and per file from a Stryker JSON report (the
// incremental file `npm run mutation` keeps, or mutation.json): killed + timed out over valid
// mutants (killed, timed out, survived, no coverage); compile errors and ignored ones excluded.
// Usage: node scripts/mutation-scores.mjs [REPORT.json] [--files]
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const report =
  args.find((arg) => !arg.startsWith('--')) ?? 'reports/mutation/stryker-incremental.json';
const perFile = args.includes('--files');
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

function line(name, { detected, valid, timedOut }) {
  const score = valid === 0 ? 'n/a' : `${((100 * detected) / valid).toFixed(1)} %`;
  return `${name.padEnd(48)} ${score.padStart(8)}  ${detected} / ${valid} (${timedOut} timed out)`;
}

const { files } = JSON.parse(readFileSync(report, 'utf8'));
const folders = new Map();
for (const [file, { mutants }] of Object.entries(files).sort()) {
  const folder = folderOf(file);
  folders.set(folder, [...(folders.get(folder) ?? []), [file, mutants]]);
}
for (const [folder, entries] of folders) {
  console.log(line(folder, tally(entries.flatMap(([, mutants]) => mutants))));
  if (perFile)
    for (const [file, mutants] of entries) console.log(line(`  ${file}`, tally(mutants)));
}
