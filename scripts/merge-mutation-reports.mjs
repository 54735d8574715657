// Merges Stryker reports of one-folder runs (`--mutate … --incrementalFile …`) into the
// incremental file `npm run mutation` reads, so a later full run reuses every folder's results.
// Usage: node scripts/merge-mutation-reports.mjs reports/mutation/lambda.incremental.json …
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const target = 'reports/mutation/stryker-incremental.json';
const sources = process.argv.slice(2);
if (sources.length === 0) {
  console.error('usage: node scripts/merge-mutation-reports.mjs REPORT.json…');
  process.exit(2);
}
const merged = existsSync(target)
  ? JSON.parse(readFileSync(target, 'utf8'))
  : { files: {}, testFiles: {} };
for (const source of sources) {
  const report = JSON.parse(readFileSync(source, 'utf8'));
  const { files, testFiles, ...rest } = report;
  Object.assign(merged, rest);
  merged.files = { ...merged.files, ...files };
  merged.testFiles = { ...merged.testFiles, ...testFiles };
}
// Failure messages are for reading a report, not for reuse; without them the file is a third; one line, as Stryker reads it (git treats it as generated: .gitattributes).
for (const file of Object.values(merged.files)) {
  for (const mutant of file.mutants) delete mutant.statusReason;
}
writeFileSync(target, `${JSON.stringify(merged)}\n`);
console.log(`${target}: ${Object.keys(merged.files).length} source files`);
