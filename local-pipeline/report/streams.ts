import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';

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
      if (records.length === 0 || !page.NextShardIterator) break;
      ShardIterator = page.NextShardIterator;
    }
  }
  return data;
}
