import { ReadingModel } from '../../producer/src/model';

const temperatures = (seed: number, count: number, anomalyRate: number) => {
  const model = new ReadingModel('DHT-001', seed, anomalyRate);
  return Array.from(
    { length: count },
    (_, i) => model.next(Date.UTC(2026, 10, 21) + i * 1000).temperature,
  );
};

describe('reading model', () => {
  it('gives the same readings for the same seed', () => {
    expect(temperatures(7, 500, 0.1)).toEqual(temperatures(7, 500, 0.1));
    expect(temperatures(7, 500, 0.1)).not.toEqual(temperatures(8, 500, 0.1));
  });

  it('stays in the normal band without excursions', () => {
    const series = temperatures(1, 5000, 0);
    expect(Math.min(...series)).toBeGreaterThanOrEqual(96.8);
    expect(Math.max(...series)).toBeLessThanOrEqual(99.8);
  });

  it('walks slowly: consecutive normal readings differ by little', () => {
    const series = temperatures(3, 2000, 0);
    const steps = series.slice(1).map((value, i) => Math.abs(value - series[i]!));
    expect(Math.max(...steps)).toBeLessThan(0.6);
  });

  /** Runs of consecutive readings outside 96–101 °F, merging gaps of under 10 normal readings. */
  const excursionsIn = (series: number[]) => {
    const runs: { start: number; end: number; values: number[] }[] = [];
    series.forEach((value, i) => {
      if (value >= 96 && value <= 101) return;
      const last = runs.at(-1);
      if (last && i - last.end < 10) {
        last.end = i;
        last.values.push(value);
      } else runs.push({ start: i, end: i, values: [value] });
    });
    return runs;
  };

  it('by default makes a few excursions a day at one reading a second', () => {
    const model = new ReadingModel('DHT-001', 5);
    const day = Array.from(
      { length: 86_400 },
      (_, i) => model.next(Date.UTC(2026, 10, 21) + i * 1000).temperature,
    );
    const excursions = excursionsIn(day);
    expect(excursions.length).toBeGreaterThanOrEqual(1);
    expect(excursions.length).toBeLessThanOrEqual(12);
    const anomalous = day.filter((value) => value < 96 || value > 101).length;
    expect(anomalous / day.length).toBeLessThan(0.02);
  });

  it('makes fevers, chills and noise at the fever threshold, lasting half a minute to five', () => {
    const excursions = excursionsIn(temperatures(11, 200_000, 0.001));
    expect(excursions.length).toBeGreaterThan(60);
    expect(excursions.length).toBeLessThan(250);
    const kinds = new Set(
      excursions.map(({ values }) => {
        if (values.every((value) => value < 96)) return 'chill';
        if (values.every((value) => value <= 101.3)) return 'threshold noise';
        return 'fever';
      }),
    );
    expect(kinds).toEqual(new Set(['chill', 'threshold noise', 'fever']));
    // Two excursions can follow each other closely enough to count as one here.
    const short = excursions.filter(({ start, end }) => end - start < 305);
    expect(short.length / excursions.length).toBeGreaterThan(0.9);
    expect(Math.max(...excursions.map(({ start, end }) => end - start))).toBeGreaterThan(200);
  });

  it('never stamps two readings of a device with the same instant', () => {
    const model = new ReadingModel('DHT-001', 1, 0);
    const stamps = [0, 0, 0, 5, 2].map(
      (offset) => model.next(Date.UTC(2026, 10, 21) + offset).timestamp,
    );
    expect(stamps).toEqual([
      '2026-11-21T00:00:00.000Z',
      '2026-11-21T00:00:00.001Z',
      '2026-11-21T00:00:00.002Z',
      '2026-11-21T00:00:00.005Z',
      '2026-11-21T00:00:00.006Z',
    ]);
  });

  it('produces contract readings in °F with ISO-8601 UTC timestamps', () => {
    const reading = new ReadingModel('DHT-001', 1, 0).next(Date.UTC(2026, 10, 21, 10));
    expect(reading).toEqual({
      deviceId: 'DHT-001',
      timestamp: '2026-11-21T10:00:00.000Z',
      temperature: expect.any(Number),
      unit: 'F',
    });
  });
});
