import {
  DescribeStreamSummaryCommand,
  KinesisClient,
  PutRecordsCommand,
  type PutRecordsRequestEntry,
} from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { run } from '../../producer/src/main';
import { deviceName, deviceSeed } from '../../producer/src/fleet';

// Fleet mode as a user runs it: flags in, PutRecords calls and stdout/stderr out, Kinesis mocked
// and a fake clock (sleeping moves it).
const kinesisMock = mockClient(KinesisClient);
const START = Date.UTC(2026, 10, 21, 10);
const FIRST_ROUND = new Date(START).toISOString();

interface Sent {
  readonly key: string;
  readonly deviceId: string;
  readonly timestamp: string;
  readonly temperature: number;
}

function harness(argv: string[], env: Record<string, string> = {}) {
  const out = { stdout: [] as string[], stderr: [] as string[], sleeps: [] as number[] };
  let clock = START;
  const deps = {
    argv,
    env,
    kinesis: new KinesisClient({ region: 'us-east-1' }),
    stdout: (line: string) => out.stdout.push(line),
    stderr: (line: string) => out.stderr.push(line),
    now: () => clock,
    sleep: (ms: number) => {
      out.sleeps.push(ms);
      clock += ms;
      return Promise.resolve();
    },
    random: () => 0.5,
    stop: new AbortController().signal,
    writeStatus: () => Promise.resolve(),
  };
  return { deps, ...out, summary: () => JSON.parse(out.stdout.at(-1) ?? '{}') as object };
}

const entriesOf = (records: PutRecordsRequestEntry[] | undefined): Sent[] =>
  (records ?? []).map((record) => ({
    key: record.PartitionKey!,
    ...(JSON.parse(Buffer.from(record.Data!).toString()) as Omit<Sent, 'key'>),
  }));
const calls = () =>
  kinesisMock.commandCalls(PutRecordsCommand).map((call) => entriesOf(call.args[0].input.Records));

/** Records as the stream holds them: each call's records minus those its answer marked failed. */
let onTheWire: Sent[] = [];

function acceptAllBut(fails: (entry: Sent, call: number) => boolean) {
  let call = 0;
  kinesisMock.on(PutRecordsCommand).callsFake((input: { Records: PutRecordsRequestEntry[] }) => {
    call += 1;
    const entries = entriesOf(input.Records);
    const failed = entries.map((entry) => fails(entry, call));
    onTheWire.push(...entries.filter((_, i) => !failed[i]));
    return {
      FailedRecordCount: failed.filter(Boolean).length,
      Records: failed.map((bad) =>
        bad
          ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'slow down' }
          : { SequenceNumber: '1', ShardId: 'shardId-0' },
      ),
    };
  });
}

beforeEach(() => {
  kinesisMock.reset();
  onTheWire = [];
  acceptAllBut(() => false);
});

describe('producer fleet mode', () => {
  it('streams every device under its own partition key, one reading of each per round', async () => {
    const h = harness(['--devices', '3', '--count', '7', '--rate', '0', '--seed', '5']);

    expect(await run(h.deps)).toBe(0);

    expect(h.stderr[0]).toBe(
      'producer: streaming 7 readings of 3 devices (DHT-001 to DHT-003) into m03p02_raw_data_stream at full speed (seed 5)',
    );
    const sent = calls().flat();
    expect(sent.map((entry) => entry.key)).toEqual([
      'DHT-001',
      'DHT-002',
      'DHT-003',
      'DHT-001',
      'DHT-002',
      'DHT-003',
      'DHT-001',
    ]);
    expect(sent.every((entry) => entry.key === entry.deviceId)).toBe(true);
    expect(h.summary()).toMatchObject({ sent: 7, produced: 7, devices: 3 });
    expect(h.summary()).not.toHaveProperty('deviceId');
  });

  it('puts no two readings of one device in a call, so 1,000 devices fill calls of 500', async () => {
    const h = harness(['--devices', '1000', '--count', '2500', '--rate', '0', '--seed', '1']);

    expect(await run(h.deps)).toBe(0);

    expect(calls().map((call) => call.length)).toEqual([500, 500, 500, 500, 500]);
    for (const call of calls())
      expect(new Set(call.map((entry) => entry.key)).size).toBe(call.length);
  });

  it('re-sends a failed reading before any later reading of its device reaches the stream', async () => {
    // The first call fails DHT-002's first reading, and its re-send fails once more.
    let failures = 0;
    acceptAllBut((entry) => {
      const fail = entry.key === 'DHT-002' && entry.timestamp === FIRST_ROUND && failures < 2;
      if (fail) failures += 1;
      return fail;
    });
    const h = harness(['--devices', '3', '--count', '9', '--rate', '0', '--seed', '2']);

    expect(await run(h.deps)).toBe(0);

    expect(h.summary()).toMatchObject({ sent: 9, retriedRecords: 2 });
    expect(onTheWire).toHaveLength(9);
    for (const device of ['DHT-001', 'DHT-002', 'DHT-003']) {
      const stamps = onTheWire.filter((entry) => entry.key === device).map((e) => e.timestamp);
      expect(stamps).toHaveLength(3);
      expect(stamps).toEqual([...stamps].sort());
    }
  });

  it('sends --rate readings a second of each device: one wait per round', async () => {
    const h = harness(['--devices', '4', '--count', '8', '--rate', '2', '--seed', '3']);

    expect(await run(h.deps)).toBe(0);

    expect(h.sleeps.filter((ms) => ms === 500)).toHaveLength(2);
    const stamps = calls()
      .flat()
      .map((entry) => entry.timestamp);
    expect(new Set(stamps.slice(0, 4)).size).toBe(1);
    expect(Date.parse(stamps[4]!) - Date.parse(stamps[0]!)).toBe(500);
  });

  it('gives each device its own readings, and the same seed the same ones again', async () => {
    const args = [
      '--devices',
      '50',
      '--count',
      '5000',
      '--rate',
      '0',
      '--seed',
      '8',
      '--anomaly-rate',
      '0.01',
    ];
    await run(harness(args).deps);
    const once = calls()
      .flat()
      .map((entry) => [entry.key, entry.temperature]);
    kinesisMock.resetHistory();
    await run(harness(args).deps);

    expect(
      calls()
        .flat()
        .map((entry) => [entry.key, entry.temperature]),
    ).toEqual(once);
    const feverish = new Set(once.filter(([, t]) => Number(t) > 101).map(([key]) => key));
    expect(feverish.size).toBeGreaterThan(5);
    expect(feverish.size).toBeLessThan(50);
  });

  it('names the devices with a prefix, padded to three digits at least', async () => {
    const h = harness(['--count', '2', '--rate', '0'], {
      DEVICE_COUNT: '2',
      DEVICE_PREFIX: 'WARD7-',
    });

    expect(await run(h.deps)).toBe(0);

    expect(
      calls()
        .flat()
        .map((entry) => entry.key),
    ).toEqual(['WARD7-001', 'WARD7-002']);
    expect([deviceName('DHT-', 7), deviceName('DHT-', 10_000)]).toEqual(['DHT-007', 'DHT-10000']);
    expect(deviceSeed(9, 0)).toBe(9);
    expect(deviceSeed(9, 1)).not.toBe(deviceSeed(9, 2));
  });
});

