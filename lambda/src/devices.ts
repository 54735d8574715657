import { alertFor, publishAlerts } from './alerts';
import type { DetectorDeps } from './detector';
import {
  freshReadings,
  outboxKey,
  planDevice,
  type Observed,
  type PlanContext,
} from './device-plan';
import { DeviceStateStore, emptyState, isConflict, type DeviceState } from './device-state';
import { DEFAULT_EXCURSION_SETTINGS, type ExcursionEvent } from './excursion';
import type { ExcursionCounterName } from './metrics';
import { AnomalyStore, anomalyKey, type Anomaly } from './store';

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
  };
}

/** A state written with a message to send. */
interface ToSend {
  readonly state: DeviceState;
  readonly events: readonly ExcursionEvent[];
}

/** Attempts at a device's state when concurrent invocations keep changing it under us. */
const CONFLICT_ATTEMPTS = 3;

/** Groups readings by device, keeping stream order within each. */
function byDevice(readings: readonly Observed[]): Map<string, Observed[]> {
  const groups = new Map<string, Observed[]>();
  for (const observed of readings) {
    const group = groups.get(observed.reading.deviceId) ?? [];
    group.push(observed);
    groups.set(observed.reading.deviceId, group);
  }
  return groups;
}

/** The same reading delivered twice in one batch is one anomaly (it is one table item). */
function uniqueAnomalies(readings: readonly Observed[]): Anomaly[] {
  const unique = new Map<string, Anomaly>();
  for (const { reading, kind, sequenceNumber, index } of readings) {
    const key = anomalyKey(reading);
    if (kind && !unique.has(key)) unique.set(key, { reading, kind, sequenceNumber, index });
  }
  return [...unique.values()];
}

const COUNTER_OF: Record<ExcursionEvent['type'], ExcursionCounterName> = {
  opened: 'ExcursionsOpened',
  closed: 'ExcursionsClosed',
  reminder: 'Reminders',
};

const countEvents = (sent: readonly ToSend[], type: ExcursionEvent['type']) =>
  sent.reduce((total, { events }) => total + events.filter((e) => e.type === type).length, 0);

/**
 * Per device: read its state, store its new anomalies, write the state they lead to (with the
 * message to send in its outbox, conditionally on the version read), publish every device's
 * message in one PublishBatch, then empty the outboxes. Redelivered and replayed readings are
 * recognised by sequence number and change nothing.
 */
export function createDeviceProcessor(deps: DetectorDeps) {
  const anomalyStore = new AnomalyStore(deps.dynamo, deps.config.tableName, deps.sleep);
  const stateStore = new DeviceStateStore(deps.dynamo, deps.config.tableName);
  const settings = deps.config.excursions ?? DEFAULT_EXCURSION_SETTINGS;
  // Outboxes SNS accepted but this container could not clear: never published twice from here.
  const published = new Set<string>();

  /** Writes the device's next state, re-reading it after a concurrent change. */
  async function commit(
    start: DeviceState,
    readings: Observed[],
  ): Promise<ToSend | 'done' | 'failed'> {
    let state = start;
    for (let attempt = 1; attempt <= CONFLICT_ATTEMPTS; attempt += 1) {
      const context: PlanContext = { settings, now: deps.now(), published };
      const plan = planDevice(state, freshReadings(state, readings), context);
      if (plan.type === 'unchanged') return 'done';
      if (plan.type === 'blocked') return 'failed';
      try {
        await stateStore.write(plan.next, state.version);
        // Counted once the state holding them is written: a redelivery finds these readings
        // already folded in and repeats none of it (a message left unsent is carried, not new).
        for (const event of plan.happened) {
          deps.counters?.count(COUNTER_OF[event.type], state.deviceId);
        }
        return { state: plan.next, events: plan.next.outbox?.events ?? [] };
      } catch (error) {
        if (!isConflict(error)) return 'failed';
        try {
          state = await stateStore.read(state.deviceId);
        } catch {
          return 'failed';
        }
      }
    }
    return 'failed';
  }

  /** Publishes the messages; clears each accepted outbox, releases each refused one. */
  async function send(toSend: readonly ToSend[]): Promise<{ failed: Set<string>; sent: number }> {
    const withMessage = toSend.filter(({ events }) => events.length > 0);
    const result = await publishAlerts(
      deps.sns,
      deps.config.topicArn,
      withMessage.map(({ state, events }) =>
        alertFor(state.deviceId, events, deps.config.thresholds),
      ),
    );
    await Promise.all(
      toSend.map(async ({ state, events }) => {
        if (result.failedDevices.has(state.deviceId)) {
          await stateStore.releaseOutbox(state).catch(() => undefined);
        } else if (events.length > 0) {
          await stateStore.clearOutbox(state.deviceId, state.version).catch(() => {
            published.add(outboxKey(state.deviceId, state.version));
          });
        }
      }),
    );
    return { failed: new Set(result.failedDevices), sent: result.sent };
  }

  return async (readings: readonly Observed[]): Promise<DevicesOutcome> => {
    const groups = byDevice(readings);
    const failedIndices: number[] = [];
    const firstIndex = (deviceId: string, state?: DeviceState) => {
      const group = groups.get(deviceId) ?? [];
      return ((state ? freshReadings(state, group)[0] : undefined) ?? group[0])?.index ?? 0;
    };
    const empty = {
      stored: 0,
      alreadyProcessed: 0,
      opened: 0,
      closed: 0,
      reminders: 0,
      alertsSent: 0,
    };
    if (groups.size === 0) return { failedIndices, counts: empty };
    let states: Map<string, DeviceState>;
    try {
      states = await stateStore.readAll([...groups.keys()]);
    } catch {
      return { failedIndices: [...groups.keys()].map((id) => firstIndex(id)), counts: empty };
    }
    const stateOf = (id: string) => states.get(id) ?? emptyState(id);
    const fresh = [...groups].flatMap(([id, group]) => freshReadings(stateOf(id), group));
    const anomalies = uniqueAnomalies(fresh);
    const written = await anomalyStore.put(anomalies);
    const unstored = new Set(written.failed.map((anomaly) => anomaly.reading.deviceId));
    const committed = await Promise.all(
      [...groups].map(async ([id, group]) => ({
        id,
        result: unstored.has(id) ? ('failed' as const) : await commit(stateOf(id), group),
      })),
    );
    const toSend = committed.flatMap(({ result }) => (typeof result === 'object' ? [result] : []));
    const sent = await send(toSend);
    for (const { id, result } of committed) {
      if (result === 'failed' || sent.failed.has(id))
        failedIndices.push(firstIndex(id, states.get(id)));
    }
    const delivered = toSend.filter(({ state }) => !sent.failed.has(state.deviceId));
    return {
      failedIndices,
      counts: {
        stored: anomalies.length - written.failed.length,
        alreadyProcessed: readings.length - fresh.length,
        opened: countEvents(delivered, 'opened'),
        closed: countEvents(delivered, 'closed'),
        reminders: countEvents(delivered, 'reminder'),
        alertsSent: sent.sent,
      },
    };
  };
}
