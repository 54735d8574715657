import type { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { emulatorEnvironment } from '../../local-pipeline/emulator/clients';
import { loadDetector } from '../../local-pipeline/lambda/deployed-detector';
import { repoRoot } from '../../local-pipeline/emulator/tools';
import { run as runProducer } from '../../producer/src/main';
import { seededRandom } from '../../producer/src/model';
import { createDetectorResources } from '../support/detector-resources';
import { kinesisEvent, kinesisRecord } from '../lambda/events';
import { eightHourRun, type BenchReading, type ExcursionRun } from './excursions';
import { log, record } from './figures';
import { deployedBatching } from '../../sizing/src/stack-defaults';
import { dollarsPerDeviceMonth, PRICES_AS_OF, type PricedItem } from '../../sizing/src/prices';
import { startRequestMeter, type MeteredRequest } from './request-meter';

/** PutRecords calls the producer makes for 1,000 readings at 1 Hz (its own code, on a virtual clock). */
async function producerCallsAt1Hz(): Promise<number> {
  let now = Date.UTC(2026, 10, 21, 8);
  let calls = 0;
  const kinesis = {
    send: (command: PutRecordsCommand) => {
      calls += 1;
      const records = command.input.Records ?? [];
      return Promise.resolve({
        FailedRecordCount: 0,
        Records: records.map((_, i) => ({ SequenceNumber: String(i), ShardId: 'shardId-0' })),
      });
    },
  } as unknown as KinesisClient;
  const code = await runProducer({
    argv: ['--count', '1000', '--rate', '1', '--seed', '1', '--stream', 'bench'],
    env: {},
    kinesis,
    stdout: () => undefined,
    stderr: () => undefined,
    now: () => now,
    sleep: (ms) => {
      now += ms;
      return Promise.resolve();
    },
    random: seededRandom(1),
    stop: new AbortController().signal,
    writeStatus: () => Promise.resolve(),
  });
  if (code !== 0) throw new Error(`the producer exited ${code}`);
  return calls;
}

type Handler = (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse | undefined>;

/**
 * Feeds the readings to the built detector as the event source mapping would at 1 Hz: batches
 * of `perInvocation` readings in order, a reported failure redelivered from that record.
 */
async function deliver(handler: Handler, readings: BenchReading[], perInvocation: number) {
  let invocations = 0;
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = () => true; // the detector logs a line per invocation
  try {
    for (let position = 0; position < readings.length;) {
      const batch = readings.slice(position, position + perInvocation);
      const event = kinesisEvent(
        batch.map((reading, i) => kinesisRecord({ ...reading }, position + i)),
      );
      invocations += 1;
      const failure = (await handler(event))?.batchItemFailures[0]?.itemIdentifier;
      const failedAt = failure
        ? event.Records.findIndex((r) => r.kinesis.sequenceNumber === failure)
        : -1;
      if (failedAt >= 0 && invocations > readings.length * 2)
        throw new Error('the detector keeps failing its batches');
      position += failedAt >= 0 ? failedAt : batch.length;
    }
  } finally {
    process.stdout.write = write;
  }
  return invocations;
}

const sum = (requests: readonly MeteredRequest[], pick: (request: MeteredRequest) => number) =>
  requests.reduce((total, request) => total + pick(request), 0);

export async function endToEnd(motoEndpoint: string): Promise<void> {
  const { batchSize, windowSeconds } = deployedBatching(repoRoot);
  // Lambda polls a shard about once a second; with a batching window it gathers that many
  // seconds of readings (up to the batch size) before it invokes.
  const perInvocation = Math.max(1, Math.min(batchSize, windowSeconds));
  const run = eightHourRun();
  log(
    `AWS requests and messages: 8 h of one device at 1 Hz (${run.readings.length} readings, ${run.excursions} excursions), ${perInvocation} reading(s) an invocation (batching window ${windowSeconds} s in the template)…`,
  );
  const meter = await startRequestMeter(motoEndpoint);
  const environment = { ...process.env };
  try {
    const resources = await createDetectorResources(meter.endpoint, 'bench-8h');
    const handler = loadDetector({
      ...emulatorEnvironment(meter.endpoint),
      ANOMALY_TABLE_NAME: resources.tableName,
      ALERT_TOPIC_ARN: resources.topicArn,
      DEAD_LETTER_QUEUE_URL: resources.deadLetterQueueUrl,
    });
    meter.clear();
    const invocations = await deliver(handler, run.readings, perInvocation);
    const detector = [...meter.requests];
    const putRecordsPer1000 = await producerCallsAt1Hz();
    report(run, { invocations, detector, putRecordsPer1000 });
  } finally {
    // loadDetector set the function's environment on this process, as a cold start would.
    for (const name of Object.keys(process.env))
      if (!(name in environment)) Reflect.deleteProperty(process.env, name);
    Object.assign(process.env, environment);
    await meter.stop();
  }
}

interface Measured {
  readonly invocations: number;
  readonly detector: readonly MeteredRequest[];
  readonly putRecordsPer1000: number;
}

interface Usage {
  readonly requests: number;
  readonly billed: Partial<Record<PricedItem, number>>;
}

/** Requests and billable units per 1,000 readings of what the run measured. */
function oursPer1000(run: ExcursionRun, measured: Measured): Usage {
  const per1000 = (count: number) => (count * 1000) / run.readings.length;
  const messages = sum(measured.detector, (request) => request.messages);
  return {
    requests:
      measured.putRecordsPer1000 +
      per1000(measured.invocations) +
      per1000(measured.detector.length),
    billed: {
      kinesisPutPayloadUnit: 1000,
      lambdaRequest: per1000(measured.invocations),
      dynamoWriteUnit: per1000(sum(measured.detector, (request) => request.writeUnits)),
      dynamoReadUnit: per1000(sum(measured.detector, (request) => request.readUnits)),
      snsPublish: per1000(messages),
      snsEmailDelivery: per1000(messages),
      sqsRequest: per1000(measured.detector.filter((request) => request.service === 'sqs').length),
    },
  };
}

/**
 * The seeds' design on the same readings: one PutRecord per reading, an invocation per reading
 * (no batching window: at 1 Hz each once-a-second poll finds one reading), one PutItem and one
 * Publish (an e-mail) per anomalous reading.
 */
function seedsPer1000(run: ExcursionRun): Usage {
  const anomalous = (run.anomalous * 1000) / run.readings.length;
  return {
    requests: 1000 + 1000 + 2 * anomalous,
    billed: {
      kinesisPutPayloadUnit: 1000,
      lambdaRequest: 1000,
      dynamoWriteUnit: anomalous,
      snsPublish: anomalous,
      snsEmailDelivery: anomalous,
    },
  };
}

function report(run: ExcursionRun, measured: Measured): void {
  const per1000 = (count: number) => (count * 1000) / run.readings.length;
  const anomalousPer1000 = per1000(run.anomalous);
  const messages = sum(measured.detector, (request) => request.messages);
  const ours = oursPer1000(run, measured);
  const seeds = seedsPer1000(run);
  const detectorRequests: Record<string, number> = {};
  for (const request of measured.detector) {
    const key = `${request.service} ${request.operation}`;
    detectorRequests[key] = (detectorRequests[key] ?? 0) + 1;
  }
  const breakdown = {
    producerPutRecords: measured.putRecordsPer1000,
    lambdaInvocations: per1000(measured.invocations),
    detector: Object.fromEntries(
      Object.entries(detectorRequests).map(([key, count]) => [key, per1000(count)]),
    ),
  };
  record({
    name: 'AWS requests per 1,000 readings at 1 Hz, end to end',
    unit: 'requests',
    value: ours.requests,
    baseline: seeds.requests,
    baselineName: "seeds' design",
    ratio: seeds.requests / ours.requests,
    target: "fewer than the seeds' design",
    met: ours.requests < seeds.requests,
    note: `producer ${round1(breakdown.producerPutRecords)} PutRecords + ${round1(breakdown.lambdaInvocations)} invocations + detector ${
      Object.entries(breakdown.detector)
        .map(([key, count]) => `${round1(count)} ${key}`)
        .join(', ') || 'none'
    }; from 8 h of one device (${round1(anomalousPer1000)} anomalous readings per 1,000)`,
    details: { ours: { ...breakdown, billed: ours.billed }, seeds: seeds.billed },
  });
  const oursDollars = dollarsPerDeviceMonth(ours.billed);
  const seedsDollars = dollarsPerDeviceMonth(seeds.billed);
  record({
    name: 'Dollars per device-month (per-reading AWS charges)',
    unit: '$',
    value: oursDollars,
    baseline: seedsDollars,
    baselineName: "seeds' design",
    ratio: seedsDollars / oursDollars,
    target: "less than the seeds' design",
    met: oursDollars < seedsDollars,
    note: `1 Hz for 30 days at AWS's us-east-1 list prices as published in November 2025, checked ${PRICES_AS_OF} (tests/bench/prices.ts): Kinesis payload units, Lambda requests, DynamoDB request units, SNS publishes and e-mails (one subscriber), SQS requests; no free tier, no Lambda duration, no shard-hours (per stream, not per device)`,
  });
  const perExcursion = messages / run.excursions;
  record({
    name: 'Messages per excursion (8 h at 1 Hz, 6 shapes)',
    unit: 'messages',
    value: perExcursion,
    baseline: run.anomalous / run.excursions,
    baselineName: "seeds' design",
    ratio: run.anomalous / run.excursions / perExcursion,
    target: '≤ 2',
    met: perExcursion <= 2,
    note: `${messages} messages for ${run.excursions} excursions: ${run.shapes.join('; ')}`,
  });
}

const round1 = (value: number) => Math.round(value * 10) / 10;
