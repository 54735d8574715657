import { recommendBatching, type RecommendedBatching } from './batching';
import { monthlyCost, readingBytes, shardsFor, type Load, type MonthlyCost } from './capacity';

export interface Sizing {
  readonly devices: number;
  readonly rate: number;
  readonly load: Load;
  readonly shards: number;
  readonly batching: RecommendedBatching;
  readonly cost: MonthlyCost;
}

/** The stream, the detector's mapping and the monthly cost for `devices` at `rate` readings/s each. */
export function size(devices: number, rate: number): Sizing {
  const recordBytes = readingBytes(`DHT-${String(devices).padStart(3, '0')}`);
  const load = { recordsPerSecond: devices * rate, bytesPerSecond: devices * rate * recordBytes };
  const shards = shardsFor(load);
  const batching = recommendBatching(load, shards, devices);
  return {
    devices,
    rate,
    load,
    shards,
    batching,
    cost: monthlyCost(load, shards, batching.parallelizationFactor, recordBytes, batching),
  };
}
