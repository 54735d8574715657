import { runTool } from '../support/python-tools';

describe('template scanners', () => {
  it('cfn-lint, informational rules included, reports nothing on both templates', () => {
    const result = runTool('cfn-lint', [
      '--include-checks',
      'I',
      '--format',
      'parseable',
      '--',
      'cloudformation/anomaly-detection.json',
      'cloudformation/bootstrap-oidc.json',
    ]);
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });

  it('checkov reports 0 failed checks on cloudformation/', () => {
    const result = runTool('checkov', [
      '--directory',
      'cloudformation',
      '--framework',
      'cloudformation',
      '--compact',
      '--quiet',
      '--skip-download',
      '--output',
      'json',
    ]);
    const report = JSON.parse(result.stdout) as {
      summary: { passed: number; failed: number; skipped: number };
    };
    expect(report.summary.failed).toBe(0);
    expect(report.summary.passed).toBeGreaterThan(50);
    expect(result.status).toBe(0);
  });
});
