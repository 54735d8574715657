import { createAct, type Act } from './act';
import { BUDGET_KEY, budgetFromItem, minuteOf, slotsLeft, type BudgetSeen } from './alert-budget';
import { sendAlerts, type Sent } from './alert-send';
import { commitDevice, type CommitResult, type Committed } from './device-commit';
import type { AnomalyKind } from './classify';
import { freshReadings, isQuiet, sequenceAfter, type Observed } from './device-plan';
import { emptyState, type DeviceState } from './device-state';
import type { ExcursionEvent } from './excursion';
import { NOTHING_TAKEN, releaseOutboxes, takeWaiting, type Taken } from './outbox-release';
import { anomalyKey, type Anomaly } from './store';

export interface DevicesOutcome {
  /** Batch positions to redeliver from, one per device that did not complete. */
  readonly failedIndices: number[];
  readonly counts: {
    /** Anomalous readings written to the table for the first time. */
    readonly stored: number;
    /** Readings already folded into their device's state (a redelivery or a replay). */
    readonly alreadyProcessed: number;
    readonly opened: number;
    readonly closed: number;
    readonly reminders: number;
    readonly alertsSent: number;
    /** Devices whose message waits for a slot of the topic's budget. */
    readonly alertsDeferred: number;
  };
}

type Groups = ReadonlyMap<string, readonly Observed[]>;

/** The batch's readings after the devices' states are read: what is new for each device. */
interface Planned {
  readonly groups: Groups;
  readonly states: ReadonlyMap<string, DeviceState>;
  readonly budget: BudgetSeen;
  /** Readings not yet folded into their device's state. */
  readonly freshCount: number;
  readonly anomalies: readonly Anomaly[];
}

const NOTHING = {
  stored: 0,
  alreadyProcessed: 0,
  opened: 0,
  closed: 0,
  reminders: 0,
  alertsSent: 0,
  alertsDeferred: 0,
};

/**
 * The act part of the detector, per batch: read the devices' states, plan what is new, store
 * the new anomalies, commit each device's next state (with the message to send in its outbox,
 * conditionally on the version read), send the messages, then release the outboxes.
 * Redelivered and replayed readings are recognised by sequence number and change nothing.
 */
export function createDeviceProcessor(deps: Act['deps']) {
  const act = createAct(deps);
  return async (readings: readonly Observed[]): Promise<DevicesOutcome> => {
    const groups = byDevice(readings);
    if (groups.size === 0) return { failedIndices: [], counts: NOTHING };
    const read = await readStates(act, groups);
    if (!read) return { failedIndices: [...groups.values()].map(firstOf), counts: NOTHING };
    const planned = plan(groups, read);
    const unstored = await writeAnomalies(act, planned.anomalies);
    const committed = await commitStates(act, planned, unstored);
    const own = committed.flatMap(({ result }) => (typeof result === 'object' ? [result] : []));
    const taken = await takeWaitingIfSlots(act, planned);
    const outboxes = [...own, ...taken.outboxes];
    const sent = await sendAlerts(act, outboxes, planned.budget);
    await releaseOutboxes(act, outboxes, sent, taken);
    const toSend = own;
    return outcome(planned, { readings: readings.length, unstored }, committed, toSend, sent);
  };
}

/** Groups readings by device, keeping stream order within each. */
function byDevice(readings: readonly Observed[]): Map<string, Observed[]> {
  const groups = new Map<string, Observed[]>();
  for (const observed of readings) {
    const group = groups.get(observed.deviceId);
    if (group) group.push(observed);
    else groups.set(observed.deviceId, [observed]);
  }
  return groups;
}

const firstOf = (group: readonly Observed[]): number => group[0]?.index ?? 0;

interface Read {
  readonly states: ReadonlyMap<string, DeviceState>;
  readonly budget: BudgetSeen;
}

/**
 * The batch's devices' states and the topic's budget, in the same calls; undefined when they
 * could not be read (all is redelivered).
 */
