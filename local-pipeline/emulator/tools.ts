import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

/**
 * The repository root: the nearest directory above this file holding package.json and
 * .github (this file runs from local-pipeline/emulator/ under jest, and from a bundle in .local/).
 */
export const repoRoot = findRepoRoot(__dirname);

function findRepoRoot(start: string): string {
  for (let directory = start; ; directory = dirname(directory)) {
    if (existsSync(join(directory, 'package.json')) && existsSync(join(directory, '.github')))
      return directory;
    if (dirname(directory) === directory) throw new Error(`no repository root above ${start}`);
  }
}

/** A file of the local pipeline (emulator server, shims), wherever this code runs from. */
export const pipelineFile = (...parts: string[]): string =>
  join(repoRoot, 'local-pipeline', ...parts);

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
