import { ReadingModel, seededRandom } from '../../producer/src/model';

// "Same --seed, same readings": the temperatures a seed gives are pinned here, so a change to
// the walk, the excursions' shapes, targets, noise or lengths changes what a user's seed replays.
const series = (seed: number, anomalyRate: number, count: number) => {
  const model = new ReadingModel('DHT-001', seed, anomalyRate);
  return Array.from({ length: count }, (_, i) => model.next(i * 1000).temperature);
};

describe('the readings a seed gives', () => {
  it('walks around 98.2 °F in steps of a tenth or two without excursions (seed 42)', () => {
    expect(series(42, 0, 12)).toEqual([
      98.2, 98.2, 98.2, 98.3, 98.3, 98.4, 98.3, 98.3, 98.3, 98.3, 98.1, 98,
    ]);
  });

  it('keeps the walk near 98.2 °F over minutes (seed 42, every 25th of 400 readings)', () => {
    expect(series(42, 0, 400).filter((_, i) => i % 25 === 0)).toEqual([
      98.2, 98.1, 98.2, 98.1, 98.3, 98, 98.4, 98.3, 98.1, 98.2, 98.6, 98.4, 98.1, 98.2, 98, 98.4,
    ]);
  });

  it.each([
    [0, 'a fever', [101.9, 102, 102]],
    [4, 'a chill', [92.7, 92.8, 92.6]],
    [8, 'noise at the fever threshold', [101.1, 101, 101.2, 100.9, 101.1, 100.8]],
  ])('seed %d starts %s at once at anomaly rate 1', (seed, _shape, start) => {
    expect(series(seed, 1, start.length)).toEqual(start);
  });

  it('dips a fever back to normal for readings 55 to 59 of every 60 (seed 5)', () => {
    expect(series(5, 1, 62).slice(53)).toEqual([
      103.3, 103.6, 98, 98.1, 98.3, 98.1, 98.3, 103.2, 103.2,
    ]);
  });

  it('ends an excursion after its length, 89 readings for seed 5, and starts the next', () => {
    // Readings 86-88 are the dipping fever; 89 starts a chill.
    expect(series(5, 1, 94).slice(86)).toEqual([103.5, 103.4, 103.3, 93.7, 93.7, 93.4, 93.7, 93.7]);
  });
});

describe('the limits of the anomaly rate and of an excursion', () => {
  const normal = (temperature: number) => temperature >= 96.8 && temperature <= 99.8;

  it.each([
    [50728, 'a chill', 30],
    [70564, 'a fever', 300],
  ])(
    'seed %d starts %s that lasts %d readings, half a minute to five (anomaly rate 0.01)',
    (seed, _shape, length) => {
      const readings = series(seed, 0.01, 320);

      expect(readings.findIndex(normal)).toBe(length);
      expect(readings.slice(length, length + 10).every(normal)).toBe(true);
    },
  );

  it('never starts an excursion at anomaly rate 0, even when the seed draws exactly 0', () => {
    // Seed 2463401483 (2^32 - 0x6d2b79f5) makes the generator's first number exactly 0: the
    // draw that decides whether a reading starts an excursion.
    expect(seededRandom(2463401483)()).toBe(0);

    expect(series(2463401483, 0, 60).every(normal)).toBe(true);
  });
});