describe('producer fleet mode: bad input', () => {
  it.each([
    [['--devices', '0'], {}, '--devices "0" must be a whole number of devices from 1 to 100000'],
    [
      ['--devices', '100001'],
      {},
      '--devices "100001" must be a whole number of devices from 1 to 100000',
    ],
    [
      [],
      { DEVICE_COUNT: 'many' },
      'DEVICE_COUNT "many" must be a whole number of devices from 1 to 100000',
    ],
    [
      ['--devices', '5', '--device-id', 'X'],
      {},
      '--device-id names one device, but --devices asks for 5: name a fleet with --device-prefix (DEVICE_PREFIX) instead',
    ],
    [
      ['--devices', '2', `--device-prefix=${'p'.repeat(123)}`],
      {},
      '--device-prefix must be at most 122 characters',
    ],
  ])('%j %j exits 2 before any call: %s', async (argv, env, message) => {
    const h = harness(argv, env);

    expect(await run(h.deps)).toBe(2);

    expect(h.stderr).toEqual([`producer: ${message}\nRun with --help for the options.`]);
    expect(kinesisMock.calls()).toHaveLength(0);
  });
});

describe('producer fleet mode: stream capacity', () => {
  const summary = (mode: 'PROVISIONED' | 'ON_DEMAND', shards: number) =>
    kinesisMock.on(DescribeStreamSummaryCommand).resolves({
      StreamDescriptionSummary: {
        OpenShardCount: shards,
        StreamModeDetails: { StreamMode: mode },
      } as never,
    });

  it('warns with the numbers when the shards cannot take the fleet, and sends anyway', async () => {
    summary('PROVISIONED', 1);
    const h = harness(['--devices', '2000', '--count', '2000', '--stream', 'raw']);

    expect(await run(h.deps)).toBe(0);

    expect(h.stderr[1]).toBe(
      'producer: warning: the devices send 2,000 records/s and 0.20 MB/s, but stream "raw" has 1 shard(s), which take 1,000 records/s and 1.05 MB/s (1,000 records/s or 1 MiB/s each): Kinesis will throttle and the producer will fall behind (throttled records are retried, never dropped); it needs 2 shards (StreamShardCount) or on-demand mode',
    );
    expect(h.summary()).toMatchObject({ sent: 2000 });
  });

  it('says nothing when the shards take the fleet', async () => {
    summary('PROVISIONED', 2);
    const h = harness(['--devices', '2000', '--count', '2000']);

    expect(await run(h.deps)).toBe(0);

    expect(h.stderr.filter((line) => line.includes('warning'))).toEqual([]);
  });

  it('warns that an on-demand stream throttles above its starting capacity until it adapts', async () => {
    summary('ON_DEMAND', 4);
    const h = harness(['--devices', '5000', '--count', '5000']);

    expect(await run(h.deps)).toBe(0);

    expect(h.stderr[1]).toMatch(
      /^producer: warning: the devices send 5,000 records\/s .*; on-demand stream "m03p02_raw_data_stream" takes 4,000 records\/s and 4\.19 MB\/s until it adapts/,
    );
  });

  it('goes on, saying why, when it may not read the stream summary', async () => {
    kinesisMock
      .on(DescribeStreamSummaryCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const h = harness(['--devices', '2', '--count', '2']);

    expect(await run(h.deps)).toBe(0);

    expect(h.stderr[1]).toBe(
      "producer: cannot check the stream's capacity (AccessDeniedException: not authorized); sending anyway",
    );
  });
});
