import { excursionTable, downsample } from '../../../local-pipeline/report/chart-text';
import { spanEnd, spanLabel, type Excursion } from '../../../local-pipeline/report/excursions';

const START = Date.UTC(2026, 10, 21, 10);
const at = (second: number) => new Date(START + second * 1000).toISOString();

/** Two excursions as the report gives them (the detector's): one closed, one still open. */
const REPORTED: Excursion[] = [
  {
    deviceId: 'DHT-001',
    kind: 'HOT',
    start: at(1),
    end: at(9),
    peakF: 102,
    anomalousReadings: 1,
  },
  {
    deviceId: 'DHT-001',
    kind: 'COLD',
    start: at(12),
    end: undefined,
    peakF: 94.46,
    anomalousReadings: 2,
  },
];

describe('the shaded span of an excursion', () => {
  it('labels it with device, kind, start, end and peak, saying when it is still open', () => {
    expect(REPORTED.map(spanLabel)).toEqual([
      `DHT-001 HOT excursion ${at(1)} to ${at(9)}, peak 102.0 °F`,
      `DHT-001 COLD excursion ${at(12)} to the end of the run (still open), peak 94.5 °F`,
    ]);
  });

  it("ends at the reading that closed it, or at the device's last reading while open", () => {
    const series = [0, 12, 13, 20].map((second) => ({
      deviceId: 'DHT-001',
      timestamp: at(second),
      temperatureF: 98.6,
    }));

    expect(REPORTED.map((excursion) => spanEnd(excursion, series))).toEqual([at(9), at(20)]);
  });
});

describe('terminal output', () => {
  it('lists the excursions under the chart: start, end, kind, peak', () => {
    expect(excursionTable(REPORTED).split('\n')).toEqual([
      'device   kind  start                     end                       peak °F  readings',
      `DHT-001  HOT   ${at(1)}  ${at(9)}  102.0    1`,
      `DHT-001  COLD  ${at(12)}                            94.5     2         still open`,
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
