import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { alertsFor } from '../../lambda/src/alerts';
import { DEFAULT_THRESHOLDS } from '../../lambda/src/config';
import { deadLetterBody } from '../../lambda/src/dead-letter';
import { createHandler, type DetectorDeps } from '../../lambda/src/detector';
import type { Anomaly } from '../../lambda/src/store';
import { eventOf, kinesisEvent, kinesisRecord, readingJson } from './events';

const dynamoMock = mockClient(DynamoDBClient);
const snsMock = mockClient(SNSClient);
const sqsMock = mockClient(SQSClient);

function deps(logs: string[] = []): DetectorDeps {
  return {
    config: {
      tableName: 'anomalies',
      topicArn: 'arn:aws:sns:us-east-1:123456789012:alerts',
      deadLetterQueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/dead-letters',
      thresholds: DEFAULT_THRESHOLDS,
    },
    dynamo: new DynamoDBClient({ region: 'us-east-1' }),
    sns: new SNSClient({ region: 'us-east-1' }),
    sqs: new SQSClient({ region: 'us-east-1' }),
    log: (line) => logs.push(line),
    now: () => 0,
    sleep: () => Promise.resolve(),
  };
}

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

  it('checkpoints at the first anomaly when the table cannot be read', async () => {
    // Prepare
    dynamoMock
      .on(BatchGetItemCommand)
      .rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    const event = eventOf([normal(0), normal(1), hot(2), hot(3)]);

    // Act
    const response = await createHandler(deps())(event);

    // Assess
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: event.Records[2]!.kinesis.sequenceNumber },
    ]);
    expect(snsMock.commandCalls(PublishBatchCommand)).toHaveLength(0);
  });

  it('gives up on keys DynamoDB keeps leaving unprocessed, and checkpoints there', async () => {
    // Prepare
    dynamoMock.on(BatchGetItemCommand).resolves({
      Responses: { anomalies: [] },
      UnprocessedKeys: {
        anomalies: { Keys: [{ deviceId: { S: 'DHT-001' }, timestamp: { S: 'x' } }] },
      },
    });
    const event = eventOf([hot(0)]);

    // Act
    const response = await createHandler(deps())(event);

    // Assess
    expect(response.batchItemFailures).toHaveLength(1);
    expect(dynamoMock.commandCalls(BatchGetItemCommand)).toHaveLength(5);
  });

  it('checkpoints at the device whose alert SNS rejected, and alerts the others', async () => {
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
    const sentMarks = dynamoMock
      .commandCalls(BatchWriteItemCommand)
      .map((call) => call.args[0].input.RequestItems?.anomalies ?? [])
      .flat()
      .filter((write) => write.PutRequest?.Item?.alertStatus?.S === 'SENT')
      .map((write) => write.PutRequest?.Item?.deviceId?.S);
    expect(sentMarks).toEqual(['A', 'A']);
    expect(JSON.parse(logs[0]!)).toMatchObject({ alertsSent: 1, failed: 1, level: 'WARN' });
  });

  it('writes one item and one alert line for a reading delivered twice in one batch', async () => {
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
    expect(message?.match(/HOT/g)).toHaveLength(1);
  });
});

describe('alert messages', () => {
  const anomaly = (deviceId: string, minute: number, kind: 'HOT' | 'COLD'): Anomaly => ({
    reading: {
      deviceId,
      timestamp: `2026-11-21T10:${String(minute).padStart(2, '0')}:00.000Z`,
      temperatureF: kind === 'HOT' ? 102.35 : 95.1,
      unit: 'F',
    },
    kind,
    sequenceNumber: String(minute),
    index: minute,
  });

  it("lists a device's anomalies in time order under a readable subject", () => {
    // Act
    const [alert] = alertsFor(
      [anomaly('DHT-001', 5, 'COLD'), anomaly('DHT-001', 1, 'HOT')],
      DEFAULT_THRESHOLDS,
    );

    // Assess
    expect(alert?.subject).toBe('Temperature alert for DHT-001: 1 HOT, 1 COLD');
    expect(alert?.message.split('\n').slice(2)).toEqual([
      '2026-11-21T10:01:00.000Z  102.3 °F  HOT',
      '2026-11-21T10:05:00.000Z  95.1 °F  COLD',
    ]);
  });

  it('keeps the subject ASCII and under 100 characters whatever the device id', () => {
    // Act
    const [alert] = alertsFor([anomaly(`Gerät-${'x'.repeat(120)}`, 1, 'HOT')], DEFAULT_THRESHOLDS);

    // Assess
    expect(alert?.subject.length).toBeLessThan(100);
    expect(alert?.subject).toMatch(/^[\x20-\x7e]+$/);
    expect(alert?.subject).toMatch(/\.\.\.: 1 HOT$/);
  });

  it('lists at most 100 anomalies and counts the rest', () => {
    // Act
    const many = Array.from({ length: 130 }, (_, i) => ({
      ...anomaly('DHT-001', 0, 'HOT'),
      index: i,
    }));
    const [alert] = alertsFor(many, DEFAULT_THRESHOLDS);

    // Assess
    expect(alert?.message.match(/ HOT$/gm)).toHaveLength(100);
    expect(alert?.message).toContain('and 30 more');
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
