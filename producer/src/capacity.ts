import { DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import {
  ON_DEMAND_INITIAL_LIMIT,
  SHARD_WRITE_LIMIT,
  shardsFor,
  type Load,
} from '../../sizing/src/capacity';

export interface StreamCapacity {
  readonly mode: 'PROVISIONED' | 'ON_DEMAND';
  readonly shards: number;
}

/** The stream's mode and open shards, or why they could not be read. */
export async function streamCapacity(
  kinesis: KinesisClient,
  streamName: string,
): Promise<StreamCapacity | string> {
  try {
    const response = await kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: streamName }),
    );
    const summary = response.StreamDescriptionSummary;
    if (summary?.OpenShardCount === undefined) return 'the stream summary has no shard count';
    return {
      mode: summary.StreamModeDetails?.StreamMode === 'ON_DEMAND' ? 'ON_DEMAND' : 'PROVISIONED',
      shards: summary.OpenShardCount,
    };
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
}

const perSecond = (load: Load) =>
  `${load.recordsPerSecond.toLocaleString('en-US')} records/s and ${(load.bytesPerSecond / 1e6).toFixed(2)} MB/s`;

/**
 * A warning when the stream cannot take the load: Kinesis then throttles, the producer retries
 * (nothing is dropped) and falls behind. Undefined when it fits.
 */
export function capacityWarning(
  streamName: string,
  load: Load,
  capacity: StreamCapacity,
): string | undefined {
  if (capacity.mode === 'ON_DEMAND') {
    if (
      load.recordsPerSecond <= ON_DEMAND_INITIAL_LIMIT.recordsPerSecond &&
      load.bytesPerSecond <= ON_DEMAND_INITIAL_LIMIT.bytesPerSecond
    )
      return undefined;
    return `the devices send ${perSecond(load)}; on-demand stream "${streamName}" takes ${perSecond(ON_DEMAND_INITIAL_LIMIT)} until it adapts (up to twice its previous peak, within 15 minutes): expect throttled, retried records until then`;
  }
  const limit = {
    recordsPerSecond: capacity.shards * SHARD_WRITE_LIMIT.recordsPerSecond,
    bytesPerSecond: capacity.shards * SHARD_WRITE_LIMIT.bytesPerSecond,
  };
  if (
    load.recordsPerSecond <= limit.recordsPerSecond &&
    load.bytesPerSecond <= limit.bytesPerSecond
  )
    return undefined;
  return `the devices send ${perSecond(load)}, but stream "${streamName}" has ${capacity.shards} shard(s), which take ${perSecond(limit)} (1,000 records/s or 1 MiB/s each): Kinesis will throttle and the producer will fall behind (throttled records are retried, never dropped); it needs ${shardsFor(load)} shards (StreamShardCount) or on-demand mode`;
}
