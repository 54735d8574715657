import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { KinesisStreamEvent } from 'aws-lambda';
import { fromEnv } from '../../lambda/src/deps';
import { createHandler } from '../../lambda/src/detector';
import { isReadingItem } from '../../lambda/src/device-state';
import { receiveAll } from '../support/aws';
import { emulatorEnvironment, testClientConfig } from '../../local-pipeline/emulator/clients';
import { createDetectorResources, type DetectorResources } from '../support/detector-resources';
import { motoEndpoint } from '../support/emulator';
import { startFaultProxy, type FaultProxy } from '../../local-pipeline/emulator/fault-proxy';
import { eventOf, kinesisEvent, kinesisRecord, mixedReadings, readingJson } from './events';

const DEVICES = ['DHT-001', 'DHT-002', 'DHT-003'];

let proxy: FaultProxy;
let dynamo: DynamoDBClient;
let sqs: SQSClient;
let resourceCount = 0;

async function createResources(): Promise<DetectorResources> {
  resourceCount += 1;
  const resources = await createDetectorResources(proxy.endpoint, String(resourceCount));
  proxy.clearLog();
  return resources;
}

/** The detector exactly as `handler.ts` builds it, from the environment, reaching AWS via the proxy. */
function detectorFor(resources: DetectorResources, logs: string[] = []) {
  Object.assign(process.env, emulatorEnvironment(proxy.endpoint));
  const deps = fromEnv({
    ...process.env,
    ANOMALY_TABLE_NAME: resources.tableName,
    ALERT_TOPIC_ARN: resources.topicArn,
    DEAD_LETTER_QUEUE_URL: resources.deadLetterQueueUrl,
  });
  return createHandler({ ...deps, log: (entry) => logs.push(JSON.stringify(entry)) });
}

const drain = (queueUrl: string) => receiveAll(sqs, queueUrl, { remove: true });

/** The anomaly items (each device's excursion state item aside), in key order. */
async function tableItems(tableName: string) {
  const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: tableName }));
  return Items.filter(isReadingItem).sort((a, b) =>
    `${a.deviceId?.S}${a.timestamp?.S}`.localeCompare(`${b.deviceId?.S}${b.timestamp?.S}`),
  );
}

/** The excursions whose opening the messages announce ("A HOT excursion began at …"). */
function openings(messages: Message[]): string[] {
  return messages.flatMap((message) =>
    (message.Body ?? '').split('\n').filter((line) => line.includes(' excursion began at ')),
  );
}

/** Each message's deviceId attribute, sorted. */
const devicesOf = (messages: Message[]) =>
  messages.map((message) => message.MessageAttributes?.deviceId?.StringValue).sort();

const awsRequests = () =>
  proxy.requests.filter((entry) => ['dynamodb', 'sns', 'sqs'].includes(entry.service));

/** What Lambda redelivers after a partial batch response: the batch from that record on. */
function redeliveryFrom(event: KinesisStreamEvent, sequenceNumber: string): KinesisStreamEvent {
  const start = event.Records.findIndex(
    (record) => record.kinesis.sequenceNumber === sequenceNumber,
  );
  expect(start).toBeGreaterThanOrEqual(0);
  return { Records: event.Records.slice(start) };
}

beforeAll(async () => {
  proxy = await startFaultProxy(motoEndpoint());
  dynamo = new DynamoDBClient(testClientConfig(motoEndpoint()));
  sqs = new SQSClient(testClientConfig(proxy.endpoint));
});

afterAll(async () => {
  await proxy.stop();
});

beforeEach(() => {
  proxy.clearFaults();
  proxy.clearLog();
});

