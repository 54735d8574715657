import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { deadLetterBody } from '../../lambda/src/dead-letter';
import { createHandler } from '../../lambda/src/detector';
import { STATE_SORT_KEY } from '../../lambda/src/device-state';
import { mockedDeps } from './mocked-detector';
import { eventOf, kinesisEvent, kinesisRecord, readingJson } from './events';

const dynamoMock = mockClient(DynamoDBClient);
const snsMock = mockClient(SNSClient);
const sqsMock = mockClient(SQSClient);

const deps = (logs: string[] = []) =>
  mockedDeps({ log: (entry) => logs.push(JSON.stringify(entry)), now: () => 0 });

const hot = (minute: number, deviceId = 'DHT-001') =>
  readingJson({
    deviceId,
    temperature: 103,
    timestamp: `2026-11-21T10:${String(minute).padStart(2, '0')}:00.000Z`,
  });
const normal = (minute: number) =>
  readingJson({
    temperature: 98,
    timestamp: `2026-11-21T10:${String(minute).padStart(2, '0')}:00.000Z`,
  });

beforeEach(() => {
  dynamoMock.reset();
  snsMock.reset();
  sqsMock.reset();
  dynamoMock.on(BatchGetItemCommand).resolves({ Responses: { anomalies: [] } });
  dynamoMock.on(BatchWriteItemCommand).resolves({});
  dynamoMock.on(PutItemCommand).resolves({});
  dynamoMock.on(UpdateItemCommand).resolves({});
  snsMock.on(PublishBatchCommand).resolves({ Successful: [], Failed: [] });
  sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
});