async function readStates(act: Act, groups: Groups): Promise<Read | undefined> {
  let budget = budgetFromItem(undefined);
  const states = await act.states
    .readAll([...groups.keys()], [BUDGET_KEY], (item) => {
      if (item.deviceId?.S === BUDGET_KEY.deviceId?.S) budget = budgetFromItem(item);
    })
    .catch(() => undefined);
  return states && { states, budget };
}

function plan(groups: Groups, { states, budget }: Read): Planned {
  let freshCount = 0;
  const anomalies = new Map<string, Anomaly>();
  for (const [id, group] of groups) {
    const folded = states.get(id)?.lastSequenceNumber;
    for (const observed of group) {
      if (!sequenceAfter(observed.sequenceNumber, folded)) continue;
      freshCount += 1;
      if (observed.kind) addAnomaly(anomalies, observed, observed.kind);
    }
  }
  return { groups, states, budget, freshCount, anomalies: [...anomalies.values()] };
}

/** Outboxes that wait for a slot are taken over only when this minute still has one. */
async function takeWaitingIfSlots(act: Act, planned: Planned): Promise<Taken> {
  const minute = minuteOf(act.deps.now());
  if (planned.budget.waiting.length === 0) return NOTHING_TAKEN;
  if (slotsLeft(planned.budget, minute, act.budget.perMinute) === 0) return NOTHING_TAKEN;
  return takeWaiting(act, planned.budget, new Set(planned.groups.keys())).catch(
    () => NOTHING_TAKEN,
  );
}

/** The same reading delivered twice in one batch is one anomaly (it is one table item). */
function addAnomaly(anomalies: Map<string, Anomaly>, observed: Observed, kind: AnomalyKind): void {
  const key = anomalyKey(observed);
  if (!anomalies.has(key)) anomalies.set(key, { ...observed, kind });
}

interface Unstored {
  /** Devices with an anomaly that could not be written. */
  readonly devices: ReadonlySet<string>;
  readonly count: number;
}

async function writeAnomalies(act: Act, anomalies: readonly Anomaly[]): Promise<Unstored> {
  const { failed } = await act.anomalies.put(anomalies);
  return {
    devices: new Set(failed.map((anomaly) => anomaly.deviceId)),
    count: failed.length,
  };
}

interface DeviceResult {
  readonly id: string;
  readonly result: CommitResult;
}

/** A device whose anomalies were not all stored keeps its state: its readings come again. */
async function commitStates(
  act: Act,
  { groups, states }: Planned,
  unstored: Unstored,
): Promise<DeviceResult[]> {
  return Promise.all(
    [...groups].map(async ([id, group]) => {
      const state = states.get(id) ?? emptyState(id);
      if (unstored.devices.has(id)) return { id, result: 'failed' as const };
      if (isQuiet(state, group)) return { id, result: 'done' as const };
      return { id, result: await commitDevice(act, state, group) };
    }),
  );
}

const countEvents = (sent: readonly Committed[], type: ExcursionEvent['type']) =>
  sent.reduce((total, { events }) => total + events.filter((e) => e.type === type).length, 0);

function outcome(
  planned: Planned,
  { readings, unstored }: { readonly readings: number; readonly unstored: Unstored },
  committed: readonly DeviceResult[],
  toSend: readonly Committed[],
  sent: Sent,
): DevicesOutcome {
  const retryFrom = (id: string) => {
    const group = planned.groups.get(id) ?? [];
    const state = planned.states.get(id) ?? emptyState(id);
    return (freshReadings(state, group)[0] ?? group[0])?.index ?? 0;
  };
  const failedIndices = committed
    .filter(({ id, result }) => result === 'failed' || sent.failed.has(id))
    .map(({ id }) => retryFrom(id));
  const delivered = toSend.filter(({ state }) => sent.published.has(state.deviceId));
  return {
    failedIndices,
    counts: {
      stored: planned.anomalies.length - unstored.count,
      alreadyProcessed: readings - planned.freshCount,
      opened: countEvents(delivered, 'opened'),
      closed: countEvents(delivered, 'closed'),
      reminders: countEvents(delivered, 'reminder'),
      alertsSent: sent.sent,
      alertsDeferred: toSend.filter(({ state }) => sent.deferred.has(state.deviceId)).length,
    },
  };
}
