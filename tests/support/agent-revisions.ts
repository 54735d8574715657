import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  instancePaths,
  runRevision,
  type AgentOptions,
  type AgentRun,
} from '../../local-pipeline/codedeploy/codedeploy-agent';

/**
 * Small revisions and a fresh instance for each test of the stand-in agent (points 1–11 of
 * issue 13). Hooks run through su and from /, as on an instance, so these tests need root (the
 * agent runs as root too).
 */

export let scratch: string;
let revisions = 0;
let deployments = 0;

/** Call in each test file: a scratch directory per test. */
export function useScratch(): void {
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'agent-'));
  });
  afterEach(() => {
    rmSync(scratch, { recursive: true, force: true });
  });
}

/** The id the last deploy() gave its deployment. */
export const lastDeploymentId = () => `d-${deployments}`;

export const AGENT_ENV = {
  PATH: '/usr/local/bin:/usr/bin:/bin',
  HOME: '/var/lib/agent',
  AGENT_OWN: 'yes',
};

/** A revision directory from `appspec.yml` and other files; `*.sh` files are executable. */
export function revision(files: Record<string, string>): string {
  const dir = join(scratch, `revision-${(revisions += 1)}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
    if (path.endsWith('.sh')) chmodSync(join(dir, path), 0o755);
  }
  return dir;
}

export const script = (body: string) => `#!/usr/bin/env bash\n${body}\n`;

export function appspec(hooks: Record<string, string>, extra = ''): string {
  const entries = Object.entries(hooks).map(
    ([event, location]) => `  ${event}:\n    - location: ${location}\n      timeout: 30\n`,
  );
  return `version: 0.0\nos: linux\n${extra}hooks:\n${entries.join('')}`;
}

export function deploy(
  revisionDir: string,
  overrides: Partial<AgentOptions> = {},
  instance = 'instance',
): Promise<AgentRun> {
  return runRevision({
    revisionDir,
    instanceDir: join(scratch, instance),
    env: AGENT_ENV,
    deploymentId: `d-${(deployments += 1)}`,
    applicationName: 'app',
    deploymentGroupName: 'group',
    deploymentGroupId: 'group-id',
    preinstallNode: false,
    ...overrides,
  });
}

export const eventOf = (run: AgentRun, name: string) =>
  run.events.find((event) => event.event === name);
export const onInstance = (path: string, instance = 'instance') =>
  join(instancePaths(join(scratch, instance)).root, path);

/** Polls a condition the kernel settles in milliseconds (a signalled process exiting). */
export async function waitUntil(condition: () => boolean): Promise<boolean> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (condition()) return true;
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return condition();
}
