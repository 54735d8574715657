import { plot } from 'asciichart';
import type { Thresholds } from '../../lambda/src/config';
import { byDevice, type ChartReading, type Excursion } from './excursions';

/**
 * The terminal side of the charts: a compact line chart per device (asciichart) and the
 * excursions listed under it. Kept apart from chart.ts so it loads without Vega.
 */

/** A compact line chart per device for the terminal, the thresholds as flat lines. */
export function terminalChart(
  readings: readonly ChartReading[],
  thresholds: Thresholds,
  options: { width?: number; height?: number } = {},
): string {
  const width = options.width ?? 72;
  return [...byDevice(readings)]
    .map(([deviceId, series]) => {
      const temperatures = downsample(
        series.map((reading) => reading.temperatureF),
        width,
      );
      const flat = (value: number) => temperatures.map(() => value);
      const lines = plot([temperatures, flat(thresholds.coldBelowF), flat(thresholds.hotAboveF)], {
        height: options.height ?? 8,
        format: (value: number) => `${value.toFixed(1).padStart(6)} °F `,
      });
      return `${deviceId} (${series.length} readings, ${series[0]?.timestamp} → ${series.at(-1)?.timestamp})\n${lines}`;
    })
    .join('\n\n');
}

/**
 * At most `width` points: each the reading farthest from normal in its slice, so a short
 * excursion still shows as a spike instead of being averaged away.
 */
export function downsample(values: readonly number[], width: number): number[] {
  if (values.length <= width) return [...values];
  const mid = values.reduce((sum, value) => sum + value, 0) / values.length;
  return Array.from({ length: width }, (_, i) => {
    const slice = values.slice(
      Math.floor((i * values.length) / width),
      Math.floor(((i + 1) * values.length) / width),
    );
    return slice.reduce((far, value) =>
      Math.abs(value - mid) > Math.abs(far - mid) ? value : far,
    );
  });
}

/** The excursions as a table: device, kind, start, end, peak, anomalous readings. */
export function excursionTable(excursions: readonly Excursion[]): string {
  if (excursions.length === 0) return 'No excursions: every reading stayed in the normal range.';
  const header = ['device', 'kind', 'start', 'end', 'peak °F', 'readings', ''];
  const rows = excursions.map((excursion) => [
    excursion.deviceId,
    excursion.kind,
    excursion.start,
    excursion.end ?? '',
    excursion.peakF.toFixed(1),
    String(excursion.anomalousReadings),
    excursion.end === undefined ? 'still open' : '',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
