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
writeFileSync(target, `${JSON.stringify(merged, null, 2)}\n`);
console.log(`${target}: ${Object.keys(merged.files).length} source files`);
