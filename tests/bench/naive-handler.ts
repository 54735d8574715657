import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { KinesisStreamEvent } from 'aws-lambda';

/**
 * The baseline: what the seeds' handler did, record by record — decode, classify, one PutItem
 * and one Publish per anomaly — so the benchmark compares against the design it replaces.
 */
export function naiveHandler(
  dynamo: DynamoDBClient,
  sns: SNSClient,
  tableName: string,
  topicArn: string,
) {
  return async (event: KinesisStreamEvent): Promise<void> => {
    for (const record of event.Records) {
      const reading = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8')) as {
        deviceId: string;
        timestamp: string;
        temperature: number;
      };
      const kind =
        reading.temperature < 96 ? 'COLD' : reading.temperature > 101 ? 'HOT' : undefined;
      if (!kind) continue;
      await dynamo.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            deviceId: { S: reading.deviceId },
            timestamp: { S: reading.timestamp },
            temperature: { N: String(reading.temperature) },
            anomaly: { S: kind },
          },
        }),
      );
      await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: `${kind} temperature`,
          Message: `${reading.deviceId} ${reading.temperature} at ${reading.timestamp}`,
        }),
      );
    }
  };
}
