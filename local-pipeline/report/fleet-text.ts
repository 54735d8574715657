import type { ChartReading, Excursion } from './excursions';

/** Every device of the run with its excursions counted (0 for a device that had none). */
export function excursionsByDevice(
  readings: readonly ChartReading[],
  excursions: readonly Excursion[],
): Record<string, number> {
  const counts = new Map<string, number>();
  for (const reading of readings) counts.set(reading.deviceId, 0);
  for (const excursion of excursions)
    counts.set(excursion.deviceId, (counts.get(excursion.deviceId) ?? 0) + 1);
  return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

/** A line per device: its readings and its excursions by kind, for a fleet in the terminal. */
export function fleetLines(
  readings: readonly ChartReading[],
  excursions: readonly Excursion[],
): string {
  const readingsOf = new Map<string, number>();
  for (const reading of readings)
    readingsOf.set(reading.deviceId, (readingsOf.get(reading.deviceId) ?? 0) + 1);
  const width = Math.max(6, ...[...readingsOf.keys()].map((device) => device.length));
  return Object.entries(excursionsByDevice(readings, excursions))
    .map(([device, count]) => {
      const own = excursions.filter((excursion) => excursion.deviceId === device);
      const kinds = (['HOT', 'COLD'] as const)
        .map((kind) => `${kind} ${own.filter((excursion) => excursion.kind === kind).length}`)
        .join(', ');
      return `${device.padEnd(width)}  ${String(readingsOf.get(device) ?? 0).padStart(6)} readings  ${count} excursion(s)${count ? ` (${kinds})` : ''}`;
    })
    .join('\n');
}
