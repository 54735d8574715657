import { randomUUID } from 'node:crypto';

/**
 * How Lambda answers an invocation that did not end with the handler's answer: the response
 * carries `X-Amz-Function-Error: Unhandled` and a payload naming the error type, in the words
 * Lambda uses (RequestId, then the reason), so that the caller's verdict is the one a real
 * account would give.
 */

/** Lambda's limit on the init phase (loading the handler's module), apart from the Timeout. */
export const INIT_LIMIT_SECONDS = 10;

export interface FunctionLimits {
  /** The function's configured Timeout, in seconds (Lambda's default 3). */
  readonly timeoutSeconds: number;
  /** The function's configured MemorySize, in MB (Lambda's default 128). */
  readonly memoryMb: number;
}

export const DEFAULT_LIMITS: FunctionLimits = { timeoutSeconds: 3, memoryMb: 128 };

/** Why a handler process gave no answer. */
export type Ending =
  | { readonly kind: 'timeout'; readonly seconds: number }
  | { readonly kind: 'init-timeout'; readonly seconds: number }
  | { readonly kind: 'out-of-memory' }
  | { readonly kind: 'exit'; readonly code: number | null; readonly signal: NodeJS.Signals | null };

export interface FunctionError {
  readonly errorType: string;
  readonly errorMessage: string;
}

export const newRequestId = (): string => randomUUID();

/** Lambda's name of a signal, as in "Runtime exited with error: signal: killed". */
const SIGNAL_NAMES: Partial<Record<NodeJS.Signals, string>> = {
  SIGKILL: 'killed',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
  SIGTERM: 'terminated',
};

function exitReason(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `Runtime exited with error: signal: ${SIGNAL_NAMES[signal] ?? signal}`;
  if (code === 0) return 'Runtime exited without providing a reason';
  return `Runtime exited with error: exit status ${code ?? '?'}`;
}

export function functionError(requestId: string, ending: Ending): FunctionError {
  const say = (errorType: string, reason: string) => ({
    errorType,
    errorMessage: `RequestId: ${requestId} Error: ${reason}`,
  });
  switch (ending.kind) {
    case 'timeout':
      return say('Sandbox.Timedout', `Task timed out after ${ending.seconds.toFixed(2)} seconds`);
    case 'init-timeout':
      return say('Sandbox.Timedout', `INIT timed out after ${ending.seconds.toFixed(2)} seconds`);
    case 'out-of-memory':
      return say('Runtime.OutOfMemory', 'Runtime exited with error: signal: killed');
    case 'exit':
      return say('Runtime.ExitError', exitReason(ending.code, ending.signal));
  }
}

/**
 * The heap flags Lambda's Node.js runtime derives from MemorySize (its bootstrap gives the young
 * generation 1/64 of the memory and the old generation the rest), so the heap runs out where it
 * would on Lambda.
 */
export function heapFlags(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 64);
  return [
    `--max-semi-space-size=${Math.max(1, Math.floor(newSpace / 2))}`,
    `--max-old-space-size=${memoryMb - newSpace}`,
  ];
}
