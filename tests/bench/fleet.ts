import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, DeleteMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { KinesisStreamEvent } from 'aws-lambda';
import { emulatorEnvironment, testClientConfig } from '../../local-pipeline/emulator/clients';
import { loadDetector } from '../../local-pipeline/lambda/deployed-detector';
import { repoRoot } from '../../local-pipeline/emulator/tools';
import { deviceIds, Fleet } from '../../producer/src/fleet';
import { size } from '../../sizing/src/capacity';
import { dollarsPerDeviceMonth } from '../../sizing/src/prices';
import { deployedBatching, type Batching } from '../../sizing/src/stack-defaults';
import { createDetectorResources, type DetectorResources } from '../support/detector-resources';
import { kinesisEvent, kinesisRecord } from '../lambda/events';
import { log, record, round } from './figures';
import { naiveHandler } from './naive-handler';
import { startRequestMeter, type RequestMeter } from './request-meter';

type Handler = (event: KinesisStreamEvent) => Promise<unknown>;
const FLEETS = [1, 100, 1000, 10_000];
const START = Date.UTC(2026, 10, 21, 8);

/**
 * The batches the event source mapping hands one invocation at 1 Hz: a batching window of one
 * shard's readings, up to the batch size (10 readings for one device, 500 from 100 devices up).
 */
function fleetBatches(devices: number, records: number, batching: Batching, anomalyRate: number) {
  const fleet = new Fleet(
    deviceIds({ deviceId: 'DHT-001', devices, devicePrefix: 'DHT-' }),
    26,
    anomalyRate,
  );
  const shards = size(devices, 1, batching).shards;
  const perInvocation = Math.min(
    batching.batchSize,
    Math.max(1, (devices / shards) * batching.windowSeconds),
  );
  const readings = Array.from({ length: records }, (_, i) =>
    fleet.next(START + Math.floor(i / devices) * 1000),
  );
  const batches: KinesisStreamEvent[] = [];
  for (let at = 0; at < readings.length; at += perInvocation)
    batches.push(
      kinesisEvent(
        readings.slice(at, at + perInvocation).map((r, i) => kinesisRecord({ ...r }, at + i)),
      ),
    );
  return batches;
}

/** Runs the batches through the handler, quietly (the detector logs a line an invocation). */
async function invokeAll(
  handler: Handler,
  batches: readonly KinesisStreamEvent[],
): Promise<number> {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = () => true;
  const started = process.cpuUsage();
  try {
    for (const batch of batches) await handler(batch);
  } finally {
    process.stdout.write = write;
  }
  const used = process.cpuUsage(started);
  return used.user + used.system;
}

/** The built bundle on fresh resources, reaching AWS through `endpoint`. */
async function coldDetector(endpoint: string, suffix: string) {
  const resources = await createDetectorResources(endpoint, suffix);
  const handler = loadDetector({
    ...emulatorEnvironment(endpoint),
    ANOMALY_TABLE_NAME: resources.tableName,
    ALERT_TOPIC_ARN: resources.topicArn,
    DEAD_LETTER_QUEUE_URL: resources.deadLetterQueueUrl,
  });
  return { handler, resources };
}

interface FleetRow {
  readonly devices: number;
  readonly cpuMicrosPerRecord: number;
  readonly requestsPer1000: number;
  readonly dollarsPerDeviceMonth: number;
  readonly fixedDollarsPerMonth: number;
}

/**
 * One fleet size, twice on the same batches: through the request meter to count requests, then
 * straight to the emulator for CPU (the meter parses every request in this process).
 */
