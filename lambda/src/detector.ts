import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type {
  KinesisStreamBatchResponse,
  KinesisStreamEvent,
  KinesisStreamRecord,
} from 'aws-lambda';
import { alertsFor, publishAlerts } from './alerts';
import { classify } from './classify';
import type { DetectorConfig } from './config';
import { sendDeadLetters, type DeadLetter } from './dead-letter';
import { decodeReading } from './reading';
import { AnomalyStore, anomalyKey, type Anomaly, type Sleep } from './store';

export interface DetectorDeps {
  readonly config: DetectorConfig;
  readonly dynamo: DynamoDBClient;
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  /** Writes one log line (CloudWatch takes stdout). */
  readonly log: (line: string) => void;
  readonly now: () => number;
  readonly sleep: Sleep;
}

export type DetectorHandler = (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>;

interface Sorted {
  readonly anomalies: Anomaly[];
  readonly deadLetters: DeadLetter[];
  readonly normal: number;
}

interface AnomalyOutcome {
  readonly failed: readonly Anomaly[];
  readonly stored: number;
  readonly alreadyStored: number;
  readonly resumed: number;
  readonly alertsSent: number;
}

/**
 * The detector: decodes and classifies every record, dead-letters those that can never
 * succeed, stores the anomalies and alerts once per device. A transient failure is reported
 * from the first record that did not complete, so Lambda redelivers only from there.
 */
export function createHandler(deps: DetectorDeps): DetectorHandler {
  const store = new AnomalyStore(deps.dynamo, deps.config.tableName, deps.sleep);

  const processAnomalies = async (anomalies: readonly Anomaly[]): Promise<AnomalyOutcome> => {
    const unique = uniqueByKey(anomalies);
    if (unique.length === 0)
      return { failed: [], stored: 0, alreadyStored: 0, resumed: 0, alertsSent: 0 };
    let statuses;
    try {
      statuses = await store.alertStatuses(unique);
    } catch {
      return { failed: unique, stored: 0, alreadyStored: 0, resumed: 0, alertsSent: 0 };
    }
    const fresh = unique.filter((anomaly) => !statuses.has(anomalyKey(anomaly.reading)));
    const resumed = unique.filter(
      (anomaly) => statuses.get(anomalyKey(anomaly.reading)) === 'PENDING',
    );
    // Stored before alerting: a crash after this point leaves PENDING items that the
    // redelivered batch alerts for, so no alert is ever lost.
    const written = await store.put(fresh, 'PENDING');
    const unwritten = new Set(written.failed);
    const toAlert = [...fresh.filter((anomaly) => !unwritten.has(anomaly)), ...resumed];
    const published = await publishAlerts(
      deps.sns,
      deps.config.topicArn,
      alertsFor(toAlert, deps.config.thresholds),
    );
    const alerted = toAlert.filter(
      (anomaly) => !published.failedDevices.has(anomaly.reading.deviceId),
    );
    const unalerted = toAlert.filter((anomaly) =>
      published.failedDevices.has(anomaly.reading.deviceId),
    );
    // A failed SENT mark is not a batch failure: the alert went out, and redelivering the batch
    // for it would only alert twice. The item stays PENDING, which at worst repeats an alert.
    await store.put(alerted, 'SENT');
    return {
      failed: [...written.failed, ...unalerted],
      stored: fresh.length - written.failed.length,
      alreadyStored: unique.length - fresh.length - resumed.length,
      resumed: resumed.length,
      alertsSent: published.sent,
    };
  };

  return async (event) => {
    const started = deps.now();
    const records = event.Records;
    const sorted = sortRecords(records, deps.config);
    const [deadLetterFailures, outcome] = await Promise.all([
      sorted.deadLetters.length > 0
        ? sendDeadLetters(deps.sqs, deps.config.deadLetterQueueUrl, sorted.deadLetters)
        : Promise.resolve([]),
      processAnomalies(sorted.anomalies),
    ]);
    const failedIndices = [
      ...deadLetterFailures.map((letter) => letter.index),
      ...failedIndicesOf(outcome.failed, sorted.anomalies),
    ];
    const firstFailed = failedIndices.length > 0 ? Math.min(...failedIndices) : undefined;
    const firstFailedRecord = firstFailed === undefined ? undefined : records[firstFailed];
    deps.log(
      JSON.stringify({
        level: firstFailedRecord ? 'WARN' : 'INFO',
        message: 'kinesis batch processed',
        records: records.length,
        normal: sorted.normal,
        anomalies: sorted.anomalies.length,
        new: outcome.stored,
        alreadyStored: outcome.alreadyStored,
        resumedAlerts: outcome.resumed,
        alertsSent: outcome.alertsSent,
        deadLettered: sorted.deadLetters.length - deadLetterFailures.length,
        deadLetterReasons: countReasons(sorted.deadLetters),
        failed: failedIndices.length,
        retryFromSequenceNumber: firstFailedRecord?.kinesis.sequenceNumber,
        durationMs: deps.now() - started,
      }),
    );
    return {
      batchItemFailures: firstFailedRecord
        ? [{ itemIdentifier: firstFailedRecord.kinesis.sequenceNumber }]
        : [],
    };
  };
}

function sortRecords(records: readonly KinesisStreamRecord[], config: DetectorConfig): Sorted {
  const anomalies: Anomaly[] = [];
  const deadLetters: DeadLetter[] = [];
  let normal = 0;
  records.forEach((record, index) => {
    const { data, sequenceNumber, partitionKey } = record.kinesis;
    const decoded = decodeReading(data);
    if (!decoded.ok) {
      deadLetters.push({
        index,
        sequenceNumber,
        partitionKey,
        eventSourceArn: record.eventSourceARN,
        reason: decoded.reason,
        data,
      });
      return;
    }
    const kind = classify(decoded.reading.temperatureF, config.thresholds);
    if (kind) anomalies.push({ reading: decoded.reading, kind, sequenceNumber, index });
    else normal += 1;
  });
  return { anomalies, deadLetters, normal };
}

/** The same reading delivered twice in one batch is one anomaly (it is one table item). */
function uniqueByKey(anomalies: readonly Anomaly[]): Anomaly[] {
  const byKey = new Map<string, Anomaly>();
  for (const anomaly of anomalies) {
    const key = anomalyKey(anomaly.reading);
    if (!byKey.has(key)) byKey.set(key, anomaly);
  }
  return [...byKey.values()];
}

/** Every record index holding a failed anomaly, duplicates included. */
function failedIndicesOf(failed: readonly Anomaly[], all: readonly Anomaly[]): number[] {
  if (failed.length === 0) return [];
  const failedKeys = new Set(failed.map((anomaly) => anomalyKey(anomaly.reading)));
  return all
    .filter((anomaly) => failedKeys.has(anomalyKey(anomaly.reading)))
    .map((anomaly) => anomaly.index);
}

function countReasons(letters: readonly DeadLetter[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const letter of letters) counts[letter.reason] = (counts[letter.reason] ?? 0) + 1;
  return counts;
}
