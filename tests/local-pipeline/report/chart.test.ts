import { DEFAULT_THRESHOLDS } from '../../../lambda/src/config';
import { terminalChart } from '../../../local-pipeline/report/chart-text';
import {
  spanLabel,
  type ChartReading,
  type Excursion,
} from '../../../local-pipeline/report/excursions';
import { renderSvg } from './render-chart';
import { marksNamed, parseSvg } from './svg';

const START = Date.UTC(2026, 10, 21, 10);
const reading = (deviceId: string, second: number, temperatureF: number): ChartReading => ({
  deviceId,
  timestamp: new Date(START + second * 1000).toISOString(),
  temperatureF,
});

/** DHT-001: a fever from second 20 to 35 that dips once, a one-reading chill at 70; DHT-002: normal. */
const KNOWN_RUN: ChartReading[] = [
  ...Array.from({ length: 90 }, (_, s) => {
    const fever = s >= 20 && s <= 35 && s !== 28 ? 102.5 + (s === 30 ? 1.4 : 0) : 98.6;
    return reading('DHT-001', s, s === 70 ? 94.8 : fever);
  }),
  ...Array.from({ length: 45 }, (_, i) => reading('DHT-002', i * 2, 98.2 + (i % 3) * 0.3)),
];

/** DHT-001's excursions as the detector reports them: the fever closed by the reading at 36, the chill still open. */
const REPORTED: Excursion[] = [
  {
    deviceId: 'DHT-001',
    kind: 'HOT',
    start: KNOWN_RUN[20]!.timestamp,
    end: KNOWN_RUN[36]!.timestamp,
    peakF: 103.9,
    anomalousReadings: 15,
  },
  {
    deviceId: 'DHT-001',
    kind: 'COLD',
    start: KNOWN_RUN[70]!.timestamp,
    end: undefined,
    peakF: 94.8,
    anomalousReadings: 1,
  },
];

describe('the SVG chart of a run', () => {
  const excursions = REPORTED;
  let svg: ReturnType<typeof parseSvg>;
  beforeAll(() => {
    svg = parseSvg(renderSvg(KNOWN_RUN, excursions, DEFAULT_THRESHOLDS, 'render-chart-test'));
  }, 60_000);

  it("shades exactly the device's excursions, each labelled and coloured by kind", () => {
    const spans = marksNamed(svg, 'excursions_0');

    expect(spans.map(({ label, fill }) => [label, fill])).toEqual([
      [spanLabel(excursions[0]!), '#d62728'],
      [spanLabel(excursions[1]!), '#1f77b4'],
    ]);
    expect(marksNamed(svg, 'excursions_1')).toEqual([]);
  });

  it("spans each shaded area from its start to its end, an open one to the device's last reading", () => {
    // The readings line has one vertex per reading, in time order.
    const [line] = marksNamed(svg, 'readings_0');
    const device = KNOWN_RUN.filter((r) => r.deviceId === 'DHT-001');
    const xOf = (timestamp: string) =>
      line!.points[device.findIndex((r) => r.timestamp === timestamp)]!.x;

    const spans = marksNamed(svg, 'excursions_0');

    spans.forEach((span, i) => {
      const xs = span.points.map((point) => point.x);
      // Every span is widened by SPAN_PADDING_PX (1.5) each side so a one-reading one shows.
      expect(Math.min(...xs) + 1.5).toBeCloseTo(xOf(excursions[i]!.start), 2);
      expect(Math.max(...xs) - 1.5).toBeCloseTo(
        xOf(excursions[i]!.end ?? device.at(-1)!.timestamp),
        2,
      );
    });
  });

  it('draws both thresholds at their temperatures on the readings scale', () => {
    // Two readings of known temperature fix the linear y scale: y = y0 + (t - t0) * slope.
    const [line] = marksNamed(svg, 'readings_0');
    const normal = line!.points[0]!; // 98.6 °F
    const fever = line!.points[20]!; // 102.5 °F
    const yOf = (t: number) => normal.y + ((t - 98.6) * (fever.y - normal.y)) / (102.5 - 98.6);

    const rules = marksNamed(svg, 'thresholds_0');

    expect(rules.map((rule) => rule.label)).toEqual(['COLD below 96 °F', 'HOT above 101 °F']);
    expect(rules[0]!.points[0]!.y).toBeCloseTo(yOf(96), 1);
    expect(rules[1]!.points[0]!.y).toBeCloseTo(yOf(101), 1);
    expect(marksNamed(svg, 'readings_1')[0]!.points).toHaveLength(45);
  });

  it('refuses a document that is not well-formed', () => {
    expect(() => parseSvg('<svg><g></svg>')).toThrow("Expected closing tag 'g'");
  });
});

describe('the terminal chart', () => {
  it('draws one chart per device with the readings and both thresholds', () => {
    const text = terminalChart(KNOWN_RUN, DEFAULT_THRESHOLDS, { width: 40, height: 6 });

    const charts = text.split('\n\n');
    expect(charts.map((chart) => chart.split('\n')[0])).toEqual([
      `DHT-001 (90 readings, ${KNOWN_RUN[0]!.timestamp} → ${KNOWN_RUN[89]!.timestamp})`,
      `DHT-002 (45 readings, ${KNOWN_RUN[90]!.timestamp} → ${KNOWN_RUN[134]!.timestamp})`,
    ]);
    const firstAxis = charts[0]!.split('\n').map((line) => line.slice(0, 11).trim());
    expect(firstAxis[1]).toBe('103.9 °F');
    expect(firstAxis.at(-1)).toBe('94.8 °F');
  });
});
