import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
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

/** The data of every record of every shard, from the start, as UTF-8 text. */
export async function readStream(kinesis: KinesisClient, stream: string): Promise<string[]> {
  const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: stream }));
  const data: string[] = [];
  for (const shard of Shards) {
    let { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: stream,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    for (;;) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 10_000 }));
      const records = page.Records ?? [];
      data.push(...records.map((record) => Buffer.from(record.Data ?? []).toString('utf8')));
      if (records.length === 0) break;
      ShardIterator = page.NextShardIterator;
    }
  }
  return data;
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
