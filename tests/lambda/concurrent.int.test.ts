import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { KinesisStreamEvent } from 'aws-lambda';
import { emulatorEnvironment, testClientConfig } from '../../local-pipeline/emulator/clients';
import { fromEnv } from '../../lambda/src/deps';
import { createHandler } from '../../lambda/src/detector';
import { STATE_SORT_KEY, isReadingItem, stateFromItem } from '../../lambda/src/device-state';
import { receiveAll } from '../support/aws';
import {
  createDetectorResources,
  detectorEnvironment,
  type DetectorResources,
} from '../support/detector-resources';
import { motoEndpoint } from '../support/emulator';
import { kinesisEvent, kinesisRecord, readingJson } from './events';

// A fleet of 500 devices over ten partitions (a parallelisation factor of 10: Lambda keeps each
// partition key in order, and runs the partitions' invocations at once against one table), as
// the same readings processed one batch after another: the same anomalies, excursions, messages.

const DEVICES = 500;
const PARTITIONS = 10;
const START = Date.UTC(2026, 10, 21, 10);
const deviceIds = Array.from(
  { length: DEVICES },
  (_, i) => `DHT-${String(i + 1).padStart(3, '0')}`,
);
/** Each device's two readings: HOT then COLD (a second excursion), HOT then normal, or normal. */
const temperatures = (i: number): [number, number] =>
  [
    [103, 94] as [number, number],
    [104, 98.6] as [number, number],
    [98.6, 98.6] as [number, number],
  ][i % 3]!;

/** Each partition's batches, in stream order: one reading of each of its devices a batch. */
function partitions(): KinesisStreamEvent[][] {
  let position = 0;
  return Array.from({ length: PARTITIONS }, (_, p) => {
    const devices = deviceIds.filter((_, i) => i % PARTITIONS === p);
    return [0, 1].map((second) =>
      kinesisEvent(
        devices.map((deviceId) => {
          const temperature = temperatures(deviceIds.indexOf(deviceId))[second]!;
          const timestamp = new Date(START + second * 1000).toISOString();
          return kinesisRecord(readingJson({ deviceId, temperature, timestamp }), (position += 1));
        }),
      ),
    );
  });
}

function detector(resources: DetectorResources) {
  Object.assign(process.env, emulatorEnvironment(motoEndpoint()));
  const deps = fromEnv({
    ...process.env,
    ...detectorEnvironment(resources),
    // Room for a message a device: this compares excursions and messages, not the budget.
    ALERT_MESSAGES_PER_MINUTE: '100000',
  });
  return createHandler({ ...deps, log: () => undefined, now: () => START });
}

/** What the run left: anomaly items, each device's excursions, and the messages sent. */
async function outcome(resources: DetectorResources) {
  const dynamo = new DynamoDBClient(testClientConfig(motoEndpoint()));
  const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: resources.tableName }));
  const anomalies = Items.filter(isReadingItem)
    .map(
      (item) =>
        `${item.deviceId?.S} ${item.timestamp?.S} ${item.temperature?.N} ${item.anomaly?.S}`,
    )
    .sort();
  const excursions = Items.filter((item) => item.timestamp?.S === STATE_SORT_KEY)
    .map(stateFromItem)
    .map(({ deviceId, open, recent, outbox }) => JSON.stringify({ deviceId, open, recent, outbox }))
    .sort();
  const sqs = new SQSClient(testClientConfig(motoEndpoint()));
  const messages = (await receiveAll(sqs, resources.alertQueueUrl, { remove: true }))
    .map((message) => `${message.MessageAttributes?.deviceId?.StringValue}\n${message.Body}`)
    .sort();
  return { anomalies, excursions, messages };
}

describe('a fleet processed by concurrent invocations', () => {
  it('leaves the same anomalies, excursions and messages as one invocation after another', async () => {
    const sequential = await createDetectorResources(motoEndpoint(), 'fleet-seq');
    const concurrent = await createDetectorResources(motoEndpoint(), 'fleet-par');
    const one = detector(sequential);
    const many = detector(concurrent);

    for (const batch of partitions().flat()) await one(batch);
    const responses = await Promise.all(
      partitions().map(async (batches) => {
        const results = [];
        for (const batch of batches) results.push(await many(batch));
        return results;
      }),
    );

    expect(responses.flat().flatMap((response) => response.batchItemFailures)).toEqual([]);
    const expected = await outcome(sequential);
    const actual = await outcome(concurrent);
    expect(expected.anomalies).toHaveLength(
      Math.ceil(DEVICES / 3) * 2 + Math.ceil((DEVICES - 1) / 3),
    );
    // HOT-then-COLD devices are told twice (the opening; the close and the new opening).
    expect(expected.messages).toHaveLength(
      Math.ceil(DEVICES / 3) * 2 + Math.ceil((DEVICES - 1) / 3),
    );
    expect(actual).toEqual(expected);
  }, 600_000);
});
