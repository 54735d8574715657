import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { SQSClient, type Message } from '@aws-sdk/client-sqs';
import { emulatorEnvironment, testClientConfig } from '../../local-pipeline/emulator/clients';
import { fromEnv } from '../../lambda/src/deps';
import { createHandler } from '../../lambda/src/detector';
import { isReadingItem } from '../../lambda/src/device-state';
import { receiveAll } from '../support/aws';
import {
  createDetectorResources,
  detectorEnvironment,
  type DetectorResources,
} from '../support/detector-resources';
import { motoEndpoint } from '../support/emulator';
import { kinesisEvent, kinesisRecord, readingJson } from './events';

// An alert storm against moto: 1,000 devices open an excursion in the same minute, their batches
// processed by ten invocations at once (a parallelisation factor of 10), with a budget of three
// messages a minute. The clock is the test's, so the minutes after the storm pass without sleeping.

const DEVICES = 1_000;
const CONCURRENT = 10;
const PER_MINUTE = 3;
const START = Date.UTC(2026, 10, 21, 10);
const deviceIds = Array.from(
  { length: DEVICES },
  (_, i) => `DHT-${String(i + 1).padStart(4, '0')}`,
);

let resources: DetectorResources;
let clock = START;

function detector() {
  const endpoint = motoEndpoint();
  Object.assign(process.env, emulatorEnvironment(endpoint));
  const deps = fromEnv({
    ...process.env,
    ...detectorEnvironment(resources),
    ALERT_MESSAGES_PER_MINUTE: String(PER_MINUTE),
  });
  return createHandler({ ...deps, log: () => undefined, now: () => clock });
}

const hot = (deviceId: string, position: number) =>
  kinesisRecord(
    readingJson({ deviceId, temperature: 103, timestamp: new Date(START).toISOString() }),
    position,
  );

/** The devices each message speaks of: its digest lines, or its own device. */
function devicesIn(message: Message): string[] {
  const body = message.Body ?? '';
  const listed = [...body.matchAll(/^- (\S+): A HOT excursion began/gm)].map((m) => m[1]!);
  return listed.length > 0 ? listed : [message.MessageAttributes?.deviceId?.StringValue ?? ''];
}

beforeAll(async () => {
  resources = await createDetectorResources(motoEndpoint(), 'storm');
});

describe('an alert storm', () => {
  it('sends at most the budget each minute, and every opened excursion in exactly one message', async () => {
    const sqs = new SQSClient(testClientConfig(motoEndpoint()));
    const handler = detector();
    const perBatch = DEVICES / CONCURRENT;
    const batches = Array.from({ length: CONCURRENT }, (_, b) =>
      kinesisEvent(
        deviceIds.slice(b * perBatch, (b + 1) * perBatch).map((id, i) => hot(id, b * perBatch + i)),
      ),
    );

    const responses = await Promise.all(batches.map((batch) => handler(batch)));
    const minutes: Message[][] = [await receiveAll(sqs, resources.alertQueueUrl, { remove: true })];
    // Later minutes: one device's normal reading a minute lets an invocation send what waits.
    for (let minute = 1; minute <= 5; minute += 1) {
      clock = START + minute * 60_000;
      const normal = readingJson({
        deviceId: 'DHT-9999',
        timestamp: new Date(clock).toISOString(),
      });
      await handler(kinesisEvent([kinesisRecord(normal, DEVICES + minute)]));
      minutes.push(await receiveAll(sqs, resources.alertQueueUrl, { remove: true }));
    }

    expect(responses.flatMap((response) => response.batchItemFailures)).toEqual([]);
    for (const messages of minutes) expect(messages.length).toBeLessThanOrEqual(PER_MINUTE);
    const told = minutes.flat().flatMap(devicesIn).sort();
    expect(told).toEqual([...deviceIds].sort());
    const digest = minutes[0]!.find((message) => devicesIn(message).length > 1);
    expect(digest?.MessageAttributes?.deviceId?.StringValue).toBe('digest');
    expect(digest?.Body).toMatch(/^Temperature alerts for \d+ devices at once/);
    const dynamo = new DynamoDBClient(testClientConfig(motoEndpoint()));
    const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: resources.tableName }));
    expect(Items.filter(isReadingItem)).toHaveLength(DEVICES);
  }, 300_000);
});
