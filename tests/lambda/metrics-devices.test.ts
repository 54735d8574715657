import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler } from '../../lambda/src/detector';
import { DetectorMetrics } from '../../lambda/src/metrics';
import { mockedDeps } from './mocked-detector';
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
  const deps = mockedDeps({ log: () => undefined, now: () => 0, counters: metrics });
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
