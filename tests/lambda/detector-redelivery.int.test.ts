import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { KinesisStreamEvent } from 'aws-lambda';
import {
  DEVICES,
  awsRequests,
  createResources,
  detectorFor,
  devicesOf,
  drain,
  dynamo,
  openings,
  proxy,
  tableItems,
  useDetectorEmulator,
} from './detector-emulator';
import { eventOf, mixedReadings } from './events';

// The detector against the emulator when AWS fails part-way or a batch comes again: a redelivery
// completes it once (batches that get through: detector.int.test.ts).
useDetectorEmulator();

/** What Lambda redelivers after a partial batch response: the batch from that record on. */
function redeliveryFrom(event: KinesisStreamEvent, sequenceNumber: string): KinesisStreamEvent {
  const start = event.Records.findIndex(
    (record) => record.kinesis.sequenceNumber === sequenceNumber,
  );
  expect(start).toBeGreaterThanOrEqual(0);
  return { Records: event.Records.slice(start) };
}

describe('detector against the emulator', () => {
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
