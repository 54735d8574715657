import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type KinesisClient,
  type _Record,
} from '@aws-sdk/client-kinesis';
import { randomUUID } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { redeliverFrom } from './batch-response';
import type {
  KinesisStreamBatchResponse,
  KinesisStreamEvent,
  KinesisStreamRecord,
} from 'aws-lambda';

/**
 * Stands in for a Kinesis event source mapping (moto never invokes a function): reads each
 * shard in order, hands the handler batches of at most `batchSize` records that arrived within
 * the batching window of the batch's first one, and with ReportBatchItemFailures redelivers
 * from the first failed record, as Lambda does. A batch still failing after its retries goes
 * to the on-failure destination and the shard moves on: to S3, an object holding the
 * invocation record and the batch itself (what Lambda writes to an S3 destination); to SQS, a
 * message describing the batch (shard and sequence range only, as Lambda sends).
 */

export type OnFailureDestination =
  | { readonly type: 's3'; readonly bucket: string }
  | { readonly type: 'sqs'; readonly queueUrl: string };

export interface MappingConfig {
  readonly batchSize: number;
  /** MaximumBatchingWindowInSeconds: how long Lambda gathers records before it invokes. */
  readonly batchingWindowSeconds: number;
  /** -1: until the records expire, which locally means LOCAL_RETRIES_UNTIL_EXPIRY. */
  readonly maximumRetryAttempts: number;
  readonly reportBatchItemFailures: boolean;
  readonly onFailure: OnFailureDestination | undefined;
  /** Names the mapping in on-failure object keys. */
  readonly mappingId: string;
}

/**
 * Lambda retries a "-1" mapping until the records leave the stream, days later. Nothing ages
 * here and retries follow one another at once, so after this many the records count as expired.
 */
export const LOCAL_RETRIES_UNTIL_EXPIRY = 10;

export interface Destinations {
  readonly sqs: SQSClient;
  readonly s3: S3Client;
}

/**
 * The records of `records` (in stream order) that Lambda would put in one batch: at most
 * `batchSize`, all arrived within `windowSeconds` of the first (a window of 0: whatever is there).
 */
export function batchByWindow(
  records: readonly _Record[],
  batchSize: number,
  windowSeconds: number,
): _Record[] {
  const first = records[0]?.ApproximateArrivalTimestamp?.getTime();
  const limited = records.slice(0, batchSize);
  if (windowSeconds <= 0 || first === undefined) return limited;
  const end = limited.findIndex(
    (record) =>
      (record.ApproximateArrivalTimestamp?.getTime() ?? first) >= first + windowSeconds * 1000,
  );
  return end < 0 ? limited : limited.slice(0, Math.max(1, end));
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
    private readonly destinations: Destinations,
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
      const records = batchByWindow(
        await this.nextRecords(shardId),
        this.mapping.batchSize,
        this.mapping.batchingWindowSeconds,
      );
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
    const retries =
      this.mapping.maximumRetryAttempts < 0
        ? LOCAL_RETRIES_UNTIL_EXPIRY
        : this.mapping.maximumRetryAttempts;
    for (let attempt = 0; ; attempt += 1) {
      const failedFrom = await this.invoke(shardId, pending);
      if (failedFrom === undefined) return;
      if (attempt >= retries) {
        await this.sendToOnFailure(shardId, pending, attempt + 1);
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
      const response = await this.handler(this.eventOf(shardId, records));
      return this.mapping.reportBatchItemFailures ? redeliverFrom(records, response) : undefined;
    } catch {
      return records[0]?.SequenceNumber;
    }
  }

  private eventOf(shardId: string, records: readonly _Record[]): KinesisStreamEvent {
    return { Records: records.map((record) => this.toEventRecord(shardId, record)) };
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

  private async sendToOnFailure(
    shardId: string,
    records: _Record[],
    invokeCount: number,
  ): Promise<void> {
    this.stats.batchesSentToOnFailure += 1;
    const destination = this.mapping.onFailure;
    if (!destination) return;
    const now = new Date();
    const invocationRecord = {
      requestContext: {
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: invokeCount,
      },
      timestamp: now.toISOString(),
      KinesisBatchInfo: {
        shardId,
        startSequenceNumber: records[0]?.SequenceNumber,
        endSequenceNumber: records.at(-1)?.SequenceNumber,
        batchSize: records.length,
        streamArn: this.stream.arn,
      },
    };
    if (destination.type === 'sqs') {
      await this.destinations.sqs.send(
        new SendMessageCommand({
          QueueUrl: destination.queueUrl,
          MessageBody: JSON.stringify(invocationRecord),
        }),
      );
      return;
    }
    const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
    await this.destinations.s3.send(
      new PutObjectCommand({
        Bucket: destination.bucket,
        Key: `aws/lambda/${this.mapping.mappingId}/${shardId}/${day}/${now.toISOString()}-${randomUUID()}`,
        ContentType: 'application/json',
        Body: JSON.stringify({
          ...invocationRecord,
          payload: JSON.stringify(this.eventOf(shardId, records)),
        }),
      }),
    );
  }
}
