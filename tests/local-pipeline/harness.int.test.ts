import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import {
  KinesisClient,
  ListStreamsCommand,
  PutRecordCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { createStream, readStream } from '../support/aws';
import { testClientConfig } from '../../local-pipeline/emulator/clients';
import { motoEndpoint } from '../support/emulator';
import { startFaultProxy, type FaultProxy } from '../../local-pipeline/emulator/fault-proxy';
import { resetMoto, startMoto } from '../../local-pipeline/emulator/moto';
import { pipelineFile, pythonExecutable } from '../../local-pipeline/emulator/tools';

const fastRetries = { maxAttempts: 3, retryMode: 'standard' as const };

const readAll = async (kinesis: KinesisClient, stream: string) =>
  (await readStream(kinesis, stream)).sort();

describe('emulator harness', () => {
  let proxy: FaultProxy;

  beforeAll(async () => {
    proxy = await startFaultProxy(motoEndpoint());
  });

  afterAll(async () => {
    await proxy.stop();
  });

  beforeEach(() => {
    proxy.clearFaults();
    proxy.clearLog();
  });

  it('round-trips a Kinesis record through the SDK against moto', async () => {
    // Prepare
    const kinesis = new KinesisClient(testClientConfig(motoEndpoint()));
    await createStream(kinesis, 'round-trip');

    // Act
    await kinesis.send(
      new PutRecordCommand({
        StreamName: 'round-trip',
        PartitionKey: 'DHT-001',
        Data: Buffer.from('{"temperature":98.6}'),
      }),
    );

    // Assess
    expect(await readAll(kinesis, 'round-trip')).toEqual(['{"temperature":98.6}']);
  });

  it('lets the first N matching calls through before faulting (a crash after the Nth)', async () => {
    // Prepare
    const kinesis = new KinesisClient({
      ...testClientConfig(proxy.endpoint),
      maxAttempts: 1,
    });
    await createStream(kinesis, 'after-two');
    proxy.inject({ operation: 'PutRecord', fault: 'server-error', after: 2 });
    const put = (n: number) =>
      kinesis.send(
        new PutRecordCommand({
          StreamName: 'after-two',
          PartitionKey: 'DHT-001',
          Data: Buffer.from(String(n)),
        }),
      );

    // Act
    await put(1);
    await put(2);
    const third = put(3);

    // Assess
    await expect(third).rejects.toMatchObject({ $metadata: { httpStatusCode: 500 } });
    expect(await readAll(kinesis, 'after-two')).toEqual(['1', '2']);
  });

  it('lets the SDK retry an injected throttle and succeed', async () => {
    // Prepare
    const kinesis = new KinesisClient({ ...testClientConfig(proxy.endpoint), ...fastRetries });
    await createStream(kinesis, 'throttled');
    proxy.inject({ operation: 'PutRecord', fault: 'throttle', times: 2 });

    // Act
    const result = await kinesis.send(
      new PutRecordCommand({ StreamName: 'throttled', PartitionKey: 'k', Data: Buffer.from('x') }),
    );

    // Assess
    expect(result.SequenceNumber).toBeDefined();
    const puts = proxy.requests.filter((entry) => entry.operation === 'PutRecord');
    expect(puts.map((entry) => entry.fault)).toEqual(['throttle', 'throttle', undefined]);
    expect(result.$metadata.attempts).toBe(3);
  });

  it('fails the call when throttling outlasts the retries, with the service error code', async () => {
    // Prepare
    const dynamo = new DynamoDBClient({ ...testClientConfig(proxy.endpoint), ...fastRetries });
    proxy.inject({ operation: 'Scan', fault: 'throttle' });

    // Act
    const scan = dynamo.send(new ScanCommand({ TableName: 'any' }));

    // Assess
    await expect(scan).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    expect(proxy.count('Scan', 'dynamodb')).toBe(fastRetries.maxAttempts);
  });

  it('answers HTTP 500 that the SDK retries', async () => {
    // Prepare
    const sns = new SNSClient({ ...testClientConfig(proxy.endpoint), ...fastRetries });
    proxy.inject({ operation: 'CreateTopic', fault: 'server-error', times: 1 });

    // Act
    const topic = await sns.send(new CreateTopicCommand({ Name: 'retried' }));

    // Assess
    expect(topic.TopicArn).toContain('retried');
    expect(proxy.requests.map((entry) => [entry.operation, entry.status])).toEqual([
      ['CreateTopic', 500],
      ['CreateTopic', 200],
    ]);
  });

  it('counts exactly the calls made, by service and operation', async () => {
    // Prepare
    const kinesis = new KinesisClient(testClientConfig(proxy.endpoint));
    const sns = new SNSClient(testClientConfig(proxy.endpoint));

    // Act
    await kinesis.send(new ListStreamsCommand({}));
    await kinesis.send(new ListStreamsCommand({}));
    await sns.send(new CreateTopicCommand({ Name: 'counted' }));

    // Assess
    expect(proxy.count('ListStreams')).toBe(2);
    expect(proxy.count('ListStreams', 'kinesis')).toBe(2);
    expect(proxy.count('CreateTopic', 'sns')).toBe(1);
    expect(proxy.count('CreateTopic', 'kinesis')).toBe(0);
    expect(proxy.requests).toHaveLength(3);
  });

  it('fails a share of PutRecords records, which really are not written', async () => {
    // Prepare
    const kinesis = new KinesisClient(testClientConfig(proxy.endpoint));
    await createStream(kinesis, 'partial', 2);
    proxy.inject({ operation: 'PutRecords', fault: 'partial', entryShare: 0.3, times: 1 });
    const records = Array.from({ length: 10 }, (_, i) => ({
      PartitionKey: `k${i}`,
      Data: Buffer.from(`record-${i}`),
    }));

    // Act
    const result = await kinesis.send(
      new PutRecordsCommand({ StreamName: 'partial', Records: records }),
    );

    // Assess
    expect(result.FailedRecordCount).toBe(3);
    const written = result.Records!.flatMap((entry, i) => (entry.ErrorCode ? [] : [`record-${i}`]));
    expect(written).toHaveLength(7);
    expect(await readAll(kinesis, 'partial')).toEqual(written.sort());
  });

  it('returns UnprocessedItems from BatchWriteItem for a share of the writes', async () => {
    // Prepare
    const dynamo = new DynamoDBClient(testClientConfig(proxy.endpoint));
    await dynamo.send(
      new CreateTableCommand({
        TableName: 'partial',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    proxy.inject({ operation: 'BatchWriteItem', fault: 'partial', entryShare: 0.5, times: 1 });
    const writes = Array.from({ length: 4 }, (_, i) => ({
      PutRequest: { Item: { id: { S: `item-${i}` } } },
    }));

    // Act
    const result = await dynamo.send(
      new BatchWriteItemCommand({ RequestItems: { partial: writes } }),
    );

    // Assess
    expect(result.UnprocessedItems?.partial).toHaveLength(2);
    const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: 'partial' }));
    expect(Items).toHaveLength(2);
  });

  it('reports a share of SNS PublishBatch entries as Failed', async () => {
    // Prepare
    const sns = new SNSClient(testClientConfig(proxy.endpoint));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'batch' }));
    proxy.inject({ operation: 'PublishBatch', fault: 'partial', entryShare: 0.5, times: 1 });

    // Act
    const result = await sns.send(
      new PublishBatchCommand({
        TopicArn,
        PublishBatchRequestEntries: ['a', 'b', 'c', 'd'].map((id) => ({ Id: id, Message: id })),
      }),
    );

    // Assess
    expect(result.Failed).toHaveLength(2);
    expect(result.Successful).toHaveLength(2);
    const ids = [...result.Failed!, ...result.Successful!].map((entry) => entry.Id).sort();
    expect(ids).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('emulator lifecycle', () => {
  it('reset forgets every resource', async () => {
    // Prepare
    const kinesis = new KinesisClient(testClientConfig(motoEndpoint()));
    await createStream(kinesis, 'forgotten');

    // Act
    await resetMoto(motoEndpoint());

    // Assess
    const { StreamNames = [] } = await kinesis.send(new ListStreamsCommand({}));
    expect(StreamNames).toEqual([]);
  });

  it('stop ends the server and frees its port', async () => {
    // Prepare
    const server = await startMoto();
    expect((await fetch(`${server.endpoint}/moto-api/data.json`)).ok).toBe(true);

    // Act
    await server.stop();

    // Assess
    await expect(fetch(`${server.endpoint}/moto-api/data.json`)).rejects.toThrow();
    expect(isAlive(server.pid)).toBe(false);
  });

  it('the server dies with its parent even when the parent is killed outright', async () => {
    // Prepare: a parent process that starts moto the way the harness does, then reports the pid.
    const script = `
      const { spawn } = require('node:child_process');
      const moto = spawn(${JSON.stringify(pythonExecutable())}, [${JSON.stringify(pipelineFile('emulator', 'moto_server.py'))}], { stdio: ['pipe', 'pipe', 'inherit'] });
      moto.stdout.once('data', (line) => console.log(JSON.stringify({ pid: moto.pid, ...JSON.parse(line) })));
    `;
    const parent = spawn(process.execPath, ['-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve) =>
      createInterface({ input: parent.stdout }).once('line', resolve),
    );
    const { pid } = JSON.parse(line) as { pid: number; port: number };
    expect(isAlive(pid)).toBe(true);

    // Act
    parent.kill('SIGKILL');

    // Assess
    await expect(waitFor(() => !isAlive(pid), 15_000)).resolves.toBe(true);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}
