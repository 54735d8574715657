import type { _Record } from '@aws-sdk/client-kinesis';
import { DeleteStreamCommand, KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { KinesisStreamEvent } from 'aws-lambda';
import { testClientConfig, TEST_REGION } from '../../../local-pipeline/emulator/clients';
import {
  batchByWindow,
  KinesisPoller,
  LOCAL_RETRIES_UNTIL_EXPIRY,
} from '../../../local-pipeline/lambda/kinesis-poller';
import { createStream } from '../../support/aws';
import { motoEndpoint } from '../../support/emulator';

const arrivedAt = (second: number): _Record => ({
  SequenceNumber: String(1000 + second),
  Data: new Uint8Array(),
  PartitionKey: 'DHT-001',
  ApproximateArrivalTimestamp: new Date(Date.UTC(2026, 10, 21, 10) + second * 1000),
});

describe('batching window', () => {
  it('puts in one batch the records that arrived within the window of the first', () => {
    // Prepare: one record a second for 25 seconds.
    const records = Array.from({ length: 25 }, (_, second) => arrivedAt(second));

    // Act
    const batch = batchByWindow(records, 500, 10);

    // Assess
    expect(batch.map((record) => record.SequenceNumber)).toEqual(
      records.slice(0, 10).map((record) => record.SequenceNumber),
    );
  });

  it('stops at the batch size, and with no window takes whatever is there', () => {
    // Prepare
    const records = Array.from({ length: 25 }, () => arrivedAt(0));

    // Act + Assess
    expect(batchByWindow(records, 8, 10)).toHaveLength(8);
    expect(batchByWindow(records.slice(0, 3).concat(arrivedAt(60)), 500, 0)).toHaveLength(4);
  });
});

describe('on-failure destination in S3', () => {
  it('keeps the records of a batch that failed until it "expired", readable after the stream drops them', async () => {
    // Prepare
    const config = testClientConfig(motoEndpoint());
    const kinesis = new KinesisClient(config);
    const s3 = new S3Client(config);
    await createStream(kinesis, 'poller-failures');
    await s3.send(new CreateBucketCommand({ Bucket: 'failed-batches' }));
    const readings = ['{"reading":1}', '{"reading":2}'];
    await kinesis.send(
      new PutRecordsCommand({
        StreamName: 'poller-failures',
        Records: readings.map((data) => ({ Data: Buffer.from(data), PartitionKey: 'DHT-001' })),
      }),
    );
    let invocations = 0;
    const alwaysFails = (event: KinesisStreamEvent) => {
      invocations += 1;
      return Promise.resolve({
        batchItemFailures: [{ itemIdentifier: event.Records[0]!.kinesis.sequenceNumber }],
      });
    };
    const poller = new KinesisPoller(
      kinesis,
      { sqs: new SQSClient(config), s3 },
      {
        name: 'poller-failures',
        arn: `arn:aws:kinesis:${TEST_REGION}:123456789012:stream/poller-failures`,
        region: TEST_REGION,
      },
      {
        batchSize: 500,
        batchingWindowSeconds: 10,
        maximumRetryAttempts: -1,
        reportBatchItemFailures: true,
        onFailure: { type: 's3', bucket: 'failed-batches' },
        mappingId: 'mapping-1',
      },
      alwaysFails,
    );

    // Act
    await poller.drain();
    await kinesis.send(new DeleteStreamCommand({ StreamName: 'poller-failures' }));

    // Assess
    expect(invocations).toBe(LOCAL_RETRIES_UNTIL_EXPIRY + 1);
    const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: 'failed-batches' }));
    expect(Contents).toHaveLength(1);
    expect(Contents[0]?.Key).toMatch(
      /^aws\/lambda\/mapping-1\/shardId-000000000000\/\d{4}\/\d\d\/\d\d\//,
    );
    const object = await s3.send(
      new GetObjectCommand({ Bucket: 'failed-batches', Key: Contents[0]?.Key }),
    );
    const body = JSON.parse(await object.Body!.transformToString()) as {
      KinesisBatchInfo: { batchSize: number };
      payload: string;
    };
    expect(body.KinesisBatchInfo.batchSize).toBe(2);
    const payload = JSON.parse(body.payload) as KinesisStreamEvent;
    expect(
      payload.Records.map((record) => Buffer.from(record.kinesis.data, 'base64').toString()),
    ).toEqual(readings);
  });
});
