import { rename, writeFile } from 'node:fs/promises';

/** The part of `process` the producer listens on for a stop request. */
export interface SignalSource {
  once(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
}

/**
 * A signal that fires on the first SIGTERM or SIGINT, saying so on stderr: the producer then
 * sends what it holds and exits (systemd and CodeDeploy stop it with SIGTERM).
 */
export function stopOnSignals(source: SignalSource, stderr: (line: string) => void): AbortSignal {
  const stop = new AbortController();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    source.once(signal, () => {
      stderr(`producer: ${signal} received; sending what is held, then exiting`);
      stop.abort();
    });
  }
  return stop.signal;
}

/** Resolves after `ms`, or at once when `signal` fires (or has fired); leaves no timer behind. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Replaces the file atomically, so a reader never sees half a status. */
export async function writeStatus(path: string, content: string): Promise<void> {
  const temporary = `${path}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}

/** The stderr line for a failure `run` did not expect: the stack when there is one. */
export function unexpectedFailure(error: unknown): string {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `producer: unexpected failure: ${detail}`;
}
