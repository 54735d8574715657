import {
  BatchGetItemCommand,
  DynamoDBClient,
  PutItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DeviceStateStore,
  emptyState,
  isReadingItem,
  stateFromItem,
} from '../../lambda/src/device-state';

// The state item's place in the anomaly table beside the readings, and how items are read back.
const dynamoMock = mockClient(DynamoDBClient);
const TABLE = 'anomalies';
const store = () => new DeviceStateStore(dynamoMock as unknown as DynamoDBClient, TABLE);

beforeEach(() => {
  dynamoMock.reset();
  dynamoMock.on(PutItemCommand).resolves({});
});

describe('the device state item', () => {
  it('is written under the sort key #excursion-state, which no reading can have', async () => {
    await store().write({ ...emptyState('DHT-001'), version: 1 }, 0);

    const item = dynamoMock.commandCalls(PutItemCommand)[0]?.args[0].input.Item;
    expect(item?.deviceId).toEqual({ S: 'DHT-001' });
    expect(item?.timestamp).toEqual({ S: '#excursion-state' });
  });

  it('reads an item without recent excursions as having none', () => {
    const state = stateFromItem({
      deviceId: { S: 'DHT-001' },
      timestamp: { S: '#excursion-state' },
      version: { N: '2' },
    });

    expect(state).toEqual({ ...emptyState('DHT-001'), version: 2 });
  });

  it('reads an item that holds its key alone as the empty state', () => {
    const state = stateFromItem({
      deviceId: { S: 'DHT-001' },
      timestamp: { S: '#excursion-state' },
    });

    expect(state).toEqual(emptyState('DHT-001'));
  });
});

describe('isReadingItem', () => {
  const item = (timestamp: string | undefined): Record<string, AttributeValue> => ({
    deviceId: { S: 'DHT-001' },
    ...(timestamp === undefined ? {} : { timestamp: { S: timestamp } }),
  });

  it.each([
    ['a reading', '2026-11-21T10:00:00.000Z', true],
    ['the device state', '#excursion-state', false],
    ['the alert budget', '#alert-budget', false],
    ['a key with digits after its first character', '#state-2026', false],
  ])('tells %s by its sort key', (_what, timestamp, expected) => {
    expect(isReadingItem(item(timestamp))).toBe(expected);
  });

  it('takes an item without a sort key for no reading', () => {
    expect(isReadingItem(item(undefined))).toBe(false);
  });
});

describe('reading every device state', () => {
  it('gives the empty state, and no other item, when DynamoDB returns nothing for the table', async () => {
    dynamoMock.on(BatchGetItemCommand).resolves({});
    const others: unknown[] = [];

    const states = await store().readAll(
      ['DHT-001'],
      [{ deviceId: { S: '#alert-budget' } }],
      (other) => others.push(other),
    );

    expect([...states]).toEqual([['DHT-001', emptyState('DHT-001')]]);
    expect(others).toEqual([]);
  });
});
