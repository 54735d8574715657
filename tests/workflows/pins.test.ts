import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../local-pipeline/emulator/tools';
import { actionViolations, workflowViolations } from './pin-rule';

// Discovered, not listed: a workflow or an action added on any branch is held to the rule.
const workflowsDirectory = join(repoRoot, '.github', 'workflows');
const workflowFiles = readdirSync(workflowsDirectory).filter((name) => /\.ya?ml$/.test(name));
const actionFiles = readdirSync(join(repoRoot, 'actions'))
  .flatMap((name) => ['action.yml', 'action.yaml'].map((file) => join('actions', name, file)))
  .filter((path) => existsSync(join(repoRoot, path)));

const checkoutSha = '11bd71901bbe5b1630ceea73d27597364c9af683';
const workflow = (steps: string, jobExtra = '    permissions:\n      contents: read\n') =>
  [
    'name: fixture',
    'on: pull_request',
    'permissions:',
    '  contents: read',
    'jobs:',
    '  build:',
    '    runs-on: ubuntu-latest',
    jobExtra.trimEnd(),
    '    steps:',
    steps.trimEnd(),
    '',
  ].join('\n');

describe('the pin rule on this repository', () => {
  it('finds the workflows and actions to check', () => {
    expect(workflowFiles).toEqual(expect.arrayContaining(['pr.yml', 'deploy.yml', 'codeql.yml']));
    expect(actionFiles).toEqual(expect.arrayContaining(['actions/cfn-deploy/action.yml']));
  });

  it.each(workflowFiles)(
    '%s pins every third-party action by SHA with its version and declares permissions everywhere',
    (file) => {
      const text = readFileSync(join(workflowsDirectory, file), 'utf8');
      expect(workflowViolations(file, text)).toEqual([]);
    },
  );

  it.each(actionFiles)('%s pins every action its steps use', (file) => {
    expect(actionViolations(file, readFileSync(join(repoRoot, file), 'utf8'))).toEqual([]);
  });
});

describe('the pin rule on fixtures', () => {
  it('passes a SHA-pinned action with its version comment, and a local action', () => {
    const steps = [
      `      - uses: actions/checkout@${checkoutSha} # v4.2.2`,
      '      - uses: ./actions/cfn-lint',
    ].join('\n');
    expect(workflowViolations('ok.yml', workflow(steps))).toEqual([]);
  });

  it('fails an action pinned to a tag', () => {
    const text = workflow('      - uses: actions/checkout@v4 # v4');
    expect(workflowViolations('tag.yml', text)).toEqual([
      'tag.yml: jobs.build.steps[0].uses uses actions/checkout@v4: not pinned to a full 40-character commit SHA',
    ]);
  });

  it('fails a short SHA, a branch, and a SHA without its version comment on the same line', () => {
    const steps = [
      '      - uses: actions/checkout@11bd719',
      '      - uses: actions/setup-node@main',
      `      - uses: actions/checkout@${checkoutSha}`,
      '        # v4.2.2',
    ].join('\n');
    expect(workflowViolations('loose.yml', workflow(steps))).toEqual([
      'loose.yml: jobs.build.steps[0].uses uses actions/checkout@11bd719: not pinned to a full 40-character commit SHA',
      'loose.yml: jobs.build.steps[1].uses uses actions/setup-node@main: not pinned to a full 40-character commit SHA',
      `loose.yml: jobs.build.steps[2].uses uses actions/checkout@${checkoutSha}: no version comment (# vX.Y.Z) on the same line`,
    ]);
  });

  it('fails a container image by tag and a reusable workflow by tag', () => {
    const text = workflow('      - uses: docker://alpine:3.20').replace(
      'jobs:\n',
      'jobs:\n  shared:\n    permissions: {}\n    uses: octo/ci/.github/workflows/lint.yml@v2\n',
    );
    expect(workflowViolations('other.yml', text)).toEqual([
      'other.yml: jobs.shared.uses uses octo/ci/.github/workflows/lint.yml@v2: not pinned to a full 40-character commit SHA',
      'other.yml: jobs.build.steps[0].uses uses docker://alpine:3.20: not pinned to an image digest (@sha256:…)',
    ]);
  });

  it('reads uses: where a runner reads it, not in the text of a script', () => {
    const text = workflow('      - run: |\n          echo "uses: actions/checkout@v4"');
    expect(workflowViolations('script.yml', text)).toEqual([]);
  });

  it('fails a workflow or a job that declares no permissions', () => {
    const text = workflow('      - run: "true"', '').replace(
      'permissions:\n  contents: read\n',
      '',
    );
    expect(workflowViolations('open.yml', text)).toEqual([
      'open.yml: declares no top-level permissions',
      'open.yml: job build declares no permissions',
    ]);
  });

  it("fails a composite action's step pinned to a tag", () => {
    const action = [
      'name: fixture',
      'runs:',
      '  using: composite',
      '  steps:',
      `    - uses: actions/checkout@${checkoutSha} # v4.2.2`,
      '    - uses: actions/setup-node@v4',
      '',
    ].join('\n');
    expect(actionViolations('actions/x/action.yml', action)).toEqual([
      'actions/x/action.yml: runs.steps[1].uses uses actions/setup-node@v4: not pinned to a full 40-character commit SHA',
    ]);
  });
});
