import { DEFAULT_THRESHOLDS } from '../../lambda/src/config';
import { excursionTable, downsample } from '../../local-pipeline/chart-text';
import {
  placeholderExcursions,
  spanLabel,
  type ChartReading,
} from '../../local-pipeline/excursions';

const START = Date.UTC(2026, 10, 21, 10);
/** One reading a second: `temperatures[i]` at START + i seconds. */
const series = (temperatures: number[], deviceId = 'DHT-001'): ChartReading[] =>
  temperatures.map((temperatureF, i) => ({
    deviceId,
    timestamp: new Date(START + i * 1000).toISOString(),
    temperatureF,
  }));
const at = (second: number) => new Date(START + second * 1000).toISOString();

describe('placeholder excursions (DESIGN.md Alerts semantics)', () => {
  it('keeps a fever that dips below the threshold for a few seconds as one excursion', () => {
    const readings = series([98, 102, 103.5, 100, 100, 102.5, 99, 98]);

    const found = placeholderExcursions(readings, DEFAULT_THRESHOLDS, 60_000);

    expect(found).toEqual([
      {
        deviceId: 'DHT-001',
        kind: 'HOT',
        start: at(1),
        end: at(5),
        peakF: 103.5,
        anomalousReadings: 3,
        open: true,
      },
    ]);
  });

  it('closes an excursion once the readings have been normal for the hold period', () => {
    const readings = series([102, 98, 98, 98, 102]);

    const found = placeholderExcursions(readings, DEFAULT_THRESHOLDS, 3_000);

    expect(found.map(({ start, end, open }) => [start, end, open])).toEqual([
      [at(0), at(0), false],
      [at(4), at(4), true],
    ]);
  });

  it('opens a new excursion when a reading of the other kind arrives, keeping the lowest COLD peak', () => {
    const readings = series([102, 95, 94.2, 95.5]);

    const found = placeholderExcursions(readings, DEFAULT_THRESHOLDS);

    expect(found.map(({ kind, peakF, open }) => [kind, peakF, open])).toEqual([
      ['HOT', 102, false],
      ['COLD', 94.2, true],
    ]);
  });

  it('follows each device on its own, whatever order the readings come in', () => {
    const readings = [...series([98, 103], 'DHT-002'), ...series([103, 98], 'DHT-001')].reverse();

    const found = placeholderExcursions(readings, DEFAULT_THRESHOLDS);

    expect(found.map(({ deviceId, start }) => [deviceId, start])).toEqual([
      ['DHT-001', at(0)],
      ['DHT-002', at(1)],
    ]);
  });

  it('labels a span with device, kind, start, end and peak', () => {
    const [excursion] = placeholderExcursions(series([103.26]), DEFAULT_THRESHOLDS);

    expect(spanLabel(excursion!)).toBe(`DHT-001 HOT excursion ${at(0)} to ${at(0)}, peak 103.3 °F`);
  });
});

describe('terminal output', () => {
  it('lists the excursions under the chart: start, end, kind, peak', () => {
    const found = placeholderExcursions(series([98, 102, 94.5]), DEFAULT_THRESHOLDS);

    expect(excursionTable(found).split('\n')).toEqual([
      'device   kind  start                     end                       peak °F  readings',
      `DHT-001  HOT   ${at(1)}  ${at(1)}  102.0    1`,
      `DHT-001  COLD  ${at(2)}  ${at(2)}  94.5     1         still open`,
    ]);
    expect(excursionTable([])).toBe('No excursions: every reading stayed in the normal range.');
  });

  it('keeps a one-reading spike when it shrinks a series to the terminal width', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i === 537 ? 104 : 98.6));

    const shrunk = downsample(values, 50);

    expect(shrunk).toHaveLength(50);
    expect(shrunk.filter((value) => value === 104)).toHaveLength(1);
  });
});
