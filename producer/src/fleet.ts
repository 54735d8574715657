import { readingBytes } from '../../sizing/src/capacity';
import type { ProducerConfig } from './config';
import { ReadingModel, type Reading } from './model';

/** `<prefix><n>`, n zero-padded to at least 3 digits: DHT-001 … DHT-999, DHT-1000 … */
export function deviceName(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(3, '0')}`;
}

/** The ids of the configured devices, in their order on the wire within a round. */
export function deviceIds(
  config: Pick<ProducerConfig, 'deviceId' | 'devices' | 'devicePrefix'>,
): string[] {
  const { devicePrefix } = config;
  if (devicePrefix === undefined) return [config.deviceId];
  return Array.from({ length: config.devices }, (_, i) => deviceName(devicePrefix, i + 1));
}

/**
 * Device n's seed: the run's seed itself for the first device (so one device named by
 * --device-id or DHT-001 of a fleet gives today's readings), a well-mixed one for the others so
 * their excursions fall at different times.
 */
export function deviceSeed(seed: number, index: number): number {
  if (index === 0) return seed >>> 0;
  let z = (seed + Math.imul(index, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * Every device's model, each with its own seed-derived randomness and excursions. A round is one
 * reading of every device; `next` walks the rounds device by device, so consecutive readings are
 * of different devices (which lets a PutRecords call carry up to 500 of them, one each).
 */
export class Fleet {
  private readonly models: ReadingModel[];
  private position = 0;
  readonly first: string | undefined;
  readonly last: string | undefined;
  /** Bytes of the fleet's largest record (reading and partition key), for capacity checks. */
  readonly recordBytes: number;

  constructor(ids: readonly string[], seed: number, anomalyRate: number) {
    this.models = ids.map(
      (id, index) => new ReadingModel(id, deviceSeed(seed, index), anomalyRate),
    );
    this.first = ids[0];
    this.last = ids.at(-1);
    this.recordBytes = readingBytes(this.last ?? '');
  }

  get size(): number {
    return this.models.length;
  }

  /** True when the next reading starts a new round (the pacing point). */
  get atRoundStart(): boolean {
    return this.position === 0;
  }

  next(timestampMs: number): Reading {
    const model = this.models[this.position];
    if (!model) throw new Error('a fleet has at least one device');
    const reading = model.next(timestampMs);
    this.position = (this.position + 1) % this.models.length;
    return reading;
  }
}
