import { spawn } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { HookScript } from './codedeploy-appspec';

/**
 * One lifecycle event's scripts, run as the agent runs them (hook_executor.rb, linux_util.rb):
 * from the agent's working directory `/`, through `su <runas> -c <path>` when `runas` is set
 * (so su sets HOME and SHELL and PAM applies /etc/environment), with the agent's environment
 * plus the deployment's variables and nothing else, each script in its own process group that
 * gets SIGTERM when the script times out. A script that exits but leaves its output open (a
 * background child holding stdout) is waited for only until its timeout, then reported.
 */

export type LifecycleErrorCode =
  'ScriptMissing' | 'ScriptNotExecutable' | 'ScriptTimedOut' | 'ScriptFailed' | 'UnknownError';

export interface EventResult {
  readonly status: 'Succeeded' | 'Failed';
  readonly script: string | undefined;
  readonly errorCode: LifecycleErrorCode | undefined;
  readonly exitCode: number | null;
  readonly message: string;
  /** The event's script log as the agent keeps it: the last ~2,048 characters, all scripts. */
  readonly logTail: string;
}

/** The agent's ScriptLog: whole entries (lines), the newest that fit in about 2,048 characters. */
export class ScriptLog {
  private entries: string[] = [];

  append(entry: string): void {
    this.entries.push(entry);
    // Ported as written (append_to_log), off-by-one included, so the tail is the agent's.
    let index = this.entries.length;
    let remaining = 2048;
    while (index > 0 && remaining - this.entries[index - 1]!.length > 0) {
      index -= 1;
      remaining -= this.entries.at(index - 1)!.length;
    }
    if (index > 0) this.entries = this.entries.slice(index);
  }

  text(): string {
    return this.entries.join('');
  }
}

export async function runEventScripts(
  event: string,
  archiveDir: string,
  scripts: readonly HookScript[],
  env: Readonly<Record<string, string>>,
): Promise<EventResult> {
  const log = new ScriptLog();
  log.append(`LifecycleEvent - ${event}\n`);
  for (const script of scripts) {
    const failure = await runScript(archiveDir, script, env, log);
    if (failure)
      return { status: 'Failed', script: script.location, logTail: log.text(), ...failure };
  }
  return {
    status: 'Succeeded',
    script: scripts.at(-1)?.location,
    errorCode: undefined,
    exitCode: 0,
    message: 'Succeeded',
    logTail: log.text(),
  };
}

type Failure = Pick<EventResult, 'errorCode' | 'exitCode' | 'message'>;

function runScript(
  archiveDir: string,
  script: HookScript,
  env: Readonly<Record<string, string>>,
  log: ScriptLog,
): Promise<Failure | undefined> {
  const path = join(archiveDir, script.location);
  if (!existsSync(path))
    return Promise.resolve({
      errorCode: 'ScriptMissing',
      exitCode: null,
      message: `Script does not exist at specified location: ${resolve(path)}`,
    });
  if (!executable(path)) {
    try {
      chmodSync(path, 0o755);
    } catch {
      return Promise.resolve({
        errorCode: 'ScriptNotExecutable',
        exitCode: null,
        message: `Unable to set script at specified location: ${script.location} as executable`,
      });
    }
  }
  log.append(`Script - ${script.location}\n`);
  return execute(path, script, env, log);
}

function execute(
  path: string,
  script: HookScript,
  env: Readonly<Record<string, string>>,
  log: ScriptLog,
): Promise<Failure | undefined> {
  const [command, args] = script.runas ? ['su', [script.runas, '-c', path]] : [path, []];
  const prefix = `Script at specified location: ${script.location}${script.runas ? ` run as user ${script.runas}` : ''}`;
  return new Promise((settle) => {
    // From `/`, in its own process group (detached) so that a timeout ends all it started.
    const child = spawn(command, args, {
      cwd: '/',
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const open = { stdout: true, stderr: true };
    let exitCode: number | null | undefined;
    let done = false;
    const finish = (failure: Failure | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      child.stdout.destroy();
      child.stderr.destroy();
      settle(failure);
    };
    const settleIfComplete = () => {
      if (exitCode === undefined || open.stdout || open.stderr) return;
      finish(exitCode === 0 ? undefined : failedWith(prefix, exitCode));
    };
    for (const stream of ['stdout', 'stderr'] as const)
      collectLines(child[stream], `[${stream}]`, log, () => {
        open[stream] = false;
        settleIfComplete();
      });
    child.once('error', (error) => {
      finish(erroredWith(prefix, error));
    });
    child.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? null : 1);
      settleIfComplete();
    });
    const deadline = setTimeout(() => {
      if (exitCode === undefined) killGroup(child.pid);
      finish(pastTimeout(script, exitCode, open.stdout ? 'STDOUT' : 'STDERR'));
    }, script.timeout * 1000);
  });
}

function erroredWith(prefix: string, error: Error): Failure {
  return {
    errorCode: 'ScriptFailed',
    exitCode: null,
    message: `${prefix} failed with error ${error.name} with message ${error.message}`,
  };
}

function failedWith(prefix: string, exitCode: number | null): Failure {
  return {
    errorCode: 'ScriptFailed',
    exitCode,
    message: `${prefix} failed with exit code ${exitCode === null ? '' : String(exitCode)}`,
  };
}

/** Still running at its timeout, or exited with an output still open (a child holds it). */
function pastTimeout(
  script: HookScript,
  exitCode: number | null | undefined,
  openStream: 'STDOUT' | 'STDERR',
): Failure {
  if (exitCode === undefined)
    return {
      errorCode: 'ScriptTimedOut',
      exitCode: null,
      message: `Script at specified location: ${script.location} failed to complete in ${script.timeout} seconds`,
    };
  // The API has no code of its own for this one (the agent's OUTPUTS_LEFT_OPEN).
  return {
    errorCode: 'UnknownError',
    exitCode,
    message: `Script at specified location: ${script.location} failed to close ${openStream}`,
  };
}

function collectLines(
  stream: NodeJS.ReadableStream,
  prefix: string,
  log: ScriptLog,
  onClose: () => void,
): void {
  let partial = '';
  stream.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split(/(?<=\n)/);
    partial = lines.at(-1)!.endsWith('\n') ? '' : lines.pop()!;
    for (const line of lines) log.append(prefix + line);
  });
  stream.once('end', () => {
    if (partial) log.append(prefix + partial);
    onClose();
  });
}

/** SIGTERM to the script's whole process group, as the agent's Process.kill('-TERM', pid). */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // the group is already gone
  }
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
