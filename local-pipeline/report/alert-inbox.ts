import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SubscribeCommand, SNSClient, type SNSClientConfig } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { repoRoot } from '../emulator/tools';

/**
 * A queue subscribed to the alert topic with raw delivery and the stack's own e-mail filter
 * (the template's subscription, which moto does not create): alerts read black-box.
 */
export async function subscribeAlertInbox(
  config: SNSClientConfig,
  topicArn: string | undefined,
  queueName: string,
): Promise<string> {
  const sqs = new SQSClient(config);
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: queueName }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  await new SNSClient(config).send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: Attributes?.QueueArn,
      Attributes: { RawMessageDelivery: 'true', ...alertFilter() },
    }),
  );
  return QueueUrl!;
}

/** The FilterPolicy of the template's e-mail subscription, as subscription attributes. */
function alertFilter(): Record<string, string> {
  const template = JSON.parse(
    readFileSync(join(repoRoot, 'cloudformation', 'anomaly-detection.json'), 'utf8'),
  ) as { Resources: Record<string, { Properties?: Record<string, unknown> }> };
  const properties = template.Resources.AlertEmailSubscription?.Properties ?? {};
  return {
    FilterPolicyScope: String(properties.FilterPolicyScope),
    FilterPolicy: JSON.stringify(properties.FilterPolicy),
  };
}
