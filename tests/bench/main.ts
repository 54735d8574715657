import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { KinesisStreamEvent } from 'aws-lambda';
import { fromEnv } from '../../lambda/src/deps';
import { createHandler, type DetectorDeps } from '../../lambda/src/detector';
import { DEFAULT_THRESHOLDS } from '../../lambda/src/config';
import { deterministicZip } from '../../actions/shared/zip';
import { createStream } from '../support/aws';
import { emulatorEnvironment, testClientConfig } from '../../local-pipeline/clients';
import { createDetectorResources } from '../support/detector-resources';
import { isMutating, startFaultProxy, type FaultProxy } from '../../local-pipeline/fault-proxy';
import { LocalEnvironment } from '../../local-pipeline/local-environment';
import { startMoto } from '../../local-pipeline/moto';
import { repoRoot } from '../../local-pipeline/tools';
import { eventOf, mixedReadings } from '../lambda/events';
import { naiveHandler } from './naive-handler';

/**
 * `npm run bench`: what the deployed system costs and how fast the pipeline answers, each figure
 * against a baseline measured in the same run (absolute times drift on a shared machine).
 * Prints a table and writes bench-results.json; it measures, it does not gate.
 */

interface Figure {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  readonly baseline: number | undefined;
  readonly baselineName: string;
  /** value ÷ baseline, or baseline ÷ value when smaller is better (so bigger is always better). */
  readonly ratio: number | undefined;
  readonly target: string;
  readonly met: boolean;
}

const figures: Figure[] = [];
const log = (line: string) => process.stderr.write(`${line}\n`);
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

function record(figure: Figure): void {
  figures.push(figure);
  log(
    `  ${figure.met ? '✔' : '✖'} ${figure.name}: ${round(figure.value)} ${figure.unit}${figure.baseline === undefined ? '' : ` (baseline ${round(figure.baseline)})`}`,
  );
}

const round = (value: number) =>
  Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 100) / 100;

