import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BATCHING_RULES, recommendBatching } from '../../sizing/src/batching';
import { monthlyCost, shardsFor } from '../../sizing/src/capacity';
import { FIXED_PRICES, PRICES } from '../../sizing/src/prices';
import {
  parseSizeArgs,
  SizeUsageError,
  sizingReport,
  sizingTable,
} from '../../sizing/src/size-command';
import { size } from '../../sizing/src/size';
import { repoRoot } from '../../local-pipeline/emulator/tools';

const cells = (table: string) =>
  table
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[\s:-]+\|/.test(line))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );

describe('npm run size', () => {
  it('sizes 10,000 devices at 1 Hz: ten shards by the record limit, two batches a shard', () => {
    const sizing = size(10_000, 1);

    expect(sizing.shards).toBe(10);
    expect(sizing.batching).toEqual({
      parallelizationFactor: 2,
      windowSeconds: 10,
      batchSize: 6000,
      recordsPerSecondPerBatch: 500,
      devicesPerBatch: 500,
    });
    expect(sizing.cost.shardHours).toBeCloseTo(10 * 720 * FIXED_PRICES.kinesisShardHour.dollars);
    expect(sizing.cost.putPayloadUnits).toBeCloseTo(
      10_000 * 30 * 86_400 * PRICES.kinesisPutPayloadUnit.dollars,
    );
    expect(sizingReport(sizing).split('\n').slice(0, 4)).toEqual([
      '10,000 device(s) at 1 reading(s)/s: 10,000 records/s, 1.02 MB/s',
      'StreamMode PROVISIONED, StreamShardCount 10',
      'DetectorParallelizationFactor 2, DetectorBatchSize 6000, DetectorBatchingWindowSeconds 10',
      '  each concurrent batch: 500 device(s), about 5,000 readings an invocation; an excursion alerts within about 10 s',
    ]);
  });

  it('counts bytes too: big records need shards for their megabytes', () => {
    expect(shardsFor({ recordsPerSecond: 10, bytesPerSecond: 3.5 * 1024 * 1024 })).toBe(4);
    expect(shardsFor({ recordsPerSecond: 0.5, bytesPerSecond: 50 })).toBe(1);
  });

  it.each([
    // devices, shards → factor, window, batch size: each batch gathers at least 150 readings
    [1, 1, 1, 150, 180],
    [10, 1, 1, 15, 180],
    [15, 1, 1, 10, 180],
    [100, 1, 1, 10, 1200],
    [1000, 1, 2, 10, 6000],
    [100_000, 100, 2, 10, 6000],
  ])(
    'sizes the mapping of %i device(s) on %i shard(s)',
    (devices, shards, factor, window, batch) => {
      const batching = recommendBatching(
        { recordsPerSecond: devices, bytesPerSecond: devices * 100 },
        shards,
        devices,
      );
      expect([batching.parallelizationFactor, batching.windowSeconds, batching.batchSize]).toEqual([
        factor,
        window,
        batch,
      ]);
    },
  );

  it("keeps a batch within Lambda's payload when one device is fast, and a device in one batch", () => {
    // 2,000 readings a second of one device: one batch (a partition key is never split), a
    // window short enough for 5,000 readings.
    const fast = recommendBatching({ recordsPerSecond: 2000, bytesPerSecond: 0 }, 2, 1);
    expect(fast.parallelizationFactor).toBe(1);
    expect(fast.windowSeconds).toBe(5);
    expect(fast.batchSize).toBe(6000);
    // The factor stops at ten however busy the shard.
    const busy = recommendBatching({ recordsPerSecond: 100_000, bytesPerSecond: 0 }, 1, 100_000);
    expect(busy.parallelizationFactor).toBe(10);
    expect(busy.windowSeconds).toBe(1);
    expect(busy.batchSize).toBe(BATCHING_RULES.maxRecordsPerBatch * BATCHING_RULES.batchHeadroom);
  });

  it('invokes once a window per concurrent batch when the batches do not fill', () => {
    const light = monthlyCost({ recordsPerSecond: 1, bytesPerSecond: 100 }, 1, 1, 100, {
      batchSize: 500,
      windowSeconds: 10,
    });
    expect(light.lambdaRequests).toBeCloseTo((720 * 3600 * PRICES.lambdaRequest.dollars) / 10);
  });

  it.each([
    [[], '--devices N is required'],
    [['--devices', '0'], '--devices "0" must be a whole number of devices from 1 to 100000'],
    [
      ['--devices', '100001'],
      '--devices "100001" must be a whole number of devices from 1 to 100000',
    ],
    [['--devices', 'ten'], '--devices "ten" must be a whole number of devices from 1 to 100000'],
    [
      ['--devices', '5', '--rate', '0'],
      '--rate "0" must be a number of readings a second per device, above 0 and at most 1000',
    ],
    [
      ['--devices', '5', '--rate', 'x'],
      '--rate "x" must be a number of readings a second per device, above 0 and at most 1000',
    ],
    [['--devices', '5', '--shards', '2'], "Unknown option '--shards'"],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseSizeArgs(argv)).toThrow(SizeUsageError);
    expect(() => parseSizeArgs(argv)).toThrow(message);
  });

  it('reads --devices and --rate, and --help asks for the usage', () => {
    expect(parseSizeArgs(['--devices', '250', '--rate', '0.5'])).toEqual({
      devices: 250,
      rate: 0.5,
    });
    expect(parseSizeArgs(['--devices', '3'])).toEqual({ devices: 3, rate: 1 });
    expect(parseSizeArgs(['--help'])).toBeUndefined();
  });

  it("matches the README's sizing table, row for row", () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const section = /<!-- sizing-table[^>]*-->([\s\S]*?)<!-- \/sizing-table -->/.exec(readme)?.[1];

    expect(cells(section ?? '')).toEqual(cells(sizingTable()));
    expect(cells(sizingTable()).map((row) => row[0])).toEqual([
      'Devices (1 Hz)',
      '1',
      '100',
      '1,000',
      '10,000',
    ]);
  });
});
