// Bundles every deliverable with esbuild (`npm run build`):
//   actions/<name>/src/index.ts → actions/<name>/dist/index.js  (committed; the runner runs it)
//   lambda/src/handler.ts       → lambda/dist/index.js           (CommonJS, exports `handler`)
//   producer/src/index.ts       → producer/dist/index.js         (for the instance's Node 22 LTS)
//                                 and appspec/app/index.js         (the CodeDeploy revision ships it)
// Output is deterministic, so `git status` after a build shows whether dist/ is current.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');

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
    ...common,
    entryPoints: [join(root, 'lambda', 'src', 'handler.ts')],
    outfile: join(root, 'lambda', 'dist', 'index.js'),
    target: 'node20',
    minify: true,
    sourcemap: false,
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

await Promise.all(bundles.map((options) => build(options)));
for (const options of bundles) console.log(`built ${relative(root, options.outfile)}`);

mkdirSync(join(root, 'appspec', 'app'), { recursive: true });
copyFileSync(join(root, 'producer', 'dist', 'index.js'), join(root, 'appspec', 'app', 'index.js'));
console.log('copied producer/dist/index.js to appspec/app/index.js');
