// `node scripts/check-licenses.mjs [--root DIR]`: every shipped bundle (found, not listed: each
// `<folder>/dist/index.js` and `actions/<name>/dist/index.js`) has its licenses.txt beside it, and
// every package listed there has a licence that licenses-allowed.json allows. npm test runs it
// (tests/scripts/licenses.test.ts) after npm run build, which wrote those files.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  LicenceError,
  NOTICES_FILE,
  licenceProblem,
  readAllowList,
  readNotices,
} from './licenses.mjs';

const skipped = new Set(['node_modules', 'coverage', 'reports']);

function foldersWithBundles(root, folder) {
  return readdirSync(join(root, folder), { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && !entry.name.startsWith('.') && !skipped.has(entry.name),
    )
    .map((entry) => (folder ? `${folder}/${entry.name}` : entry.name))
    .filter((path) => existsSync(join(root, path, 'dist', 'index.js')));
}

/** The bundles the repository ships, relative to `root`, sorted. */
function shippedBundles(root) {
  const nested = existsSync(join(root, 'actions')) ? foldersWithBundles(root, 'actions') : [];
  return [...foldersWithBundles(root, ''), ...nested].map((path) => `${path}/dist/index.js`).sort();
}

/** What is wrong with the licences of the shipped bundles, and how many packages they inline. */
function checkShippedBundles(root) {
  let allowed;
  try {
    allowed = readAllowList(root);
  } catch (error) {
    if (!(error instanceof LicenceError)) throw error;
    return { bundles: [], packages: 0, problems: [error.message] };
  }
  const bundles = shippedBundles(root);
  const problems = bundles.length === 0 ? ['no bundle found: run npm run build first'] : [];
  let packages = 0;
  for (const bundle of bundles) {
    const notices = readNotices(join(root, bundle));
    if (!notices) {
      problems.push(`${bundle} has no ${NOTICES_FILE} beside it: run npm run build`);
      continue;
    }
    packages += notices.length;
    for (const pkg of notices) {
      const problem = licenceProblem(pkg, allowed);
      if (problem) problems.push(`${pkg.name}@${pkg.version} in ${bundle} ${problem}`);
    }
  }
  return { bundles, packages, problems };
}

function main() {
  const { values } = parseArgs({ options: { root: { type: 'string' } } });
  const root = values.root ?? join(import.meta.dirname, '..');
  const { bundles, packages, problems } = checkShippedBundles(root);
  report(bundles, packages, problems);
}

function report(bundles, packages, problems) {
  if (problems.length > 0) {
    console.error(`Licences of the shipped bundles: ${problems.length} problem(s)`);
    for (const problem of problems) console.error(`  - ${problem}`);
    process.exit(1);
  }
  console.log(
    `Licences of the shipped bundles: ${bundles.length} bundles, ${packages} inlined packages, every licence on the allow-list.`,
  );
  for (const bundle of bundles) console.log(`  ${bundle}`);
}

main();
