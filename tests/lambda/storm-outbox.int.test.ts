import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient, type Message } from '@aws-sdk/client-sqs';
import { emulatorEnvironment, testClientConfig } from '../../local-pipeline/emulator/clients';
import { fromEnv } from '../../lambda/src/deps';
import { createHandler } from '../../lambda/src/detector';
import { receiveAll } from '../support/aws';
import {
  createDetectorResources,
  detectorEnvironment,
  type DetectorResources,
} from '../support/detector-resources';
import { motoEndpoint } from '../support/emulator';
import { kinesisEvent, kinesisRecord, readingJson } from './events';

// Messages that wait for the topic's budget (one a minute here), against moto: replays, and a
// crash between indexing a waiting outbox and handing it back. The clock is the test's.

const START = Date.UTC(2026, 10, 21, 10);
let resources: DetectorResources;
let suffix = 0;
let clock: number;
let sqs: SQSClient;

/** The detector; `crashOnHandBack` makes the write that hands a waiting outbox back fail. */
function detector(crashOnHandBack = false) {
  Object.assign(process.env, emulatorEnvironment(motoEndpoint()));
  const deps = fromEnv({
    ...process.env,
    ...detectorEnvironment(resources),
    ALERT_MESSAGES_PER_MINUTE: '1',
  });
  const real = deps.dynamo;
  const dynamo = {
    send: (command: unknown) => {
      const item = command instanceof PutItemCommand ? command.input.Item : undefined;
      const handsBack = item?.outbox?.S?.includes('"leasedUntil":0');
      if (crashOnHandBack && handsBack) return Promise.reject(new Error('process killed'));
      return real.send(command as PutItemCommand);
    },
  } as unknown as DynamoDBClient;
  return createHandler({ ...deps, dynamo, log: () => undefined, now: () => clock });
}

const hot = (deviceId: string, position: number) =>
  kinesisRecord(
    readingJson({ deviceId, temperature: 103, timestamp: new Date(START).toISOString() }),
    position,
  );
/** A normal reading of a device of its own, at the clock's time: an invocation that has a slot. */
const tick = (position: number) =>
  kinesisEvent([
    kinesisRecord(
      readingJson({ deviceId: 'TICK', timestamp: new Date(clock).toISOString() }),
      position,
    ),
  ]);
const received = () => receiveAll(sqs, resources.alertQueueUrl, { remove: true });
/** Who each message tells about: the devices a digest lists, or its own device. */
const told = (messages: Message[]) =>
  messages
    .flatMap((message) => {
      const listed = [...(message.Body ?? '').matchAll(/^- (\S+):/gm)].map((m) => m[1]!);
      return listed.length > 0 ? listed : [message.MessageAttributes?.deviceId?.StringValue];
    })
    .sort();

beforeEach(async () => {
  suffix += 1;
  resources = await createDetectorResources(motoEndpoint(), `waiting-${suffix}`);
  sqs = new SQSClient(testClientConfig(motoEndpoint()));
  clock = START;
});

describe('messages waiting for a slot', () => {
  it('are sent once, in a digest, the next minute, however often their batch is replayed', async () => {
    const handler = detector();
    const waiting = kinesisEvent([hot('B', 2), hot('C', 3)]);

    await handler(kinesisEvent([hot('A', 1)]));
    await handler(waiting);
    await handler(waiting);
    const first = await received();
    clock = START + 60_000;
    await handler(tick(10));
    await handler(waiting);
    const second = await received();
    clock = START + 120_000;
    await handler(tick(11));
    await handler(waiting);

    expect(told(first)).toEqual(['A']);
    expect(told(second)).toEqual(['B', 'C']);
    expect(second[0]?.MessageAttributes?.deviceId?.StringValue).toBe('digest');
    expect(await received()).toEqual([]);
  });

  it('are sent once after a crash between indexing and handing back, once the lease is over', async () => {
    await detector()(kinesisEvent([hot('A', 1)]));
    const afterCrash = await detector(true)(kinesisEvent([hot('B', 2)]));
    const handler = detector();
    clock = START + 60_000;
    await handler(tick(11));
    const beforeLeaseEnds = await received();
    clock = START + 120_000; // the outbox's 120-s lease is over
    await handler(tick(12));
    const afterLeaseEnds = await received();
    clock = START + 180_000;
    await handler(tick(13));

    // The state and its outbox were written: nothing of the batch is redelivered.
    expect(afterCrash.batchItemFailures).toEqual([]);
    expect(told(beforeLeaseEnds)).toEqual(['A']);
    expect(told(afterLeaseEnds)).toEqual(['B']);
    expect(await received()).toEqual([]);
  });
});
