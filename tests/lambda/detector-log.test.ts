import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler } from '../../lambda/src/detector';
import { deviceStatesIn, mockedDeps } from './mocked-detector';
import { atMinute, kinesisEvent, kinesisRecord, readingJson } from './events';

// The one log line per batch that an operator reads in CloudWatch Logs, for known batches,
// with DynamoDB kept in memory (the last state item written for each device).
const dynamoMock = mockClient(DynamoDBClient);
const snsMock = mockClient(SNSClient);
const sqsMock = mockClient(SQSClient);

function handler(logs: string[]) {
  let started = false;
  const deps = mockedDeps({
    log: (entry) => logs.push(JSON.stringify(entry)),
    // The batch starts at 1,000 ms; every later look at the clock is at 1,250 ms.
    now: () => (started ? 1_250 : ((started = true), 1_000)),
  });
  return createHandler(deps);
}

const reading = (deviceId: string, minute: number, temperature: number) =>
  readingJson({ deviceId, timestamp: atMinute(minute), temperature });

beforeEach(() => {
  dynamoMock.reset();
  snsMock.reset();
  sqsMock.reset();
  deviceStatesIn(dynamoMock);
  snsMock.on(PublishBatchCommand).resolves({ Successful: [], Failed: [] });
  sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
});

// A: HOT at 10:00, normal at 10:01 and 10:07 (closed after the 5-minute hold).
// B: COLD at 10:00 and 11:00 (a reminder). C: normal only (no state to write, so it stays
// fresh on redelivery). Three records that are no reading.
const batch = () =>
  kinesisEvent([
    kinesisRecord(reading('A', 0, 103), 0),
    kinesisRecord('not json', 1),
    kinesisRecord(reading('B', 0, 94), 2),
    kinesisRecord(reading('C', 0, 98.6), 3),
    kinesisRecord(reading('A', 1, 98.6), 4),
    kinesisRecord('[1,2]', 5),
    kinesisRecord(reading('A', 7, 98.6), 6),
    kinesisRecord(reading('B', 60, 95), 7),
    kinesisRecord('{', 8),
  ]);

describe('the batch log line', () => {
  it('counts what the batch held and what the detector did with it', async () => {
    const logs: string[] = [];

    const response = await handler(logs)(batch());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(logs.map((line) => JSON.parse(line) as unknown)).toEqual([
      {
        level: 'INFO',
        message: 'kinesis batch processed',
        records: 9,
        normal: 3,
        anomalies: 3,
        stored: 3,
        alreadyProcessed: 0,
        opened: 2,
        closed: 1,
        reminders: 1,
        alertsSent: 2,
        alertsDeferred: 0,
        deadLettered: 3,
        deadLetterReasons: { 'data is not JSON': 2, 'data is JSON but not an object': 1 },
        failed: 0,
        durationMs: 250,
      },
    ]);
  });

  it('counts a redelivered batch as already processed, storing and sending nothing', async () => {
    const logs: string[] = [];
    await handler([])(batch());
    snsMock.resetHistory();
    dynamoMock.resetHistory();

    await handler(logs)(batch());

    expect(JSON.parse(logs[0]!)).toMatchObject({
      level: 'INFO',
      stored: 0,
      alreadyProcessed: 5,
      opened: 0,
      closed: 0,
      reminders: 0,
      alertsSent: 0,
    });
    expect(snsMock.commandCalls(PublishBatchCommand)).toHaveLength(0);
    expect(dynamoMock.commandCalls(BatchWriteItemCommand)).toHaveLength(0);
  });

  it('warns, naming the record to redeliver from, and counts only the messages delivered', async () => {
    snsMock.on(PublishBatchCommand).resolves({
      Successful: [{ Id: 'alert-0' }],
      Failed: [{ Id: 'alert-1', Code: 'InternalError', SenderFault: false }],
    });
    sqsMock.on(SendMessageBatchCommand).resolves({
      Failed: [{ Id: 'record-8', Code: 'InternalError', SenderFault: false }],
    });
    const logs: string[] = [];
    const event = batch();

    const response = await handler(logs)(event);

    const retryFrom = event.Records[2]!.kinesis.sequenceNumber;
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: retryFrom }] });
    expect(JSON.parse(logs[0]!)).toMatchObject({
      level: 'WARN',
      opened: 1,
      closed: 1,
      reminders: 0,
      alertsSent: 1,
      deadLettered: 2,
      failed: 2,
      retryFromSequenceNumber: retryFrom,
    });
  });
});