describe('detector error paths', () => {
  it('checkpoints at a poison record whose dead letter SQS refused', async () => {
    // Prepare
    sqsMock.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: 'record-1', Code: 'InternalError', SenderFault: false }],
    });
    const event = kinesisEvent([
      kinesisRecord(normal(0), 0),
      kinesisRecord('garbage', 1),
      kinesisRecord(hot(2), 2),
    ]);

    // Act
    const response = await createHandler(deps())(event);

    // Assess
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: event.Records[1]!.kinesis.sequenceNumber },
    ]);
  });

  it('checkpoints at the first poison record when SQS is unreachable', async () => {
    // Prepare
    sqsMock.on(SendMessageBatchCommand).rejects(new Error('socket hang up'));
    const event = kinesisEvent([
      kinesisRecord(hot(0), 0),
      kinesisRecord('garbage', 1),
      kinesisRecord('junk', 2),
    ]);

    // Act
    const response = await createHandler(deps())(event);

    // Assess
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: event.Records[1]!.kinesis.sequenceNumber },
    ]);
  });

  it('checkpoints at the first reading when the device states cannot be read', async () => {
    // Prepare
    dynamoMock
      .on(BatchGetItemCommand)
      .rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    const event = kinesisEvent([
      kinesisRecord('garbage', 0),
      kinesisRecord(normal(1), 1),
      kinesisRecord(hot(2), 2),
    ]);

    // Act
    const response = await createHandler(deps())(event);

    // Assess: normal readings count too (they close excursions), so they are redelivered.
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: event.Records[1]!.kinesis.sequenceNumber },
    ]);
    expect(snsMock.commandCalls(PublishBatchCommand)).toHaveLength(0);
  });

  it('gives up on keys DynamoDB keeps leaving unprocessed, and checkpoints there', async () => {
    // Prepare
    dynamoMock.on(BatchGetItemCommand).resolves({
      Responses: { anomalies: [] },
      UnprocessedKeys: {
        anomalies: { Keys: [{ deviceId: { S: 'DHT-001' }, timestamp: { S: STATE_SORT_KEY } }] },
      },
    });
    const event = eventOf([hot(0)]);

    // Act
    const response = await createHandler(deps())(event);

    // Assess
    expect(response.batchItemFailures).toHaveLength(1);
    expect(dynamoMock.commandCalls(BatchGetItemCommand)).toHaveLength(5);
  });

  it('checkpoints at the device whose alert SNS rejected, hands its message over, and clears the others', async () => {
    // Prepare
    snsMock.on(PublishBatchCommand).resolves({
      Successful: [{ Id: 'alert-0' }],
      Failed: [{ Id: 'alert-1', Code: 'InternalError', SenderFault: false }],
    });
    const logs: string[] = [];
    const event = eventOf([hot(0, 'A'), normal(1), hot(2, 'B'), hot(3, 'A')]);

    // Act
    const response = await createHandler(deps(logs))(event);

    // Assess
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: event.Records[2]!.kinesis.sequenceNumber },
    ]);
    const cleared = dynamoMock
      .commandCalls(UpdateItemCommand)
      .filter((call) => call.args[0].input.UpdateExpression === 'REMOVE outbox')
      .map((call) => call.args[0].input.Key?.deviceId?.S);
    expect(cleared).toEqual(['A']);
    const released = dynamoMock
      .commandCalls(PutItemCommand)
      .map((call) => call.args[0].input.Item)
      .filter((item) => item?.deviceId?.S === 'B')
      .map((item) => JSON.parse(item?.outbox?.S ?? '{}') as { leasedUntil: number });
    expect(released.map((outbox) => outbox.leasedUntil)).toEqual([120_000, 0]);
    expect(JSON.parse(logs[0]!)).toMatchObject({ alertsSent: 1, failed: 1, level: 'WARN' });
  });

  it('leaves the message to the invocation that won a concurrent state write', async () => {
    // Prepare: another invocation wrote this device's state, with these readings, first.
    dynamoMock
      .on(PutItemCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'changed', $metadata: {} }));
    const event = eventOf([hot(0), hot(1)]);
    dynamoMock.on(GetItemCommand).resolves({
      Item: {
        deviceId: { S: 'DHT-001' },
        timestamp: { S: STATE_SORT_KEY },
        version: { N: '1' },
        lastSequenceNumber: { S: event.Records[1]!.kinesis.sequenceNumber },
        outbox: { S: JSON.stringify({ events: [], version: 1, leasedUntil: 120_000 }) },
      },
    });

    // Act
    const response = await createHandler(deps())(event);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(snsMock.commandCalls(PublishBatchCommand)).toHaveLength(0);
    expect(dynamoMock.commandCalls(PutItemCommand)).toHaveLength(1);
  });

  it('retries later, from its first reading, a device whose unsent message another invocation holds', async () => {
    // Prepare
    dynamoMock.on(BatchGetItemCommand).resolves({
      Responses: {
        anomalies: [
          {
            deviceId: { S: 'DHT-001' },
            timestamp: { S: STATE_SORT_KEY },
            version: { N: '4' },
            outbox: { S: JSON.stringify({ events: [], version: 4, leasedUntil: 1 }) },
          },
        ],
      },
    });
    const event = eventOf([normal(0), hot(1)]);

    // Act
    const response = await createHandler(deps())(event);

    // Assess
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: event.Records[0]!.kinesis.sequenceNumber },
    ]);
    expect(dynamoMock.commandCalls(PutItemCommand)).toHaveLength(0);
    expect(snsMock.commandCalls(PublishBatchCommand)).toHaveLength(0);
  });

  it('writes one item and one opening for a reading delivered twice in one batch', async () => {
    // Prepare
    const event = kinesisEvent([kinesisRecord(hot(0), 0), kinesisRecord(hot(0), 1)]);

    // Act
    await createHandler(deps())(event);

    // Assess
    const pendingWrites =
      dynamoMock.commandCalls(BatchWriteItemCommand)[0]!.args[0].input.RequestItems?.anomalies;
    expect(pendingWrites).toHaveLength(1);
    const message =
      snsMock.commandCalls(PublishBatchCommand)[0]!.args[0].input.PublishBatchRequestEntries?.[0]
        ?.Message;
    expect(message?.match(/excursion began/g)).toHaveLength(1);
  });
});

describe('dead letters', () => {
  it('cuts the raw data of an oversized record and says so', () => {
    // Act
    const body = JSON.parse(
      deadLetterBody({
        index: 0,
        sequenceNumber: '1',
        partitionKey: 'DHT-001',
        eventSourceArn: undefined,
        reason: 'record is larger than 1024 bytes',
        data: 'A'.repeat(100_000),
      }),
    ) as Record<string, unknown>;

    // Assess
    expect(body).toMatchObject({
      dataTruncated: true,
      dataBase64Length: 100_000,
      sequenceNumber: '1',
    });
    expect(String(body.data).length).toBeLessThan(100_000);
  });
});
