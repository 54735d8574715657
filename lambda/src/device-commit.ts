import type { Act } from './act';
import { freshReadings, planDevice, type Observed } from './device-plan';
import { isConflict, type DeviceState } from './device-state';
import type { ExcursionEvent } from './excursion';
import type { ExcursionCounterName } from './metrics';

/** A state written with the message it holds in its outbox (no events: nothing to say). */
export interface Committed {
  readonly state: DeviceState;
  readonly events: readonly ExcursionEvent[];
}

/** `done`: nothing to write; `failed`: the device's readings must be redelivered. */
export type CommitResult = Committed | 'done' | 'failed';

/** Attempts at a device's state when concurrent invocations keep changing it under us. */
const CONFLICT_ATTEMPTS = 3;

const COUNTER_OF: Record<ExcursionEvent['type'], ExcursionCounterName> = {
  opened: 'ExcursionsOpened',
  closed: 'ExcursionsClosed',
  reminder: 'Reminders',
};

/** Plans and writes the device's next state, re-reading it after a concurrent change. */
export async function commitDevice(
  act: Act,
  start: DeviceState,
  readings: readonly Observed[],
): Promise<CommitResult> {
  let state = start;
  for (let attempt = 1; attempt <= CONFLICT_ATTEMPTS; attempt += 1) {
    const context = { settings: act.settings, now: act.deps.now(), published: act.published };
    const plan = planDevice(state, freshReadings(state, readings), context);
    // Blocked: another invocation holds the device's message, so these readings come again.
    if (plan.type !== 'write') return plan.type === 'unchanged' ? 'done' : 'failed';
    try {
      await act.states.write(plan.next, state.version);
      // Counted once the state holding them is written: a redelivery finds these readings
      // already folded in and repeats none of it (a message left unsent is carried, not new).
      for (const event of plan.happened) {
        act.deps.counters?.count(COUNTER_OF[event.type], state.deviceId);
      }
      return { state: plan.next, events: plan.next.outbox?.events ?? [] };
    } catch (error) {
      if (!isConflict(error)) return 'failed';
      const reread = await act.states.read(state.deviceId).catch(() => undefined);
      if (!reread) return 'failed';
      state = reread;
    }
  }
  return 'failed';
}
