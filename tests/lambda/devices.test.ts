import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler } from '../../lambda/src/detector';
import { STATE_SORT_KEY } from '../../lambda/src/device-state';
import { deviceStatesIn, mockedDeps } from './mocked-detector';
import { atMinute, eventOf, kinesisEvent, kinesisRecord, readingJson } from './events';

// How the detector gets each device's state written and its message out when DynamoDB and SNS
// misbehave: what it writes, what it publishes, and where Lambda redelivers from.
const dynamoMock = mockClient(DynamoDBClient);
const snsMock = mockClient(SNSClient);
mockClient(SQSClient);

let states: Map<string, Record<string, AttributeValue>>;
let clock: number;

function handler() {
  const deps = mockedDeps({ log: () => undefined, now: () => clock });
  return createHandler(deps);
}

const hot = (minute: number, deviceId = 'A') =>
  readingJson({ deviceId, timestamp: atMinute(minute), temperature: 103 });
const conflict = () => new ConditionalCheckFailedException({ message: 'changed', $metadata: {} });
const published = () =>
  snsMock
    .commandCalls(PublishBatchCommand)
    .flatMap((call) => call.args[0].input.PublishBatchRequestEntries ?? [])
    .map((entry) => entry.Message ?? '');
const puts = () => dynamoMock.commandCalls(PutItemCommand).map((call) => call.args[0].input);

beforeEach(() => {
  clock = 0;
  dynamoMock.reset();
  snsMock.reset();
  states = deviceStatesIn(dynamoMock);
  dynamoMock.on(GetItemCommand).callsFake((input: { Key: Record<string, AttributeValue> }) => ({
    Item: states.get(input.Key.deviceId?.S ?? ''),
  }));
  // Emptying the outbox (UpdateItem) leaves the rest of the state item.
  dynamoMock.on(UpdateItemCommand).callsFake((input: { Key: Record<string, AttributeValue> }) => {
    const item = { ...states.get(input.Key.deviceId?.S ?? '') };
    delete item.outbox;
    states.set(input.Key.deviceId?.S ?? '', item);
    return {};
  });
  snsMock.on(PublishBatchCommand).resolves({ Successful: [], Failed: [] });
});

describe('writing a device state that others change at the same time', () => {
  it('re-reads the state after a refused write and writes on top of the version it read', async () => {
    states.set('A', {
      deviceId: { S: 'A' },
      timestamp: { S: STATE_SORT_KEY },
      version: { N: '3' },
      recentExcursions: { S: '[]' },
    });
    dynamoMock.on(BatchGetItemCommand).resolvesOnce({ Responses: { anomalies: [] } });
    dynamoMock.on(PutItemCommand).rejectsOnce(conflict());

    const response = await handler()(eventOf([hot(0)]));

    expect(response.batchItemFailures).toEqual([]);
    expect(puts().map((input) => input.ConditionExpression)).toEqual([
      'attribute_not_exists(deviceId)',
      'version = :previous',
    ]);
    expect(puts()[1]?.ExpressionAttributeValues).toEqual({ ':previous': { N: '3' } });
    expect(puts()[1]?.Item?.version).toEqual({ N: '4' });
    expect(published()).toHaveLength(1);
  });

  it('gives up after three refused writes, sends nothing and redelivers the device', async () => {
    dynamoMock.on(PutItemCommand).rejects(conflict());
    const event = eventOf([hot(0)]);

    const response = await handler()(event);

    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: event.Records[0]!.kinesis.sequenceNumber },
    ]);
    expect(puts()).toHaveLength(3);
    expect(dynamoMock.commandCalls(GetItemCommand)).toHaveLength(3);
    expect(published()).toEqual([]);
  });

  it.each([
    [
      'a write fails for another reason',
      () => dynamoMock.on(PutItemCommand).rejects(new Error('5xx')),
    ],
    [
      'the state cannot be re-read after a refused write',
      () => {
        dynamoMock.on(PutItemCommand).rejects(conflict());
        dynamoMock.on(GetItemCommand).rejects(new Error('5xx'));
      },
    ],
  ])('redelivers the device at once when %s', async (_what, fail) => {
    fail();
    const event = eventOf([hot(0)]);

    const response = await handler()(event);

    expect(response.batchItemFailures).toHaveLength(1);
    expect(puts()).toHaveLength(1);
    expect(published()).toEqual([]);
  });
});

describe('messages that did not get out', () => {
  it('redelivers from the first reading not yet folded into the device’s state', async () => {
    const cold = readingJson({ deviceId: 'A', timestamp: atMinute(1), temperature: 94 });
    const event = eventOf([hot(0), cold, hot(2, 'B'), hot(3)]);
    await handler()(eventOf([hot(0)]));
    snsMock.on(PublishBatchCommand).rejects(new Error('SNS is down'));
    clock = 1;

    // The first record is already in A's state; the 10:01 one (which turns it COLD) is not.
    const response = await handler()(event);

    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: event.Records[1]!.kinesis.sequenceNumber },
    ]);
  });

  it('leaves a message another invocation still holds to it, then sends it once the lease is over', async () => {
    snsMock
      .on(PublishBatchCommand)
      .rejectsOnce(new Error('SNS is down'))
      .resolves({ Successful: [], Failed: [] });
    dynamoMock.on(PutItemCommand).callsFake((input: { Item: Record<string, AttributeValue> }) => {
      // The hand-over (lease 0) fails: the lease runs its full two minutes.
      if (input.Item.outbox?.S?.includes('"leasedUntil":0')) throw new Error('5xx');
      states.set(input.Item.deviceId?.S ?? '', input.Item);
      return {};
    });
    const event = eventOf([hot(0)]);
    const first = await handler()(event);
    clock = 119_999;
    const idle = await handler()(event);
    const held = await handler()(kinesisEvent([kinesisRecord(hot(1), 1)]));
    clock = 120_000;

    const after = await handler()(event);

    expect(first.batchItemFailures).toHaveLength(1);
    // Nothing new for the device: nothing to wait for. New readings wait for the message.
    expect(idle.batchItemFailures).toEqual([]);
    expect(held.batchItemFailures).toHaveLength(1);
    expect(after.batchItemFailures).toEqual([]);
    expect(published()).toHaveLength(2);
    expect(published()[1]).toContain(`A HOT excursion began at ${atMinute(0)}`);
    expect(states.get('A')?.lastSequenceNumber).toEqual({
      S: event.Records[0]!.kinesis.sequenceNumber,
    });
    expect(states.get('A')?.outbox).toBeUndefined();
  });

  it.each([
    ['new readings', 1],
    ['a redelivery', 0],
  ])(
    'does not send a message again from the container SNS accepted it in (%s)',
    async (_what, position) => {
      // Emptying the outbox fails (not the budget's slot, also an UpdateItem).
      dynamoMock
        .on(UpdateItemCommand, { UpdateExpression: 'REMOVE outbox' })
        .rejectsOnce(new Error('5xx'));
      const detector = handler();
      await detector(eventOf([hot(0)]));
      clock = 1;

      const response = await detector(kinesisEvent([kinesisRecord(hot(position), position)]));

      expect(response.batchItemFailures).toEqual([]);
      expect(published()).toHaveLength(1);
      expect(states.get('A')?.outbox).toBeUndefined();
      expect(
        dynamoMock
          .commandCalls(UpdateItemCommand)
          .filter((call) => call.args[0].input.UpdateExpression === 'REMOVE outbox'),
      ).toHaveLength(1);
    },
  );
});
