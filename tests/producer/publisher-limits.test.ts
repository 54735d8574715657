import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import {
  KinesisPublisher,
  PublishError,
  type PublisherOptions,
} from '../../producer/src/publisher';

// The PutRecords requests the publisher sends, and what it does with Kinesis' answers: which
// errors stop the producer and which it waits out, and the exact size limits of a call.
const kinesisMock = mockClient(KinesisClient);
const MiB = 1024 * 1024;

function publisher(
  overrides: Partial<PublisherOptions> = {},
  kinesis = new KinesisClient({ region: 'us-east-1' }),
) {
  const sleeps: number[] = [];
  const warnings: string[] = [];
  const instance = new KinesisPublisher(kinesis, 'raw', {
    maxBufferedRecords: 500,
    maxBatchDelayMs: 1000,
    backoffBaseMs: 100,
    backoffCapMs: 5000,
    now: () => 0,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 0.25,
    warn: (message) => warnings.push(message),
    ...overrides,
  });
  return { instance, sleeps, warnings };
}

const callSizes = () =>
  kinesisMock
    .commandCalls(PutRecordsCommand)
    .map((call) => call.args[0].input.Records?.length ?? 0);

const awsError = (name: string, message = `${name} message`) =>
  Object.assign(new Error(message), { name });

const acceptAll = (input: { Records: unknown[] }) => ({
  FailedRecordCount: 0,
  Records: input.Records.map(() => ({ SequenceNumber: '1', ShardId: 'shardId-0' })),
});

beforeEach(() => {
  kinesisMock.reset();
  kinesisMock.on(PutRecordsCommand).callsFake(acceptAll);
});

describe('Kinesis publisher: errors', () => {
  it.each([
    'ResourceNotFoundException',
    'AccessDeniedException',
    'ValidationException',
    'InvalidArgumentException',
    'KMSAccessDeniedException',
    'KMSDisabledException',
    'KMSNotFoundException',
    'KMSInvalidStateException',
    'UnrecognizedClientException',
    'InvalidSignatureException',
  ])('stops at once on %s, naming the stream and the error', async (name) => {
    kinesisMock.on(PutRecordsCommand).rejects(awsError(name, 'no way'));
    const { instance, sleeps } = publisher();
    await instance.add(Buffer.from('{}'), 'k');

    const flushing = instance.flush();

    await expect(flushing).rejects.toThrow(PublishError);
    await expect(flushing).rejects.toMatchObject({ name: 'PublishError' });
    await expect(flushing).rejects.toThrow(`PutRecords to stream "raw" failed: ${name}: no way`);
    expect(callSizes()).toEqual([1]);
    expect(sleeps).toEqual([]);
  });

  it.each(['ProvisionedThroughputExceededException', 'InternalFailure', 'TimeoutError'])(
    'waits out %s with jittered backoff, warning each time',
    async (name) => {
      kinesisMock
        .on(PutRecordsCommand)
        .rejectsOnce(awsError(name, 'busy'))
        .rejectsOnce(awsError(name, 'busy'))
        .resolves({
          FailedRecordCount: 0,
          Records: [{ SequenceNumber: '1' }, { SequenceNumber: '2' }],
        });
      const { instance, sleeps, warnings } = publisher();
      await instance.add(Buffer.from('{"a":1}'), 'k');
      await instance.add(Buffer.from('{"a":2}'), 'k');

      await instance.flush();

      expect(warnings).toEqual([
        `PutRecords attempt 1 failed (${name}: busy); retrying 2 records`,
        `PutRecords attempt 2 failed (${name}: busy); retrying 2 records`,
      ]);
      expect(sleeps).toEqual([25, 50]);
      expect(instance.stats).toMatchObject({ sent: 2, putRecordsCalls: 3, retriedRecords: 4 });
    },
  );

  it('names a thrown value that is not an Error plainly', async () => {
    // A client of our own: the SDK (and its mock) would wrap the thrown value in an Error.
    let calls = 0;
    const client = {
      send: () => {
        calls += 1;
        return calls === 1
          ? Promise.reject('socket closed') // eslint-disable-line @typescript-eslint/prefer-promise-reject-errors
          : Promise.resolve({ FailedRecordCount: 0, Records: [{ SequenceNumber: '1' }] });
      },
    } as unknown as KinesisClient;
    const { instance, warnings } = publisher({}, client);
    await instance.add(Buffer.from('1'), 'k');

    await instance.flush();

    expect(warnings).toEqual([
      'PutRecords attempt 1 failed (Error: socket closed); retrying 1 records',
    ]);
    expect(instance.stats).toMatchObject({ sent: 1, putRecordsCalls: 2, retriedRecords: 1 });
  });

  it.each([
    ['lists no result at all', { FailedRecordCount: 0 }],
    ['lists a result for the first record only', { FailedRecordCount: 0, Records: [{}] }],
  ])(
    'takes the records as sent when the answer reports no failure and %s',
    async (_what, answer) => {
      kinesisMock.on(PutRecordsCommand).resolvesOnce(answer).callsFake(acceptAll);
      const { instance, warnings } = publisher();
      await instance.add(Buffer.from('1'), 'k');
      await instance.add(Buffer.from('2'), 'k');

      await instance.flush();

      expect(callSizes()).toEqual([2]);
      expect(warnings).toEqual([]);
      expect(instance.stats).toMatchObject({ sent: 2, putRecordsCalls: 1, retriedRecords: 0 });
    },
  );

  it('reports each acknowledged batch, with the time it was acknowledged', async () => {
    let now = 0;
    const seen: { sent: number; at: number | undefined }[] = [];
    kinesisMock
      .on(PutRecordsCommand)
      .callsFakeOnce(() => {
        now = 100;
        return {
          FailedRecordCount: 1,
          Records: [{ SequenceNumber: '1' }, { ErrorCode: 'InternalFailure' }],
        };
      })
      .callsFake(() => {
        now = 200;
        return { FailedRecordCount: 0, Records: [{ SequenceNumber: '2' }] };
      });
    const { instance } = publisher({
      now: () => now,
      onAcknowledged: (stats) => {
        seen.push({ sent: stats.sent, at: stats.lastAcknowledgedAt });
      },
    });
    await instance.add(Buffer.from('1'), 'k');
    await instance.add(Buffer.from('2'), 'k');

    await instance.flush();

    expect(seen).toEqual([
      { sent: 1, at: 100 },
      { sent: 2, at: 200 },
    ]);
  });

  it('does not report a response in which every record failed', async () => {
    const seen: number[] = [];
    kinesisMock
      .on(PutRecordsCommand)
      .resolvesOnce({ FailedRecordCount: 1, Records: [{ ErrorCode: 'InternalFailure' }] })
      .resolves({ FailedRecordCount: 0, Records: [{ SequenceNumber: '2' }] });
    const { instance } = publisher({ onAcknowledged: (stats) => void seen.push(stats.sent) });
    await instance.add(Buffer.from('1'), 'k');

    await instance.flush();

    expect(seen).toEqual([1]);
  });
});

