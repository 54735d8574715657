import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { runActionBundle } from '../../../local-pipeline/workflows/action-runner';
import {
  emulatorEnvironment,
  testClientConfig,
  TEST_REGION,
} from '../../../local-pipeline/emulator/clients';
import { loadDetector } from '../../../local-pipeline/lambda/deployed-detector';
import { KinesisPoller } from '../../../local-pipeline/lambda/kinesis-poller';
import { createStream } from '../../support/aws';
import { createDetectorResources, type DetectorResources } from '../../support/detector-resources';
import { motoEndpoint } from '../../support/emulator';

// The built bundle against moto, with the built detector behind the stream (moto never runs a
// function: the poller plays the event source mapping, as npm run local does).
let suffix = 0;

async function environment() {
  suffix += 1;
  const config = testClientConfig(motoEndpoint());
  const kinesis = new KinesisClient(config);
  const streamName = `smoke-readings-${suffix}`;
  await createStream(kinesis, streamName);
  const resources = await createDetectorResources(motoEndpoint(), `smoke-${suffix}`);
  return { config, kinesis, streamName, resources };
}

function detectorBehind(
  kinesis: KinesisClient,
  streamName: string,
  resources: DetectorResources,
): KinesisPoller {
  jest.resetModules();
  const handler = loadDetector({
    ...emulatorEnvironment(motoEndpoint()),
    ANOMALY_TABLE_NAME: resources.tableName,
    ALERT_TOPIC_ARN: resources.topicArn,
    DEAD_LETTER_QUEUE_URL: resources.deadLetterQueueUrl,
  });
  const config = testClientConfig(motoEndpoint());
  return new KinesisPoller(
    kinesis,
    { sqs: new SQSClient(config), s3: new S3Client(config) },
    {
      name: streamName,
      arn: `arn:aws:kinesis:${TEST_REGION}:123456789012:stream/${streamName}`,
      region: TEST_REGION,
    },
    {
      batchSize: 100,
      batchingWindowSeconds: 0,
      maximumRetryAttempts: -1,
      reportBatchItemFailures: true,
      onFailure: undefined,
      mappingId: `smoke-${suffix}`,
    },
    handler,
  );
}

const smokeCheck = (streamName: string, tableName: string, inputs: Record<string, string> = {}) =>
  runActionBundle(
    'smoke-check',
    { 'stream-name': streamName, 'table-name': tableName, 'poll-seconds': '1', ...inputs },
    { env: emulatorEnvironment(motoEndpoint()) },
  );

describe('smoke-check against the emulator', () => {
  it('passes once the detector stores the known reading as HOT', async () => {
    // Prepare
    const { config, kinesis, streamName, resources } = await environment();
    const poller = detectorBehind(kinesis, streamName, resources);

    // Act: the check runs while the "event source mapping" delivers what reaches the stream.
    const check = { finished: false };
    const running = smokeCheck(streamName, resources.tableName, {
      'timeout-seconds': '60',
    }).finally(() => (check.finished = true));
    while (!check.finished) await poller.drain();
    const result = await running;

    // Assess
    expect(result.failure).toBeUndefined();
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ 'device-id': 'smoke-check-4242', anomaly: 'HOT' });
    expect(result.summary).toContain('✅ Smoke check: HOT stored in');
    const { Item } = await new DynamoDBClient(config).send(
      new GetItemCommand({
        TableName: resources.tableName,
        Key: {
          deviceId: { S: 'smoke-check-4242' },
          timestamp: { S: result.outputs.timestamp ?? '' },
        },
      }),
    );
    expect(Item).toMatchObject({ anomaly: { S: 'HOT' }, temperature: { N: '104.5' } });
  });

  it('fails after its bounded wait when nothing processes the stream', async () => {
    // Prepare: no detector behind the stream.
    const { streamName, resources } = await environment();

    // Act
    const result = await smokeCheck(streamName, resources.tableName, { 'timeout-seconds': '10' });

    // Assess
    expect(result.exitCode).not.toBe(0);
    expect(result.failure).toContain(
      `put on ${streamName} was not stored in ${resources.tableName} within 10s`,
    );
    expect(result.summary).toContain('❌ Smoke check: failed');
  });

  it('names the stream it could not reach', async () => {
    const { resources } = await environment();

    const result = await smokeCheck('no-such-stream', resources.tableName, {
      'timeout-seconds': '10',
    });

    expect(result.exitCode).not.toBe(0);
    expect(result.failure).toContain(
      'could not put the known reading on stream no-such-stream: ResourceNotFoundException',
    );
  });
});
