import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { KinesisStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { fromEnv } from '../../lambda/src/deps';
import { createHandler, type DetectorHandler } from '../../lambda/src/detector';
import { DetectorMetrics, loadMetricsConfig, type MetricsConfig } from '../../lambda/src/metrics';
import { kinesisEvent, kinesisRecord, readingJson } from './events';

const dynamoMock = mockClient(DynamoDBClient);
const snsMock = mockClient(SNSClient);
const sqsMock = mockClient(SQSClient);

const DETECTOR_ENV = {
  ANOMALY_TABLE_NAME: 'm03p02_anomaly_data',
  ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:m03p02_anomaly_alerts',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/dlq',
  AWS_REGION: 'us-east-1',
  POWERTOOLS_SERVICE_NAME: 'anomaly-stack',
};

/** One EMF document as CloudWatch Logs reads it from a log line. */
interface EmfLine {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

let stdout: string[];

beforeEach(() => {
  stdout = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
  dynamoMock.reset();
  snsMock.reset();
  sqsMock.reset();
  dynamoMock
    .on(BatchGetItemCommand)
    .resolves({ Responses: { [DETECTOR_ENV.ANOMALY_TABLE_NAME]: [] } });
  dynamoMock.on(BatchWriteItemCommand).resolves({});
  snsMock.on(PublishBatchCommand).resolves({ Successful: [], Failed: [] });
  sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
});

afterEach(() => {
  jest.restoreAllMocks();
});

function emfLines(): EmfLine[] {
  return stdout
    .join('')
    .split('\n')
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as EmfLine);
}

/** name → [unit, value] of one EMF document, with its namespace and dimension sets. */
function readMetrics(line: EmfLine) {
  const [directive] = line._aws.CloudWatchMetrics;
  return {
    namespace: directive?.Namespace,
    dimensions: directive?.Dimensions,
    values: Object.fromEntries(
      (directive?.Metrics ?? []).map((metric) => [metric.Name, [metric.Unit, line[metric.Name]]]),
    ),
  };
}

const at = (second: number) => `2026-11-21T10:00:${String(second).padStart(2, '0')}.000Z`;
/** Two normal readings, a HOT and a COLD one (on two devices), a record that is not JSON. */
const knownBatch = (): KinesisStreamEvent =>
  kinesisEvent([
    kinesisRecord(readingJson({ timestamp: at(0), temperature: 98.6 }), 0),
    kinesisRecord(readingJson({ timestamp: at(1), temperature: 103.2 }), 1),
    kinesisRecord(readingJson({ deviceId: 'DHT-002', timestamp: at(2), temperature: 94 }), 2),
    kinesisRecord('not json', 3),
    kinesisRecord(readingJson({ deviceId: 'DHT-002', timestamp: at(4), temperature: 99 }), 4),
  ]);

/**
 * The function Lambda runs (lambda/src/handler.ts), loaded with the detector's environment. Not
 * isolated: it must share the AWS SDK module that the client mocks above replaced.
 */
function deployedHandler(): DetectorHandler {
  const saved = { ...process.env };
  Object.assign(process.env, DETECTOR_ENV);
  try {
    return jest.requireActual<{ handler: DetectorHandler }>('../../lambda/src/handler').handler;
  } finally {
    process.env = saved;
  }
}

/** The detector with the given metrics configuration, as handler.ts wires it. */
function detectorWithMetrics(config: MetricsConfig): DetectorHandler {
  const deps = fromEnv(DETECTOR_ENV);
  const metrics = new DetectorMetrics(config);
  return metrics.wrap(createHandler({ ...deps, log: () => undefined, counters: metrics }));
}

describe('detector metrics (Embedded Metric Format)', () => {
  it('writes one EMF line per invocation with the counts of a known batch, per stack', async () => {
    // Prepare
    const handler = deployedHandler();

    // Act
    await handler(knownBatch());

    // Assess
    const lines = emfLines();
    expect(lines).toHaveLength(1);
    const { namespace, dimensions, values } = readMetrics(lines[0]!);
    expect(namespace).toBe('AnomalyDetection');
    expect(dimensions).toEqual([['service']]);
    expect(lines[0]!.service).toBe('anomaly-stack');
    expect(values).toEqual({
      ReadingsProcessed: ['Count', 5],
      Anomalies: ['Count', 2],
      // DHT-001's HOT and DHT-002's COLD reading each open an excursion (their states written).
      ExcursionsOpened: ['Count', 2],
      ExcursionsClosed: ['Count', 0],
      Reminders: ['Count', 0],
      DeadLetters: ['Count', 1],
      BatchDuration: ['Milliseconds', expect.any(Number)],
    });
  });

  it('adds one line per device when METRICS_PER_DEVICE is true', async () => {
    // Prepare
    const handler = detectorWithMetrics({ serviceName: 'anomaly-stack', perDevice: true });

    // Act
    await handler(knownBatch());

    // Assess
    const perDevice = emfLines()
      .slice(1)
      .map((line) => ({ device: line.DeviceId, ...readMetrics(line) }));
    expect(perDevice.map(({ device, dimensions }) => [device, dimensions])).toEqual([
      ['DHT-001', [['service', 'DeviceId']]],
      ['DHT-002', [['service', 'DeviceId']]],
      ['unknown', [['service', 'DeviceId']]],
    ]);
    expect(perDevice.map(({ values }) => values.ReadingsProcessed?.[1])).toEqual([2, 2, 1]);
    expect(perDevice.map(({ values }) => values.Anomalies?.[1])).toEqual([1, 1, 0]);
    expect(perDevice.map(({ values }) => values.DeadLetters?.[1])).toEqual([0, 0, 1]);
    expect(perDevice[0]?.values.BatchDuration).toBeUndefined();
  });

  it('counts only the records before the one Lambda will redeliver', async () => {
    // Prepare: the dead letter of record 3 cannot be sent, so the batch checkpoints there.
    sqsMock.on(SendMessageBatchCommand).rejects(new Error('SQS is down'));
    const handler = detectorWithMetrics({ serviceName: 'anomaly-stack', perDevice: false });

    // Act
    const response = await handler(knownBatch());

    // Assess
    expect(response.batchItemFailures).toHaveLength(1);
    const { values } = readMetrics(emfLines()[0]!);
    expect(values.ReadingsProcessed).toEqual(['Count', 3]);
    expect(values.Anomalies).toEqual(['Count', 2]);
    expect(values.DeadLetters).toEqual(['Count', 0]);
  });

  it('publishes what the detector counts and the batch duration, then starts from zero', async () => {
    // Prepare: a stand-in detector that opens one excursion and sends one reminder.
    const clock = [1_000, 1_042, 2_000, 2_005];
    const metrics = new DetectorMetrics(
      { serviceName: 'anomaly-stack', perDevice: false },
      () => clock.shift() ?? 0,
    );
    let invocation = 0;
    const handler = metrics.wrap(() => {
      invocation += 1;
      if (invocation === 1) {
        metrics.count('ExcursionsOpened', 'DHT-001');
        metrics.count('Reminders', 'DHT-002', 2);
      }
      return Promise.resolve({ batchItemFailures: [] });
    });

    // Act
    await handler(kinesisEvent([]));
    await handler(kinesisEvent([]));

    // Assess
    const [first, second] = emfLines().map((line) => readMetrics(line).values);
    expect(first).toMatchObject({
      ExcursionsOpened: ['Count', 1],
      Reminders: ['Count', 2],
      BatchDuration: ['Milliseconds', 42],
    });
    expect(second).toMatchObject({
      ExcursionsOpened: ['Count', 0],
      Reminders: ['Count', 0],
      BatchDuration: ['Milliseconds', 5],
    });
  });

  it('still publishes the duration when the detector throws', async () => {
    // Prepare
    const metrics = new DetectorMetrics({ serviceName: 'anomaly-stack', perDevice: false });
    const handler = metrics.wrap(() => Promise.reject(new Error('boom')));

    // Act
    const invocation = handler(knownBatch());

    // Assess
    await expect(invocation).rejects.toThrow('boom');
    expect(readMetrics(emfLines()[0]!).values.ReadingsProcessed).toEqual(['Count', 0]);
  });

  it('rejects a METRICS_PER_DEVICE that is not true or false, naming it', () => {
    expect(() => loadMetricsConfig({ METRICS_PER_DEVICE: 'yes' })).toThrow(
      'METRICS_PER_DEVICE "yes" must be true or false.',
    );
    expect(loadMetricsConfig({})).toEqual({ serviceName: 'anomaly-detector', perDevice: false });
  });
});
