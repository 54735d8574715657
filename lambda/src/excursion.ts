import type { AnomalyKind } from './classify';

/**
 * A device's excursions out of the normal range, as a pure state machine. An excursion opens
 * on the first COLD or HOT reading, stays open through readings of its kind and through normal
 * readings shorter than the hold period (noise at a threshold, a fever dipping for a few
 * seconds), and closes once the readings have been normal for the hold period. A reading of
 * the other kind closes it and opens one of that kind. Times are the readings' own timestamps,
 * so the same readings always give the same excursions, however late they are processed.
 */

export interface ExcursionSettings {
  /** Normal readings must span this long (ms) before an open excursion closes. */
  readonly holdMs: number;
  /** At most one reminder this often (ms) while an excursion stays open. */
  readonly reminderMs: number;
  /** Whether a message goes out when an excursion closes. */
  readonly alertOnClose: boolean;
}

export const DEFAULT_EXCURSION_SETTINGS: ExcursionSettings = {
  holdMs: 300_000,
  reminderMs: 3_600_000,
  alertOnClose: true,
};

export interface OpenExcursion {
  readonly kind: AnomalyKind;
  /** Timestamp and °F of the reading that opened it. */
  readonly startedAt: string;
  readonly firstF: number;
  /** The reading furthest from normal: highest for HOT, lowest for COLD. */
  readonly peakF: number;
  readonly count: number;
  readonly lastAnomalyAt: string;
  /** First normal reading since the last anomalous one, while the hold period runs. */
  readonly normalSince?: string;
  /** When the device's people were last told (opening or reminder), in reading time. */
  readonly notifiedAt: string;
}

export interface ClosedExcursion {
  readonly kind: AnomalyKind;
  readonly startedAt: string;
  /** The first reading of the normal run that closed it. */
  readonly endedAt: string;
  readonly peakF: number;
  readonly count: number;
}

export type ExcursionEvent =
  | { readonly type: 'opened'; readonly excursion: OpenExcursion }
  | {
      readonly type: 'reminder';
      readonly excursion: OpenExcursion;
      readonly latestF: number;
      readonly latestAt: string;
    }
  | { readonly type: 'closed'; readonly excursion: ClosedExcursion };

/** One reading as the state machine sees it. */
export interface Observation {
  readonly timestamp: string;
  readonly temperatureF: number;
  readonly kind: AnomalyKind | undefined;
}

/** Closed excursions kept on the device's state item, newest last (for people and reports). */
export const RECENT_EXCURSIONS_KEPT = 10;

export interface Excursions {
  readonly open: OpenExcursion | undefined;
  readonly recent: readonly ClosedExcursion[];
}

export interface Advanced {
  readonly excursions: Excursions;
  readonly events: ExcursionEvent[];
}

const millis = (timestamp: string): number => Date.parse(timestamp);

function opened(reading: Observation, kind: AnomalyKind): OpenExcursion {
  return {
    kind,
    startedAt: reading.timestamp,
    firstF: reading.temperatureF,
    peakF: reading.temperatureF,
    count: 1,
    lastAnomalyAt: reading.timestamp,
    notifiedAt: reading.timestamp,
  };
}

function closed(open: OpenExcursion, endedAt: string): ClosedExcursion {
  return {
    kind: open.kind,
    startedAt: open.startedAt,
    endedAt,
    peakF: open.peakF,
    count: open.count,
  };
}

function further(kind: AnomalyKind, a: number, b: number): number {
  return kind === 'HOT' ? Math.max(a, b) : Math.min(a, b);
}

/** The open excursion after one more reading, or the closed one if this reading closes it. */
function step(
  open: OpenExcursion,
  reading: Observation,
  settings: ExcursionSettings,
): OpenExcursion | ClosedExcursion {
  if (reading.kind === open.kind) {
    return {
      kind: open.kind,
      startedAt: open.startedAt,
      firstF: open.firstF,
      notifiedAt: open.notifiedAt,
      peakF: further(open.kind, open.peakF, reading.temperatureF),
      count: open.count + 1,
      lastAnomalyAt: reading.timestamp,
    };
  }
  const normalSince = open.normalSince ?? reading.timestamp;
  if (millis(reading.timestamp) - millis(normalSince) >= settings.holdMs) {
    return closed(open, normalSince);
  }
  return open.normalSince ? open : { ...open, normalSince };
}

/** Folds the readings (in stream order) into the device's excursions; returns what people are told. */
export function advance(
  start: Excursions,
  readings: readonly Observation[],
  settings: ExcursionSettings,
): Advanced {
  let open = start.open;
  const recent = [...start.recent];
  const events: ExcursionEvent[] = [];
  const close = (excursion: ClosedExcursion) => {
    recent.push(excursion);
    events.push({ type: 'closed', excursion });
    open = undefined;
  };
  for (const reading of readings) {
    if (!open) {
      if (reading.kind) {
        open = opened(reading, reading.kind);
        events.push({ type: 'opened', excursion: open });
      }
      continue;
    }
    if (reading.kind && reading.kind !== open.kind) {
      close(closed(open, reading.timestamp));
      open = opened(reading, reading.kind);
      events.push({ type: 'opened', excursion: open });
      continue;
    }
    const next = step(open, reading, settings);
    if (!('lastAnomalyAt' in next)) {
      close(next);
      continue;
    }
    open = next;
    if (millis(reading.timestamp) - millis(open.notifiedAt) >= settings.reminderMs) {
      open = { ...open, notifiedAt: reading.timestamp };
      events.push({
        type: 'reminder',
        excursion: open,
        latestF: reading.temperatureF,
        latestAt: reading.timestamp,
      });
    }
  }
  return {
    excursions: { open, recent: recent.slice(-RECENT_EXCURSIONS_KEPT) },
    events,
  };
}
