import { spawnSync } from 'node:child_process';
import { repoRoot, toolEnvironment } from '../../local-pipeline/emulator/tools';

function runTool(command: string, args: string[]) {
  const result = spawnSync(command, args, {
    cwd: repoRoot,
    env: toolEnvironment(),
    encoding: 'utf8',
  });
  if (result.error)
    throw new Error(
      `${command} could not run (is it installed? npm test installs it): ${result.error.message}`,
    );
  return result;
}

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
