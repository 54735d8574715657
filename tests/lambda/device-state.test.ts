import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DeviceStateStore,
  emptyState,
  isConflict,
  STATE_SORT_KEY,
  type DeviceState,
} from '../../lambda/src/device-state';

// The device's state item in the anomaly table: the requests that read and write it, and the
// item a person (or the next invocation) finds there.
const dynamoMock = mockClient(DynamoDBClient);
const TABLE = 'anomalies';
const store = () => new DeviceStateStore(dynamoMock as unknown as DynamoDBClient, TABLE);
const key = (deviceId: string) => ({ deviceId: { S: deviceId }, timestamp: { S: STATE_SORT_KEY } });

const open = {
  kind: 'HOT' as const,
  startedAt: '2026-11-21T10:00:00.000Z',
  firstF: 101.5,
  peakF: 102,
  count: 2,
  lastAnomalyAt: '2026-11-21T10:00:01.000Z',
  notifiedAt: '2026-11-21T10:00:00.000Z',
};
const closed = {
  kind: 'COLD' as const,
  startedAt: '2026-11-21T09:00:00.000Z',
  endedAt: '2026-11-21T09:10:00.000Z',
  peakF: 94,
  count: 5,
};
const full: DeviceState = {
  deviceId: 'DHT-001',
  version: 7,
  lastSequenceNumber: '4959',
  open,
  recent: [closed],
  outbox: { events: [{ type: 'opened', excursion: open }], version: 7, leasedUntil: 120_000 },
};
const fullItem = {
  ...key('DHT-001'),
  version: { N: '7' },
  lastSequenceNumber: { S: '4959' },
  openExcursion: { S: JSON.stringify(open) },
  recentExcursions: { S: JSON.stringify([closed]) },
  outbox: { S: JSON.stringify(full.outbox) },
};

beforeEach(() => {
  dynamoMock.reset();
  dynamoMock.on(PutItemCommand).resolves({});
  dynamoMock.on(UpdateItemCommand).resolves({});
});

describe('writing a device state', () => {
  it('writes every part of the state, on condition that the item is still at the version read', async () => {
    await store().write(full, 6);

    expect(dynamoMock.commandCalls(PutItemCommand)[0]!.args[0].input).toEqual({
      TableName: TABLE,
      Item: fullItem,
      ConditionExpression: 'version = :previous',
      ExpressionAttributeValues: { ':previous': { N: '6' } },
    });
  });

  it('writes a first state only if no item exists, leaving out what it does not have', async () => {
    await store().write({ ...emptyState('DHT-002'), version: 1 }, 0);

    expect(dynamoMock.commandCalls(PutItemCommand)[0]!.args[0].input).toEqual({
      TableName: TABLE,
      Item: { ...key('DHT-002'), version: { N: '1' }, recentExcursions: { S: '[]' } },
      ConditionExpression: 'attribute_not_exists(deviceId)',
    });
  });

  it('empties the outbox only if the state is still the version that wrote it', async () => {
    await store().clearOutbox('DHT-001', 7);

    expect(dynamoMock.commandCalls(UpdateItemCommand)[0]!.args[0].input).toEqual({
      TableName: TABLE,
      Key: key('DHT-001'),
      UpdateExpression: 'REMOVE outbox',
      ConditionExpression: 'version = :version',
      ExpressionAttributeValues: { ':version': { N: '7' } },
    });
  });

  it('releases an outbox by ending its lease, at the same version', async () => {
    await store().releaseOutbox(full);
    await store().releaseOutbox({ ...full, outbox: undefined });

    const puts = dynamoMock.commandCalls(PutItemCommand).map((call) => call.args[0].input);
    expect(puts).toEqual([
      {
        TableName: TABLE,
        Item: { ...fullItem, outbox: { S: JSON.stringify({ ...full.outbox, leasedUntil: 0 }) } },
        ConditionExpression: 'version = :previous',
        ExpressionAttributeValues: { ':previous': { N: '7' } },
      },
    ]);
  });

  it.each([
    ['the SDK’s exception', new ConditionalCheckFailedException({ message: 'x', $metadata: {} })],
    [
      'an error of that name',
      Object.assign(new Error('x'), { name: 'ConditionalCheckFailedException' }),
    ],
  ])('recognises a refused condition (%s) and nothing else', (_what, error) => {
    expect(isConflict(error)).toBe(true);
    expect(isConflict(new Error('ConditionalCheckFailedException'))).toBe(false);
    expect(isConflict(undefined)).toBe(false);
  });
});

describe('reading device states', () => {
  it('reads each device’s item strongly consistently, the empty state for a device without one', async () => {
    dynamoMock.on(BatchGetItemCommand).resolves({ Responses: { [TABLE]: [fullItem] } });

    const states = await store().readAll(['DHT-001', 'DHT-002']);

    expect(dynamoMock.commandCalls(BatchGetItemCommand)[0]!.args[0].input).toEqual({
      RequestItems: { [TABLE]: { Keys: [key('DHT-001'), key('DHT-002')], ConsistentRead: true } },
    });
    expect([...states]).toEqual([
      ['DHT-001', full],
      ['DHT-002', emptyState('DHT-002')],
    ]);
  });

  it('reads at most 100 devices a request', async () => {
    dynamoMock.on(BatchGetItemCommand).resolves({});
    const ids = Array.from({ length: 201 }, (_, i) => `D${i}`);

    const states = await store().readAll(ids);

    const sizes = dynamoMock
      .commandCalls(BatchGetItemCommand)
      .map((call) => call.args[0].input.RequestItems?.[TABLE]?.Keys?.length);
    expect(sizes).toEqual([100, 100, 1]);
    expect(states.size).toBe(201);
  });

  it('asks again for the keys DynamoDB left unprocessed', async () => {
    dynamoMock
      .on(BatchGetItemCommand)
      .resolvesOnce({
        Responses: { [TABLE]: [] },
        UnprocessedKeys: { [TABLE]: { Keys: [key('DHT-001')] } },
      })
      .resolves({ Responses: { [TABLE]: [fullItem] } });

    const states = await store().readAll(['DHT-001']);

    const keys = dynamoMock
      .commandCalls(BatchGetItemCommand)
      .map((call) => call.args[0].input.RequestItems?.[TABLE]?.Keys);
    expect(keys).toEqual([[key('DHT-001')], [key('DHT-001')]]);
    expect(states.get('DHT-001')).toEqual(full);
  });

  it('fails after five requests that leave keys unprocessed, saying how many', async () => {
    dynamoMock.on(BatchGetItemCommand).resolves({
      UnprocessedKeys: { [TABLE]: { Keys: [key('A'), key('B')] } },
    });

    await expect(store().readAll(['A', 'B'])).rejects.toThrow(
      'BatchGetItem left 2 keys unprocessed',
    );
    expect(dynamoMock.commandCalls(BatchGetItemCommand)).toHaveLength(5);
  });

  it('reads one device strongly consistently after a refused write', async () => {
    dynamoMock.on(GetItemCommand).resolvesOnce({ Item: fullItem }).resolves({});

    expect(await store().read('DHT-001')).toEqual(full);
    expect(await store().read('DHT-003')).toEqual(emptyState('DHT-003'));
    expect(dynamoMock.commandCalls(GetItemCommand)[0]!.args[0].input).toEqual({
      TableName: TABLE,
      Key: key('DHT-001'),
      ConsistentRead: true,
    });
  });
});
