import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { AlertBudget, budgetFromItem, slotsLeft, waitingKey } from '../../lambda/src/alert-budget';
import { loadConfig } from '../../lambda/src/config';
import { digestsFor } from '../../lambda/src/digest';
import { DEFAULT_THRESHOLDS } from '../../lambda/src/classify';

// The topic's shared budget and its digests: what DynamoDB is asked, and what a subscriber reads.
const dynamoMock = mockClient(DynamoDBClient);
const refused = () => new ConditionalCheckFailedException({ message: 'no', $metadata: {} });
const budget = () => new AlertBudget(new DynamoDBClient({ region: 'us-east-1' }), 'anomalies', 4);
const expressions = () =>
  dynamoMock.commandCalls(UpdateItemCommand).map((call) => call.args[0].input.UpdateExpression);

beforeEach(() => dynamoMock.reset());

describe('the alert budget', () => {
  it('adds to the minute it saw, conditionally on room for all the slots asked', async () => {
    dynamoMock.on(UpdateItemCommand).resolves({});

    const granted = await budget().claim({ minute: 7, used: 1, waiting: [] }, 7, 3);

    expect(granted).toBe(true);
    const input = dynamoMock.commandCalls(UpdateItemCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toBe('slotMinute = :minute AND slotsUsed <= :room');
    expect(input.ExpressionAttributeValues?.[':room']).toEqual({ N: '1' });
  });

  it('starts a new minute first when the one it saw is over, then falls back to adding', async () => {
    dynamoMock.on(UpdateItemCommand).rejectsOnce(refused()).resolves({});

    const granted = await budget().claim({ minute: 6, used: 4, waiting: [] }, 7, 1);

    expect(granted).toBe(true);
    expect(expressions()).toEqual([
      'SET slotMinute = :minute, slotsUsed = :count',
      'SET slotsUsed = slotsUsed + :count',
    ]);
  });

  it('grants nothing when both conditional writes are refused (another invocation took the slots)', async () => {
    dynamoMock.on(UpdateItemCommand).rejects(refused());

    await expect(budget().claim({ minute: 7, used: 3, waiting: [] }, 7, 1)).resolves.toBe(false);
  });

  it('fails loudly on anything but a refusal, so the caller hands its outboxes back', async () => {
    dynamoMock.on(UpdateItemCommand).rejects(new Error('throttled'));

    await expect(budget().claim({ minute: 7, used: 0, waiting: [] }, 7, 1)).rejects.toThrow(
      'throttled',
    );
  });

  it('counts slots per minute, and reads the waiting outboxes back from the item', () => {
    const seen = budgetFromItem({
      slotMinute: { N: '7' },
      slotsUsed: { N: '3' },
      waitingOutboxes: { SS: [waitingKey('DHT 1', 4)] },
    });
    expect(slotsLeft(seen, 7, 4)).toBe(1);
    expect(slotsLeft(seen, 8, 4)).toBe(4);
    expect(seen.waiting).toEqual(['4 DHT 1']);
  });
});

describe('ALERT_MESSAGES_PER_MINUTE', () => {
  const env = {
    ANOMALY_TABLE_NAME: 'anomalies',
    ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:alerts',
    DEAD_LETTER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/dead-letters',
  };

  it.each(['0', '-1', '2.5', 'ten'])('rejects %s at cold start, naming the variable', (value) => {
    expect(() => loadConfig({ ...env, ALERT_MESSAGES_PER_MINUTE: value })).toThrow(
      /^ALERT_MESSAGES_PER_MINUTE ".*" is not a whole number/,
    );
  });

  it.each([
    [undefined, 10],
    ['  ', 10],
    ['1', 1],
    [' 25 ', 25],
  ])('takes %j as %i a minute (ten when unset)', (value, perMinute) => {
    expect(loadConfig({ ...env, ALERT_MESSAGES_PER_MINUTE: value }).alertMessagesPerMinute).toBe(
      perMinute,
    );
  });
});

describe('a digest', () => {
  it('lists every excursion it covers with its device, kind, start and temperature', () => {
    const opened = (deviceId: string, firstF: number) => ({
      deviceId,
      events: [
        {
          type: 'opened' as const,
          excursion: {
            kind: 'HOT' as const,
            startedAt: '2026-11-21T10:00:00.000Z',
            firstF,
            peakF: firstF,
            count: 1,
            lastAnomalyAt: '2026-11-21T10:00:00.000Z',
            notifiedAt: '2026-11-21T10:00:00.000Z',
          },
        },
      ],
    });

    const digests = digestsFor([opened('A', 103), opened('B', 104.5)], DEFAULT_THRESHOLDS);

    expect(digests).toHaveLength(1);
    expect(digests[0]).toMatchObject({
      deviceId: 'digest',
      covers: ['A', 'B'],
      subject: 'Temperature alerts for 2 devices: 2 excursion events',
    });
    expect(digests[0]!.message).toContain(
      '- A: A HOT excursion began at 2026-11-21T10:00:00.000Z: 103.0 °F (normal range 96–101 °F).',
    );
    expect(digests[0]!.message).toContain(
      '- B: A HOT excursion began at 2026-11-21T10:00:00.000Z: 104.5 °F',
    );
  });
});
