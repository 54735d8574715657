import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { deadLetterBody, sendDeadLetters, type DeadLetter } from '../../lambda/src/dead-letter';
import { packBatches } from '../../lambda/src/batching';

// What lands on the dead-letter queue: the message body a person reads, and the
// SendMessageBatch requests within SQS' limits.
const sqsMock = mockClient(SQSClient);
const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/dead-letters';
const ARN = 'arn:aws:kinesis:us-east-1:123456789012:stream/raw';

const letter = (index: number, data = 'eyJ4IjoxfQ=='): DeadLetter => ({
  index,
  sequenceNumber: `4959${index}`,
  partitionKey: 'DHT-001',
  eventSourceArn: ARN,
  reason: 'data is not JSON',
  data,
});

const sentEntries = () =>
  sqsMock
    .commandCalls(SendMessageBatchCommand)
    .map((call) => (call.args[0].input.Entries ?? []).map((entry) => entry.Id));

beforeEach(() => {
  sqsMock.reset();
  sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
});

describe('dead-letter body', () => {
  it('carries the sequence number, partition key, source, reason and raw data', () => {
    expect(JSON.parse(deadLetterBody(letter(3)))).toEqual({
      sequenceNumber: '49593',
      partitionKey: 'DHT-001',
      eventSourceArn: ARN,
      reason: 'data is not JSON',
      data: 'eyJ4IjoxfQ==',
    });
  });

  it('escapes the characters SQS refuses (U+FFFE, U+FFFF), so the body still parses to them', () => {
    const body = deadLetterBody({ ...letter(1), partitionKey: 'bed\uFFFE7\uFFFF' });

    expect(body).toContain('"partitionKey":"bed\\ufffe7\\uffff"');
    expect(body).not.toMatch(/[\uFFFE\uFFFF]/);
    expect((JSON.parse(body) as { partitionKey: string }).partitionKey).toBe('bed\uFFFE7\uFFFF');
  });

  it('keeps 16 KiB of raw data whole', () => {
    const data = 'A'.repeat(16 * 1024);
    expect(JSON.parse(deadLetterBody(letter(0, data)))).toEqual(
      expect.not.objectContaining({ dataTruncated: expect.anything() }),
    );
    expect((JSON.parse(deadLetterBody(letter(0, data))) as { data: string }).data).toBe(data);
  });

  it('cuts raw data longer than 16 KiB to its first 16 KiB and says how long it was', () => {
    const data = `${'A'.repeat(16 * 1024)}B`;
    expect(JSON.parse(deadLetterBody(letter(0, data)))).toEqual({
      sequenceNumber: '49590',
      partitionKey: 'DHT-001',
      eventSourceArn: ARN,
      reason: 'data is not JSON',
      data: 'A'.repeat(16 * 1024),
      dataTruncated: true,
      dataBase64Length: 16 * 1024 + 1,
    });
  });
});

describe('sending dead letters', () => {
  it('sends up to 10 letters a request to the queue, one entry per record', async () => {
    const failed = await sendDeadLetters(
      new SQSClient({ region: 'us-east-1' }),
      QUEUE,
      Array.from({ length: 12 }, (_, i) => letter(i)),
    );

    expect(failed).toEqual([]);
    expect(sqsMock.commandCalls(SendMessageBatchCommand)[0]!.args[0].input.QueueUrl).toBe(QUEUE);
    expect(sentEntries()).toEqual([
      Array.from({ length: 10 }, (_, i) => `record-${i}`),
      ['record-10', 'record-11'],
    ]);
    const first = sqsMock.commandCalls(SendMessageBatchCommand)[0]!.args[0].input.Entries![0]!;
    expect(first.MessageBody).toBe(deadLetterBody(letter(0)));
  });

  it('returns the letters SQS reports failed', async () => {
    sqsMock.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: 'record-1', Code: 'InternalError', SenderFault: false }],
    });

    const failed = await sendDeadLetters(new SQSClient({ region: 'us-east-1' }), QUEUE, [
      letter(0),
      letter(1),
      letter(2),
    ]);

    expect(failed).toEqual([letter(1)]);
  });

  it('returns every letter of a request that failed, and still sends the next one', async () => {
    sqsMock
      .on(SendMessageBatchCommand)
      .rejectsOnce(new Error('connect ECONNREFUSED'))
      .resolves({ Successful: [], Failed: [] });

    const letters = Array.from({ length: 11 }, (_, i) => letter(i));
    const failed = await sendDeadLetters(new SQSClient({ region: 'us-east-1' }), QUEUE, letters);

    expect(failed).toEqual(letters.slice(0, 10));
    expect(sentEntries()).toHaveLength(2);
  });
});

describe('packing batches within an API limit', () => {
  const size = (item: number) => item;

  it('closes a batch at the entry limit', () => {
    expect(packBatches([1, 1, 1, 1, 1], size, { entries: 2, bytes: 100 })).toEqual([
      [1, 1],
      [1, 1],
      [1],
    ]);
  });

  it('fills a batch up to exactly the byte limit and starts a new one past it', () => {
    expect(packBatches([40, 60, 1, 99, 2], size, { entries: 10, bytes: 100 })).toEqual([
      [40, 60],
      [1, 99],
      [2],
    ]);
  });

  it('sends an item larger than the limit on its own', () => {
    expect(packBatches([150, 10], size, { entries: 10, bytes: 100 })).toEqual([[150], [10]]);
  });

  it('makes no batch of nothing', () => {
    expect(packBatches([], size, { entries: 10, bytes: 100 })).toEqual([]);
  });
});
