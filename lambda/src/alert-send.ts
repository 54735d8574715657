import type { Act } from './act';
import { minuteOf, slotsLeft, type BudgetSeen } from './alert-budget';
import { alertFor, publishAlerts, type Alert } from './alerts';
import type { Committed } from './device-commit';
import { digestsFor } from './digest';

/**
 * The release check's devices (lambda-deploy): the e-mail subscription's filter drops their
 * messages, so they cost subscribers nothing. They go out alone, never wait for the budget and
 * never join a digest (which the filter would let through).
 */
export const UNBUDGETED_PREFIX = 'lambda-deploy-pre-traffic-check';

/** What became of each outbox given to `sendAlerts`, by device. */
export interface Sent {
  /** SNS accepted its message (alone or in a digest). */
  readonly published: ReadonlySet<string>;
  /** SNS refused it, or the budget could not be asked: handed back, its records redelivered. */
  readonly failed: ReadonlySet<string>;
  /** No slot this minute: it waits in its outbox, indexed in the budget item. */
  readonly deferred: ReadonlySet<string>;
  /** Messages SNS accepted. */
  readonly sent: number;
}

/**
 * Sends what the outboxes hold within the topic's budget: a message a device while the minute
 * has a slot for each and nothing waits; otherwise digests, one a slot; what gets no slot waits.
 */
export async function sendAlerts(
  act: Act,
  outboxes: readonly Committed[],
  seen: BudgetSeen,
): Promise<Sent> {
  const withMessage = outboxes.filter(({ events }) => events.length > 0);
  const alone = withMessage.filter(({ state }) => state.deviceId.startsWith(UNBUDGETED_PREFIX));
  const budgeted = withMessage.filter((outbox) => !alone.includes(outbox));
  const granted = await grantedAlerts(act, budgeted, seen).catch(() => undefined);
  const alerts = [...alone.map((outbox) => alertOf(act, outbox)), ...(granted ?? [])];
  const result = await publishAlerts(act.deps.sns, act.deps.config.topicArn, alerts);
  const coveredIds = new Set(alerts.flatMap((alert) => alert.covers ?? [alert.deviceId]));
  const failed = new Set(result.failedDevices);
  if (!granted) budgeted.forEach(({ state }) => failed.add(state.deviceId));
  const ids = withMessage.map(({ state }) => state.deviceId);
  return {
    published: new Set(ids.filter((id) => coveredIds.has(id) && !failed.has(id))),
    failed,
    deferred: new Set(ids.filter((id) => !coveredIds.has(id) && !failed.has(id))),
    sent: result.sent,
  };
}

const alertOf = (act: Act, { state, events }: Committed): Alert =>
  alertFor(state.deviceId, events, act.deps.config.thresholds);

/**
 * The messages the budget has slots for: one a device when there is a slot for each and
 * nothing waits before them, else as many digests as there are slots (the rest waits).
 */
async function grantedAlerts(
  act: Act,
  budgeted: readonly Committed[],
  seen: BudgetSeen,
): Promise<Alert[]> {
  if (budgeted.length === 0) return [];
  const { budget, deps } = act;
  const minute = minuteOf(deps.now());
  const left = slotsLeft(seen, minute, budget.perMinute);
  const waitingBefore = seen.waiting.length > 0;
  if (!waitingBefore && budgeted.length <= left) {
    if (await budget.claim(seen, minute, budgeted.length)) {
      return budgeted.map((outbox) => alertOf(act, outbox));
    }
  }
  // A consistent read saw this minute used up: its count only grows until the minute ends.
  if (left === 0) return [];
  const digests = digestsFor(
    budgeted.map(({ state, events }) => ({ deviceId: state.deviceId, events })),
    deps.config.thresholds,
  );
  const count = Math.min(digests.length, left);
  if (await budget.claim(seen, minute, count)) return digests.slice(0, count);
  // Another invocation took slots meanwhile: one digest, if a slot is left, covers what fits.
  return count > 1 && (await budget.claim(seen, minute, 1)) ? digests.slice(0, 1) : [];
}
