import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { fromEnv } from '../../lambda/src/deps';
import { createHandler } from '../../lambda/src/detector';
import { receiveAll } from '../support/aws';
import { emulatorEnvironment, testClientConfig } from '../../local-pipeline/emulator/clients';
import { createDetectorResources, type DetectorResources } from '../support/detector-resources';
import { motoEndpoint } from '../support/emulator';
import { kinesisEvent, kinesisRecord, readingJson } from './events';

// What the detector leaves behind, read back from the emulator: the table items (the values a
// downstream reader sees, temperature in °F), and the dead-letter bodies.
let dynamo: DynamoDBClient;
let sqs: SQSClient;
let resourceCount = 0;

async function detector(extraEnv: Record<string, string> = {}) {
  resourceCount += 1;
  const resources = await createDetectorResources(motoEndpoint(), `stored-${resourceCount}`);
  Object.assign(process.env, emulatorEnvironment(motoEndpoint()));
  const deps = fromEnv({
    ...process.env,
    ANOMALY_TABLE_NAME: resources.tableName,
    ALERT_TOPIC_ARN: resources.topicArn,
    DEAD_LETTER_QUEUE_URL: resources.deadLetterQueueUrl,
    ...extraEnv,
  });
  return { resources, handler: createHandler({ ...deps, log: () => undefined }) };
}

async function storedItems(resources: DetectorResources) {
  const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: resources.tableName }));
  return Items.filter((item) => /^\d{4}-/.test(item.timestamp?.S ?? ''))
    .map((item) => ({
      deviceId: item.deviceId?.S,
      timestamp: item.timestamp?.S,
      temperature: item.temperature?.N,
      anomaly: item.anomaly?.S,
    }))
    .sort((a, b) => String(a.timestamp).localeCompare(String(b.timestamp)));
}

beforeAll(() => {
  dynamo = new DynamoDBClient(testClientConfig(motoEndpoint()));
  sqs = new SQSClient(testClientConfig(motoEndpoint()));
});

describe('what the detector stores', () => {
  it('stores each anomaly with its normalised timestamp and its temperature in °F', async () => {
    // Prepare
    const { resources, handler } = await detector();
    const event = kinesisEvent([
      kinesisRecord(
        readingJson({ timestamp: '2026-11-21T10:00:01Z', temperature: 40, unit: 'C' }),
        0,
      ),
      kinesisRecord(readingJson({ timestamp: '2026-11-21T10:00:02.000Z', temperature: 98.6 }), 1),
      kinesisRecord(readingJson({ timestamp: '2026-11-21T10:00:03.000Z', temperature: 95.9 }), 2),
      kinesisRecord(readingJson({ timestamp: '2026-11-21T10:00:04.000Z', temperature: 101.1 }), 3),
      kinesisRecord(
        readingJson({ timestamp: '2026-11-21T10:00:05.000Z', temperature: 35, unit: 'C' }),
        4,
      ),
    ]);

    // Act
    const response = await handler(event);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(await storedItems(resources)).toEqual([
      {
        deviceId: 'DHT-001',
        timestamp: '2026-11-21T10:00:01.000Z',
        temperature: '104',
        anomaly: 'HOT',
      },
      {
        deviceId: 'DHT-001',
        timestamp: '2026-11-21T10:00:03.000Z',
        temperature: '95.9',
        anomaly: 'COLD',
      },
      {
        deviceId: 'DHT-001',
        timestamp: '2026-11-21T10:00:04.000Z',
        temperature: '101.1',
        anomaly: 'HOT',
      },
      {
        deviceId: 'DHT-001',
        timestamp: '2026-11-21T10:00:05.000Z',
        temperature: '95',
        anomaly: 'COLD',
      },
    ]);
  });

  it('classifies with the thresholds of its environment', async () => {
    // Prepare
    const { resources, handler } = await detector({ COLD_BELOW_F: '97.5', HOT_ABOVE_F: '99' });
    const event = kinesisEvent(
      [97.4, 97.5, 99, 99.1].map((temperature, i) =>
        kinesisRecord(readingJson({ temperature, timestamp: `2026-11-21T10:00:0${i}.000Z` }), i),
      ),
    );

    // Act
    await handler(event);

    // Assess
    expect((await storedItems(resources)).map((item) => [item.temperature, item.anomaly])).toEqual([
      ['97.4', 'COLD'],
      ['99.1', 'HOT'],
    ]);
  });

  it('dead-letters a record whose data is JSON null and completes the rest of the batch', async () => {
    // Prepare
    const { resources, handler } = await detector();
    const poison = kinesisRecord('null', 0);
    const event = kinesisEvent([
      poison,
      kinesisRecord(readingJson({ temperature: 103, timestamp: '2026-11-21T10:00:09.000Z' }), 1),
    ]);

    // Act
    const response = await handler(event);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const letters = await receiveAll(sqs, resources.deadLetterQueueUrl, { remove: true });
    expect(letters.map((letter) => JSON.parse(letter.Body ?? '{}') as unknown)).toEqual([
      {
        sequenceNumber: poison.kinesis.sequenceNumber,
        partitionKey: 'unknown',
        eventSourceArn: poison.eventSourceARN,
        reason: 'data is JSON but not an object',
        data: Buffer.from('null').toString('base64'),
      },
    ]);
    expect(await storedItems(resources)).toEqual([
      {
        deviceId: 'DHT-001',
        timestamp: '2026-11-21T10:00:09.000Z',
        temperature: '103',
        anomaly: 'HOT',
      },
    ]);
  });

  it('sends dead letters to the configured endpoint even when the queue URL names AWS', async () => {
    // Prepare: the URL a stack output gives, while AWS_ENDPOINT_URL points at the emulator
    const { resources } = await detector();
    const queueName = new URL(resources.deadLetterQueueUrl).pathname.split('/').at(-1) ?? '';
    const { handler } = await detector({
      DEAD_LETTER_QUEUE_URL: `https://sqs.us-east-1.amazonaws.com/123456789012/${queueName}`,
    });

    // Act
    const response = await handler(kinesisEvent([kinesisRecord('not json', 0)]));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const letters = await receiveAll(sqs, resources.deadLetterQueueUrl, { remove: true });
    expect(
      letters.map((letter) => (JSON.parse(letter.Body ?? '{}') as { reason: string }).reason),
    ).toEqual(['data is not JSON']);
  });
});