describe('Kinesis publisher: limits of a call', () => {
  it('takes a record of exactly 1 MiB (data and partition key) and refuses one byte more', async () => {
    const { instance } = publisher();

    await instance.add(Buffer.alloc(MiB - 3), 'key');
    const adding = instance.add(Buffer.alloc(MiB - 2), 'key');

    await expect(adding).rejects.toThrow(
      new PublishError("a record of 1048577 bytes exceeds Kinesis' 1 MiB limit"),
    );
    await instance.flush();
    expect(callSizes()).toEqual([1]);
  });

  it('fills a call up to exactly 5 MiB, counting each batch afresh', async () => {
    const { instance } = publisher();

    for (let i = 0; i < 11; i += 1) await instance.add(Buffer.alloc(MiB - 1), 'k');
    await instance.flush();

    expect(callSizes()).toEqual([5, 5, 1]);
  });

  it('sends at most maxBufferedRecords records a call when that is below 500', async () => {
    const { instance } = publisher({ maxBufferedRecords: 3 });

    for (let i = 0; i < 7; i += 1) await instance.add(Buffer.from(`${i}`), 'k');
    await instance.flush();

    expect(callSizes()).toEqual([3, 3, 1]);
  });

  it('holds records younger than the batch delay', async () => {
    let now = 0;
    const { instance } = publisher({ now: () => now });

    await instance.add(Buffer.from('1'), 'k');
    now = 999;
    await instance.add(Buffer.from('2'), 'k');

    expect(callSizes()).toEqual([]);
    expect(instance.isDue()).toBe(false);
    expect(instance.held).toBe(2);
    now = 1000;
    expect(instance.isDue()).toBe(true);
  });

  it('is never due with nothing held', () => {
    const { instance } = publisher({ now: () => 10_000 });
    expect(instance.isDue()).toBe(false);
  });
});
