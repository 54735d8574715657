import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { run } from '../../producer/src/main';
import { USAGE } from '../../producer/src/config';
import { acceptEveryRecord, harness, kinesisMock, summaryOf } from './main-harness';

// The CLI as a user runs it: flags, pacing, the signal, progress and the status file (when
// something fails: main-failures.test.ts).
acceptEveryRecord();

/** The readings of every PutRecords call, in order, as the stream receives them. */
const sentBatches = () =>
  kinesisMock.commandCalls(PutRecordsCommand).map((call) => ({
    stream: call.args[0].input.StreamName,
    records: (call.args[0].input.Records ?? []).map((record) => ({
      partitionKey: record.PartitionKey,
      reading: JSON.parse(Buffer.from(record.Data!).toString()) as Record<string, unknown>,
    })),
  }));

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
});
