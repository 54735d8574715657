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

  it('makes cold and fever excursions at about the anomaly rate', () => {
    const series = temperatures(11, 20_000, 0.02);
    const cold = series.filter((value) => value < 96).length;
    const hot = series.filter((value) => value > 101).length;
    // Each excursion lasts 3-8 readings: about 0.02 × 20,000 × 5.5 / (1 + 0.02 × 5.5) ≈ 2,000 in all.
    expect(cold + hot).toBeGreaterThan(1200);
    expect(cold + hot).toBeLessThan(3000);
    expect(cold).toBeGreaterThan(300);
    expect(hot).toBeGreaterThan(300);
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
