import { DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { capacityWarning, streamCapacity } from '../../producer/src/capacity';

// What the producer learns of the stream before it sends, and when it warns that the stream
// cannot take the devices: exactly at a limit it says nothing, one byte or record over it warns.
const kinesisMock = mockClient(KinesisClient);
const kinesis = new KinesisClient({ region: 'us-east-1' });
const MiB = 1024 * 1024;

const summaryIs = (summary: object | undefined) =>
  kinesisMock
    .on(DescribeStreamSummaryCommand)
    .resolves(summary === undefined ? {} : { StreamDescriptionSummary: summary as never });

beforeEach(() => kinesisMock.reset());

describe('the stream capacity the producer reads', () => {
  it('asks about the stream it sends to', async () => {
    summaryIs({ OpenShardCount: 3, StreamModeDetails: { StreamMode: 'PROVISIONED' } });

    await streamCapacity(kinesis, 'raw');

    expect(kinesisMock.commandCalls(DescribeStreamSummaryCommand)[0]!.args[0].input).toEqual({
      StreamName: 'raw',
    });
  });

  it.each([
    ['a provisioned stream', { StreamModeDetails: { StreamMode: 'PROVISIONED' } }, 'PROVISIONED'],
    ['an on-demand stream', { StreamModeDetails: { StreamMode: 'ON_DEMAND' } }, 'ON_DEMAND'],
    ['a stream whose summary has no mode (provisioned)', {}, 'PROVISIONED'],
  ])('reads the mode and open shards of %s', async (_what, mode, expected) => {
    summaryIs({ OpenShardCount: 3, ...mode });

    expect(await streamCapacity(kinesis, 'raw')).toEqual({ mode: expected, shards: 3 });
  });

  it.each([
    ['a summary without a shard count', { StreamModeDetails: { StreamMode: 'ON_DEMAND' } }],
    ['an answer without a summary', undefined],
  ])('says why it cannot tell from %s', async (_what, summary) => {
    summaryIs(summary);

    expect(await streamCapacity(kinesis, 'raw')).toBe('the stream summary has no shard count');
  });
});

describe('the capacity warning', () => {
  const provisioned = (shards: number) => ({ mode: 'PROVISIONED' as const, shards });
  const onDemand = { mode: 'ON_DEMAND' as const, shards: 4 };

  it.each([
    ['exactly 2,000 records/s and 2 MiB/s on 2 shards', 2000, 2 * MiB],
    ['2,000 records/s of small readings on 2 shards', 2000, 200_000],
    ['few readings of exactly 2 MiB/s on 2 shards', 10, 2 * MiB],
  ])('says nothing of %s', (_what, recordsPerSecond, bytesPerSecond) => {
    expect(capacityWarning('raw', { recordsPerSecond, bytesPerSecond }, provisioned(2))).toBe(
      undefined,
    );
  });

  it('warns of a few large readings a second over what the shards take in bytes', () => {
    expect(
      capacityWarning(
        'raw',
        { recordsPerSecond: 500, bytesPerSecond: 2 * MiB + 1 },
        provisioned(2),
      ),
    ).toBe(
      'the devices send 500 records/s and 2.10 MB/s, but stream "raw" has 2 shard(s), which take 2,000 records/s and 2.10 MB/s (1,000 records/s or 1 MiB/s each): Kinesis will throttle and the producer will fall behind (throttled records are retried, never dropped); it needs 3 shards (StreamShardCount) or on-demand mode',
    );
  });

  it.each([
    ['exactly its starting 4,000 records/s and 4 MiB/s', 4000, 4 * MiB],
    ['4,000 records/s of small readings', 4000, 400_000],
    ['few readings of exactly 4 MiB/s', 10, 4 * MiB],
  ])('says nothing of an on-demand stream taking %s', (_what, recordsPerSecond, bytesPerSecond) => {
    expect(capacityWarning('raw', { recordsPerSecond, bytesPerSecond }, onDemand)).toBe(undefined);
  });

  it.each([
    ['one record a second more', 4001, 400_000, '4,001 records/s and 0.40 MB/s'],
    ['one byte a second more', 1000, 4 * MiB + 1, '1,000 records/s and 4.19 MB/s'],
  ])(
    'warns of %s than an on-demand stream starts with, until it adapts',
    (_what, recordsPerSecond, bytesPerSecond, load) => {
      expect(capacityWarning('raw', { recordsPerSecond, bytesPerSecond }, onDemand)).toBe(
        `the devices send ${load}; on-demand stream "raw" takes 4,000 records/s and 4.19 MB/s until it adapts (up to twice its previous peak, within 15 minutes): expect throttled, retried records until then`,
      );
    },
  );
});
