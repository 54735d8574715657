// Bundles every deliverable with esbuild (`npm run build`):
//   actions/<name>/src/index.ts → actions/<name>/dist/index.js  (committed; the runner runs it)
//   lambda/src/handler.ts       → lambda/dist/index.js           (CommonJS, exports `handler`;
//                                 settings in lambda/esbuild.json, shared with lambda-deploy)
//   producer/src/index.ts       → producer/dist/index.js         (for the instance's Node 22 LTS)
//                                 and appspec/app/index.js         (the CodeDeploy revision ships it)
// Beside each bundle, licenses.txt: the licences of the packages it inlines (scripts/licenses.mjs).
// Output is deterministic, so `git status` after a build shows whether dist/ is current.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { NOTICES_FILE, shipLicences } from './licenses.mjs';

const root = join(import.meta.dirname, '..');
// The detector's bundle settings, in one place: the lambda-deploy action bundles an `entry` with
// the same ones, so both produce the same package (and the same CodeSha256).
const detectorOptions = JSON.parse(readFileSync(join(root, 'lambda', 'esbuild.json'), 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  logLevel: 'warning',
  legalComments: 'none',
  // Short lines keep stack traces and Node's "uncaught error" excerpts readable.
  lineLimit: 160,
  absWorkingDir: root,
  // The AWS SDK's optional CRT bindings are never needed here.
  external: ['aws-crt', '@aws-sdk/signature-v4-crt'],
  // Prefer the packages' ES module builds: esbuild can drop what is never imported (the AWS SDK's
  // CommonJS builds are one file a package), so every action starts faster.
  mainFields: ['module', 'main'],
};

function actionBundles() {
  const actionsDir = join(root, 'actions');
  if (!existsSync(actionsDir)) return [];
  return readdirSync(actionsDir, { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(join(actionsDir, entry.name, 'src', 'index.ts')),
    )
    .map((entry) => ({
      ...common,
      entryPoints: [join(actionsDir, entry.name, 'src', 'index.ts')],
      outfile: join(actionsDir, entry.name, 'dist', 'index.js'),
      target: 'node24',
      // lambda-deploy bundles the user's function with esbuild at run time; esbuild is a
      // native binary that cannot be bundled, so it is resolved from the workspace (npm ci).
      external: [...common.external, 'esbuild'],
    }));
}

const bundles = [
  ...actionBundles(),
  {
    ...detectorOptions,
    logLevel: 'warning',
    absWorkingDir: root,
    entryPoints: [join(root, 'lambda', 'src', 'handler.ts')],
    outfile: join(root, 'lambda', 'dist', 'index.js'),
  },
  {
    ...common,
    entryPoints: [join(root, 'producer', 'src', 'index.ts')],
    outfile: join(root, 'producer', 'dist', 'index.js'),
    // The instance runs the Node 22 release the revision pins (appspec/scripts/common.sh).
    target: 'node22',
    minify: true,
  },
];

const results = await Promise.all(bundles.map((options) => build({ ...options, metafile: true })));
for (const options of bundles) console.log(`built ${relative(root, options.outfile)}`);
// licenses.txt beside each bundle; fails on a licence that licenses-allowed.json does not allow.
shipLicences(
  bundles.map((options, index) => ({
    metafile: results[index].metafile,
    outfile: options.outfile,
  })),
  root,
);

mkdirSync(join(root, 'appspec', 'app'), { recursive: true });
for (const file of ['index.js', NOTICES_FILE]) {
  copyFileSync(join(root, 'producer', 'dist', file), join(root, 'appspec', 'app', file));
  console.log(`copied producer/dist/${file} to appspec/app/${file}`);
}
