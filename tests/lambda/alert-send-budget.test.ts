import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { createAct } from '../../lambda/src/act';
import { sendAlerts } from '../../lambda/src/alert-send';
import type { Committed } from '../../lambda/src/device-commit';
import type { ExcursionEvent } from '../../lambda/src/excursion';
import { mockedDeps } from './mocked-detector';

// Which messages go out within the topic's budget (four a minute here): what the budget item is
// asked for, what SNS is given, and what becomes of each device's outbox.
const dynamoMock = mockClient(DynamoDBClient);
const snsMock = mockClient(SNSClient);

const NOW = Date.UTC(2026, 10, 21, 10, 0, 30);
const MINUTE = 29_920_920; // NOW in whole epoch minutes
const CHECK = 'lambda-deploy-pre-traffic-check-v7-1a2b3c4d5e6f';
const opened: ExcursionEvent = {
  type: 'opened',
  excursion: {
    kind: 'HOT',
    startedAt: '2026-11-21T10:00:00.000Z',
    firstF: 103,
    peakF: 103,
    count: 1,
    lastAnomalyAt: '2026-11-21T10:00:00.000Z',
    notifiedAt: '2026-11-21T10:00:00.000Z',
  },
};

function act() {
  const deps = mockedDeps({ log: () => undefined, now: () => NOW });
  return createAct({ ...deps, config: { ...deps.config, alertMessagesPerMinute: 4 } });
}

const outboxOf = (deviceId: string): Committed => ({
  state: {
    deviceId,
    version: 2,
    lastSequenceNumber: '1',
    open: undefined,
    recent: [],
    outbox: { events: [opened], version: 2, leasedUntil: NOW + 120_000 },
  },
  events: [opened],
});
const devices = (count: number) =>
  Array.from({ length: count }, (_, i) => outboxOf(`DHT-${String(i).padStart(4, '0')}`));
const seen = (used: number, waiting: string[] = []) => ({ minute: MINUTE, used, waiting });

/** The deviceId attribute of each message SNS was given. */
const messages = () =>
  snsMock
    .commandCalls(PublishBatchCommand)
    .flatMap((call) => call.args[0].input.PublishBatchRequestEntries ?? [])
    .map((entry) => entry.MessageAttributes?.deviceId?.StringValue);
/** The slots each conditional write to the budget item asked for. */
const claims = () =>
  dynamoMock
    .commandCalls(UpdateItemCommand)
    .map((call) => call.args[0].input.ExpressionAttributeValues?.[':count']?.N);
const refused = () => new ConditionalCheckFailedException({ message: 'no', $metadata: {} });

beforeEach(() => {
  dynamoMock.reset();
  snsMock.reset();
  dynamoMock.on(UpdateItemCommand).resolves({});
  snsMock.on(PublishBatchCommand).resolves({ Successful: [], Failed: [] });
});

describe('the release check’s devices', () => {
  it('go out alone when the minute is used up, and only they do: the budget is not asked', async () => {
    const sent = await sendAlerts(act(), [outboxOf(CHECK), outboxOf('DHT-1')], seen(4));

    expect(messages()).toEqual([CHECK]);
    expect(claims()).toEqual([]);
    expect(sent).toMatchObject({ published: new Set([CHECK]), deferred: new Set(['DHT-1']) });
  });

  it('take no slot when the minute has some, and are sent once', async () => {
    const sent = await sendAlerts(act(), [outboxOf(CHECK)], seen(0));

    expect(messages()).toEqual([CHECK]);
    expect(claims()).toEqual([]);
    expect(sent.sent).toBe(1);
  });

  it('still go out when the budget cannot be asked; the others are handed back', async () => {
    dynamoMock.on(UpdateItemCommand).rejects(new Error('throttled'));

    const sent = await sendAlerts(act(), [outboxOf(CHECK), outboxOf('DHT-1')], seen(0));

    expect(messages()).toEqual([CHECK]);
    expect(sent).toMatchObject({
      published: new Set([CHECK]),
      failed: new Set(['DHT-1']),
      deferred: new Set(),
    });
  });
});

describe('a message a device', () => {
  it('when the slots left are exactly enough and nothing waits, claimed in the current minute', async () => {
    const sent = await sendAlerts(act(), devices(2), seen(2));

    expect(messages()).toEqual(['DHT-0000', 'DHT-0001']);
    expect(claims()).toEqual(['2']);
    const input = dynamoMock.commandCalls(UpdateItemCommand)[0]!.args[0].input;
    expect(input.ExpressionAttributeValues?.[':minute']).toEqual({ N: String(MINUTE) });
    expect(input.UpdateExpression).toBe('SET slotsUsed = slotsUsed + :count');
    expect(sent.published).toEqual(new Set(['DHT-0000', 'DHT-0001']));
  });
});

describe('digests', () => {
  it('when outboxes wait before them, even with a slot for each; one slot is asked for', async () => {
    const sent = await sendAlerts(act(), [outboxOf('DHT-1')], seen(0, ['7 DHT-9']));

    expect(messages()).toEqual(['digest']);
    expect(claims()).toEqual(['1']);
    expect(sent.published).toEqual(new Set(['DHT-1']));
  });

  it('when there are more devices than slots: one digest, one slot', async () => {
    const sent = await sendAlerts(act(), devices(3), seen(2));

    expect(messages()).toEqual(['digest']);
    expect(claims()).toEqual(['1']);
    expect(sent.published.size).toBe(3);
  });

  it('as many as there are slots: the digest that gets none waits', async () => {
    const sent = await sendAlerts(act(), devices(2500), seen(3));

    expect(messages()).toEqual(['digest']);
    expect(claims()).toEqual(['1']);
    expect(sent.published.size).toBeGreaterThan(0);
    expect(sent.published.size + sent.deferred.size).toBe(2500);
    expect(sent.deferred.has('DHT-2499')).toBe(true);
  });

  it('one, when another invocation took slots meanwhile but one is left', async () => {
    dynamoMock
      .on(UpdateItemCommand)
      .callsFake((input: { ExpressionAttributeValues: Record<string, { N?: string }> }) =>
        input.ExpressionAttributeValues[':count']?.N === '1'
          ? Promise.resolve({})
          : Promise.reject(refused()),
      );

    const sent = await sendAlerts(act(), devices(2500), seen(2));

    expect(claims()).toEqual(['2', '2', '1']);
    expect(messages()).toEqual(['digest']);
    expect(sent.deferred.has('DHT-2499')).toBe(true);
    expect(sent.published.has('DHT-0000')).toBe(true);
  });

  it('none when the one slot asked for was taken meanwhile: it is asked for once', async () => {
    dynamoMock.on(UpdateItemCommand).rejects(refused());

    const sent = await sendAlerts(act(), devices(3), seen(2));

    expect(claims()).toEqual(['1', '1']);
    expect(messages()).toEqual([]);
    expect(sent).toMatchObject({ published: new Set(), failed: new Set(), sent: 0 });
    expect(sent.deferred.size).toBe(3);
  });
});
