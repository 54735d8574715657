import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { KinesisStreamEvent } from 'aws-lambda';
import { fromEnv } from '../../lambda/src/deps';
import { createHandler, type DetectorDeps } from '../../lambda/src/detector';
import { DEFAULT_THRESHOLDS } from '../../lambda/src/config';
import { emulatorEnvironment, testClientConfig } from '../../local-pipeline/emulator/clients';
import type { FaultProxy } from '../../local-pipeline/emulator/fault-proxy';
import { createDetectorResources } from '../support/detector-resources';
import { eventOf, mixedReadings } from '../lambda/events';
import { log, median, record } from './figures';
import { naiveHandler } from './naive-handler';

/** Clients whose send answers at once, as the handler's AWS calls need, for CPU measurements. */
export function stubClients() {
  const answer = (command: {
    constructor: { name: string };
    input: { RequestItems?: Record<string, unknown> };
  }) => {
    switch (command.constructor.name) {
      case 'BatchGetItemCommand':
        return {
          Responses: Object.fromEntries(
            Object.keys(command.input.RequestItems ?? {}).map((table) => [table, []]),
          ),
        };
      case 'PublishBatchCommand':
        return { Successful: [], Failed: [] };
      default:
        return {};
    }
  };
  const client = { send: (command: never) => Promise.resolve(answer(command)) };
  return {
    dynamo: client as unknown as DynamoDBClient,
    sns: client as unknown as SNSClient,
    sqs: client as unknown as SQSClient,
  };
}

export function stubDeps(): DetectorDeps {
  return {
    config: {
      tableName: 'anomalies',
      topicArn: 'arn:aws:sns:us-east-1:123456789012:alerts',
      deadLetterQueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/dlq',
      thresholds: DEFAULT_THRESHOLDS,
    },
    ...stubClients(),
    log: () => undefined,
    now: () => performance.now(),
    sleep: () => Promise.resolve(),
  };
}

const DEVICES = ['DHT-001', 'DHT-002', 'DHT-003'];
/** 10 % anomalies over 3 devices. */
const batchOf = (records: number): KinesisStreamEvent =>
  eventOf(mixedReadings(records, DEVICES, 10));

async function timePerRecord(
  run: (event: KinesisStreamEvent) => Promise<unknown>,
  event: KinesisStreamEvent,
): Promise<number> {
  for (let i = 0; i < 3; i += 1) await run(event);
  const samples: number[] = [];
  // CPU time, not wall time: other work on a shared machine does not inflate it.
  for (let i = 0; i < 15; i += 1) {
    const started = process.cpuUsage();
    await run(event);
    const used = process.cpuUsage(started);
    samples.push((used.user + used.system) / event.Records.length);
  }
  return median(samples);
}

export async function detectorCpu(): Promise<void> {
  log('Detector CPU (10,000-record batch, in-process stubs)…');
  const event = batchOf(10_000);
  const ours = await timePerRecord(createHandler(stubDeps()), event);
  const stubs = stubClients();
  const naive = await timePerRecord(
    naiveHandler(stubs.dynamo, stubs.sns, 'anomalies', 'arn:topic'),
    event,
  );
  record({
    name: 'Detector CPU per record',
    unit: 'µs',
    value: ours,
    baseline: naive,
    baselineName: 'naive per-record handler',
    ratio: naive / ours,
    target: '≤ 2 µs per record',
    met: ours <= 2,
  });
}

export async function detectorRequests(proxy: FaultProxy): Promise<void> {
  log('Detector AWS requests (1,000-record batch, 10 % anomalies, 3 devices, against moto)…');
  const resources = await createDetectorResources(proxy.endpoint, 'bench-ours');
  const naiveResources = await createDetectorResources(proxy.endpoint, 'bench-naive');
  Object.assign(process.env, emulatorEnvironment(proxy.endpoint));
  const ours = createHandler({
    ...fromEnv({
      ...process.env,
      ANOMALY_TABLE_NAME: resources.tableName,
      ALERT_TOPIC_ARN: resources.topicArn,
      DEAD_LETTER_QUEUE_URL: resources.deadLetterQueueUrl,
    }),
    log: () => undefined,
  });
  const event = batchOf(1000);
  const count = async (run: () => Promise<unknown>) => {
    proxy.clearLog();
    await run();
    return proxy.requests.filter((entry) => ['dynamodb', 'sns', 'sqs'].includes(entry.service))
      .length;
  };
  const oursCount = await count(() => ours(event));
  const config = testClientConfig(proxy.endpoint);
  const naive = naiveHandler(
    new DynamoDBClient(config),
    new SNSClient(config),
    naiveResources.tableName,
    naiveResources.topicArn,
  );
  const naiveCount = await count(() => naive(event));
  record({
    name: 'Detector AWS requests per 1,000 records',
    unit: 'requests',
    value: oursCount,
    baseline: naiveCount,
    baselineName: 'naive per-record handler',
    ratio: naiveCount / oursCount,
    target: '≥ 20× fewer',
    met: naiveCount / oursCount >= 20,
  });
}

/** Run in a fresh process (`--memory-probe`): peak heap while handling a 10,000-record batch. */
export async function memoryProbe(): Promise<void> {
  const event = batchOf(10_000);
  const handler = createHandler(stubDeps());
  let peak = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 1);
  for (let i = 0; i < 5; i += 1) {
    await handler(event);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    await new Promise((resolve) => setImmediate(resolve));
  }
  clearInterval(sampler);
  process.stdout.write(JSON.stringify({ peakHeapBytes: peak }));
}

export function detectorMemory(): void {
  log('Detector memory (10,000-record batch, fresh process)…');
  const result = spawnSync(process.execPath, [__filename, '--memory-probe'], { encoding: 'utf8' });
  const { peakHeapBytes } = JSON.parse(result.stdout) as { peakHeapBytes: number };
  const megabytes = peakHeapBytes / 1024 / 1024;
  record({
    name: 'Detector peak heap (10,000 records)',
    unit: 'MB',
    value: megabytes,
    baseline: undefined,
    baselineName: '',
    ratio: undefined,
    target: '≤ 64 MB (runs in 128 MB)',
    met: megabytes <= 64,
  });
}
