// Merges Stryker reports of one-folder runs (`--mutate … --incrementalFile …`) into the
// incremental file `npm run mutation` reads, so a later full run reuses every folder's results.
// Usage: node scripts/merge-mutation-reports.mjs [--only FOLDER] reports/mutation/lambda.incremental.json …
// (oldest first: a later report's results replace an earlier one's for the same source file).
// A run started from a copy of the committed file writes every folder's results back, the other
// folders' as they were: --only lambda/src takes just the files under that folder from each.
//
// Each report numbers its tests from 0, and mutants name the tests that covered and killed them
// by that number; so tests are renumbered here, one number per test (test file, position, name),
// and every mutant's coveredBy and killedBy are rewritten to match. When a test file's source
// differs between reports, only the later report's tests of that file are kept: mutants that
// pointed at the older ones then have no matching test, and Stryker tests them again.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const target = 'reports/mutation/stryker-incremental.json';
const { values, positionals: sources } = parseArgs({
  options: { only: { type: 'string' } },
  allowPositionals: true,
});
if (sources.length === 0 || values.only === '') {
  console.error('usage: node scripts/merge-mutation-reports.mjs [--only FOLDER] REPORT.json…');
  process.exit(2);
}
const only = values.only?.replace(/\/*$/, '/');
const read = (path) => JSON.parse(readFileSync(path, 'utf8'));
/** A report with only the source files under --only (all of them without it). */
const filtered = ({ files, ...rest }) => ({
  ...rest,
  files: only
    ? Object.fromEntries(Object.entries(files).filter(([file]) => file.startsWith(only)))
    : files,
});
const reports = [...(existsSync(target) ? [read(target)] : []), ...sources.map(read).map(filtered)];

const merged = { files: {}, testFiles: {} };
let nextTestId = 0;

const testKey = (file, { name, location }) =>
  `${file}@${location?.start.line ?? 0}:${location?.start.column ?? 0}\n${name}`;

/** Adds a report's tests to the merged ones; returns its test ids → the merged ids. */
function mergeTests(testFiles) {
  const ids = new Map();
  for (const [file, testFile] of Object.entries(testFiles ?? {})) {
    let entry = merged.testFiles[file];
    if (!entry || entry.source !== testFile.source) {
      entry = { ...testFile, tests: [] };
      merged.testFiles[file] = entry;
    }
    const byKey = new Map(entry.tests.map((test) => [testKey(file, test), test]));
    for (const test of testFile.tests) {
      let kept = byKey.get(testKey(file, test));
      if (!kept) {
        kept = { ...test, id: String(nextTestId++) };
        entry.tests.push(kept);
        byKey.set(testKey(file, kept), kept);
      }
      ids.set(test.id, kept.id);
    }
  }
  return ids;
}

const renumber = (testIds, ids) =>
  testIds?.map((id) => ids.get(id)).filter((id) => id !== undefined);

for (const { files, testFiles, ...rest } of reports) {
  Object.assign(merged, rest);
  const ids = mergeTests(testFiles);
  for (const [file, result] of Object.entries(files)) {
    // Failure messages are for reading a report, not for reuse; without them the file is a third.
    const mutants = result.mutants.map((mutant) => {
      const kept = {
        ...mutant,
        coveredBy: renumber(mutant.coveredBy, ids),
        killedBy: renumber(mutant.killedBy, ids),
      };
      delete kept.statusReason;
      return kept;
    });
    merged.files[file] = { ...result, mutants };
  }
}
// One line, as Stryker writes it (git treats it as generated: .gitattributes).
writeFileSync(target, `${JSON.stringify(merged)}\n`);
const testCount = Object.values(merged.testFiles).reduce((sum, file) => sum + file.tests.length, 0);
console.log(`${target}: ${Object.keys(merged.files).length} source files, ${testCount} tests`);
