import { run, type CfnLintDeps, type CfnLintRun } from '../../../actions/cfn-lint/src/main';
import { fakeIO } from '../../support/fake-io';

function deps(
  result: Partial<CfnLintRun>,
  inputs: Record<string, string> = { template: 't.json' },
) {
  const io = fakeIO(inputs);
  const calls: (readonly string[])[] = [];
  const value: CfnLintDeps = {
    io,
    expandGlob: (pattern) => Promise.resolve([`/work/${pattern}`]),
    isReadable: () => Promise.resolve(true),
    runCfnLint: (args) => {
      calls.push(args);
      return Promise.resolve({ exitCode: 0, stdout: '[]', stderr: '', missing: false, ...result });
    },
    workspace: '/work',
  };
  return { io, calls, value };
}

describe('cfn-lint action core', () => {
  it('runs cfn-lint with JSON output and informational rules on the workspace-relative paths', async () => {
    const { value, calls } = deps({});
    await run(value);
    expect(calls).toEqual([
      [
        '--format',
        'json',
        '--include-checks',
        'I',
        '--non-zero-exit-code',
        'informational',
        '--',
        't.json',
      ],
    ]);
  });

  it('fails when cfn-lint itself fails (exit code bits beyond its findings)', async () => {
    const { value, io } = deps({ exitCode: 1, stdout: '', stderr: 'Traceback: boom' });
    await run(value);
    expect(io.failures).toEqual([
      'Unexpected failure: cfn-lint failed (exit code 1): Traceback: boom',
    ]);
  });

  it('fails when cfn-lint prints something that is not JSON', async () => {
    const { value, io } = deps({ exitCode: 2, stdout: 'oops' });
    await run(value);
    expect(io.failures[0]).toMatch(
      /cfn-lint printed output that is not JSON \(exit code 2\): oops/,
    );
  });

  it('fails naming the template it cannot read', async () => {
    const { value, io } = deps({});
    await run({ ...value, isReadable: () => Promise.resolve(false) });
    expect(io.failures).toEqual(['Input "template": cannot read "t.json".']);
  });

  it('rejects an empty template input before running anything', async () => {
    const { value, io, calls } = deps({}, { template: '  ' });
    await run(value);
    expect(io.failures).toEqual(['Input "template" is empty; give a template path or glob.']);
    expect(calls).toEqual([]);
  });
});
