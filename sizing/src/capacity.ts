import { FIXED_PRICES, HOURS_PER_MONTH, PRICES } from './prices';

/** Kinesis' documented write limit of one shard: 1,000 records or 1 MiB a second. */
export const SHARD_WRITE_LIMIT = { recordsPerSecond: 1000, bytesPerSecond: 1024 * 1024 } as const;
/** What a new on-demand stream takes before it has adapted (it scales to twice its peak). */
export const ON_DEMAND_INITIAL_LIMIT = {
  recordsPerSecond: 4000,
  bytesPerSecond: 4 * 1024 * 1024,
} as const;
/** A PUT payload unit: every record is at least one, each further 25 KB another. */
const PAYLOAD_UNIT_BYTES = 25 * 1024;
/** The most a stack's parameters allow: the event source mapping's concurrent batches per shard. */
export const MAX_PARALLELIZATION_FACTOR = 10;

/** A representative reading as the producer sends it (its partition key is the device id). */
export function readingBytes(deviceId: string): number {
  const reading = { deviceId, timestamp: '2026-11-21T10:00:00.000Z', temperature: 98.6, unit: 'F' };
  return Buffer.byteLength(JSON.stringify(reading)) + Buffer.byteLength(deviceId);
}

export interface Load {
  readonly recordsPerSecond: number;
  readonly bytesPerSecond: number;
}

/** Shards a provisioned stream needs for the load (at least one). */
export function shardsFor(load: Load): number {
  return Math.max(
    1,
    Math.ceil(load.recordsPerSecond / SHARD_WRITE_LIMIT.recordsPerSecond),
    Math.ceil(load.bytesPerSecond / SHARD_WRITE_LIMIT.bytesPerSecond),
  );
}

export interface MonthlyCost {
  readonly shardHours: number;
  readonly extendedRetention: number;
  readonly putPayloadUnits: number;
  readonly lambdaRequests: number;
  readonly producerInstance: number;
  readonly total: number;
}

/**
 * A month of the stream, its invocations and the producer instance at list prices. Lambda
 * invokes each concurrent batch of a shard once a batching window, or sooner when the batch fills.
 */
export function monthlyCost(
  load: Load,
  shards: number,
  factor: number,
  recordBytes: number,
  batching: { readonly batchSize: number; readonly windowSeconds: number },
): MonthlyCost {
  const seconds = HOURS_PER_MONTH * 3600;
  const unitsPerRecord = Math.max(1, Math.ceil(recordBytes / PAYLOAD_UNIT_BYTES));
  const invocationsPerSecond = Math.max(
    (shards * factor) / Math.max(1, batching.windowSeconds),
    load.recordsPerSecond / batching.batchSize,
  );
  const parts = {
    shardHours: shards * HOURS_PER_MONTH * FIXED_PRICES.kinesisShardHour.dollars,
    extendedRetention:
      shards * HOURS_PER_MONTH * FIXED_PRICES.kinesisExtendedRetentionShardHour.dollars,
    putPayloadUnits:
      load.recordsPerSecond * seconds * unitsPerRecord * PRICES.kinesisPutPayloadUnit.dollars,
    lambdaRequests: invocationsPerSecond * seconds * PRICES.lambdaRequest.dollars,
    producerInstance: HOURS_PER_MONTH * FIXED_PRICES.producerInstanceHour.dollars,
  };
  return { ...parts, total: Object.values(parts).reduce((sum, part) => sum + part, 0) };
}
