import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The repository root (tests/support is two levels below it). */
export const repoRoot = join(__dirname, '..', '..');

const venvBin = join(repoRoot, '.venv', 'bin');

/**
 * The Python interpreter that `scripts/setup.mjs` made ready: the project's .venv when it
 * exists (setup created it because the machine's own tools did not satisfy the pins),
 * otherwise the machine's python3.
 */
export function pythonExecutable(): string {
  const venvPython = join(venvBin, 'python');
  return existsSync(venvPython) ? venvPython : 'python3';
}

/** An environment whose PATH finds the project's Python tools (cfn-lint, checkov, …) first. */
export function toolEnvironment(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const path = existsSync(venvBin) ? `${venvBin}${delimiter}${base.PATH ?? ''}` : base.PATH;
  return { ...base, PATH: path };
}
