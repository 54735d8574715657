import type { AnomalyKind } from './classify';
import type { DeviceState } from './device-state';
import { advance, type Advanced, type ExcursionEvent, type ExcursionSettings } from './excursion';
import type { Reading } from './reading';

/**
 * A decoded reading of the batch, with its kind and where it came from (for checkpointing). One
 * object a record, not a reading inside another: a batch holds thousands while it groups them by
 * device, and each object more it keeps costs the garbage collector a tenth of a microsecond.
 */
export interface Observed extends Reading {
  readonly kind: AnomalyKind | undefined;
  readonly sequenceNumber: string;
  /** Position of its record in the batch. */
  readonly index: number;
}

/**
 * Longer than an invocation can run (the function's timeout is 60 s): until then an outbox is
 * its writer's to publish; after it, the writer is gone and the next invocation publishes it.
 */
export const OUTBOX_LEASE_MS = 120_000;

/** Kinesis sequence numbers are decimal strings of up to 128 digits: longer is later. */
export function sequenceAfter(a: string, b: string | undefined): boolean {
  if (b === undefined) return true;
  return a.length !== b.length ? a.length > b.length : a > b;
}

/** The readings not yet folded into the device's state, in stream order. */
export const freshReadings = (state: DeviceState, readings: readonly Observed[]): Observed[] =>
  readings.filter((observed) => sequenceAfter(observed.sequenceNumber, state.lastSequenceNumber));

export type Plan =
  /** Nothing to write or send. */
  | { readonly type: 'unchanged' }
  /** Another invocation holds an unsent message for this device: try these readings later. */
  | { readonly type: 'blocked' }
  /** `happened`: what these readings did to the excursions, told or not (for the metrics). */
  | {
      readonly type: 'write';
      readonly next: DeviceState;
      readonly happened: readonly ExcursionEvent[];
    };

export interface PlanContext {
  readonly settings: ExcursionSettings;
  readonly now: number;
  /** Outboxes this container saw SNS accept but could not clear (`deviceId\0version`). */
  readonly published: ReadonlySet<string>;
}

export const outboxKey = (deviceId: string, version: number): string =>
  `${deviceId}\u0000${version}`;

/**
 * What to do for one device: fold its fresh readings into its excursions, and put whatever
 * must be said, with any message a failed invocation left unsent, into the new state's outbox.
 */
export function planDevice(
  state: DeviceState,
  fresh: readonly Observed[],
  context: PlanContext,
): Plan {
  const { outbox } = state;
  const alreadySent =
    outbox !== undefined && context.published.has(outboxKey(state.deviceId, outbox.version));
  const heldByOther = outbox !== undefined && !alreadySent && outbox.leasedUntil > context.now;
  const carried = outbox && !alreadySent && !heldByOther ? outbox.events : [];
  const { advanced, excursionsChanged } = advanceDevice(state, fresh, context.settings);
  const told = context.settings.alertOnClose
    ? advanced.events
    : advanced.events.filter((event) => event.type !== 'closed');
  if (heldByOther) {
    return excursionsChanged || told.length > 0 ? { type: 'blocked' } : { type: 'unchanged' };
  }
  const events: ExcursionEvent[] = [...carried, ...told];
  if (!excursionsChanged && events.length === 0 && !outbox) return { type: 'unchanged' };
  const version = state.version + 1;
  return {
    type: 'write',
    happened: advanced.events,
    next: {
      deviceId: state.deviceId,
      version,
      lastSequenceNumber: fresh.at(-1)?.sequenceNumber ?? state.lastSequenceNumber,
      open: advanced.excursions.open,
      recent: advanced.excursions.recent,
      outbox:
        events.length > 0
          ? { events, version, leasedUntil: context.now + OUTBOX_LEASE_MS }
          : undefined,
    },
  };
}

/**
 * A device with nothing open and nothing unsent, whose readings are all normal: nothing to fold
 * in, write or send. Most devices of a fleet in most batches; answered without planning.
 */
export const isQuiet = (state: DeviceState, readings: readonly Observed[]): boolean =>
  !state.open && !state.outbox && !readings.some(({ kind }) => kind);

/**
 * The device's excursions after its fresh readings. Readings that open nothing on a device with
 * nothing open change nothing, answered without copying them.
 */
function advanceDevice(
  state: DeviceState,
  fresh: readonly Observed[],
  settings: ExcursionSettings,
): { advanced: Advanced; excursionsChanged: boolean } {
  const before = { open: state.open, recent: state.recent };
  if (!state.open && !fresh.some(({ kind }) => kind))
    return { advanced: { excursions: before, events: [] }, excursionsChanged: false };
  const advanced = advance(before, fresh, settings);
  const excursionsChanged = JSON.stringify(advanced.excursions) !== JSON.stringify(before);
  return { advanced, excursionsChanged };
}
