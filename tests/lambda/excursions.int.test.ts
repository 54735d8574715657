import { SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { KinesisStreamEvent } from 'aws-lambda';
import { emulatorEnvironment, testClientConfig } from '../../local-pipeline/emulator/clients';
import { startFaultProxy, type FaultProxy } from '../../local-pipeline/emulator/fault-proxy';
import type { Handler } from '../../local-pipeline/lambda/kinesis-poller';
import { loadDetector } from '../../local-pipeline/lambda/deployed-detector';
import { receiveAll } from '../support/aws';
import { createDetectorResources, type DetectorResources } from '../support/detector-resources';
import { motoEndpoint } from '../support/emulator';
import { kinesisEvent, kinesisRecord, readingJson } from './events';

// Through the built bundle (lambda/dist/index.js), loaded as Lambda loads it, against moto.
// Readings carry synthetic timestamps one second apart and are batched as the event source
// mapping's 10-second window batches them at 1 Hz; nothing sleeps.

const WINDOW = 10;
/** The mapping's BatchSize: a replay from the start of the stream comes in full batches. */
const BATCH_SIZE = 500;
const START = Date.UTC(2026, 10, 21, 8);
let proxy: FaultProxy;
let suffix = 0;

/** A built detector (a cold start) for fresh resources, reaching AWS through `endpoint`. */
async function coldStart(resources?: DetectorResources, endpoint = proxy.endpoint) {
  suffix += 1;
  const made = resources ?? (await createDetectorResources(endpoint, `exc-${suffix}`));
  jest.resetModules(); // jest keeps its own module registry: without this, no cold start
  const handler = loadDetector({
    ...emulatorEnvironment(endpoint),
    ANOMALY_TABLE_NAME: made.tableName,
    ALERT_TOPIC_ARN: made.topicArn,
    DEAD_LETTER_QUEUE_URL: made.deadLetterQueueUrl,
    // Hours of readings replay here in about a minute, and the topic's budget counts minutes of
    // the wall clock: with the default 10 a minute, how many messages wait for the next minute
    // (and whether one comes before the run ends) would depend on the machine's speed. This file
    // checks messages per excursion; the budget has its own tests (storm.int.test.ts).
    ALERT_MESSAGES_PER_MINUTE: '1000',
  });
  return { resources: made, handler };
}

/** One record a second from START at the given temperatures, in events of WINDOW records. */
function windows(
  temperatures: readonly number[],
  deviceId = 'DHT-001',
  size = WINDOW,
): KinesisStreamEvent[] {
  const records = temperatures.map((temperature, i) =>
    kinesisRecord(
      readingJson({ deviceId, temperature, timestamp: new Date(START + i * 1000).toISOString() }),
      i,
    ),
  );
  const events: KinesisStreamEvent[] = [];
  for (let i = 0; i < records.length; i += size) {
    events.push(kinesisEvent(records.slice(i, i + size)));
  }
  return events;
}

async function runAll(handler: Handler, events: readonly KinesisStreamEvent[]) {
  for (const event of events) {
    const response = await handler(event);
    expect(response?.batchItemFailures).toEqual([]);
  }
}

const messages = (resources: DetectorResources) =>
  receiveAll(new SQSClient(testClientConfig(motoEndpoint())), resources.alertQueueUrl, {
    remove: true,
  });
const paragraphs = (alerts: Message[], marker: string) =>
  alerts.flatMap((alert) => (alert.Body ?? '').split('\n').filter((line) => line.includes(marker)));

/** Eight hours at 1 Hz around 98.4 °F with excursions of several shapes laid over it. */
function eightHours(): number[] {
  const series = Array.from({ length: 8 * 3600 }, (_, i) => 98.4 + ((i * 7) % 10) / 20);
  const lay = (from: number, values: (i: number) => number, length: number) => {
    for (let i = 0; i < length; i += 1) series[from + i] = values(i);
  };
  lay(1_000, () => 102.5, 600); // a ten-minute fever
  lay(4_000, (i) => [100.9, 101.2, 101.0, 101.1][i % 4]!, 900); // noise at the HOT threshold
  lay(8_000, (i) => (i % 300 < 20 ? 99 : 103), 1_200); // a fever dipping for 20 s every 5 min
  lay(11_000, () => 94.5, 300); // a cold spell
  lay(13_000, (i) => (i < 300 ? 102 : 95), 600); // a fever turning straight into a chill
  lay(16_000, (i) => 102 + (i % 50) / 50, 9_000); // two and a half hours of fever
  lay(27_000, () => 104, 1); // one reading
  return series;
}

beforeAll(async () => {
  proxy = await startFaultProxy(motoEndpoint());
  // The bundle logs a line per invocation to stdout, as in Lambda: thousands here.
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});

afterAll(async () => {
  jest.restoreAllMocks();
  await proxy.stop();
});

beforeEach(() => {
  proxy.clearFaults();
});

describe('alerts by excursion, through the built detector', () => {
  it('sends at most two messages an excursion plus hourly reminders over eight hours, and none on replay', async () => {
    // Prepare: straight to moto (no fault proxy): about 6,000 requests.
    const { resources, handler } = await coldStart(undefined, motoEndpoint());
    const series = eightHours();

    // Act
    await runAll(handler, windows(series));
    const firstRun = await messages(resources);
    await runAll(handler, windows(series, 'DHT-001', BATCH_SIZE));
    const replay = await messages(resources);

    // Assess: 8 excursions (the fever turning into a chill is two), the long fever reminded twice.
    expect(paragraphs(firstRun, ' excursion began at ')).toHaveLength(8);
    expect(paragraphs(firstRun, ' is still open after ')).toHaveLength(2);
    expect(paragraphs(firstRun, ' ended at ')).toHaveLength(8);
    expect(firstRun.length).toBeLessThanOrEqual(2 * 8 + 2);
    expect(paragraphs(firstRun, ' excursion began at ')[1]).toBe(
      'A HOT excursion began at 2026-11-21T09:06:41.000Z: 101.2 °F (normal range 96–101 °F).',
    );
    expect(firstRun.every((alert) => alert.MessageAttributes?.deviceId?.StringValue)).toBe(true);
    expect(replay).toEqual([]);
  }, 300_000);

  it('opens one excursion for readings flapping across a threshold', async () => {
    // Prepare
    const { resources, handler } = await coldStart();
    const flapping = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 101.1 : 100.9));

    // Act
    await runAll(handler, windows(flapping));

    // Assess
    const alerts = await messages(resources);
    expect(alerts).toHaveLength(1);
    expect(paragraphs(alerts, ' excursion began at ')).toEqual([
      'A HOT excursion began at 2026-11-21T08:00:00.000Z: 101.1 °F (normal range 96–101 °F).',
    ]);
  });

  it('opens one excursion when two invocations for one device run at once', async () => {
    // Prepare
    const { resources, handler } = await coldStart();
    const [event] = windows([98.6, 102.2, 102.4, 102.3, 102.5]);

    // Act
    const responses = await Promise.all([handler(event!), handler(event!)]);

    // Assess
    expect(responses.map((response) => response?.batchItemFailures)).toEqual([[], []]);
    const alerts = await messages(resources);
    expect(paragraphs(alerts, ' excursion began at ')).toHaveLength(1);
  });

  // A crash: the calls after a point never reach AWS and the invocation's answer is lost, so
  // Lambda delivers the whole batch again, to a new container.
  it.each([
    [
      'before the anomalies are stored',
      [{ operation: 'BatchWriteItem' }, { operation: 'PutItem' }],
    ],
    ['after the anomalies are stored', [{ operation: 'PutItem' }, { operation: 'PublishBatch' }]],
    [
      'after the state and its outbox are written',
      [{ operation: 'PutItem', after: 1 }, { operation: 'PublishBatch' }],
    ],
  ])('sends exactly one opening after a crash %s', async (_step, crash) => {
    // Prepare
    const { resources, handler } = await coldStart();
    const [event] = windows([98.6, 102.2, 102.4, 102.3, 102.5]);
    for (const rule of crash) proxy.inject({ ...rule, fault: 'server-error' });
    // The first UpdateItem takes the topic's budget slot; the ones after it empty the outbox.
    proxy.inject({ operation: 'UpdateItem', fault: 'server-error', after: 1 });
    await handler(event!);
    proxy.clearFaults();
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval'] });
    jest.setSystemTime(Date.now() + 121_000); // past any message lease the crashed one held

    // Act
    const { handler: restarted } = await coldStart(resources);
    const response = await restarted(event!);
    jest.useRealTimers();

    // Assess
    expect(response?.batchItemFailures).toEqual([]);
    const alerts = await messages(resources);
    expect(alerts).toHaveLength(1);
    expect(paragraphs(alerts, ' excursion began at ')).toEqual([
      'A HOT excursion began at 2026-11-21T08:00:01.000Z: 102.2 °F (normal range 96–101 °F).',
    ]);
  });

  it('does not send again when emptying the outbox failed after SNS accepted the message', async () => {
    // Prepare
    const { resources, handler } = await coldStart();
    const [opening, more] = windows(
      [98.6, 102.2, 102.4, 102.3, 102.5, 102, 102, 102, 102, 102],
      'DHT-001',
      5,
    );
    // The first UpdateItem takes the topic's budget slot; the ones after it empty the outbox.
    proxy.inject({ operation: 'UpdateItem', fault: 'server-error', after: 1 });

    // Act
    const first = await handler(opening!);
    proxy.clearFaults();
    const next = await handler(more!);

    // Assess
    expect([first, next].map((response) => response?.batchItemFailures)).toEqual([[], []]);
    expect(await messages(resources)).toHaveLength(1);
  });
});
