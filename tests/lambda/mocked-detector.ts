import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { DEFAULT_THRESHOLDS } from '../../lambda/src/classify';
import type { DetectorDeps } from '../../lambda/src/detector';

/**
 * The detector's deps for unit tests whose AWS clients `aws-sdk-client-mock` intercepts: real SDK
 * clients, a fixed configuration and no back-off; the test gives the log and the clock.
 */
export function mockedDeps(
  own: Pick<DetectorDeps, 'log' | 'now'> & Partial<DetectorDeps>,
): DetectorDeps {
  return {
    config: {
      tableName: 'anomalies',
      topicArn: 'arn:aws:sns:us-east-1:123456789012:alerts',
      deadLetterQueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/dead-letters',
      thresholds: DEFAULT_THRESHOLDS,
    },
    dynamo: new DynamoDBClient({ region: 'us-east-1' }),
    sns: new SNSClient({ region: 'us-east-1' }),
    sqs: new SQSClient({ region: 'us-east-1' }),
    sleep: () => Promise.resolve(),
    ...own,
  };
}

/**
 * Device states as DynamoDB would keep them, behind the mocked client: the last item written for
 * each device, read back by BatchGetItem; anomaly batches and outbox updates are accepted.
 */
export function deviceStatesIn(
  dynamoMock: AwsClientStub<DynamoDBClient>,
): Map<string, Record<string, AttributeValue>> {
  const states = new Map<string, Record<string, AttributeValue>>();
  dynamoMock.on(BatchGetItemCommand).callsFake(() => ({
    Responses: { anomalies: [...states.values()] },
  }));
  dynamoMock.on(BatchWriteItemCommand).resolves({});
  dynamoMock.on(PutItemCommand).callsFake((input: { Item: Record<string, AttributeValue> }) => {
    states.set(input.Item.deviceId?.S ?? '', input.Item);
    return {};
  });
  dynamoMock.on(UpdateItemCommand).resolves({});
  return states;
}
