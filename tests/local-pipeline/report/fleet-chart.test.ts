import { DEFAULT_THRESHOLDS } from '../../../lambda/src/config';
import {
  spanLabel,
  type ChartReading,
  type Excursion,
} from '../../../local-pipeline/report/excursions';
import { excursionsByDevice, fleetLines } from '../../../local-pipeline/report/fleet-text';
import { renderSvg } from './render-chart';
import { marksNamed, parseSvg } from './svg';

// `npm run local -- --devices 50`: the chart is a devices × time grid with the excursions
// outlined, rendered as npm run local renders it (bundled, in its own process: Vega is ESM only).
const START = Date.UTC(2026, 10, 21, 10);
const devices = Array.from({ length: 50 }, (_, i) => `DHT-${String(i + 1).padStart(3, '0')}`);
/** DHT-007 hot from second 5 to 9, DHT-031 cold from 12 to 14; the rest normal; 20 s each. */
const temperature = (device: string, second: number) =>
  device === 'DHT-007' && second >= 5 && second <= 9
    ? 103
    : device === 'DHT-031' && second >= 12 && second <= 14
      ? 94
      : 98.2;
const readings: ChartReading[] = devices.flatMap((deviceId) =>
  Array.from({ length: 20 }, (_, second) => ({
    deviceId,
    timestamp: new Date(START + second * 1000).toISOString(),
    temperatureF: temperature(deviceId, second),
  })),
);
const at = (second: number) => new Date(START + second * 1000).toISOString();
const excursions: Excursion[] = [
  { deviceId: 'DHT-007', kind: 'HOT', start: at(5), end: at(10), peakF: 103, anomalousReadings: 5 },
  {
    deviceId: 'DHT-031',
    kind: 'COLD',
    start: at(12),
    end: at(15),
    peakF: 94,
    anomalousReadings: 3,
  },
];

describe('the SVG chart of a fleet', () => {
  let svg: ReturnType<typeof parseSvg>;
  beforeAll(() => {
    svg = parseSvg(renderSvg(readings, excursions, DEFAULT_THRESHOLDS, 'render-fleet-chart-test'));
  }, 60_000);

  it('outlines each excursion on its device, labelled with what it is', () => {
    expect(marksNamed(svg, 'excursions').map((mark) => mark.label)).toEqual(
      excursions.map(spanLabel),
    );
  });

  it("draws a row of cells per device, a hot device's cells red and a cold one's blue", () => {
    const cells = marksNamed(svg, 'cells');
    const rows = new Set(cells.map((cell) => Math.round(cell.points[0]!.y)));
    expect(rows.size).toBe(50);
    const rowOf = (device: number) =>
      cells.filter(
        (cell) => Math.round(cell.points[0]!.y) === [...rows].sort((a, b) => a - b)[device],
      );
    const colours = (device: number) => new Set(rowOf(device).map((cell) => cell.fill));
    const rgb = (fill: string | undefined) => (fill ?? '').match(/\d+/g)?.map(Number) ?? [];
    const tint = (device: number) =>
      [...colours(device)].map(rgb).find(([r, , b]) => r !== b) ?? [];
    expect([...colours(0)]).toEqual(['rgb(247, 247, 247)']); // DHT-001: normal all along
    expect(colours(6).size).toBe(2); // DHT-007: normal, then hot
    expect(tint(6)[0]!).toBeGreaterThan(tint(6)[2]!); // red
    expect(colours(30).size).toBe(2); // DHT-031: normal, then cold
    expect(tint(30)[2]!).toBeGreaterThan(tint(30)[0]!); // blue
  });
});

describe('excursions per device', () => {
  it('lists every device, with or without excursions', () => {
    const counts = excursionsByDevice(readings, excursions);

    expect(Object.keys(counts)).toHaveLength(50);
    expect(counts).toMatchObject({ 'DHT-001': 0, 'DHT-007': 1, 'DHT-031': 1 });
    const lines = fleetLines(readings, excursions).split('\n');
    expect(lines).toHaveLength(50);
    expect(lines[6]).toBe('DHT-007      20 readings  1 excursion(s) (HOT 1, COLD 0)');
    expect(lines[0]).toBe('DHT-001      20 readings  0 excursion(s)');
  });
});
