import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import {
  KinesisPublisher,
  PublishError,
  type PublisherOptions,
} from '../../producer/src/publisher';

const kinesisMock = mockClient(KinesisClient);

function publisher(overrides: Partial<PublisherOptions> = {}) {
  const sleeps: number[] = [];
  const instance = new KinesisPublisher(new KinesisClient({ region: 'us-east-1' }), 'stream', {
    maxBufferedRecords: 500,
    maxBatchDelayMs: 1000,
    backoffBaseMs: 100,
    backoffCapMs: 5000,
    now: () => 0,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 1,
    warn: () => undefined,
    ...overrides,
  });
  return { instance, sleeps };
}

const data = (i: number) => Buffer.from(`{"n":${i}}`);
const sentPayloads = () =>
  kinesisMock
    .commandCalls(PutRecordsCommand)
    .map(
      (call) =>
        call.args[0].input.Records?.map((record) => Buffer.from(record.Data!).toString()) ?? [],
    );

beforeEach(() => {
  kinesisMock.reset();
  kinesisMock.on(PutRecordsCommand).callsFake((input: { Records: unknown[] }) => ({
    FailedRecordCount: 0,
    Records: input.Records.map(() => ({ SequenceNumber: '1', ShardId: 'shardId-0' })),
  }));
});

describe('Kinesis publisher', () => {
  it('sends full batches of 500 and holds the rest until flushed', async () => {
    // Prepare
    const { instance } = publisher();

    // Act
    for (let i = 0; i < 1200; i += 1) await instance.add(data(i), 'DHT-001');
    const heldBeforeFlush = instance.held;
    await instance.flush();

    // Assess
    expect(sentPayloads().map((batch) => batch.length)).toEqual([500, 500, 200]);
    expect(heldBeforeFlush).toBe(200);
    expect(instance.stats).toMatchObject({ sent: 1200, putRecordsCalls: 3, retriedRecords: 0 });
  });

  it('never holds more than the buffer allows while Kinesis is slow (back-pressure)', async () => {
    // Prepare
    let release: () => void = () => undefined;
    kinesisMock.on(PutRecordsCommand).callsFake(async (input: { Records: unknown[] }) => {
      await new Promise<void>((resolve) => (release = resolve));
      return { FailedRecordCount: 0, Records: input.Records.map(() => ({ SequenceNumber: '1' })) };
    });
    const { instance } = publisher({ maxBufferedRecords: 50 });
    let added = 0;

    // Act: the 50th add starts a send that does not finish yet
    const adding = (async () => {
      for (let i = 0; i < 120; i += 1) {
        await instance.add(data(i), 'k');
        added += 1;
      }
    })();
    await new Promise((resolve) => setImmediate(resolve));
    const addedWhileBlocked = added;
    const heldWhileBlocked = instance.held;
    for (let i = 0; i < 3; i += 1) {
      release();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await adding;

    // Assess
    expect(addedWhileBlocked).toBe(49);
    expect(heldWhileBlocked).toBe(0);
  });

  it('splits batches at 5 MiB', async () => {
    // Prepare
    const { instance } = publisher();
    const big = Buffer.alloc(1024 * 1024 - 10, 1);

    // Act
    for (let i = 0; i < 6; i += 1) await instance.add(big, 'k');
    await instance.flush();

    // Assess
    expect(sentPayloads().map((batch) => batch.length)).toEqual([5, 1]);
  });

  it('rejects a record over 1 MiB', async () => {
    const { instance } = publisher();
    await expect(instance.add(Buffer.alloc(1024 * 1024 + 1), 'k')).rejects.toThrow(PublishError);
  });

  it('re-sends only the records a response marks failed, backing off, until all are taken', async () => {
    // Prepare
    kinesisMock
      .on(PutRecordsCommand)
      .resolvesOnce({
        FailedRecordCount: 2,
        Records: [
          { SequenceNumber: '1' },
          { ErrorCode: 'ProvisionedThroughputExceededException' },
          { SequenceNumber: '2' },
          { ErrorCode: 'InternalFailure' },
        ],
      })
      .resolvesOnce({
        FailedRecordCount: 1,
        Records: [{ ErrorCode: 'ProvisionedThroughputExceededException' }, { SequenceNumber: '3' }],
      })
      .resolves({ FailedRecordCount: 0, Records: [{ SequenceNumber: '4' }] });
    const { instance, sleeps } = publisher();

    // Act
    for (let i = 0; i < 4; i += 1) await instance.add(data(i), 'k');
    await instance.flush();

    // Assess
    expect(sentPayloads()).toEqual([
      ['{"n":0}', '{"n":1}', '{"n":2}', '{"n":3}'],
      ['{"n":1}', '{"n":3}'],
      ['{"n":1}'],
    ]);
    expect(instance.stats).toMatchObject({ sent: 4, putRecordsCalls: 3, retriedRecords: 3 });
    expect(sleeps).toEqual([100, 200]);
  });

  it('caps the backoff', async () => {
    // Prepare
    kinesisMock
      .on(PutRecordsCommand)
      .rejects(
        Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }),
      );
    kinesisMock
      .on(PutRecordsCommand)
      .rejectsOnce(new Error('a'))
      .rejectsOnce(new Error('b'))
      .rejectsOnce(new Error('c'))
      .rejectsOnce(new Error('d'))
      .rejectsOnce(new Error('e'))
      .rejectsOnce(new Error('f'))
      .rejectsOnce(new Error('g'))
      .resolves({ FailedRecordCount: 0, Records: [{ SequenceNumber: '1' }] });
    const { instance, sleeps } = publisher();

    // Act
    await instance.add(data(1), 'k');
    await instance.flush();

    // Assess
    expect(sleeps).toEqual([100, 200, 400, 800, 1600, 3200, 5000]);
    expect(instance.stats.sent).toBe(1);
  });

  it('stops on an error no retry can fix, naming the stream', async () => {
    // Prepare
    kinesisMock
      .on(PutRecordsCommand)
      .rejects(
        Object.assign(new Error('Stream stream not found'), { name: 'ResourceNotFoundException' }),
      );
    const { instance } = publisher();
    await instance.add(data(1), 'k');

    // Act
    const flushing = instance.flush();

    // Assess
    await expect(flushing).rejects.toThrow(
      /PutRecords to stream "stream" failed: ResourceNotFoundException/,
    );
  });

  it('sends a held record once it is due, when traffic is light', async () => {
    // Prepare
    let now = 0;
    const { instance } = publisher({ now: () => now });

    // Act
    await instance.add(data(1), 'k');
    now = 1000;
    await instance.add(data(2), 'k');

    // Assess
    expect(sentPayloads()).toEqual([['{"n":1}', '{"n":2}']]);
  });
});
