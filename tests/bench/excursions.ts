import { seededRandom } from '../../producer/src/model';

/** A reading as the producer sends it. */
export interface BenchReading {
  readonly deviceId: string;
  readonly timestamp: string;
  readonly temperature: number;
  readonly unit: 'F';
}

/**
 * One kind of excursion a patient's readings show: its temperatures, one a second, and how many
 * excursions (as the design defines them: open on leaving the normal range, a reading of the
 * other kind opens a new one, close after a hold of a few minutes of normal readings) it is.
 */
interface Shape {
  readonly name: string;
  readonly excursions: number;
  readonly temperatures: (random: () => number) => number[];
}

const seconds = (count: number, at: (second: number) => number) =>
  Array.from({ length: count }, (_, second) => Math.round(at(second) * 10) / 10);

const SHAPES: readonly Shape[] = [
  { name: 'a 3-second spike', excursions: 1, temperatures: () => seconds(3, () => 102.3) },
  {
    name: 'a 2-minute fever',
    excursions: 1,
    temperatures: (random) => seconds(120, () => 102.2 + random()),
  },
  {
    name: '3 minutes of noise across 101 °F',
    excursions: 1,
    temperatures: (random) => seconds(180, () => 100.6 + random()),
  },
  {
    name: 'a 3-minute fever that dips to normal for 5 s every 45 s',
    excursions: 1,
    temperatures: () => seconds(180, (second) => (second % 45 >= 40 ? 99.6 : 102.6)),
  },
  { name: 'a 2-minute cold', excursions: 1, temperatures: () => seconds(120, () => 95.1) },
  {
    name: 'a fever turning straight into a cold (40 s each)',
    excursions: 2,
    temperatures: () => seconds(80, (second) => (second < 40 ? 102.1 : 95.3)),
  },
];

export interface ExcursionRun {
  readonly readings: BenchReading[];
  readonly excursions: number;
  /** Readings outside 96–101 °F: what the seeds' design stores and e-mails one by one. */
  readonly anomalous: number;
  readonly shapes: readonly string[];
}

/** Eight hours of one device at 1 Hz: normal readings, with each shape once, an hour or more apart. */
export function eightHourRun(deviceId = 'DHT-001'): ExcursionRun {
  const random = seededRandom(17);
  const total = 8 * 3600;
  const starts = new Map(SHAPES.map((shape, i) => [1800 + i * 4200, shape]));
  const temperatures: number[] = [];
  while (temperatures.length < total) {
    const shape = starts.get(temperatures.length);
    if (shape) temperatures.push(...shape.temperatures(random));
    else temperatures.push(Math.round((98.2 + (random() - 0.5) * 1.2) * 10) / 10);
  }
  const start = Date.UTC(2026, 10, 21, 8);
  const readings = temperatures.slice(0, total).map((temperature, second) => ({
    deviceId,
    timestamp: new Date(start + second * 1000).toISOString(),
    temperature,
    unit: 'F' as const,
  }));
  return {
    readings,
    excursions: SHAPES.reduce((count, shape) => count + shape.excursions, 0),
    anomalous: readings.filter((reading) => reading.temperature < 96 || reading.temperature > 101)
      .length,
    shapes: SHAPES.map((shape) => shape.name),
  };
}
