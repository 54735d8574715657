import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { SQSClient, type Message } from '@aws-sdk/client-sqs';
import { fromEnv } from '../../lambda/src/deps';
import { createHandler } from '../../lambda/src/detector';
import { isReadingItem } from '../../lambda/src/device-state';
import { receiveAll } from '../support/aws';
import { emulatorEnvironment, testClientConfig } from '../../local-pipeline/emulator/clients';
import { createDetectorResources, type DetectorResources } from '../support/detector-resources';
import { motoEndpoint } from '../support/emulator';
import { startFaultProxy, type FaultProxy } from '../../local-pipeline/emulator/fault-proxy';

// The detector against the emulator, reaching AWS through a fault proxy that logs and fails
// requests on demand. Shared by detector.int.test.ts and detector-redelivery.int.test.ts.
export const DEVICES = ['DHT-001', 'DHT-002', 'DHT-003'];

export let proxy: FaultProxy;
export let dynamo: DynamoDBClient;
let sqs: SQSClient;
let resourceCount = 0;

export async function createResources(): Promise<DetectorResources> {
  resourceCount += 1;
  const resources = await createDetectorResources(proxy.endpoint, String(resourceCount));
  proxy.clearLog();
  return resources;
}

/** The detector exactly as `handler.ts` builds it, from the environment, reaching AWS via the proxy. */
export function detectorFor(resources: DetectorResources, logs: string[] = []) {
  Object.assign(process.env, emulatorEnvironment(proxy.endpoint));
  const deps = fromEnv({
    ...process.env,
    ANOMALY_TABLE_NAME: resources.tableName,
    ALERT_TOPIC_ARN: resources.topicArn,
    DEAD_LETTER_QUEUE_URL: resources.deadLetterQueueUrl,
  });
  return createHandler({ ...deps, log: (entry) => logs.push(JSON.stringify(entry)) });
}

export const drain = (queueUrl: string) => receiveAll(sqs, queueUrl, { remove: true });

/** The anomaly items (each device's excursion state item aside), in key order. */
export async function tableItems(tableName: string) {
  const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: tableName }));
  return Items.filter(isReadingItem).sort((a, b) =>
    `${a.deviceId?.S}${a.timestamp?.S}`.localeCompare(`${b.deviceId?.S}${b.timestamp?.S}`),
  );
}

/** The excursions whose opening the messages announce ("A HOT excursion began at …"). */
export function openings(messages: Message[]): string[] {
  return messages.flatMap((message) =>
    (message.Body ?? '').split('\n').filter((line) => line.includes(' excursion began at ')),
  );
}

/** Each message's deviceId attribute, sorted. */
export const devicesOf = (messages: Message[]) =>
  messages.map((message) => message.MessageAttributes?.deviceId?.StringValue).sort();

export const awsRequests = () =>
  proxy.requests.filter((entry) => ['dynamodb', 'sns', 'sqs'].includes(entry.service));

/** Starts the fault proxy for the test file, with no fault and an empty log before each test. */
export function useDetectorEmulator(): void {
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
}
