import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  AppSpecError,
  IN_PLACE_EVENTS,
  parseAppSpec,
  rubyInspect,
  unknownHooks,
  type AppSpec,
  type FileExistsBehavior,
  type InPlaceEvent,
} from './codedeploy-appspec';
import { runEventScripts, type LifecycleErrorCode } from './codedeploy-hooks';
import { install, InstallError } from './codedeploy-install';
import { preinstallPinnedNode } from './instance-image';
import { pipelineFile } from '../emulator/tools';

/**
 * A stand-in for the CodeDeploy agent on one instance (moto never runs a deployment), following
 * aws-codedeploy-agent's command_executor.rb: the revision is unpacked under the agent's
 * deployment root (`<group id>/<deployment id>/deployment-archive`); ApplicationStop runs the
 * scripts of the deployment whose Install last succeeded (recorded right after Install, even if
 * that deployment failed later); Install removes what the group's previous deployment installed
 * and copies the `files` (codedeploy-install.ts); hooks run as codedeploy-hooks.ts says.
 *
 * The test bed differs from an instance in what the machine allows: the instance's `/` is a
 * scratch root (`ANOMALY_PRODUCER_ROOT`, which the hooks' common.sh honours), and commands that
 * would change this machine (systemctl, apt-get, useradd, chown) are shims on the agent's PATH
 * (local-pipeline/codedeploy/shims). On Ubuntu, su would reset PATH from /etc/environment; this machine's
 * /etc/environment sets none, so the shims stay first.
 */

export type LifecycleEvent = Exclude<InPlaceEvent, 'DownloadBundle'>;

/**
 * The lifecycle of an in-place EC2 deployment the agent runs, in order; Install is the agent's
 * own copy. DownloadBundle is the stand-in deployment's (it fetches the revision from S3).
 */
export const LIFECYCLE = IN_PLACE_EVENTS.filter(
  (name): name is LifecycleEvent => name !== 'DownloadBundle',
);

export interface HookRun {
  readonly event: LifecycleEvent;
  readonly script: string | undefined;
  readonly status: 'Succeeded' | 'Failed' | 'Skipped';
  readonly errorCode: LifecycleErrorCode | undefined;
  readonly exitCode: number | null;
  readonly durationMs: number;
  readonly message: string;
  /** The event's script log as CodeDeploy reports it (about the last 2,048 characters). */
  readonly logTail: string;
}

export interface AgentRun {
  readonly status: 'Succeeded' | 'Failed';
  readonly events: readonly HookRun[];
}

export interface AgentOptions {
  /** The unpacked revision; copied to the deployment archive, as codedeploy-local does. */
  readonly revisionDir: string;
  /** The instance: `root/` stands in for its `/`, `state/` holds shim state, `agent/` the agent's. */
  readonly instanceDir: string;
  /** The agent's own environment (on the test bed: emulator endpoints, fake IMDS, PATH…). */
  readonly env: Readonly<Record<string, string>>;
  readonly deploymentId: string;
  readonly applicationName: string;
  readonly deploymentGroupName: string;
  /** Defaults to `<application>-<group>`; the agent keys its records by it. */
  readonly deploymentGroupId?: string;
  /** The deployment's fileExistsBehavior; CreateDeployment's default is DISALLOW. */
  readonly fileExistsBehavior?: FileExistsBehavior;
  /** CreateDeployment's ignoreApplicationStopFailures: a failed ApplicationStop does not stop it. */
  readonly ignoreApplicationStopFailures?: boolean;
  /** The test bed's image carries the revision's pinned Node (instance-image.ts); default true. */
  readonly preinstallNode?: boolean;
  /** For S3 revisions: BUNDLE_BUCKET, BUNDLE_KEY, BUNDLE_VERSION, BUNDLE_ETAG. */
  readonly bundle?: { bucket: string; key: string; version?: string; etag?: string };
}

export interface InstancePaths {
  readonly root: string;
  readonly stateDir: string;
  readonly deploymentRoot: string;
}

export function instancePaths(instanceDir: string): InstancePaths {
  return {
    root: join(instanceDir, 'root'),
    stateDir: join(instanceDir, 'state'),
    deploymentRoot: join(instanceDir, 'agent', 'deployment-root'),
  };
}

const SHIMS = pipelineFile('codedeploy', 'shims');

export async function runRevision(options: AgentOptions): Promise<AgentRun> {
  const paths = instancePaths(options.instanceDir);
  const groupId =
    options.deploymentGroupId ?? `${options.applicationName}-${options.deploymentGroupName}`;
  const instructionsDir = join(paths.deploymentRoot, 'deployment-instructions');
  const lastInstallFile = join(instructionsDir, `${groupId}_last_successful_install`);
  const deploymentDir = join(paths.deploymentRoot, groupId, options.deploymentId);
  const archiveDir = join(deploymentDir, 'deployment-archive');
  for (const dir of [paths.root, paths.stateDir, instructionsDir])
    mkdirSync(dir, { recursive: true });
  if (options.preinstallNode !== false) preinstallPinnedNode(options.revisionDir, paths.root);
  const env = hookEnvironment(options, groupId, paths);

  const events: HookRun[] = [];
  for (const event of LIFECYCLE) {
    const started = Date.now();
    let run: Omit<HookRun, 'event' | 'durationMs'>;
    if (event === 'ApplicationStop') {
      // The previous revision's scripts, before this one is even downloaded.
      const previous = existsSync(lastInstallFile)
        ? join(readFileSync(lastInstallFile, 'utf8').trim(), 'deployment-archive')
        : undefined;
      run = await runHooks(event, previous, env);
      rmSync(archiveDir, { recursive: true, force: true });
      cpSync(options.revisionDir, archiveDir, { recursive: true });
    } else if (event === 'Install') {
      run = runInstall(archiveDir, {
        instructionsDir,
        groupId,
        root: paths.root,
        fileExistsBehavior: options.fileExistsBehavior ?? 'DISALLOW',
      });
      if (run.status === 'Succeeded') writeFileSync(lastInstallFile, deploymentDir);
    } else {
      run = await runHooks(event, archiveDir, env);
    }
    events.push({ event, durationMs: Date.now() - started, ...run });
    const ignored = event === 'ApplicationStop' && options.ignoreApplicationStopFailures === true;
    if (run.status === 'Failed' && !ignored) return { status: 'Failed', events };
  }
  return { status: 'Succeeded', events };
}

