import { classify, type AnomalyKind } from '../lambda/src/classify';
import type { Thresholds } from '../lambda/src/config';

/** One reading as the chart needs it (temperature already in °F). */
export interface ChartReading {
  readonly deviceId: string;
  readonly timestamp: string;
  readonly temperatureF: number;
}

/** A span of one device's readings outside the normal range, as DESIGN.md (Alerts) defines it. */
export interface Excursion {
  readonly deviceId: string;
  readonly kind: AnomalyKind;
  /** First and last anomalous reading of the excursion (ISO timestamps). */
  readonly start: string;
  readonly end: string;
  /** Highest temperature of a HOT excursion, lowest of a COLD one (°F). */
  readonly peakF: number;
  readonly anomalousReadings: number;
  /** Still open when the readings end: they had not yet been normal for the hold period. */
  readonly open: boolean;
}

/** The description each shaded span carries as its aria-label, so the SVG says what it shows. */
export function spanLabel(excursion: Excursion): string {
  return `${excursion.deviceId} ${excursion.kind} excursion ${excursion.start} to ${excursion.end}, peak ${excursion.peakF.toFixed(1)} °F`;
}

/** Default hold period: readings must stay normal this long before an excursion closes. */
export const PLACEHOLDER_HOLD_MS = 5 * 60_000;

/**
 * PLACEHOLDER until the detector's own excursions (issue 14) are in the `npm run local` report:
 * the excursions of a run recomputed from its readings with DESIGN.md's Alerts semantics. A
 * reading outside the normal range opens one; one of the other kind closes it and opens a new
 * one; it closes once the device's readings have been normal for `holdMs`.
 */
export function placeholderExcursions(
  readings: readonly ChartReading[],
  thresholds: Thresholds,
  holdMs = PLACEHOLDER_HOLD_MS,
): Excursion[] {
  const found: Excursion[] = [];
  for (const series of byDevice(readings).values()) {
    let current: Mutable<Excursion> | undefined;
    for (const reading of series) {
      const kind = classify(reading.temperatureF, thresholds);
      const at = Date.parse(reading.timestamp);
      if (current && (kind ? kind !== current.kind : at - Date.parse(current.end) >= holdMs)) {
        found.push({ ...current, open: false });
        current = undefined;
      }
      if (!kind) continue;
      if (!current) {
        current = {
          deviceId: reading.deviceId,
          kind,
          start: reading.timestamp,
          end: reading.timestamp,
          peakF: reading.temperatureF,
          anomalousReadings: 0,
          open: true,
        };
      }
      current.end = reading.timestamp;
      current.anomalousReadings += 1;
      current.peakF =
        kind === 'HOT'
          ? Math.max(current.peakF, reading.temperatureF)
          : Math.min(current.peakF, reading.temperatureF);
    }
    if (current) found.push(current);
  }
  return found;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Each device's readings in time order, devices in name order. */
export function byDevice(readings: readonly ChartReading[]): Map<string, ChartReading[]> {
  const devices = new Map<string, ChartReading[]>();
  for (const reading of readings) {
    const series = devices.get(reading.deviceId) ?? [];
    series.push(reading);
    devices.set(reading.deviceId, series);
  }
  for (const series of devices.values()) {
    series.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  }
  return new Map([...devices].sort(([a], [b]) => a.localeCompare(b)));
}
