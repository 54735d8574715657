import { parseArgs } from 'node:util';
import { size, type Sizing } from './size';

/** A flag the user can fix; the command exits 2 with this message. */
export class SizeUsageError extends Error {
  override readonly name = 'SizeUsageError';
}

export const SIZE_USAGE = `Usage: npm run size -- --devices N [--rate R]

Prints the shards, the detector's event source mapping (parallelisation factor, batch size,
batching window) and the monthly cost of a fleet of N devices (1-100000) sending R readings a
second each (default 1), from Kinesis' write limits (1,000 records or 1 MiB a second a shard),
Lambda's limits and the list prices in sizing/src/prices.ts.`;

export interface SizeRequest {
  readonly devices: number;
  readonly rate: number;
}

/** Parses the flags; undefined means --help. */
export function parseSizeArgs(argv: readonly string[]): SizeRequest | undefined {
  let values: { devices?: string; rate?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        devices: { type: 'string' },
        rate: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new SizeUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) return undefined;
  if (values.devices === undefined) throw new SizeUsageError('--devices N is required');
  const devices = Number(values.devices);
  if (!/^\d+$/.test(values.devices) || devices < 1 || devices > 100_000)
    throw new SizeUsageError(
      `--devices "${values.devices}" must be a whole number of devices from 1 to 100000`,
    );
  const rate = values.rate === undefined ? 1 : Number(values.rate);
  if (values.rate !== undefined && (values.rate.trim() === '' || !(rate > 0) || rate > 1000))
    throw new SizeUsageError(
      `--rate "${values.rate}" must be a number of readings a second per device, above 0 and at most 1000`,
    );
  return { devices, rate };
}

const dollars = (value: number) =>
  `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const whole = (value: number) => Math.round(value).toLocaleString('en-US');

/** The command's answer, a line a fact. */
export function sizingReport(sizing: Sizing): string {
  const { cost, load } = sizing;
  return [
    `${whole(sizing.devices)} device(s) at ${sizing.rate} reading(s)/s: ${whole(load.recordsPerSecond)} records/s, ${(load.bytesPerSecond / 1e6).toFixed(2)} MB/s`,
    `StreamMode PROVISIONED, StreamShardCount ${sizing.shards}`,
    `DetectorParallelizationFactor ${sizing.batching.parallelizationFactor}, DetectorBatchSize ${sizing.batching.batchSize}, DetectorBatchingWindowSeconds ${sizing.batching.windowSeconds}`,
    `  each concurrent batch: ${whole(sizing.batching.devicesPerBatch)} device(s), about ${whole(sizing.batching.recordsPerSecondPerBatch * sizing.batching.windowSeconds)} readings an invocation; an excursion alerts within about ${sizing.batching.windowSeconds} s`,
    `Monthly cost (30 days, us-east-1 list prices): ${dollars(cost.total)}`,
    `  shard-hours ${dollars(cost.shardHours)}, retention beyond 24 h ${dollars(cost.extendedRetention)}, PUT payload units ${dollars(cost.putPayloadUnits)}, Lambda requests ${dollars(cost.lambdaRequests)}, producer instance ${dollars(cost.producerInstance)}`,
    '  not included: Lambda duration, DynamoDB, SNS and e-mail (they follow the anomalies; npm run bench measures them per device-month)',
  ].join('\n');
}

const FLEETS = [1, 100, 1000, 10_000];

/** The README's sizing table: the same figures the command prints, for four fleet sizes at 1 Hz. */
export function sizingTable(): string {
  const rows = FLEETS.map((devices) => size(devices, 1)).map(
    ({ devices, load, shards, batching, cost }) =>
      `| ${whole(devices)} | ${whole(load.recordsPerSecond)} | ${shards} | ${batching.parallelizationFactor} | ${whole(batching.batchSize)} | ${batching.windowSeconds} | ${dollars(cost.total)} |`,
  );
  return [
    '| Devices (1 Hz) | Records/s | Shards | Parallelisation factor | Batch size | Window (s) | Monthly cost |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}
