import {
  BatchWriteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler } from '../../lambda/src/detector';
import { deviceStatesIn, mockedDeps } from './mocked-detector';
import { atMinute, kinesisEvent, kinesisRecord, readingJson } from './events';

// Devices whose new readings are all normal: what the detector still has to write and send for
// them (an open excursion to follow, a message left unsent), and what it counts in its log line.
const dynamoMock = mockClient(DynamoDBClient);
const snsMock = mockClient(SNSClient);
const sqsMock = mockClient(SQSClient);

let states: Map<string, Record<string, AttributeValue>>;
let logs: Record<string, unknown>[];

const handler = () => createHandler(mockedDeps({ log: (entry) => logs.push(entry), now: () => 0 }));

/** The device's reading at `minute`, delivered as the stream's record number `minute`. */
const reading = (minute: number, temperature: number, deviceId = 'A') =>
  kinesisRecord(readingJson({ deviceId, timestamp: atMinute(minute), temperature }), minute);
const run = (...records: ReturnType<typeof reading>[]) => handler()(kinesisEvent(records));

const puts = () => dynamoMock.commandCalls(PutItemCommand).map((call) => call.args[0].input.Item);
const published = () =>
  snsMock
    .commandCalls(PublishBatchCommand)
    .flatMap((call) => call.args[0].input.PublishBatchRequestEntries ?? [])
    .map((entry) => entry.Subject ?? '');

beforeEach(() => {
  logs = [];
  dynamoMock.reset();
  snsMock.reset();
  states = deviceStatesIn(dynamoMock);
  // Emptying the outbox (UpdateItem) leaves the rest of the state item.
  dynamoMock.on(UpdateItemCommand).callsFake((input: { Key: Record<string, AttributeValue> }) => {
    const item = { ...states.get(input.Key.deviceId?.S ?? '') };
    delete item.outbox;
    states.set(input.Key.deviceId?.S ?? '', item);
    return {};
  });
  snsMock.on(PublishBatchCommand).resolves({ Successful: [], Failed: [] });
  sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
});

describe('a device whose new readings are all normal', () => {
  it('writes the first normal reading into the excursion it has open, and sends nothing', async () => {
    await run(reading(0, 103));
    snsMock.resetHistory();

    const response = await run(reading(1, 98.6));

    expect(response.batchItemFailures).toEqual([]);
    expect(puts()).toHaveLength(2);
    expect(JSON.parse(puts()[1]?.openExcursion?.S ?? '{}')).toMatchObject({
      kind: 'HOT',
      normalSince: atMinute(1),
    });
    expect(puts()[1]?.outbox).toBeUndefined();
    expect(published()).toEqual([]);
  });

  it('sends the message a failed invocation left in its outbox', async () => {
    await run(reading(0, 103));
    await run(reading(1, 98.6));
    snsMock.on(PublishBatchCommand).rejects(new Error('SNS is down'));
    const failed = await run(reading(7, 98.6));
    snsMock.reset();
    snsMock.on(PublishBatchCommand).resolves({ Successful: [], Failed: [] });

    const response = await run(reading(8, 98.6));

    expect(failed.batchItemFailures).toHaveLength(1);
    expect(response.batchItemFailures).toEqual([]);
    expect(published()).toHaveLength(1);
    expect(published()[0]).toMatch(/ended/i);
    expect(states.get('A')?.outbox).toBeUndefined();
  });
});

describe('the counts of the batch log line', () => {
  it('counts nothing and fails nothing when no record holds a reading', async () => {
    const response = await handler()(kinesisEvent([kinesisRecord('not json', 0)]));

    expect(response.batchItemFailures).toEqual([]);
    expect(logs[0]).toMatchObject({
      stored: 0,
      alreadyProcessed: 0,
      opened: 0,
      closed: 0,
      reminders: 0,
      alertsSent: 0,
      alertsDeferred: 0,
      failed: 0,
    });
  });

  it('does not count an anomaly DynamoDB would not store', async () => {
    dynamoMock.on(BatchWriteItemCommand).rejects(new Error('throttled'));

    const response = await run(reading(0, 103));

    expect(response.batchItemFailures).toHaveLength(1);
    expect(logs[0]).toMatchObject({ stored: 0, failed: 1 });
  });

  it('counts a message that waits for a slot of a used-up minute as deferred', async () => {
    states.set('#alert-budget', {
      deviceId: { S: '#alert-budget' },
      timestamp: { S: '#alert-budget' },
      slotMinute: { N: '0' },
      slotsUsed: { N: '10' },
    });

    const response = await run(reading(0, 103));

    expect(response.batchItemFailures).toEqual([]);
    expect(published()).toEqual([]);
    expect(logs[0]).toMatchObject({ stored: 1, alertsSent: 0, alertsDeferred: 1 });
  });
});