describe('detector against the emulator', () => {
  it('stores 100 anomalies of a 1,000-record batch from 3 devices and sends one message per device, in at most 13 requests', async () => {
    // Prepare
    const resources = await createResources();
    const logs: string[] = [];
    const handler = detectorFor(resources, logs);
    const event = eventOf(mixedReadings(1000, DEVICES, 10));

    // Act
    const response = await handler(event);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    // States and budget read (1), anomalies written (4 × 25), states written (3), the topic's
    // budget slots taken (1), published (1), outboxes emptied (3): one over issue 26's target of 12.
    expect(awsRequests().length).toBeLessThanOrEqual(13);
    const items = await tableItems(resources.tableName);
    expect(items).toHaveLength(100);
    expect(new Set(items.map((item) => item.anomaly?.S))).toEqual(new Set(['HOT', 'COLD']));
    const alerts = await drain(resources.alertQueueUrl);
    expect(devicesOf(alerts)).toEqual(DEVICES);
    // Each device alternates HOT and COLD readings: every anomaly opens an excursion of its kind.
    expect(openings(alerts)).toHaveLength(100);
    expect(logs).toHaveLength(1);
    expect(JSON.parse(logs[0]!)).toMatchObject({
      records: 1000,
      normal: 900,
      anomalies: 100,
      stored: 100,
      alreadyProcessed: 0,
      opened: 100,
      deadLettered: 0,
      failed: 0,
    });
  });

  it('makes one read request for a batch with no anomalies and no open excursion', async () => {
    // Prepare
    const resources = await createResources();
    const handler = detectorFor(resources);
    proxy.clearLog();

    // Act
    const response = await handler(eventOf(mixedReadings(500, DEVICES, 1_000_000)));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(awsRequests().map((entry) => entry.operation)).toEqual(['BatchGetItem']);
  });

  it('dead-letters every malformed record with its sequence number, reason and raw data, and completes the rest', async () => {
    // Prepare
    const resources = await createResources();
    const handler = detectorFor(resources);
    const poison: (Record<string, unknown> | string)[] = [
      'not json at all',
      '[1, 2, 3]',
      readingJson({ deviceId: undefined }),
      readingJson({ timestamp: undefined }),
      readingJson({ temperature: undefined }),
      readingJson({ temperature: 'NaN' }),
      readingJson({ temperature: 'Infinity' }),
      readingJson({ temperature: 5000 }),
      readingJson({ unit: 'K' }),
      readingJson({ timestamp: 'yesterday' }),
      readingJson({ deviceId: 7 }),
      readingJson({ note: 'x'.repeat(2048) }),
    ];
    const records = [
      kinesisRecord(readingJson({ temperature: 103, timestamp: '2026-11-21T09:00:00Z' }), 0),
      ...poison.map((payload, i) => kinesisRecord(payload, i + 1)),
      kinesisRecord('', 13, { rawBase64: '***' }),
      kinesisRecord(Buffer.from([0xc3, 0x28]), 14),
      kinesisRecord(readingJson({ temperature: 93, timestamp: '2026-11-21T09:01:00Z' }), 15),
    ];

    // Act
    const response = await handler(kinesisEvent(records));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const letters = (await drain(resources.deadLetterQueueUrl)).map(
      (message) => JSON.parse(message.Body ?? '{}') as Record<string, unknown>,
    );
    expect(letters).toHaveLength(14);
    const bySequence = new Map(letters.map((letter) => [letter.sequenceNumber, letter]));
    for (const record of records.slice(1, 15)) {
      const letter = bySequence.get(record.kinesis.sequenceNumber);
      expect(letter).toBeDefined();
      expect(typeof letter?.reason).toBe('string');
      expect(record.kinesis.data.startsWith(String(letter?.data))).toBe(true);
    }
    const items = await tableItems(resources.tableName);
    expect(items.map((item) => item.anomaly?.S)).toEqual(['HOT', 'COLD']);
    const alerts = await drain(resources.alertQueueUrl);
    expect(alerts).toHaveLength(1);
    expect(openings(alerts)).toEqual([
      'A HOT excursion began at 2026-11-21T09:00:00.000Z: 103.0 °F (normal range 96–101 °F).',
      'A COLD excursion began at 2026-11-21T09:01:00.000Z: 93.0 °F (normal range 96–101 °F).',
    ]);
  });

  it('reports DynamoDB throttling beyond the retries from the first record not done, and a redelivery completes it once', async () => {
    // Prepare
    const resources = await createResources();
    const handler = detectorFor(resources);
    const event = eventOf(mixedReadings(60, DEVICES, 3)); // 20 anomalies: one write chunk
    proxy.inject({ operation: 'BatchWriteItem', fault: 'throttle' });

    // Act
    const first = await handler(event);
    const afterFirst = await tableItems(resources.tableName);
    proxy.clearFaults();
    const retry = await handler(redeliveryFrom(event, first.batchItemFailures[0]!.itemIdentifier));

    // Assess
    // Every anomaly is DHT-003's: its readings are redelivered from its first one.
    expect(first.batchItemFailures).toEqual([
      { itemIdentifier: event.Records[2]!.kinesis.sequenceNumber },
    ]);
    expect(afterFirst).toEqual([]);
    expect(retry.batchItemFailures).toEqual([]);
    const items = await tableItems(resources.tableName);
    expect(items).toHaveLength(20);
    const alerts = await drain(resources.alertQueueUrl);
    expect(devicesOf(alerts)).toEqual(['DHT-003']);
    // HOT and COLD alternate, so each anomaly opens an excursion, announced once.
    expect(openings(alerts)).toHaveLength(20);
    expect(new Set(openings(alerts)).size).toBe(20);
  });

  it('retries what DynamoDB leaves unprocessed, and redelivers the device from its first reading', async () => {
    // Prepare
    const resources = await createResources();
    const handler = detectorFor(resources);
    const event = eventOf(mixedReadings(60, DEVICES, 3));
    // The first write leaves a quarter unprocessed, and every retry of those fails again.
    proxy.inject({ operation: 'BatchWriteItem', fault: 'partial', entryShare: 0.25, times: 1 });
    proxy.inject({ operation: 'BatchWriteItem', fault: 'partial', entryShare: 1, times: 4 });

    // Act
    const first = await handler(event);
    const storedAfterFirst = (await tableItems(resources.tableName)).length;
    const alertsAfterFirst = await drain(resources.alertQueueUrl);
    proxy.clearFaults();
    const retry = await handler(redeliveryFrom(event, first.batchItemFailures[0]!.itemIdentifier));

    // Assess
    expect(first.batchItemFailures).toEqual([
      { itemIdentifier: event.Records[2]!.kinesis.sequenceNumber },
    ]);
    expect(storedAfterFirst).toBeGreaterThan(0);
    expect(storedAfterFirst).toBeLessThan(20);
    expect(alertsAfterFirst).toEqual([]);
    expect(retry.batchItemFailures).toEqual([]);
    expect(await tableItems(resources.tableName)).toHaveLength(20);
    expect(openings(await drain(resources.alertQueueUrl))).toHaveLength(20);
  });

  it('loses no message when SNS fails after the state was written, and sends it once', async () => {
    // Prepare
    const resources = await createResources();
    const handler = detectorFor(resources);
    const event = eventOf(mixedReadings(30, DEVICES, 3));
    proxy.inject({ operation: 'PublishBatch', fault: 'server-error' });

    // Act
    const first = await handler(event);
    const storedAfterFailure = await tableItems(resources.tableName);
    const alertsAfterFailure = await drain(resources.alertQueueUrl);
    proxy.clearFaults();
    const retry = await handler(redeliveryFrom(event, first.batchItemFailures[0]!.itemIdentifier));
    const again = await handler(event);

    // Assess
    expect(first.batchItemFailures).toEqual([
      { itemIdentifier: event.Records[2]!.kinesis.sequenceNumber },
    ]);
    expect(storedAfterFailure).toHaveLength(10);
    expect(alertsAfterFailure).toEqual([]);
    expect(retry.batchItemFailures).toEqual([]);
    expect(again.batchItemFailures).toEqual([]);
    const alerts = await drain(resources.alertQueueUrl);
    expect(alerts).toHaveLength(1);
    expect(openings(alerts)).toHaveLength(10);
  });

  it('changes nothing and sends nothing when the same batch is delivered twice', async () => {
    // Prepare
    const resources = await createResources();
    const logs: string[] = [];
    const handler = detectorFor(resources, logs);
    const event = eventOf(mixedReadings(300, DEVICES, 10));
    await handler(event);
    const { Items: tableAfterFirst } = await dynamo.send(
      new ScanCommand({ TableName: resources.tableName }),
    );
    await drain(resources.alertQueueUrl);
    proxy.clearLog();

    // Act
    const replay = await handler(event);
    const replayRequests = awsRequests().map((entry) => entry.operation);

    // Assess
    expect(replay.batchItemFailures).toEqual([]);
    expect(replayRequests).toEqual(['BatchGetItem']);
    const { Items: tableAfterReplay } = await dynamo.send(
      new ScanCommand({ TableName: resources.tableName }),
    );
    expect(tableAfterReplay).toEqual(tableAfterFirst);
    expect(await drain(resources.alertQueueUrl)).toEqual([]);
    expect(JSON.parse(logs[1]!)).toMatchObject({ stored: 0, alreadyProcessed: 300, alertsSent: 0 });
  });
});
