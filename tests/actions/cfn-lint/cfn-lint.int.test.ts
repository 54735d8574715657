import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runActionBundle } from '../../../local-pipeline/workflows/action-runner';

let workspace: string;

const goodTemplate = `{
  "Resources": {
    "Queue": {
      "Type": "AWS::SQS::Queue",
      "DeletionPolicy": "Delete",
      "UpdateReplacePolicy": "Delete",
      "Properties": { "SqsManagedSseEnabled": true, "MessageRetentionPeriod": 345600 }
    }
  }
}
`;
// Line 5: an unknown property (error). Line 9: an unused parameter (warning).
const badTemplate = `{
  "Resources": {
    "Bucket": {
      "Type": "AWS::S3::Bucket",
      "Properties": { "BucketNam": "x" }
    }
  },
  "Parameters": {
    "Unused": { "Type": "String" }
  }
}
`;
const warningOnlyTemplate = `{
  "Parameters": {
    "Unused": { "Type": "String" }
  },
  "Resources": {
    "Queue": { "Type": "AWS::SQS::Queue", "Properties": { "SqsManagedSseEnabled": true } }
  }
}
`;

beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'cfn-lint-action-'));
  mkdirSync(join(workspace, 'templates'));
  writeFileSync(join(workspace, 'templates', 'good.json'), goodTemplate);
  writeFileSync(join(workspace, 'templates', 'bad.json'), badTemplate);
  writeFileSync(join(workspace, 'templates', 'warning.json'), warningOnlyTemplate);
});

afterAll(() => {
  rmSync(workspace, { recursive: true, force: true });
});

describe('cfn-lint action, run as the runner runs it, with the real cfn-lint', () => {
  it('passes a clean template with zero counts and a summary', async () => {
    const result = await runActionBundle(
      'cfn-lint',
      { template: 'templates/good.json' },
      { workspace },
    );
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toEqual({ errors: '0', warnings: '0' });
    expect(result.summary).toContain('✅ cfn-lint: 0 error(s), 0 warning(s)');
    expect(result.annotations).toEqual([]);
  });

  it('annotates each finding at its file, line and column with the rule id, and fails', async () => {
    const result = await runActionBundle(
      'cfn-lint',
      { template: 'templates/bad.json' },
      { workspace },
    );
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toEqual({ errors: '1', warnings: '1' });
    const error = result.annotations.find((annotation) => annotation.level === 'error');
    expect(error?.properties).toMatchObject({
      file: 'templates/bad.json',
      line: '5',
      col: '23',
      title: expect.stringMatching(/^E3002: /),
    });
    expect(error?.message).toContain("'BucketNam' was unexpected");
    const warning = result.annotations.find((annotation) => annotation.level === 'warning');
    expect(warning?.properties).toMatchObject({
      file: 'templates/bad.json',
      line: '9',
      title: expect.stringMatching(/^W2001: /),
    });
    expect(result.failure).toMatch(/1 error\(s\), 1 warning\(s\).*fail-on: warning/);
    expect(result.summary).toContain('| templates/bad.json | 5:23 | [E3002]');
  });

  it('applies fail-on: warnings pass when only errors fail the step', async () => {
    const lenient = await runActionBundle(
      'cfn-lint',
      { template: 'templates/warning.json', 'fail-on': 'error' },
      { workspace },
    );
    const strict = await runActionBundle(
      'cfn-lint',
      { template: 'templates/warning.json', 'fail-on': 'warning' },
      { workspace },
    );
    expect(lenient.exitCode).toBe(0);
    expect(lenient.outputs.warnings).toBe('1');
    expect(strict.exitCode).toBe(1);
  });

  it('lints every template a glob matches', async () => {
    const result = await runActionBundle(
      'cfn-lint',
      { template: 'templates/*.json', 'fail-on': 'informational' },
      { workspace },
    );
    expect(result.outputs).toEqual({ errors: '1', warnings: '2' });
    expect(result.summary).toContain(
      '`templates/bad.json`, `templates/good.json`, `templates/warning.json`',
    );
  });

  it('passes the repository templates with nothing reported, informational included', async () => {
    const result = await runActionBundle('cfn-lint', { 'fail-on': 'informational' });
    expect(result.failure).toBeUndefined();
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toEqual({ errors: '0', warnings: '0' });
    expect(result.annotations).toEqual([]);
  });

  it('fails clearly when the glob matches nothing', async () => {
    const result = await runActionBundle('cfn-lint', { template: 'nothing/*.json' }, { workspace });
    expect(result.exitCode).toBe(1);
    expect(result.failure).toBe(
      `Input "template": "nothing/*.json" matches no file (relative to ${workspace}).`,
    );
  });

  it('rejects an unknown fail-on, naming the input', async () => {
    const result = await runActionBundle(
      'cfn-lint',
      { template: 'templates/good.json', 'fail-on': 'sometimes' },
      { workspace },
    );
    expect(result.exitCode).toBe(1);
    expect(result.failure).toBe(
      'Input "fail-on" must be one of error, warning, informational, not "sometimes".',
    );
  });

  it('says how to install cfn-lint when it is missing', async () => {
    const result = await runActionBundle(
      'cfn-lint',
      { template: 'templates/good.json' },
      { workspace, env: { PATH: '/nonexistent' } },
    );
    expect(result.exitCode).toBe(1);
    expect(result.failure).toMatch(
      /cfn-lint is not installed or not on PATH.*pip install cfn-lint/,
    );
  });
});
