import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { AlertBudget, budgetFromItem } from '../../lambda/src/alert-budget';

// The budget item itself: which item of the anomaly table it is, how a half-written one reads,
// and a claim no minute can grant.
const dynamoMock = mockClient(DynamoDBClient);
const budget = () => new AlertBudget(new DynamoDBClient({ region: 'us-east-1' }), 'anomalies', 4);
const updates = () => dynamoMock.commandCalls(UpdateItemCommand).map((call) => call.args[0].input);

beforeEach(() => dynamoMock.reset());

describe('the budget item', () => {
  it('is the anomaly table’s item keyed #alert-budget twice, no device’s and no reading’s', async () => {
    dynamoMock.on(UpdateItemCommand).resolves({});

    await budget().claim({ minute: 7, used: 0, waiting: [] }, 7, 1);
    await budget().addWaiting(['3 DHT-1']);

    expect(updates().map((input) => [input.TableName, input.Key])).toEqual([
      ['anomalies', { deviceId: { S: '#alert-budget' }, timestamp: { S: '#alert-budget' } }],
      ['anomalies', { deviceId: { S: '#alert-budget' }, timestamp: { S: '#alert-budget' } }],
    ]);
  });

  it('reads as no slot used yet when only waiting outboxes were ever added to it', () => {
    const seen = budgetFromItem({
      deviceId: { S: '#alert-budget' },
      timestamp: { S: '#alert-budget' },
      waitingOutboxes: { SS: ['3 DHT-1'] },
    });

    expect(seen).toEqual({ minute: 0, used: 0, waiting: ['3 DHT-1'] });
  });
});

describe('a claim of more slots than a minute has', () => {
  it('is refused without asking DynamoDB to start a minute with them', async () => {
    // Adding to the minute is refused, as DynamoDB would (no room for five of four).
    dynamoMock
      .on(UpdateItemCommand, { UpdateExpression: 'SET slotsUsed = slotsUsed + :count' })
      .rejects(new ConditionalCheckFailedException({ message: 'no room', $metadata: {} }))
      .on(UpdateItemCommand, { UpdateExpression: 'SET slotMinute = :minute, slotsUsed = :count' })
      .resolves({});

    const granted = await budget().claim({ minute: 6, used: 4, waiting: [] }, 7, 5);

    expect(granted).toBe(false);
    expect(updates().map((input) => input.UpdateExpression)).toEqual([
      'SET slotsUsed = slotsUsed + :count',
    ]);
  });
});
