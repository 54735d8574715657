import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { DEFAULT_THRESHOLDS } from '../../lambda/src/config';
import { createHandler, type DetectorDeps } from '../../lambda/src/detector';
import { DetectorMetrics } from '../../lambda/src/metrics';
import { SNSClient } from '@aws-sdk/client-sns';
import { kinesisEvent, kinesisRecord, readingJson } from './events';

// The per-device EMF lines CloudWatch Logs turns into metrics: which devices, in which order,
// and that each invocation starts from zero.
const dynamoMock = mockClient(DynamoDBClient);
const sqsMock = mockClient(SQSClient);

let stdout: string[];

beforeEach(() => {
  stdout = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
  dynamoMock.reset();
  sqsMock.reset();
  dynamoMock.on(BatchGetItemCommand).resolves({ Responses: { anomalies: [] } });
  dynamoMock.on(BatchWriteItemCommand).resolves({});
  sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
});

afterEach(() => {
  jest.restoreAllMocks();
});

/** Device → ReadingsProcessed of each per-device line, in the order written. */
const deviceLines = () =>
  stdout
    .join('')
    .split('\n')
    .filter((line) => line.includes('"DeviceId"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .map((line) => [line.DeviceId, line.ReadingsProcessed, line.DeadLetters]);

function detector(metrics: DetectorMetrics) {
  const deps: DetectorDeps = {
    config: {
      tableName: 'anomalies',
      topicArn: 'arn:aws:sns:us-east-1:123456789012:alerts',
      deadLetterQueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/dead-letters',
      thresholds: DEFAULT_THRESHOLDS,
    },
    dynamo: new DynamoDBClient({ region: 'us-east-1' }),
    sns: new SNSClient({ region: 'us-east-1' }),
    sqs: new SQSClient({ region: 'us-east-1' }),
    log: () => undefined,
    now: () => 0,
    sleep: () => Promise.resolve(),
    counters: metrics,
  };
  return metrics.wrap(createHandler(deps));
}

describe('per-device metrics', () => {
  it('writes the devices’ lines in the order their first records came in the batch', async () => {
    const handler = detector(new DetectorMetrics({ serviceName: 'stack', perDevice: true }));

    await handler(
      kinesisEvent([
        kinesisRecord('not json', 0),
        kinesisRecord(readingJson({ deviceId: 'DHT-009' }), 1),
        kinesisRecord(readingJson({ deviceId: 'DHT-001' }), 2),
      ]),
    );

    expect(deviceLines()).toEqual([
      ['unknown', 1, 1],
      ['DHT-009', 1, 0],
      ['DHT-001', 1, 0],
    ]);
  });

  it('starts every invocation with no devices', async () => {
    const handler = detector(new DetectorMetrics({ serviceName: 'stack', perDevice: true }));

    await handler(kinesisEvent([kinesisRecord(readingJson({ deviceId: 'DHT-001' }), 0)]));
    await handler(kinesisEvent([kinesisRecord(readingJson({ deviceId: 'DHT-002' }), 1)]));

    expect(deviceLines()).toEqual([
      ['DHT-001', 1, 0],
      ['DHT-002', 1, 0],
    ]);
  });

  it('writes no device lines when per-device metrics are off', async () => {
    const handler = detector(new DetectorMetrics({ serviceName: 'stack', perDevice: false }));

    await handler(kinesisEvent([kinesisRecord(readingJson({ deviceId: 'DHT-001' }), 0)]));

    expect(deviceLines()).toEqual([]);
    expect(stdout.join('')).toContain('"ReadingsProcessed":1');
  });
});