async function measureFleet(
  meter: RequestMeter,
  moto: string,
  devices: number,
  batching: Batching,
): Promise<FleetRow> {
  const records = Math.max(5000, devices);
  const batches = fleetBatches(devices, records, batching, 0.0005);
  const metered = await coldDetector(meter.endpoint, `fleet-${devices}`);
  meter.clear();
  await invokeAll(metered.handler, batches);
  const requests = [...meter.requests];
  const cpu = await invokeAll((await coldDetector(moto, `fleet-cpu-${devices}`)).handler, batches);
  const per1000 = (count: number) => (count * 1000) / records;
  const total = (pick: (r: (typeof requests)[number]) => number) =>
    per1000(requests.reduce((sum, r) => sum + pick(r), 0));
  const sizing = size(devices, 1, batching);
  return {
    devices,
    cpuMicrosPerRecord: cpu / records,
    requestsPer1000: per1000(requests.length),
    dollarsPerDeviceMonth: dollarsPerDeviceMonth({
      kinesisPutPayloadUnit: 1000,
      lambdaRequest: per1000(batches.length),
      dynamoWriteUnit: total((r) => r.writeUnits),
      dynamoReadUnit: total((r) => r.readUnits),
      snsPublish: total((r) => r.messages),
      snsEmailDelivery: total((r) => r.messages),
      sqsRequest: per1000(requests.filter((r) => r.service === 'sqs').length),
    }),
    fixedDollarsPerMonth:
      sizing.cost.shardHours + sizing.cost.extendedRetention + sizing.cost.producerInstance,
  };
}

/** Every message the alert inbox holds (the topic's SQS subscriber, raw delivery). */
async function inbox(resources: DetectorResources, endpoint: string): Promise<string[]> {
  const sqs = new SQSClient(testClientConfig(endpoint));
  const bodies: string[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: resources.alertQueueUrl, MaxNumberOfMessages: 10 }),
    );
    if (Messages.length === 0) return bodies;
    bodies.push(...Messages.map((message) => message.Body ?? ''));
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: resources.alertQueueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
}

/** 1,000 devices, each turning hot at its own second of one minute, and staying hot. */
function stormBatches(batchSize: number): { batches: KinesisStreamEvent[]; devices: string[] } {
  const devices = deviceIds({ deviceId: 'DHT-001', devices: 1000, devicePrefix: 'DHT-' });
  const readings = [];
  for (let second = 0; second < 60; second += 1)
    for (const [i, deviceId] of devices.entries())
      readings.push({
        deviceId,
        timestamp: new Date(START + second * 1000).toISOString(),
        temperature: second >= Math.floor((i * 60) / devices.length) ? 102.5 : 98.2,
        unit: 'F',
      });
  const batches: KinesisStreamEvent[] = [];
  for (let at = 0; at < readings.length; at += batchSize)
    batches.push(
      kinesisEvent(readings.slice(at, at + batchSize).map((r, i) => kinesisRecord(r, at + i))),
    );
  return { batches, devices };
}

/** The stack's limit of alert messages a minute, when the template has one. */
function digestLimit(): number | undefined {
  const template = readTemplate();
  const name = Object.keys(template.Parameters).find((key) => /digest|perminute/i.test(key));
  return name === undefined ? undefined : Number(template.Parameters[name]?.Default);
}

async function storm(meter: RequestMeter, moto: string, batching: Batching): Promise<void> {
  const { batches, devices } = stormBatches(batching.batchSize);
  const { handler, resources } = await coldDetector(meter.endpoint, 'storm');
  meter.clear();
  await invokeAll(handler, batches);
  const published = meter.requests.reduce((sum, r) => sum + r.messages, 0);
  const bodies = await inbox(resources, moto);
  // DHT-100 must not pass for DHT-1000: a device's name ends at a word boundary.
  const named = (device: string) => new RegExp(`\\b${device}\\b`);
  const missing = devices.filter((device) => !bodies.some((body) => named(device).test(body)));
  const limit = digestLimit();
  record({
    name: 'E-mails in a storm: 1,000 devices open excursions within one minute',
    unit: 'messages',
    value: published,
    baseline: devices.length,
    baselineName: 'one per excursion',
    ratio: devices.length / published,
    target:
      limit === undefined
        ? '≤ M a minute (no digest limit in the stack)'
        : `≤ ${limit} a minute, none lost`,
    met: limit !== undefined && published <= limit && missing.length === 0,
    note: `${published} SNS messages published by the built bundle (each one e-mail per subscriber), ${bodies.length} delivered to the test subscriber; ${devices.length - missing.length} of ${devices.length} devices named in a message${missing.length ? ` (missing: ${missing.slice(0, 5).join(', ')}…)` : ''}`,
  });
}

function readTemplate(): { Parameters: Record<string, { Default?: unknown }> } {
  return JSON.parse(
    readFileSync(join(repoRoot, 'cloudformation', 'anomaly-detection.json'), 'utf8'),
  ) as { Parameters: Record<string, { Default?: unknown }> };
}

