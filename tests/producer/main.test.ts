import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { run, type ProducerDeps } from '../../producer/src/main';
import { USAGE } from '../../producer/src/config';

// The CLI as a user runs it (flags, environment, exit code, stdout and stderr), with Kinesis
// mocked and a fake clock: sleeping moves the clock, so pacing is visible in the timestamps.
const kinesisMock = mockClient(KinesisClient);
const START = Date.UTC(2026, 10, 21, 10);

interface Harness {
  deps: ProducerDeps;
  readonly stdout: string[];
  readonly stderr: string[];
  readonly sleeps: { ms: number; stoppable: boolean }[];
  readonly statusWrites: { path: string; content: string }[];
  readonly stop: AbortController;
  clock: number;
}

function harness(argv: string[], env: Record<string, string> = {}): Harness {
  const stop = new AbortController();
  const h: Harness = {
    stdout: [],
    stderr: [],
    sleeps: [],
    statusWrites: [],
    stop,
    clock: START,
    deps: undefined as unknown as ProducerDeps,
  };
  h.deps = {
    argv,
    env,
    kinesis: new KinesisClient({ region: 'us-east-1' }),
    stdout: (line) => h.stdout.push(line),
    stderr: (line) => h.stderr.push(line),
    now: () => h.clock,
    sleep: (ms, signal) => {
      h.sleeps.push({ ms, stoppable: signal !== undefined });
      h.clock += ms;
      return Promise.resolve();
    },
    random: () => 0.5,
    stop: stop.signal,
    writeStatus: (path, content) => {
      h.statusWrites.push({ path, content });
      return Promise.resolve();
    },
  };
  return h;
}

/** The readings of every PutRecords call, in order, as the stream receives them. */
const sentBatches = () =>
  kinesisMock.commandCalls(PutRecordsCommand).map((call) => ({
    stream: call.args[0].input.StreamName,
    records: (call.args[0].input.Records ?? []).map((record) => ({
      partitionKey: record.PartitionKey,
      reading: JSON.parse(Buffer.from(record.Data!).toString()) as Record<string, unknown>,
    })),
  }));

const summaryOf = (h: Harness) => JSON.parse(h.stdout.at(-1) ?? '{}') as Record<string, unknown>;

beforeEach(() => {
  kinesisMock.reset();
  kinesisMock.on(PutRecordsCommand).callsFake((input: { Records: unknown[] }) => ({
    FailedRecordCount: 0,
    Records: input.Records.map(() => ({ SequenceNumber: '1', ShardId: 'shardId-0' })),
  }));
});

