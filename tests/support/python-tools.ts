import { spawnSync } from 'node:child_process';
import { repoRoot, toolEnvironment } from '../../local-pipeline/emulator/tools';

/**
 * Runs one of the Python tools of requirements-dev.txt (cfn-lint, checkov, actionlint, zizmor,
 * check-jsonschema) as npm test installs them: from the repository, with .venv first on PATH.
 * A tool that cannot be started fails the test loudly, never skips it.
 */
export function runTool(command: string, args: string[]) {
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
