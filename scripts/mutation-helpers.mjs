// Keeps the committed incremental mutation results honest about the tests' shared helpers.
// Stryker's incremental mode reruns a mutant when its source or a test file that covers it
// changed; it does not see the helpers those tests import (tests/support/**, harnesses,
// fixtures: every file under tests/ that is not a *.test.ts), so a changed helper would keep
// results obtained with the old one. This script records a digest of the helpers next to the
// results and drops the results when the helpers no longer match it.
// Usage: node scripts/mutation-helpers.mjs check|stamp [--root DIR]
//   check (before `npm run mutation`): drops the incremental file when the digest differs or is
//         missing, so Stryker mutates everything again.
//   stamp (after a run): records the digest of the helpers the results were obtained with.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';

const INCREMENTAL_FILE = 'reports/mutation/stryker-incremental.json';
const STAMP_FILE = 'reports/mutation/test-helpers.sha256';

/** Every file under tests/ that is not a test file, relative to root, sorted. */
function helperFiles(root) {
  const found = [];
  const walk = (directory) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!entry.name.endsWith('.test.ts'))
        found.push(relative(root, path).split(sep).join('/'));
    }
  };
  walk(join(root, 'tests'));
  return found.sort();
}

/** One digest over the helpers' paths and contents. */
function helpersDigest(root) {
  const hash = createHash('sha256');
  for (const file of helperFiles(root)) {
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(root, file)))
      .update('\0');
  }
  return hash.digest('hex');
}

function check(root) {
  const incremental = join(root, INCREMENTAL_FILE);
  if (!existsSync(incremental)) return 'no incremental results: Stryker mutates everything.';
  const stamp = join(root, STAMP_FILE);
  const recorded = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : undefined;
  if (recorded === helpersDigest(root))
    return 'test helpers unchanged: the incremental results stand.';
  rmSync(incremental);
  return recorded === undefined
    ? `${STAMP_FILE} is missing: dropped ${INCREMENTAL_FILE}, Stryker mutates everything.`
    : `test helpers changed since the incremental results: dropped ${INCREMENTAL_FILE}, Stryker mutates everything.`;
}

function stamp(root) {
  writeFileSync(join(root, STAMP_FILE), `${helpersDigest(root)}\n`);
  return `recorded the test helpers' digest in ${STAMP_FILE}.`;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { root: { type: 'string', default: '.' } },
});
const command = { check, stamp }[positionals[0] ?? ''];
if (!command) {
  console.error('Usage: node scripts/mutation-helpers.mjs check|stamp [--root DIR]');
  process.exit(2);
}
console.log(command(values.root));
