import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  functionError,
  INIT_LIMIT_SECONDS,
  newRequestId,
  type Ending,
  type FunctionLimits,
} from './function-errors';

export interface ProcessResult {
  readonly payload: string;
  readonly error: string | undefined;
  readonly log: string;
  /** The Node.js version the handler ran on, once it was invoked. */
  readonly nodeVersion: string | undefined;
}

/** How often the process's resident memory is compared with MemorySize. */
const MEMORY_POLL_MS = 20;

/**
 * One invocation's handler process, watched as Lambda watches a sandbox: killed when the init
 * phase or the handler outlasts its limit or the process outgrows MemorySize, and answered
 * with Lambda's function error whenever it ends without the handler's answer.
 */
export class Invocation {
  private readonly requestId = newRequestId();
  private stdout = '';
  private stderr = '';
  private control = '';
  private ending: Ending | undefined;
  private timer: NodeJS.Timeout | undefined;
  private memoryPoll: NodeJS.Timeout | undefined;
  private done = false;
  private nodeVersion: string | undefined;

  constructor(
    private readonly child: ChildProcess,
    private readonly limits: FunctionLimits,
    private readonly resolve: (result: ProcessResult) => void,
  ) {}

  watch(): void {
    const { child } = this;
    child.stdout!.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
      this.control += chunk.toString();
      this.onControl();
    });
    this.limit({ kind: 'init-timeout', seconds: INIT_LIMIT_SECONDS });
    this.memoryPoll = setInterval(() => {
      this.checkMemory();
    }, MEMORY_POLL_MS);
    child.once('close', (code, signal) => {
      this.finish(this.ending ?? { kind: 'exit', code, signal });
    });
  }

  private onControl(): void {
    for (const line of this.control.split('\n').slice(0, -1)) {
      if (line.startsWith('invoked ')) {
        this.nodeVersion = line.slice(8);
        this.limit({ kind: 'timeout', seconds: this.limits.timeoutSeconds });
      } else if (line.startsWith('result ')) this.answer(line.slice(7), undefined);
      else if (line.startsWith('error '))
        this.answer(
          line.slice(6),
          (JSON.parse(line.slice(6)) as { errorMessage?: string }).errorMessage ?? 'error',
        );
    }
    this.control = this.control.slice(this.control.lastIndexOf('\n') + 1);
  }

  /** Kills the process when `ending`'s limit passes first. */
  private limit(ending: { kind: 'timeout' | 'init-timeout'; seconds: number }): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.kill(ending);
    }, ending.seconds * 1000);
  }

  private checkMemory(): void {
    const rssKb = residentKb(this.child.pid);
    if (rssKb !== undefined && rssKb > this.limits.memoryMb * 1024)
      this.kill({ kind: 'out-of-memory' });
  }

  private kill(ending: Ending): void {
    if (this.done || this.ending) return;
    this.ending = ending;
    this.child.kill('SIGKILL');
  }

  /** The handler answered: Lambda freezes the sandbox; the stand-in's process is not reused. */
  private answer(payload: string, error: string | undefined): void {
    if (this.done) return;
    this.settle({ payload, error, log: this.log(), nodeVersion: this.nodeVersion });
    this.child.kill('SIGKILL');
  }

  private finish(ending: Ending): void {
    if (this.done) return;
    const error = functionError(this.requestId, ending);
    this.settle({
      payload: JSON.stringify(error),
      error: error.errorMessage,
      log: `${this.log()}${error.errorMessage}\n${error.errorType}\n`,
      nodeVersion: this.nodeVersion,
    });
  }

  private settle(result: ProcessResult): void {
    this.done = true;
    clearTimeout(this.timer);
    clearInterval(this.memoryPoll);
    this.resolve(result);
  }

  private log(): string {
    return `${this.stdout}${this.stderr}`;
  }
}

/** VmRSS of a live process, from /proc (Linux); undefined once it is gone. */
function residentKb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