/** Clients whose send answers at once, as the handler's AWS calls need, for CPU measurements. */
function stubClients() {
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

function stubDeps(): DetectorDeps {
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
  for (let i = 0; i < 15; i += 1) {
    const started = performance.now();
    await run(event);
    samples.push(((performance.now() - started) * 1000) / event.Records.length);
  }
  return median(samples);
}

async function detectorCpu(): Promise<void> {
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

async function detectorRequests(proxy: FaultProxy): Promise<void> {
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
async function memoryProbe(): Promise<void> {
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

function detectorMemory(): void {
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

function runProducer(
  endpoint: string,
  stream: string,
  count: number,
): Promise<{
  summary: { sent: number; putRecordsCalls: number; durationMs: number };
  maxRssMb: number;
}> {
  // Reports the bundle's peak RSS on exit without changing it.
  const wrapper = `
    const bundle = ${JSON.stringify(join(repoRoot, 'producer', 'dist', 'index.js'))};
    process.argv = [process.argv[0], bundle, ...process.argv.slice(1)];
    process.on('exit', () => require('node:fs').writeSync(2, '\\nmaxRSS=' + process.resourceUsage().maxRSS + '\\n'));
    require(bundle);`;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '-e',
        wrapper,
        '--',
        '--stream',
        stream,
        '--count',
        String(count),
        '--rate',
        '0',
        '--seed',
        '1',
      ],
      {
        env: { PATH: process.env.PATH ?? '', ...emulatorEnvironment(endpoint) },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (code) => {
      if (code !== 0) {
        reject(new Error(`producer exited ${String(code)}: ${stderr.slice(-500)}`));
        return;
      }
      const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
        sent: number;
        putRecordsCalls: number;
        durationMs: number;
      };
      resolve({ summary, maxRssMb: Number(/maxRSS=(\d+)/.exec(stderr)?.[1] ?? 0) / 1024 });
    });
  });
}

async function producer(endpoint: string): Promise<void> {
  log(
    'Producer (20,000 readings at --rate 0 into moto, against a one-PutRecord-per-reading loop)…',
  );
  const kinesis = new KinesisClient(testClientConfig(endpoint));
  for (const name of ['bench-producer', 'bench-loop', 'bench-calls']) {
    await createStream(kinesis, name, 2);
  }
  const run = await runProducer(endpoint, 'bench-producer', 20_000);
  // The producer's own clock: from its first reading to the last acknowledged (no Node start-up).
  const oursRate = run.summary.sent / (run.summary.durationMs / 1000);
  const loopReadings = 1500;
  const started = performance.now();
  for (let i = 0; i < loopReadings; i += 1) {
    const reading = {
      deviceId: 'DHT-001',
      timestamp: new Date(Date.UTC(2026, 10, 21) + i).toISOString(),
      temperature: 98.6,
      unit: 'F',
    };
    await kinesis.send(
      new PutRecordCommand({
        StreamName: 'bench-loop',
        PartitionKey: reading.deviceId,
        Data: Buffer.from(JSON.stringify(reading)),
      }),
    );
  }
  const loopRate = loopReadings / ((performance.now() - started) / 1000);
  record({
    name: 'Producer throughput',
    unit: 'readings/s',
    value: oursRate,
    baseline: loopRate,
    baselineName: 'one PutRecord per reading',
    ratio: oursRate / loopRate,
    target: '≥ 20× the loop',
    met: oursRate / loopRate >= 20,
  });
  const calls = await runProducer(endpoint, 'bench-calls', 10_000);
  record({
    name: 'PutRecords calls per 10,000 readings',
    unit: 'calls',
    value: calls.summary.putRecordsCalls,
    baseline: 10_000,
    baselineName: 'one call per reading',
    ratio: 10_000 / calls.summary.putRecordsCalls,
    target: '20 calls (the limit)',
    met: calls.summary.putRecordsCalls <= 20,
  });
  record({
    name: 'Producer peak RSS (20,000 readings)',
    unit: 'MB',
    value: run.maxRssMb,
    baseline: undefined,
    baselineName: '',
    ratio: undefined,
    target: '≤ 100 MB',
    met: run.maxRssMb <= 100,
  });
}

async function deploy(motoEndpoint: string): Promise<void> {
  log('Deploy sequence (deploy.yml against moto), first run and an identical second run…');
  const local = await LocalEnvironment.start(motoEndpoint);
  try {
    // The deploy sequence against AWS: the three steps that talk to it (cfn-lint and the build
    // run the same either way and touch no AWS API; their time is logged, not compared).
    const awsSteps = new Set([
      './actions/cfn-deploy',
      './actions/lambda-deploy',
      './actions/codedeploy-push',
    ]);
    const timed = async () => {
      const started = performance.now();
      const run = await local.deploy();
      local.stopProducerService();
      const failed = run.steps.find((step) => step.status === 'failed');
      if (failed) throw new Error(`deploy step ${failed.name} failed: ${failed.reason ?? ''}`);
      log(`    whole deploy job: ${((performance.now() - started) / 1000).toFixed(1)} s`);
      return (
        run.steps
          .filter((step) => awsSteps.has(step.uses ?? ''))
          .reduce((total, step) => total + step.durationMs, 0) / 1000
      );
    };
    const first = await timed();
    local.proxy.clearLog();
    const second = await timed();
    const mutating = local.proxy.requests.filter(isMutating).length;
    record({
      name: 'Deploy steps (stack, Lambda, CodeDeploy), identical second run',
      unit: 's',
      value: second,
      baseline: first,
      baselineName: 'first run',
      ratio: first / second,
      target: '≤ 20 % of the first',
      met: second <= first * 0.2,
    });
    record({
      name: 'Deploy, mutating calls on the second run',
      unit: 'calls',
      value: mutating,
      baseline: undefined,
      baselineName: '',
      ratio: undefined,
      target: '0',
      met: mutating === 0,
    });
  } finally {
    await local.stop();
  }
}

function artifact(): void {
  log('Lambda artifact (zip size; cold initialisation over 20 fresh processes)…');
  const bundle = join(repoRoot, 'lambda', 'dist', 'index.js');
  const zipKb =
    deterministicZip([{ path: 'index.js', data: readFileSync(bundle), executable: false }]).length /
    1024;
  record({
    name: 'Lambda zip size',
    unit: 'KB',
    value: zipKb,
    baseline: undefined,
    baselineName: '',
    ratio: undefined,
    target: '≤ 300 KB',
    met: zipKb <= 300,
  });
  const env = {
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'us-east-1',
    ANOMALY_TABLE_NAME: 'm03p02_anomaly_data',
    ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:m03p02_anomaly_alerts',
    DEAD_LETTER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/dlq',
    AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING: '1',
  };
  const wall = (args: string[]) => {
    const started = performance.now();
    spawnSync(process.execPath, args, { env });
    return performance.now() - started;
  };
  const bare = median(Array.from({ length: 20 }, () => wall(['-e', ''])));
  const loaded = median(
    Array.from({ length: 20 }, () => wall(['-e', `require(${JSON.stringify(bundle)})`])),
  );
  const init = loaded - bare;
  record({
    name: 'Lambda cold initialisation',
    unit: 'ms',
    value: init,
    baseline: bare,
    baselineName: 'bare Node start-up',
    ratio: undefined,
    target: '≤ 50 ms',
    met: init <= 50,
  });
}

function report(): void {
  const header = ['Figure', 'Value', 'Baseline', 'Ratio', 'Target', ''];
  const rows = figures.map((figure) => [
    figure.name,
    `${round(figure.value)} ${figure.unit}`,
    figure.baseline === undefined ? '—' : `${round(figure.baseline)} (${figure.baselineName})`,
    figure.ratio === undefined ? '—' : `${round(figure.ratio)}×`,
    figure.target,
    figure.met ? 'met' : 'MISSED',
  ]);
  const widths = header.map((_, i) =>
    Math.max(header[i]!.length, ...rows.map((row) => row[i]!.length)),
  );
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  process.stdout.write(
    `\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`,
  );
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? '?',
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    date: new Date().toISOString(),
  };
  writeFileSync(
    join(repoRoot, 'bench-results.json'),
    `${JSON.stringify({ machine, figures }, null, 2)}\n`,
  );
  process.stdout.write(
    `\nMachine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}. Written to bench-results.json.\n`,
  );
}

async function main(): Promise<void> {
  if (process.argv.includes('--memory-probe')) {
    await memoryProbe();
    return;
  }
  const moto = await startMoto();
  const proxy = await startFaultProxy(moto.endpoint);
  try {
    await detectorCpu();
    detectorMemory();
    await detectorRequests(proxy);
    await producer(moto.endpoint);
    await deploy(moto.endpoint);
    artifact();
    report();
  } finally {
    await proxy.stop();
    await moto.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `npm run bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
