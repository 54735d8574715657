import { BatchWriteItemCommand, DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { AnomalyStore, type Anomaly } from '../../lambda/src/store';

// The anomaly table's items as the detector writes them, and what it does when DynamoDB
// leaves part of a batch unprocessed or fails it.
const dynamoMock = mockClient(DynamoDBClient);
const TABLE = 'anomalies';

const anomaly = (second: number, temperatureF = 103, deviceId = 'DHT-001'): Anomaly => ({
  deviceId,
  timestamp: new Date(Date.UTC(2026, 10, 21, 10, 0, second)).toISOString(),
  temperatureF,
  unit: 'F',
  kind: temperatureF > 100 ? 'HOT' : 'COLD',
  sequenceNumber: String(1000 + second),
  index: second,
});

function store(sleeps: number[] = []) {
  return new AnomalyStore(dynamoMock as unknown as DynamoDBClient, TABLE, (ms) => {
    sleeps.push(ms);
    return Promise.resolve();
  });
}

const written = () =>
  dynamoMock
    .commandCalls(BatchWriteItemCommand)
    .map((call) => call.args[0].input.RequestItems?.[TABLE] ?? []);

beforeEach(() => {
  dynamoMock.reset();
  dynamoMock.on(BatchWriteItemCommand).resolves({});
  jest.restoreAllMocks();
});

describe('AnomalyStore', () => {
  it('writes each anomaly as its table item, the temperature in °F to two decimals', async () => {
    const cold = { ...anomaly(1, 95.004), unit: 'C' as const };

    const result = await store().put([anomaly(0, 103.456), cold]);

    expect(result).toEqual({ failed: [] });
    expect(written()).toEqual([
      [
        {
          PutRequest: {
            Item: {
              deviceId: { S: 'DHT-001' },
              timestamp: { S: '2026-11-21T10:00:00.000Z' },
              temperature: { N: '103.46' },
              anomaly: { S: 'HOT' },
              unit: { S: 'F' },
              sequenceNumber: { S: '1000' },
            },
          },
        },
        {
          PutRequest: {
            Item: {
              deviceId: { S: 'DHT-001' },
              timestamp: { S: '2026-11-21T10:00:01.000Z' },
              temperature: { N: '95' },
              anomaly: { S: 'COLD' },
              unit: { S: 'C' },
              sequenceNumber: { S: '1001' },
            },
          },
        },
      ],
    ]);
  });

  it('writes at most 25 items a request', async () => {
    const anomalies = Array.from({ length: 51 }, (_, i) => anomaly(i));

    await store().put(anomalies);

    expect(written().map((items) => items.length)).toEqual([25, 25, 1]);
  });

  it('writes nothing when there is nothing to write', async () => {
    expect(await store().put([])).toEqual({ failed: [] });
    expect(written()).toEqual([]);
  });

  it('rewrites what DynamoDB left unprocessed, backing off with full jitter, until it is written', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    let calls = 0;
    dynamoMock
      .on(BatchWriteItemCommand)
      .callsFake((input: { RequestItems: Record<string, WriteRequest[]> }) => {
        calls += 1;
        const second = (input.RequestItems[TABLE] ?? []).filter(
          (request) => request.PutRequest?.Item?.timestamp?.S === '2026-11-21T10:00:01.000Z',
        );
        return { UnprocessedItems: calls < 3 ? { [TABLE]: second } : {} };
      });
    const sleeps: number[] = [];

    const result = await store(sleeps).put([anomaly(0), anomaly(1), anomaly(2)]);

    expect(result).toEqual({ failed: [] });
    expect(written().map((items) => items.length)).toEqual([3, 1, 1]);
    expect(sleeps).toEqual([25, 50]);
  });

  it('gives up after five attempts and returns what is still unprocessed, backing off 50 ms doubling', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.999);
    dynamoMock
      .on(BatchWriteItemCommand)
      .callsFake((input: { RequestItems: Record<string, WriteRequest[]> }) => ({
        UnprocessedItems: {
          [TABLE]: (input.RequestItems[TABLE] ?? []).filter(
            (request) => request.PutRequest?.Item?.deviceId?.S === 'B',
          ),
        },
      }));
    const sleeps: number[] = [];
    const kept = [anomaly(0, 103, 'A'), anomaly(1, 103, 'B'), anomaly(2, 94, 'B')];

    const result = await store(sleeps).put(kept);

    expect(result.failed).toEqual([kept[1], kept[2]]);
    expect(written()).toHaveLength(5);
    expect(sleeps.map(Math.round)).toEqual([50, 100, 200, 400]);
  });

  it('reports the whole request failed when DynamoDB fails it, and the other requests written', async () => {
    dynamoMock
      .on(BatchWriteItemCommand)
      .rejectsOnce(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }))
      .resolves({});
    const anomalies = Array.from({ length: 30 }, (_, i) => anomaly(i));

    const result = await store().put(anomalies);

    expect(result.failed).toEqual(anomalies.slice(0, 25));
  });
});