/** CPU per record of the seeds' per-record handler on the same batches, for the 1.5× target. */
async function naiveCpu(moto: string, devices: number, batching: Batching): Promise<number> {
  const records = Math.max(5000, devices);
  const resources = await createDetectorResources(moto, `fleet-naive-${devices}`);
  const config = testClientConfig(moto);
  const naive = naiveHandler(
    new DynamoDBClient(config),
    new SNSClient(config),
    resources.tableName,
    resources.topicArn,
  );
  return (await invokeAll(naive, fleetBatches(devices, records, batching, 0.0005))) / records;
}

function printTable(rows: readonly FleetRow[]): void {
  log('  Fleet (built detector bundle against moto, 1 Hz per device):');
  log('    devices  CPU µs/record  AWS requests/1,000 records  $/device-month  fixed $/month');
  for (const row of rows)
    log(
      `    ${String(row.devices).padStart(7)}  ${String(round(row.cpuMicrosPerRecord)).padStart(13)}  ${String(round(row.requestsPer1000)).padStart(26)}  ${row.dollarsPerDeviceMonth.toFixed(4).padStart(14)}  ${row.fixedDollarsPerMonth.toFixed(2).padStart(13)}`,
    );
}

function recordTargets(rows: readonly FleetRow[], naive: number): void {
  const at = (devices: number) => rows.find((row) => row.devices === devices)!;
  const worst = rows.reduce((a, b) => (b.requestsPer1000 > a.requestsPer1000 ? b : a));
  const note = rows.map((row) => `${row.devices}: ${round(row.requestsPer1000)}`).join(', ');
  record({
    name: 'Fleet: detector AWS requests per 1,000 records (worst fleet size)',
    unit: 'requests',
    value: worst.requestsPer1000,
    baseline: undefined,
    baselineName: '',
    ratio: undefined,
    target: '≤ 12 at every fleet size',
    met: rows.every((row) => row.requestsPer1000 <= 12),
    note: `by devices: ${note} (DynamoDB, SNS and SQS requests the bundle made; invocations not counted)`,
  });
  const drift = at(10_000).dollarsPerDeviceMonth / at(100).dollarsPerDeviceMonth;
  record({
    name: 'Fleet: per-reading $/device-month at 10,000 devices against 100',
    unit: '$',
    value: at(10_000).dollarsPerDeviceMonth,
    baseline: at(100).dollarsPerDeviceMonth,
    baselineName: '100 devices',
    ratio: 1 / drift,
    target: 'within 10 % of the figure at 100',
    met: Math.abs(drift - 1) <= 0.1,
    note: 'list prices of sizing/src/prices.ts; fixed $/month (shards, retention, instance) from npm run size',
  });
  const cpu = at(10_000).cpuMicrosPerRecord;
  record({
    name: 'Fleet: detector CPU per record at 10,000 devices',
    unit: 'µs',
    value: cpu,
    baseline: naive,
    baselineName: 'naive per-record handler',
    ratio: naive / cpu,
    target: '≤ 2 µs and ≤ 1.5× naive',
    met: cpu <= 2 && cpu <= 1.5 * naive,
    note: 'process CPU while the built bundle handles the batches against moto: the detector and the AWS SDK it calls (the emulator runs in its own process); the naive handler on the same batches, its SDK calls included',
  });
}

/** The fleet table: 1, 100, 1,000 and 10,000 devices, and a storm of 1,000 excursions. */
export async function fleetTable(moto: string): Promise<void> {
  log('Fleet: 1, 100, 1,000 and 10,000 devices through the built detector bundle…');
  const batching = deployedBatching(repoRoot);
  const meter = await startRequestMeter(moto);
  const environment = { ...process.env };
  try {
    const rows: FleetRow[] = [];
    for (const devices of FLEETS) rows.push(await measureFleet(meter, moto, devices, batching));
    const naive = await naiveCpu(moto, 10_000, batching);
    printTable(rows);
    recordTargets(rows, naive);
    await storm(meter, moto, batching);
  } finally {
    // loadDetector set the function's environment on this process, as a cold start would.
    for (const name of Object.keys(process.env))
      if (!(name in environment)) Reflect.deleteProperty(process.env, name);
    Object.assign(process.env, environment);
    await meter.stop();
  }
}
