/** Time, injected so waits can be tested without real sleeps. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** When a run started and when every wait of it must end: `timeout-minutes` from now. */
export function timeWindow(
  clock: Clock,
  timeoutMinutes: number,
): { readonly started: number; readonly deadline: number } {
  const started = clock.now();
  return { started, deadline: started + timeoutMinutes * 60_000 };
}

/** Formats a duration for people: 42s, 3m 05s. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}
