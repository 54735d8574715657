import type { Act } from './act';
import { deviceOfWaitingKey, waitingKey, type BudgetSeen } from './alert-budget';
import type { Sent } from './alert-send';
import type { Committed } from './device-commit';
import { OUTBOX_LEASE_MS, outboxKey } from './device-plan';

/** Waiting outboxes one invocation takes over at most (their states are read 100 a call). */
const TAKEN_AT_MOST = 500;

export interface Taken {
  /** Outboxes of other devices this invocation now holds (leased to it, one version on). */
  readonly outboxes: readonly Committed[];
  /** The waiting keys it dealt with: taken over, or whose outbox is gone. */
  readonly keys: readonly string[];
}

export const NOTHING_TAKEN: Taken = { outboxes: [], keys: [] };

/**
 * Takes over the outboxes that wait for a slot, of devices not in this batch (theirs are
 * carried by their own state), unless another invocation holds one. Each take is a
 * conditional write: of two invocations taking the same outbox, one wins.
 */
export async function takeWaiting(
  act: Act,
  seen: BudgetSeen,
  batchDevices: ReadonlySet<string>,
): Promise<Taken> {
  const keys = seen.waiting
    .slice(0, TAKEN_AT_MOST)
    .filter((key) => !batchDevices.has(deviceOfWaitingKey(key)));
  const ids = [...new Set(keys.map(deviceOfWaitingKey))];
  const states = await act.states.readAll(ids);
  const now = act.deps.now();
  const taken = await Promise.all(
    [...states.values()].map(async (state) => {
      if (!state.outbox) return { id: state.deviceId, done: true };
      if (state.outbox.leasedUntil > now) return { id: state.deviceId, done: false };
      const next = await act.states.takeOutbox(state, now + OUTBOX_LEASE_MS).catch(() => undefined);
      return { id: state.deviceId, done: next !== undefined, next };
    }),
  );
  const done = new Set(taken.filter((take) => take.done).map((take) => take.id));
  return {
    outboxes: taken.flatMap(({ next }) =>
      next?.outbox ? [{ state: next, events: next.outbox.events }] : [],
    ),
    keys: keys.filter((key) => done.has(deviceOfWaitingKey(key))),
  };
}

/**
 * After sending: indexes the outboxes that wait (before handing them back, so none is left
 * unindexed), empties each published one, hands back each refused or waiting one at once,
 * then forgets the waiting keys dealt with.
 */
export async function releaseOutboxes(
  act: Act,
  outboxes: readonly Committed[],
  sent: Sent,
  taken: Taken,
): Promise<void> {
  const { states, budget, published } = act;
  const deferred = outboxes.filter(({ state }) => sent.deferred.has(state.deviceId));
  await budget
    .addWaiting(deferred.map(({ state }) => waitingKey(state.deviceId, state.version)))
    .catch(() => undefined);
  await Promise.all(
    // An outbox without events is no outbox (planDevice writes none): releaseOutbox skips it.
    outboxes.map(async ({ state }) => {
      if (!sent.published.has(state.deviceId)) {
        await states.releaseOutbox(state).catch(() => undefined);
        return;
      }
      await states.clearOutbox(state.deviceId, state.version).catch(() => {
        published.add(outboxKey(state.deviceId, state.version));
      });
    }),
  );
  await budget.removeWaiting(taken.keys).catch(() => undefined);
}