/** The agent's environment plus the deployment's variables (hook_executor.rb's child_envs). */
function hookEnvironment(
  options: AgentOptions,
  groupId: string,
  paths: InstancePaths,
): Record<string, string> {
  const bundle = options.bundle
    ? {
        BUNDLE_BUCKET: options.bundle.bucket,
        BUNDLE_KEY: options.bundle.key,
        ...(options.bundle.version ? { BUNDLE_VERSION: options.bundle.version } : {}),
        ...(options.bundle.etag ? { BUNDLE_ETAG: options.bundle.etag } : {}),
      }
    : {};
  return {
    ...testBedAgentEnvironment(options.env, paths),
    DEPLOYMENT_ID: options.deploymentId,
    APPLICATION_NAME: options.applicationName,
    DEPLOYMENT_GROUP_NAME: options.deploymentGroupName,
    DEPLOYMENT_GROUP_ID: groupId,
    ...bundle,
  };
}

/** What the agent's process environment is on the test bed: the given one, shims first on PATH. */
function testBedAgentEnvironment(
  env: Readonly<Record<string, string>>,
  paths: InstancePaths,
): Record<string, string> {
  return {
    ...env,
    PATH: `${shimBin(paths.stateDir)}:${env.PATH ?? process.env.PATH ?? ''}`,
    ANOMALY_PRODUCER_ROOT: paths.root,
    SHIM_STATE_DIR: paths.stateDir,
  };
}

async function runHooks(
  event: LifecycleEvent,
  archiveDir: string | undefined,
  env: Readonly<Record<string, string>>,
): Promise<Omit<HookRun, 'event' | 'durationMs'>> {
  if (!archiveDir) return skipped();
  let spec: AppSpec;
  try {
    spec = parseAppSpec(readFileSync(join(archiveDir, 'appspec.yml'), 'utf8'));
  } catch (error) {
    return unknownError(error);
  }
  const scripts = spec.hooks[event] ?? [];
  if (scripts.length === 0) return skipped();
  return runEventScripts(event, archiveDir, scripts, { ...env, LIFECYCLE_EVENT: event });
}

function runInstall(
  archiveDir: string,
  context: {
    instructionsDir: string;
    groupId: string;
    root: string;
    fileExistsBehavior: FileExistsBehavior;
  },
): Omit<HookRun, 'event' | 'durationMs'> {
  try {
    const spec = parseAppSpec(readFileSync(join(archiveDir, 'appspec.yml'), 'utf8'));
    const unknown = unknownHooks(spec);
    if (unknown.length > 0)
      throw new InstallError(
        `appspec.yml file contains unknown lifecycle events: ${rubyInspect(unknown)}`,
      );
    install(spec, { archiveDir, deploymentGroupId: context.groupId, ...context });
  } catch (error) {
    return unknownError(error);
  }
  return {
    status: 'Succeeded',
    script: undefined,
    errorCode: undefined,
    exitCode: 0,
    message: 'Succeeded',
    logTail: '',
  };
}

function skipped(): Omit<HookRun, 'event' | 'durationMs'> {
  return {
    status: 'Skipped',
    script: undefined,
    errorCode: undefined,
    exitCode: null,
    message: '',
    logTail: '',
  };
}

function unknownError(error: unknown): Omit<HookRun, 'event' | 'durationMs'> {
  if (!(error instanceof AppSpecError || error instanceof InstallError || error instanceof Error))
    throw error;
  return {
    status: 'Failed',
    script: undefined,
    errorCode: 'UnknownError',
    exitCode: null,
    message: error.message,
    logTail: '',
  };
}

function shimBin(stateDir: string): string {
  const bin = join(stateDir, 'bin');
  mkdirSync(bin, { recursive: true });
  const links: Record<string, string> = {
    systemctl: 'systemctl',
    'apt-get': 'record-call',
    useradd: 'record-call',
    chown: 'record-call',
  };
  for (const [name, target] of Object.entries(links)) {
    if (!existsSync(join(bin, name))) symlinkSync(join(SHIMS, target), join(bin, name));
  }
  return bin;
}

/** Stops whatever the systemctl shim started, so no producer outlives a test. */
export function stopServices(stateDir: string): void {
  const pidFile = join(stateDir, 'anomaly-producer.pid');
  if (!existsSync(pidFile)) return;
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
  } catch {
    // already gone
  }
}
