import type { AnomalyKind } from '../../lambda/src/classify';

/** An excursion as the report lists it. */
export interface ExcursionLine {
  deviceId: string;
  kind: AnomalyKind;
  start: string;
  /** Undefined while it is still open. */
  end: string | undefined;
  peakF: number;
  anomalousReadings: number;
}

/** One reading as the chart needs it (temperature already in °F). */
export interface ChartReading {
  readonly deviceId: string;
  readonly timestamp: string;
  readonly temperatureF: number;
}

/**
 * An excursion as the `npm run local` report gives it: the detector's own, read from each
 * device's state item (report.ts). `end` is the reading that closed it; undefined while open.
 */
export type Excursion = ExcursionLine;

/** The description each shaded span carries as its aria-label, so the SVG says what it shows. */
export function spanLabel(excursion: Excursion): string {
  const end = excursion.end ?? 'the end of the run (still open)';
  return `${excursion.deviceId} ${excursion.kind} excursion ${excursion.start} to ${end}, peak ${excursion.peakF.toFixed(1)} °F`;
}

/** Where a span is shaded to: the reading that closed it, else the device's last reading. */
export function spanEnd(excursion: Excursion, series: readonly ChartReading[]): string {
  return excursion.end ?? series.at(-1)?.timestamp ?? excursion.start;
}

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
