import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type KinesisClient,
  type _Record,
} from '@aws-sdk/client-kinesis';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type {
  KinesisStreamBatchResponse,
  KinesisStreamEvent,
  KinesisStreamRecord,
} from 'aws-lambda';

/**
 * Stands in for a Kinesis event source mapping (moto never invokes a function): reads each
 * shard in order, hands the handler batches of at most `batchSize` records, and with
 * ReportBatchItemFailures redelivers from the first failed record, as Lambda does. A batch
 * still failing after `maximumRetryAttempts` retries goes to the on-failure destination (an
 * SQS message describing the batch, like Lambda's) and the shard moves on.
 */

export interface MappingConfig {
  readonly batchSize: number;
  readonly maximumRetryAttempts: number;
  readonly reportBatchItemFailures: boolean;
  readonly onFailureQueueUrl: string | undefined;
}

export interface PollerStats {
  invocations: number;
  /** Records read from the stream, each once. */
  streamRecords: number;
  /** Records handed to the handler, redeliveries included. */
  records: number;
  redeliveries: number;
  batchesSentToOnFailure: number;
}

export type Handler = (
  event: KinesisStreamEvent,
) => Promise<KinesisStreamBatchResponse | undefined>;

export class KinesisPoller {
  readonly stats: PollerStats = {
    invocations: 0,
    streamRecords: 0,
    records: 0,
    redeliveries: 0,
    batchesSentToOnFailure: 0,
  };
  /** The last sequence number checkpointed on each shard. */
  private readonly checkpoints = new Map<string, string>();

  constructor(
    private readonly kinesis: KinesisClient,
    private readonly sqs: SQSClient,
    private readonly stream: { name: string; arn: string; region: string },
    private readonly mapping: MappingConfig,
    private readonly handler: Handler,
  ) {}

  /** Delivers everything in the stream not yet delivered; returns when every shard is drained. */
  async drain(): Promise<void> {
    const { Shards = [] } = await this.kinesis.send(
      new ListShardsCommand({ StreamName: this.stream.name }),
    );
    for (const shard of Shards) {
      if (shard.ShardId) await this.drainShard(shard.ShardId);
    }
  }

  private async drainShard(shardId: string): Promise<void> {
    for (;;) {
      const records = await this.nextRecords(shardId);
      if (records.length === 0) return;
      this.stats.streamRecords += records.length;
      await this.deliver(shardId, records);
      this.checkpoints.set(shardId, records.at(-1)?.SequenceNumber ?? '');
    }
  }

  private async nextRecords(shardId: string): Promise<_Record[]> {
    const checkpoint = this.checkpoints.get(shardId);
    const { ShardIterator } = await this.kinesis.send(
      new GetShardIteratorCommand({
        StreamName: this.stream.name,
        ShardId: shardId,
        ...(checkpoint
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: checkpoint }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    const { Records = [] } = await this.kinesis.send(
      new GetRecordsCommand({ ShardIterator, Limit: this.mapping.batchSize }),
    );
    return Records;
  }

  /** One batch, with Lambda's retry semantics. */
  private async deliver(shardId: string, batch: _Record[]): Promise<void> {
    let pending = batch;
    for (let attempt = 0; ; attempt += 1) {
      const failedFrom = await this.invoke(shardId, pending);
      if (failedFrom === undefined) return;
      if (attempt >= this.mapping.maximumRetryAttempts) {
        await this.sendToOnFailure(shardId, pending);
        return;
      }
      this.stats.redeliveries += 1;
      const index = pending.findIndex((record) => record.SequenceNumber === failedFrom);
      pending = index >= 0 ? pending.slice(index) : pending;
    }
  }

  /** Invokes the handler; returns the sequence number to redeliver from, if the batch did not complete. */
  private async invoke(shardId: string, records: _Record[]): Promise<string | undefined> {
    this.stats.invocations += 1;
    this.stats.records += records.length;
    try {
      const response = await this.handler({
        Records: records.map((record) => this.toEventRecord(shardId, record)),
      });
      const failure = this.mapping.reportBatchItemFailures
        ? response?.batchItemFailures[0]?.itemIdentifier
        : undefined;
      return failure;
    } catch {
      return records[0]?.SequenceNumber;
    }
  }

  private toEventRecord(shardId: string, record: _Record): KinesisStreamRecord {
    const sequenceNumber = record.SequenceNumber ?? '';
    return {
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: record.PartitionKey ?? '',
        sequenceNumber,
        data: Buffer.from(record.Data ?? []).toString('base64'),
        approximateArrivalTimestamp:
          (record.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${shardId}:${sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/local-poller',
      awsRegion: this.stream.region,
      eventSourceARN: this.stream.arn,
    };
  }

  private async sendToOnFailure(shardId: string, records: _Record[]): Promise<void> {
    this.stats.batchesSentToOnFailure += 1;
    if (!this.mapping.onFailureQueueUrl) return;
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.mapping.onFailureQueueUrl,
        MessageBody: JSON.stringify({
          requestContext: {
            condition: 'RetryAttemptsExhausted',
            approximateInvokeCount: this.mapping.maximumRetryAttempts + 1,
          },
          KinesisBatchInfo: {
            shardId,
            startSequenceNumber: records[0]?.SequenceNumber,
            endSequenceNumber: records.at(-1)?.SequenceNumber,
            batchSize: records.length,
            streamArn: this.stream.arn,
          },
        }),
      }),
    );
  }
}