describe('producer CLI', () => {
  it('prints the usage and exits 0 with --help, sending nothing', async () => {
    const h = harness(['--help']);

    const code = await run(h.deps);

    expect(code).toBe(0);
    expect(h.stdout).toEqual([USAGE]);
    // The text itself, not just the constant: every flag with its variable, and the exit rules.
    expect(USAGE).toMatch(/^Usage: node producer\/dist\/index\.js \[options\]\n/);
    for (const option of [
      '--stream NAME          Kinesis stream name [STREAM_NAME] (default m03p02_raw_data_stream)',
      '--device-id ID         device id, 1-128 characters [DEVICE_ID] (default DHT-001)',
      '--count N              stop after N acknowledged readings [READING_COUNT]',
      '--rate PER_SECOND      readings per second, 0 = as fast as Kinesis accepts [READINGS_PER_SECOND] (default 1)',
      '--seed N               random seed: the same seed gives the same readings [RANDOM_SEED]',
      '--anomaly-rate P       chance 0..1 that a reading starts a cold or fever excursion [ANOMALY_RATE]',
      '--status-file PATH     write the last acknowledged batch here [STATUS_FILE]',
      '--devices N            stream N devices, 1-100000 [DEVICE_COUNT] (default 1)',
      '--device-prefix TEXT   name the devices TEXT001, TEXT002, ... [DEVICE_PREFIX] (default DHT-)',
      '-h, --help             show this help',
      'On SIGTERM or SIGINT it sends what it holds and exits 0.',
    ]) {
      expect(USAGE).toContain(option);
    }
    expect(kinesisMock.commandCalls(PutRecordsCommand)).toHaveLength(0);
  });

  it('exits 2 on a bad flag, naming it on stderr and pointing to --help', async () => {
    const h = harness(['--rate', 'fast']);

    const code = await run(h.deps);

    expect(code).toBe(2);
    expect(h.stderr).toEqual([
      'producer: --rate "fast" must be a number of readings per second, 0 or more\nRun with --help for the options.',
    ]);
    expect(h.stdout).toEqual([]);
  });

  it('with --count sends that many readings of the device, says what it does, and ends with the summary', async () => {
    const h = harness(['--count', '3', '--rate', '0', '--seed', '9', '--stream', 'raw']);

    const code = await run(h.deps);

    expect(code).toBe(0);
    expect(h.stderr[0]).toBe(
      'producer: streaming 3 readings of DHT-001 into raw at full speed (seed 9)',
    );
    const batches = sentBatches();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.stream).toBe('raw');
    expect(batches[0]!.records.map((record) => record.partitionKey)).toEqual([
      'DHT-001',
      'DHT-001',
      'DHT-001',
    ]);
    expect(batches[0]!.records[0]!.reading).toEqual({
      deviceId: 'DHT-001',
      timestamp: '2026-11-21T10:00:00.000Z',
      temperature: expect.any(Number),
      unit: 'F',
    });
    expect(h.sleeps).toEqual([]);
    expect(summaryOf(h)).toEqual({
      sent: 3,
      putRecordsCalls: 1,
      retriedRecords: 0,
      produced: 3,
      stream: 'raw',
      deviceId: 'DHT-001',
      devices: 1,
      seed: 9,
      durationMs: 0,
      stoppedBy: 'count',
    });
  });

  it('paces readings at --rate, sending what is held once it is a second old', async () => {
    const h = harness(['--count', '3', '--rate', '2', '--seed', '1']);

    const code = await run(h.deps);

    expect(code).toBe(0);
    expect(h.stderr[0]).toContain(' at 2/s ');
    expect(h.sleeps).toEqual([
      { ms: 500, stoppable: true },
      { ms: 500, stoppable: true },
      { ms: 500, stoppable: true },
    ]);
    expect(
      sentBatches().map((batch) => batch.records.map((record) => record.reading.timestamp)),
    ).toEqual([
      ['2026-11-21T10:00:00.000Z', '2026-11-21T10:00:00.500Z'],
      ['2026-11-21T10:00:01.000Z'],
    ]);
    expect(summaryOf(h)).toMatchObject({ sent: 3, putRecordsCalls: 2, durationMs: 1500 });
  });

  it('does not sleep when sending fell behind the rate', async () => {
    const h = harness(['--count', '3', '--rate', '1']);
    kinesisMock.on(PutRecordsCommand).callsFake((input: { Records: unknown[] }) => {
      h.clock += 2500; // the call takes longer than the 1 s between readings
      return { FailedRecordCount: 0, Records: input.Records.map(() => ({ SequenceNumber: '1' })) };
    });

    const code = await run(h.deps);

    expect(code).toBe(0);
    expect(h.sleeps).toEqual([{ ms: 1000, stoppable: true }]);
    expect(summaryOf(h)).toMatchObject({ sent: 3, putRecordsCalls: 2 });
  });

  it('sends the next reading at once when a send took exactly the interval', async () => {
    const h = harness(['--count', '3', '--rate', '1']);
    kinesisMock.on(PutRecordsCommand).callsFake((input: { Records: unknown[] }) => {
      h.clock += 1000;
      return { FailedRecordCount: 0, Records: input.Records.map(() => ({ SequenceNumber: '1' })) };
    });

    await run(h.deps);

    expect(h.sleeps.map((sleep) => sleep.ms)).toEqual([1000, 1000]);
  });

  it('uses a random seed when none is given and reports it', async () => {
    const h = harness(['--count', '1', '--rate', '0']);

    await run(h.deps);

    expect(summaryOf(h)).toMatchObject({ seed: 2 ** 30 });
    expect(h.stderr[0]).toBe(
      `producer: streaming 1 readings of DHT-001 into m03p02_raw_data_stream at full speed (seed ${2 ** 30})`,
    );
  });

  it('announces an unlimited run and, on a signal, sends what it holds and exits 0', async () => {
    const h = harness(['--rate', '1', '--device-id', 'DHT-002']);
    let sleeps = 0;
    h.deps = {
      ...h.deps,
      sleep: (ms: number) => {
        sleeps += 1;
        h.clock += ms;
        if (sleeps === 3) h.stop.abort();
        return Promise.resolve();
      },
    };

    const code = await run(h.deps);

    expect(code).toBe(0);
    expect(h.stderr[0]).toBe(
      'producer: streaming unlimited readings of DHT-002 into m03p02_raw_data_stream at 1/s (seed 1073741824)',
    );
    const sent = sentBatches().flatMap((batch) => batch.records.map((record) => record.reading));
    expect(sent.map((reading) => reading.timestamp)).toEqual([
      '2026-11-21T10:00:00.000Z',
      '2026-11-21T10:00:01.000Z',
      '2026-11-21T10:00:02.000Z',
    ]);
    expect(summaryOf(h)).toMatchObject({ sent: 3, produced: 3, stoppedBy: 'signal' });
  });

  it('logs progress every 10 seconds of a run', async () => {
    const h = harness(['--count', '25', '--rate', '1']);

    await run(h.deps);

    expect(h.stderr.filter((line) => line.includes('acknowledged'))).toEqual([
      'producer: 10 readings acknowledged, 10 PutRecords calls',
      'producer: 20 readings acknowledged, 20 PutRecords calls',
    ]);
  });

  it('writes the last acknowledged batch to --status-file', async () => {
    const h = harness(['--count', '2', '--rate', '0', '--status-file', '/run/producer.json']);

    await run(h.deps);

    expect(h.statusWrites).toEqual([
      {
        path: '/run/producer.json',
        content: `${JSON.stringify({ lastAcknowledgedAt: '2026-11-21T10:00:00.000Z', sent: 2 })}\n`,
      },
    ]);
  });

  it('writes no status file unless asked', async () => {
    const h = harness(['--count', '2', '--rate', '0']);

    await run(h.deps);

    expect(h.statusWrites).toEqual([]);
  });

  it('retries a failed call after a backoff, warning on stderr', async () => {
    kinesisMock
      .on(PutRecordsCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .resolves({ FailedRecordCount: 0, Records: [{ SequenceNumber: '1' }] });
    const h = harness(['--count', '1', '--rate', '0']);

    const code = await run(h.deps);

    expect(code).toBe(0);
    expect(h.stderr).toContain(
      'producer: PutRecords attempt 1 failed (ThrottlingException: Rate exceeded); retrying 1 records',
    );
    // Full jitter: random() 0.5 of the first ceiling, 100 ms.
    expect(h.sleeps).toEqual([{ ms: 50, stoppable: false }]);
    expect(summaryOf(h)).toMatchObject({ sent: 1, putRecordsCalls: 2, retriedRecords: 1 });
  });

  it('exits 1 on an error no retry can fix, saying why, with the summary last', async () => {
    kinesisMock.on(PutRecordsCommand).rejects(
      Object.assign(new Error('Stream raw under account 1 not found.'), {
        name: 'ResourceNotFoundException',
      }),
    );
    const h = harness(['--count', '1', '--rate', '0', '--stream', 'raw']);

    const code = await run(h.deps);

    expect(code).toBe(1);
    expect(h.stderr.at(-1)).toBe(
      'producer: PutRecords to stream "raw" failed: ResourceNotFoundException: Stream raw under account 1 not found.',
    );
    expect(summaryOf(h)).toMatchObject({
      sent: 0,
      putRecordsCalls: 1,
      durationMs: 0,
      stoppedBy: 'error',
    });
  });

  it('lets an unexpected failure through to the entry file', async () => {
    const h = harness(['--count', '1', '--rate', '0', '--status-file', '/readonly/status']);
    h.deps = { ...h.deps, writeStatus: () => Promise.reject(new Error('EROFS')) };

    await expect(run(h.deps)).rejects.toThrow('EROFS');
  });
});
