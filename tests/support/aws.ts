import {
  CreateStreamCommand,
  waitUntilStreamExists,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** Creates a stream and waits until it is ACTIVE. */
export async function createStream(
  kinesis: KinesisClient,
  name: string,
  shards = 1,
): Promise<void> {
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  await waitUntilStreamExists(
    { client: kinesis, maxWaitTime: 30, minDelay: 1 },
    { StreamName: name },
  );
}

/** Every message in the queue now; `remove` deletes them, otherwise they stay hidden for 5 minutes. */
export async function receiveAll(
  sqs: SQSClient,
  queueUrl: string,
  options: { remove?: boolean } = {},
): Promise<Message[]> {
  const messages: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        VisibilityTimeout: 300,
        WaitTimeSeconds: 0,
      }),
    );
    if (Messages.length === 0) return messages;
    messages.push(...Messages);
    if (options.remove) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((message, i) => ({
            Id: String(i),
            ReceiptHandle: message.ReceiptHandle,
          })),
        }),
      );
    }
  }
}

export { readStream } from '../../local-pipeline/report/streams';
