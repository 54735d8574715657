import { existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { startMoto, type MotoServer } from '../../local-pipeline/emulator/moto';
import { repoRoot } from '../../local-pipeline/emulator/tools';

declare global {
  var strykerMoto: Promise<MotoServer> | undefined;
}

/**
 * Under Stryker every mutant run is one jest `runCLI` call inside a long-lived test-runner
 * process, and jest runs this hook on each call. Starting moto each time would cost seconds a
 * mutant, so the first call starts one server for the process and later calls reuse it; there is
 * no global teardown. Runs in one process are sequential (jest runs in band under Stryker), and
 * tests/stryker/per-file-setup.ts resets the server before every emulator-backed test file, so
 * each mutant's run starts from an empty account and cannot see another's state. The server
 * exits with the process: moto_server.py stops when its stdin closes.
 */
export default async function globalSetup(): Promise<void> {
  linkPythonTools();
  globalThis.strykerMoto ??= startMoto();
  const server = await globalThis.strykerMoto;
  process.env.MOTO_ENDPOINTS = server.endpoint;
}

/**
 * Stryker's sandbox (.stryker-tmp/sandbox-*) copies the repository without the .venv that
 * `npm run setup` made (stryker.config.mjs ignores it: it is large and often a symlink), so the
 * sandbox links to the project's one, where moto is installed.
 */
function linkPythonTools(): void {
  const sandboxVenv = join(repoRoot, '.venv');
  const projectVenv = join(repoRoot, '..', '..', '.venv');
  if (!existsSync(sandboxVenv) && existsSync(projectVenv)) symlinkSync(projectVenv, sandboxVenv);
}
