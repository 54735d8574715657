import type { Load } from './capacity';
import { MAX_PARALLELIZATION_FACTOR } from './capacity';
import type { Batching } from './stack-defaults';

/**
 * How the detector's event source mapping is sized for a fleet. Each invocation reads the states
 * of its batch's devices (one BatchGetItem a hundred devices) whatever the batch holds, so what
 * keeps requests and read units per reading flat from one device to ten thousand is the number
 * of readings each device brings to a batch, not the fleet's size.
 */
export const BATCHING_RULES = {
  /**
   * The shortest window: at fleet scale each device brings ten readings at 1 Hz to a batch, and
   * an excursion alerts within about this many seconds.
   */
  baseWindowSeconds: 10,
  /**
   * Readings an invocation carries at least, so its fixed requests (a state read, and the writes
   * of a device in an excursion) stay within 12 per 1,000 readings. For a handful of devices the
   * window grows to gather them: alerts then wait up to the window.
   */
  minRecordsPerInvocation: 150,
  /** Lambda's limit for MaximumBatchingWindowInSeconds. */
  maxWindowSeconds: 300,
  /**
   * Readings a batch is planned to hold at most: about 600 bytes each in the Kinesis event, so
   * 3 MB, half of Lambda's 6 MB invocation payload; more readings than this take more batches.
   */
  maxRecordsPerBatch: 5000,
  /** BatchSize over a window's readings: the window, not the size, closes a batch. */
  batchHeadroom: 1.2,
} as const;

/** A mapping's batching for the fleet, with the readings one concurrent batch takes a second. */
export interface RecommendedBatching extends Batching {
  readonly recordsPerSecondPerBatch: number;
  readonly devicesPerBatch: number;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/**
 * Concurrent batches a shard needs so that a base window's readings fit one batch; never more
 * than the shard's devices (Lambda keeps a partition key, a device, in one batch).
 */
function factorFor(perShard: number, devicesPerShard: number): number {
  const needed = Math.ceil(
    (perShard * BATCHING_RULES.baseWindowSeconds) / BATCHING_RULES.maxRecordsPerBatch,
  );
  return clamp(needed, 1, Math.min(MAX_PARALLELIZATION_FACTOR, Math.max(1, devicesPerShard)));
}

/** Seconds a batch gathers: long enough for its fixed requests, short enough to fit one batch. */
function windowFor(perBatch: number): number {
  const gather = Math.ceil(BATCHING_RULES.minRecordsPerInvocation / perBatch);
  const window = clamp(gather, BATCHING_RULES.baseWindowSeconds, BATCHING_RULES.maxWindowSeconds);
  return Math.min(window, Math.max(1, Math.floor(BATCHING_RULES.maxRecordsPerBatch / perBatch)));
}

/** The event source mapping for `devices` sending `load` over `shards` shards. */
export function recommendBatching(
  load: Load,
  shards: number,
  devices: number,
): RecommendedBatching {
  const perShard = load.recordsPerSecond / shards;
  const factor = factorFor(perShard, Math.floor(devices / shards));
  const perBatch = perShard / factor;
  const windowSeconds = windowFor(perBatch);
  const batchSize = Math.min(
    Math.ceil(perBatch * windowSeconds * BATCHING_RULES.batchHeadroom),
    Math.ceil(BATCHING_RULES.maxRecordsPerBatch * BATCHING_RULES.batchHeadroom),
  );
  return {
    batchSize,
    windowSeconds,
    parallelizationFactor: factor,
    recordsPerSecondPerBatch: perBatch,
    devicesPerBatch: devices / (shards * factor),
  };
}
