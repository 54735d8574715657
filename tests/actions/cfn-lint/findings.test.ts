import { run, type CfnLintDeps } from '../../../actions/cfn-lint/src/main';
import { fakeIO } from '../../support/fake-io';

// What a person sees of cfn-lint's findings: annotations on the template, outputs, the job
// summary, and whether (and with what message) the step fails for each fail-on level.
const finding = (
  level: 'Error' | 'Warning' | 'Informational',
  id: string,
  line: number,
  extra: { endLine?: number; filename?: string | null } = {},
) => ({
  Filename: extra.filename === undefined ? 'cloudformation/app.json' : extra.filename,
  Level: level,
  Message: `${id} message`,
  Location: {
    Start: { LineNumber: line, ColumnNumber: 3 },
    End: { LineNumber: extra.endLine ?? line, ColumnNumber: 9 },
  },
  Rule: { Id: id, ShortDescription: `${id} rule`, Source: `https://docs/${id}` },
});

function action(
  inputs: Record<string, string>,
  findings: unknown[],
  globs: Record<string, string[]> = {},
) {
  const io = fakeIO(inputs);
  const linted: (readonly string[])[] = [];
  const deps: CfnLintDeps = {
    io,
    expandGlob: (pattern) => Promise.resolve(globs[pattern] ?? [`/work/${pattern}`]),
    isReadable: () => Promise.resolve(true),
    runCfnLint: (args) => {
      linted.push(args.slice(args.indexOf('--') + 1));
      const bits = findings.length ? 2 : 0;
      return Promise.resolve({
        exitCode: bits,
        stdout: JSON.stringify(findings),
        stderr: '',
        missing: false,
      });
    },
    workspace: '/work',
  };
  return { io, deps, linted };
}

const mixed = [
  finding('Error', 'E3012', 10),
  finding('Warning', 'W2001', 20, { endLine: 22 }),
  finding('Informational', 'I3011', 30, { filename: null }),
];

