import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { pipelineFile } from './tools';

/**
 * A stand-in for the CodeDeploy agent (moto never runs a deployment): runs a revision's hooks
 * the way the agent does, in its order, each with its timeout and the agent's environment
 * variables, and copies the revision's `files` into a scratch root instead of /. Commands that
 * would change the machine are shimmed on PATH (local-pipeline/shims).
 */

/** The agent's lifecycle, in order; Install is the agent's own file copy. */
export const LIFECYCLE = [
  'ApplicationStop',
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService',
] as const;
export type LifecycleEvent = (typeof LIFECYCLE)[number];

export interface HookRun {
  readonly event: LifecycleEvent;
  readonly script: string | undefined;
  readonly status: 'Succeeded' | 'Failed' | 'Skipped';
  readonly errorCode: 'ScriptFailed' | 'ScriptTimedOut' | 'ScriptMissing' | undefined;
  readonly exitCode: number | null;
  readonly durationMs: number;
  /** The last 4 KiB of the hook's output, as CodeDeploy reports it. */
  readonly logTail: string;
}

export interface AgentRun {
  readonly status: 'Succeeded' | 'Failed';
  readonly events: readonly HookRun[];
}

export interface AgentOptions {
  readonly revisionDir: string;
  /** The revision that last succeeded on this "instance": its ApplicationStop runs first. */
  readonly previousRevisionDir?: string | undefined;
  /** Scratch directory standing in for the instance's /. */
  readonly root: string;
  /** Directory for shim state (pids, call log); created if missing. */
  readonly stateDir: string;
  readonly env: Readonly<Record<string, string>>;
  readonly deploymentId: string;
  readonly applicationName: string;
  readonly deploymentGroupName: string;
}

interface AppSpec {
  files?: { source: string; destination: string }[];
  hooks?: Partial<Record<LifecycleEvent, { location: string; timeout?: number }[]>>;
}

const SHIMS = pipelineFile('shims');
const LOG_TAIL_BYTES = 4096;

export function readAppSpec(revisionDir: string): AppSpec {
  return parse(readFileSync(join(revisionDir, 'appspec.yml'), 'utf8')) as AppSpec;
}

export async function runRevision(options: AgentOptions): Promise<AgentRun> {
  mkdirSync(options.stateDir, { recursive: true });
  const bin = shimBin(options.stateDir);
  const spec = readAppSpec(options.revisionDir);
  const events: HookRun[] = [];
  for (const event of LIFECYCLE) {
    const runs =
      event === 'Install'
        ? [install(spec, options)]
        : await runHooks(
            event,
            event === 'ApplicationStop' ? options.previousRevisionDir : options.revisionDir,
            options,
            bin,
          );
    events.push(...runs);
    if (runs.some((run) => run.status === 'Failed')) return { status: 'Failed', events };
  }
  return { status: 'Succeeded', events };
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

function install(spec: AppSpec, options: AgentOptions): HookRun {
  const started = Date.now();
  for (const { source, destination } of spec.files ?? []) {
    const from = join(options.revisionDir, source);
    const to = join(options.root, destination);
    if (!existsSync(from)) {
      return {
        event: 'Install',
        script: undefined,
        status: 'Failed',
        errorCode: 'ScriptMissing',
        exitCode: null,
        durationMs: Date.now() - started,
        logTail: `source ${source} is not in the revision`,
      };
    }
    mkdirSync(statSync(from).isDirectory() ? to : join(to, '..'), { recursive: true });
    cpSync(from, to, { recursive: true, force: true });
  }
  return {
    event: 'Install',
    script: undefined,
    status: 'Succeeded',
    errorCode: undefined,
    exitCode: 0,
    durationMs: Date.now() - started,
    logTail: '',
  };
}

async function runHooks(
  event: LifecycleEvent,
  revisionDir: string | undefined,
  options: AgentOptions,
  bin: string,
): Promise<HookRun[]> {
  const hooks = revisionDir ? (readAppSpec(revisionDir).hooks?.[event] ?? []) : [];
  if (hooks.length === 0) {
    return [
      {
        event,
        script: undefined,
        status: 'Skipped',
        errorCode: undefined,
        exitCode: null,
        durationMs: 0,
        logTail: '',
      },
    ];
  }
  const runs: HookRun[] = [];
  for (const hook of hooks) {
    const run = await runScript(
      event,
      revisionDir!,
      hook.location,
      hook.timeout ?? 3600,
      options,
      bin,
    );
    runs.push(run);
    if (run.status === 'Failed') break;
  }
  return runs;
}

function runScript(
  event: LifecycleEvent,
  revisionDir: string,
  location: string,
  timeoutSeconds: number,
  options: AgentOptions,
  bin: string,
): Promise<HookRun> {
  const started = Date.now();
  const script = join(revisionDir, location);
  if (!existsSync(script)) {
    return Promise.resolve({
      event,
      script: location,
      status: 'Failed',
      errorCode: 'ScriptMissing',
      exitCode: null,
      durationMs: 0,
      logTail: `Script does not exist at specified location: ${location}`,
    });
  }
  return new Promise((resolve) => {
    const child = spawn(script, [], {
      cwd: revisionDir,
      env: {
        ...options.env,
        PATH: `${bin}:${options.env.PATH ?? process.env.PATH ?? ''}`,
        ANOMALY_PRODUCER_ROOT: options.root,
        SHIM_STATE_DIR: options.stateDir,
        LIFECYCLE_EVENT: event,
        DEPLOYMENT_ID: options.deploymentId,
        APPLICATION_NAME: options.applicationName,
        DEPLOYMENT_GROUP_NAME: options.deploymentGroupName,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-LOG_TAIL_BYTES * 4);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutSeconds * 1000);
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      const failed = timedOut || exitCode !== 0;
      resolve({
        event,
        script: location,
        status: failed ? 'Failed' : 'Succeeded',
        errorCode: timedOut ? 'ScriptTimedOut' : failed ? 'ScriptFailed' : undefined,
        exitCode,
        durationMs: Date.now() - started,
        logTail: output.slice(-LOG_TAIL_BYTES),
      });
    });
  });
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
