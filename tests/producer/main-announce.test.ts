import {
  DescribeStreamSummaryCommand,
  KinesisClient,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { run, type ProducerDeps } from '../../producer/src/main';

// What the producer says before it sends (the first stderr line and the capacity warning) and
// what it lets through: Kinesis mocked, a fake clock that sleeping moves.
const kinesisMock = mockClient(KinesisClient);

function harness(argv: string[], overrides: Partial<ProducerDeps> = {}) {
  const out = { stdout: [] as string[], stderr: [] as string[] };
  let clock = Date.UTC(2026, 10, 21, 10);
  const deps: ProducerDeps = {
    argv,
    env: {},
    kinesis: new KinesisClient({ region: 'us-east-1' }),
    stdout: (line) => out.stdout.push(line),
    stderr: (line) => out.stderr.push(line),
    now: () => clock,
    sleep: (ms) => {
      clock += ms;
      return Promise.resolve();
    },
    random: () => 0.5,
    stop: new AbortController().signal,
    writeStatus: () => Promise.resolve(),
    ...overrides,
  };
  return { deps, ...out };
}

const provisionedShards = (shards: number) =>
  kinesisMock.on(DescribeStreamSummaryCommand).resolves({
    StreamDescriptionSummary: {
      OpenShardCount: shards,
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
    } as never,
  });

beforeEach(() => {
  kinesisMock.reset();
  kinesisMock.on(PutRecordsCommand).callsFake((input: { Records: unknown[] }) => ({
    FailedRecordCount: 0,
    Records: input.Records.map(() => ({ SequenceNumber: '1', ShardId: 'shardId-0' })),
  }));
});

describe('producer announcement', () => {
  it('names a single device of a prefix by its name', async () => {
    const h = harness(['--device-prefix=WARD7-', '--count=1', '--rate=0', '--seed=5']);

    expect(await run(h.deps)).toBe(0);

    expect(h.stderr[0]).toBe(
      'producer: streaming 1 readings of WARD7-001 into m03p02_raw_data_stream at full speed (seed 5)',
    );
    const [call] = kinesisMock.commandCalls(PutRecordsCommand);
    expect(call!.args[0].input.Records!.map((record) => record.PartitionKey)).toEqual([
      'WARD7-001',
    ]);
  });

  it("gives a fleet's rate per device", async () => {
    provisionedShards(1);
    const h = harness(['--devices=3', '--count=3', '--rate=2', '--seed=5']);

    expect(await run(h.deps)).toBe(0);

    expect(h.stderr[0]).toBe(
      'producer: streaming 3 readings of 3 devices (DHT-001 to DHT-003) into m03p02_raw_data_stream at 2/s per device (seed 5)',
    );
  });

  it("does not ask for the stream's capacity at full speed, where there is no rate to check", async () => {
    const h = harness(['--devices=3', '--count=3', '--rate=0', '--seed=5']);

    expect(await run(h.deps)).toBe(0);

    expect(kinesisMock.commandCalls(DescribeStreamSummaryCommand)).toHaveLength(0);
    expect(h.stderr).toEqual([
      'producer: streaming 3 readings of 3 devices (DHT-001 to DHT-003) into m03p02_raw_data_stream at full speed (seed 5)',
    ]);
  });
});

describe('producer capacity warning', () => {
  it('counts every device at its rate: 600 devices at 2/s are 1,200 records/s', async () => {
    provisionedShards(1);
    const h = harness(['--devices=600', '--count=600', '--rate=2', '--stream=raw']);

    expect(await run(h.deps)).toBe(0);

    expect(h.stderr[1]).toBe(
      'producer: warning: the devices send 1,200 records/s and 0.12 MB/s, but stream "raw" has 1 shard(s), which take 1,000 records/s and 1.05 MB/s (1,000 records/s or 1 MiB/s each): Kinesis will throttle and the producer will fall behind (throttled records are retried, never dropped); it needs 2 shards (StreamShardCount) or on-demand mode',
    );
  });
});

describe('producer failures', () => {
  it('lets a failure that is not a usage error through to the entry file, not as exit 2', async () => {
    const h = harness(['--help'], {
      stdout: () => {
        throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
      },
    });

    await expect(run(h.deps)).rejects.toThrow('write EPIPE');
    expect(h.stderr).toEqual([]);
  });
});