describe('cfn-lint findings', () => {
  it('annotates each finding on its template at its level', async () => {
    const { io, deps } = action({ template: 'cloudformation/app.json' }, mixed);

    await run(deps);

    expect(io.annotations).toEqual([
      {
        level: 'error',
        message: 'E3012 message (https://docs/E3012)',
        properties: {
          title: 'E3012: E3012 rule',
          file: 'cloudformation/app.json',
          startLine: 10,
          startColumn: 3,
          endColumn: 9,
        },
      },
      {
        level: 'warning',
        message: 'W2001 message (https://docs/W2001)',
        properties: {
          title: 'W2001: W2001 rule',
          file: 'cloudformation/app.json',
          startLine: 20,
          startColumn: 3,
          endLine: 22,
        },
      },
      {
        level: 'notice',
        message: 'I3011 message (https://docs/I3011)',
        properties: { title: 'I3011: I3011 rule', startLine: 30, startColumn: 3, endColumn: 9 },
      },
    ]);
    expect(io.outputs).toEqual({ errors: '1', warnings: '1' });
  });

  it.each([
    ['error', [finding('Warning', 'W1', 1), finding('Informational', 'I1', 2)], undefined],
    [
      'error',
      [finding('Error', 'E1', 1)],
      'cfn-lint: 1 error(s), 0 warning(s), 0 informational in 1 template(s); failing on error and above (fail-on: error).',
    ],
    [
      'warning',
      [finding('Warning', 'W1', 1)],
      'cfn-lint: 0 error(s), 1 warning(s), 0 informational in 1 template(s); failing on warning and above (fail-on: warning).',
    ],
    ['warning', [finding('Informational', 'I1', 1)], undefined],
    [
      'informational',
      [finding('Informational', 'I1', 1)],
      'cfn-lint: 0 error(s), 0 warning(s), 1 informational in 1 template(s); failing on informational and above (fail-on: informational).',
    ],
  ])('with fail-on %s and %j findings, fails with %j', async (failOn, findings, failure) => {
    const { io, deps } = action({ template: 't.json', 'fail-on': failOn }, findings);

    await run(deps);

    expect(io.failures).toEqual(failure === undefined ? [] : [failure]);
    expect(io.summaryText()).toContain(failure === undefined ? '## ✅ cfn-lint' : '## ❌ cfn-lint');
  });

  it('fails on warnings by default', async () => {
    const { io, deps } = action({ template: 't.json' }, [finding('Warning', 'W1', 1)]);

    await run(deps);

    expect(io.failures[0]).toContain('(fail-on: warning)');
  });

  it('summarises the findings in a table with links to the rules', async () => {
    const { io, deps } = action({ template: 'cloudformation/app.json', 'fail-on': 'error' }, mixed);

    await run(deps);

    expect(io.summaryText()).toBe(
      [
        '## ❌ cfn-lint: 1 error(s), 1 warning(s), 1 informational',
        '',
        'Templates: `cloudformation/app.json` · fails on: **error** and above',
        '',
        '| Template | Line | Rule | Level | Message |',
        '| --- | --- | --- | --- | --- |',
        '| cloudformation/app.json | 10:3 | [E3012](https://docs/E3012) | Error | E3012 message |',
        '| cloudformation/app.json | 20:3 | [W2001](https://docs/W2001) | Warning | W2001 message |',
        '|  | 30:3 | [I3011](https://docs/I3011) | Informational | I3011 message |',
        '',
      ].join('\n'),
    );
  });

  it('says so when there is nothing to report, and passes', async () => {
    const { io, deps } = action({ template: 'a.json' }, []);

    await run(deps);

    expect(io.failures).toEqual([]);
    expect(io.summaryText()).toBe(
      [
        '## ✅ cfn-lint: 0 error(s), 0 warning(s), 0 informational',
        '',
        'Templates: `a.json` · fails on: **warning** and above',
        '',
        'No findings.',
        '',
      ].join('\n'),
    );
    expect(io.logs).toContain(
      'cfn-lint: 0 error(s), 0 warning(s), 0 informational in 1 template(s)',
    );
  });

  it('lints every template the globs match once, sorted, relative to the workspace', async () => {
    const { io, deps, linted } = action({ template: 'cfn/*.json\n# comment\ncfn/b.json' }, [], {
      'cfn/*.json': ['/work/cfn/c.json', '/work/cfn/b.json'],
      'cfn/b.json': ['/work/cfn/b.json'],
    });

    await run(deps);

    expect(linted).toEqual([['cfn/b.json', 'cfn/c.json']]);
    expect(io.logs).toContain('Linting 2 template(s): cfn/b.json, cfn/c.json');
  });

  it('names every template it linted in the summary', async () => {
    const { io, deps } = action({ template: 'cfn/*.json' }, [], {
      'cfn/*.json': ['/work/cfn/b.json', '/work/cfn/a.json'],
    });

    await run(deps);

    expect(io.summaryText()).toContain(
      '\n\nTemplates: `cfn/a.json`, `cfn/b.json` · fails on: **warning** and above\n\n',
    );
  });

  it('names a pattern that matches nothing', async () => {
    const { io, deps, linted } = action({ template: 'cfn/*.yaml' }, [], { 'cfn/*.yaml': [] });

    await run(deps);

    expect(io.failures).toEqual([
      'Input "template": "cfn/*.yaml" matches no file (relative to /work).',
    ]);
    expect(linted).toEqual([]);
  });

  it('says how to install cfn-lint when it is missing', async () => {
    const { io, deps } = action({ template: 't.json' }, []);

    await run({
      ...deps,
      runCfnLint: () => Promise.resolve({ exitCode: -1, stdout: '', stderr: '', missing: true }),
    });

    expect(io.failures).toEqual([
      'cfn-lint is not installed or not on PATH. Add a step that installs it, e.g. `pip install cfn-lint` after actions/setup-python (this repository pins it in requirements-dev.txt).',
    ]);
  });

  it.each([
    [
      16,
      '',
      'Usage: cfn-lint ...',
      'Unexpected failure: cfn-lint failed (exit code 16): Usage: cfn-lint ...',
    ],
    [32, '  ', ' ', 'Unexpected failure: cfn-lint failed (exit code 32): '],
    [1, 'stdout only\n', '', 'Unexpected failure: cfn-lint failed (exit code 1): stdout only'],
  ])('fails when cfn-lint itself fails (exit %d)', async (exitCode, stdout, stderr, failure) => {
    const { io, deps } = action({ template: 't.json' }, []);

    await run({
      ...deps,
      runCfnLint: () => Promise.resolve({ exitCode, stdout, stderr, missing: false }),
    });

    expect(io.failures).toEqual([failure]);
  });

  it('treats findings-only exit codes (2, 4, 8 and their sums) as a normal run', async () => {
    const { io, deps } = action({ template: 't.json', 'fail-on': 'error' }, []);

    await run({
      ...deps,
      runCfnLint: () => Promise.resolve({ exitCode: 14, stdout: '', stderr: '', missing: false }),
    });

    expect(io.failures).toEqual([]);
    expect(io.outputs).toEqual({ errors: '0', warnings: '0' });
  });

  it('quotes at most 500 characters of output that is not JSON', async () => {
    const { io, deps } = action({ template: 't.json' }, []);

    await run({
      ...deps,
      runCfnLint: () =>
        Promise.resolve({ exitCode: 2, stdout: 'x'.repeat(600), stderr: '', missing: false }),
    });

    expect(io.failures).toEqual([
      `Unexpected failure: cfn-lint printed output that is not JSON (exit code 2): ${'x'.repeat(500)}`,
    ]);
  });
});
