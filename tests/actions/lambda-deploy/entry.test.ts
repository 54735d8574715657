import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LambdaDeployDeps } from '../../../actions/lambda-deploy/src/deps';
import detectorBundleOptions from '../../../lambda/esbuild.json';

// The entry file as the runner starts it: what it hands run() (the workspace, the run's context,
// the clients and the bundler). run() is replaced; the action itself is tested through it in the
// other tests here and as a built bundle in the .int tests. @actions/core and @actions/github
// ship ES modules jest's CommonJS loader cannot load, so they are stood in for. esbuild comes from
// the workspace, as in a workflow after `npm ci`: a workspace here holds a stand-in that records
// what it is asked and answers what the test sets.
const run = jest.fn<Promise<void>, [LambdaDeployDeps]>();
jest.mock('../../../actions/lambda-deploy/src/main', () => ({ run }));
const core = { getInput: jest.fn() };
jest.mock('@actions/core', () => core, { virtual: true });
const context = {
  sha: 'abc123',
  serverUrl: 'https://github.com',
  runId: 7,
  eventName: 'push',
  // Not GITHUB_REPOSITORY's: the run's environment is read, and it wins.
  repo: { owner: 'octo', repo: 'from-context' },
  payload: {},
};
jest.mock('@actions/github', () => ({ context }), { virtual: true });

const saved = { ...process.env };

afterEach(() => {
  jest.clearAllMocks();
  process.env = { ...saved };
});

/** Loads the entry file once, as the runner does, in `workspace` (undefined: none is set). */
async function start(workspace: string | undefined): Promise<LambdaDeployDeps> {
  if (workspace === undefined) delete process.env.GITHUB_WORKSPACE;
  else process.env.GITHUB_WORKSPACE = workspace;
  process.env.GITHUB_REPOSITORY = 'octo/sensors';
  run.mockResolvedValue(undefined);
  await jest.isolateModulesAsync(async () => {
    await import('../../../actions/lambda-deploy/src/index');
  });
  return run.mock.calls[0]![0];
}

/**
 * A workspace whose esbuild records the options of each build in `builds.json` beside it and
 * answers with `outputFiles` (a JSON value), or none without it.
 */
function workspaceWithEsbuild(outputFiles?: unknown): string {
  const root = mkdtempSync(join(tmpdir(), 'lambda-deploy-entry-'));
  writeFileSync(join(root, 'package.json'), '{"name":"fork"}');
  const esbuild = join(root, 'node_modules', 'esbuild');
  mkdirSync(esbuild, { recursive: true });
  writeFileSync(join(esbuild, 'package.json'), '{"name":"esbuild","main":"index.js"}');
  writeFileSync(
    join(esbuild, 'index.js'),
    `const { writeFileSync } = require('node:fs');
exports.build = async (options) => {
  writeFileSync(${JSON.stringify(join(root, 'builds.json'))}, JSON.stringify(options));
  return { outputFiles: ${JSON.stringify(outputFiles ?? [])} };
};`,
  );
  return root;
}

it('works in GITHUB_WORKSPACE with the run context from @actions/github and reports through @actions/core', async () => {
  const root = workspaceWithEsbuild();
  const deps = await start(root);

  expect(deps.workspace).toBe(root);
  expect(deps.io.getInput).toBe(core.getInput);
  expect(deps.run).toEqual({
    sha: 'abc123',
    runUrl: 'https://github.com/octo/sensors/actions/runs/7',
    repository: 'octo/sensors',
    eventName: 'push',
    pullRequestNumber: undefined,
  });
  expect(deps.clock.now()).toBeGreaterThan(0);
});

it('falls back to the current directory when GITHUB_WORKSPACE is not set', async () => {
  const deps = await start(undefined);

  expect(deps.workspace).toBe(process.cwd());
});

it("bundles an entry with the detector's esbuild options, in memory and silently", async () => {
  const root = workspaceWithEsbuild([{ contents: [1, 2, 3] }]);
  const deps = await start(root);

  expect(await deps.bundle('lambda/src/handler.ts')).toEqual([1, 2, 3]);
  expect(JSON.parse(readFileSync(join(root, 'builds.json'), 'utf8'))).toEqual({
    ...detectorBundleOptions,
    entryPoints: ['lambda/src/handler.ts'],
    write: false,
    logLevel: 'silent',
  });
});

it('fails the bundle when esbuild gives back no output file', async () => {
  const deps = await start(workspaceWithEsbuild([]));

  await expect(deps.bundle('lambda/src/handler.ts')).rejects.toThrow(
    new Error('esbuild produced no output'),
  );
});

it('says how to get esbuild when the workspace has none', async () => {
  const root = mkdtempSync(join(tmpdir(), 'lambda-deploy-entry-'));
  const deps = await start(root);

  // The entry's own ConfigurationError class (jest loaded it in a registry of its own).
  await expect(deps.bundle('lambda/src/handler.ts')).rejects.toMatchObject({
    name: 'ConfigurationError',
    message:
      'Input "entry" needs esbuild from the workspace: run `npm ci` before this step, or give a prebuilt "package".',
  });
});
