import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnLintDeps } from '../../../actions/cfn-lint/src/deps';

// The entry file as the runner starts it: what it hands run() (the workspace, reading, globbing
// and cfn-lint through execa). run() is replaced; the action itself is tested through it in
// main.test.ts and as a built bundle in the .int tests. @actions/core, @actions/glob and execa
// ship ES modules jest's CommonJS loader cannot load: they are stood in for, and the test checks
// what the entry asks of them and how it reads their answers.
const run = jest.fn<Promise<void>, [CfnLintDeps]>();
jest.mock('../../../actions/cfn-lint/src/main', () => ({ run }));
const core = { getInput: jest.fn() };
jest.mock('@actions/core', () => core, { virtual: true });
const globber = { glob: jest.fn<Promise<string[]>, []>() };
const glob = { create: jest.fn((_pattern: string, _options: unknown) => Promise.resolve(globber)) };
jest.mock('@actions/glob', () => glob, { virtual: true });
const execa = jest.fn();
jest.mock('execa', () => ({ execa }), { virtual: true });

const saved = process.env.GITHUB_WORKSPACE;

afterEach(() => {
  jest.clearAllMocks();
  process.env.GITHUB_WORKSPACE = saved;
});

/** Loads the entry file once, as the runner does, in `workspace` (undefined: none is set). */
async function start(workspace: string | undefined): Promise<CfnLintDeps> {
  if (workspace === undefined) delete process.env.GITHUB_WORKSPACE;
  else process.env.GITHUB_WORKSPACE = workspace;
  run.mockResolvedValue(undefined);
  await jest.isolateModulesAsync(async () => {
    await import('../../../actions/cfn-lint/src/index');
  });
  return run.mock.calls[0]![0];
}

/** A workspace holding one template. */
function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'cfn-lint-entry-'));
  writeFileSync(join(root, 'template.json'), '{}');
  return root;
}

it('works in GITHUB_WORKSPACE, reports through @actions/core, globs files only', async () => {
  const root = workspace();
  const deps = await start(root);
  globber.glob.mockResolvedValue([join(root, 'template.json')]);

  expect(deps.workspace).toBe(root);
  expect(deps.io.getInput).toBe(core.getInput);
  expect(await deps.expandGlob('cloudformation/*.json')).toEqual([join(root, 'template.json')]);
  expect(glob.create).toHaveBeenCalledWith(join(root, 'cloudformation/*.json'), {
    matchDirectories: false,
  });
});

it('tells a readable file in the workspace from a missing one', async () => {
  const deps = await start(workspace());

  expect(await deps.isReadable('template.json')).toBe(true);
  expect(await deps.isReadable('missing.json')).toBe(false);
});

it('falls back to the current directory when GITHUB_WORKSPACE is not set', async () => {
  const deps = await start(undefined);

  expect(deps.workspace).toBe(process.cwd());
});

it('runs cfn-lint in the workspace without throwing on its exit code, and hands back what it said', async () => {
  const root = workspace();
  const deps = await start(root);
  execa.mockResolvedValue({ exitCode: 2, stdout: 'findings', stderr: 'oops' });

  const result = await deps.runCfnLint(['--format', 'json', 'template.json']);

  expect(execa).toHaveBeenCalledWith('cfn-lint', ['--format', 'json', 'template.json'], {
    reject: false,
    cwd: root,
  });
  expect(result).toEqual({ exitCode: 2, stdout: 'findings', stderr: 'oops', missing: false });
});

it('says cfn-lint is missing when it could not be started, with no exit code', async () => {
  const deps = await start(workspace());
  execa.mockResolvedValue({ exitCode: undefined, stdout: '', stderr: '', code: 'ENOENT' });

  expect(await deps.runCfnLint(['--version'])).toEqual({
    exitCode: -1,
    stdout: '',
    stderr: '',
    missing: true,
  });
});

it('does not call a cfn-lint that fails to start for another reason missing', async () => {
  const deps = await start(workspace());
  execa.mockResolvedValue({ exitCode: 0, stdout: 'ok', stderr: '', code: 'EACCES' });

  expect(await deps.runCfnLint(['--version'])).toMatchObject({ exitCode: 0, missing: false });
});
