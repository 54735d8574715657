import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { testClientConfig } from '../../local-pipeline/emulator/clients';

export interface DetectorResources {
  readonly tableName: string;
  readonly topicArn: string;
  readonly deadLetterQueueUrl: string;
  /** A queue subscribed to the topic with raw delivery: alerts read black-box. */
  readonly alertQueueUrl: string;
}

/**
 * A table with the contract's key schema, a topic, a dead-letter queue and an alert inbox, named
 * with `suffix`. Created through `endpoint` (a queue URL names the host it was created on, and
 * the SQS client sends to that host, so queues made through the proxy stay in its request log).
 */
export async function createDetectorResources(
  endpoint: string,
  suffix: string,
): Promise<DetectorResources> {
  const config = testClientConfig(endpoint);
  const sqs = new SQSClient(config);
  const sns = new SNSClient(config);
  const tableName = `anomalies-${suffix}`;
  await new DynamoDBClient(config).send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'deviceId', AttributeType: 'S' },
        { AttributeName: 'timestamp', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'deviceId', KeyType: 'HASH' },
        { AttributeName: 'timestamp', KeyType: 'RANGE' },
      ],
    }),
  );
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `alerts-${suffix}` }));
  const { QueueUrl: deadLetterQueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: `dead-letters-${suffix}` }),
  );
  const { QueueUrl: alertQueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: `alert-inbox-${suffix}` }),
  );
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: alertQueueUrl, AttributeNames: ['QueueArn'] }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn,
      Protocol: 'sqs',
      Endpoint: Attributes?.QueueArn,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
  return {
    tableName,
    topicArn: TopicArn!,
    deadLetterQueueUrl: deadLetterQueueUrl!,
    alertQueueUrl: alertQueueUrl!,
  };
}

/** The detector's required variables for these resources. */
export function detectorEnvironment(resources: DetectorResources): Record<string, string> {
  return {
    ANOMALY_TABLE_NAME: resources.tableName,
    ALERT_TOPIC_ARN: resources.topicArn,
    DEAD_LETTER_QUEUE_URL: resources.deadLetterQueueUrl,
  };
}
