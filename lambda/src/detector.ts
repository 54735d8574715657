import type { KinesisStreamRecord } from 'aws-lambda';
import { classify } from './classify';
import type { DetectorConfig } from './config';
import { sendDeadLetters, type DeadLetter } from './dead-letter';
import type { DetectorDeps, DetectorHandler } from './deps';
import type { Observed } from './device-plan';
import { createDeviceProcessor } from './devices';
import type { ExcursionCounters } from './metrics';
import { decodeReading } from './reading';

export type { DetectorDeps, DetectorHandler } from './deps';

interface Sorted {
  readonly readings: Observed[];
  readonly deadLetters: DeadLetter[];
}

/**
 * The detector: decodes and classifies every record, dead-letters those that can never
 * succeed, stores the anomalies, and follows each device's excursions, telling people once per
 * device per invocation at most. A transient failure is reported from the first record that
 * did not complete, so Lambda redelivers only from there.
 */
export function createHandler(deps: DetectorDeps): DetectorHandler {
  const processReadings = createDeviceProcessor(deps);

  return async (event) => {
    const started = deps.now();
    const records = event.Records;
    const sorted = sortRecords(records, deps.config);
    const [deadLetterFailures, outcome] = await Promise.all([
      sorted.deadLetters.length > 0
        ? sendDeadLetters(deps.sqs, deps.config.deadLetterQueueUrl, sorted.deadLetters)
        : Promise.resolve([]),
      processReadings(sorted.readings),
    ]);
    const failedIndices = [
      ...deadLetterFailures.map((letter) => letter.index),
      ...outcome.failedIndices,
    ];
    const firstFailed = failedIndices.length > 0 ? Math.min(...failedIndices) : undefined;
    const firstFailedRecord = firstFailed === undefined ? undefined : records[firstFailed];
    if (deps.counters) countCompleted(deps.counters, sorted, firstFailed ?? records.length);
    const anomalies = sorted.readings.filter((observed) => observed.kind).length;
    deps.log({
      level: firstFailedRecord ? 'WARN' : 'INFO',
      message: 'kinesis batch processed',
      records: records.length,
      normal: sorted.readings.length - anomalies,
      anomalies,
      ...outcome.counts,
      deadLettered: sorted.deadLetters.length - deadLetterFailures.length,
      deadLetterReasons: countReasons(sorted.deadLetters),
      failed: failedIndices.length,
      retryFromSequenceNumber: firstFailedRecord?.kinesis.sequenceNumber,
      durationMs: deps.now() - started,
    });
    return {
      batchItemFailures: firstFailedRecord
        ? [{ itemIdentifier: firstFailedRecord.kinesis.sequenceNumber }]
        : [],
    };
  };
}

function sortRecords(records: readonly KinesisStreamRecord[], config: DetectorConfig): Sorted {
  const readings: Observed[] = [];
  const deadLetters: DeadLetter[] = [];
  for (let index = 0; index < records.length; index += 1) {
    const record = records[index] as KinesisStreamRecord;
    const { data, sequenceNumber, partitionKey } = record.kinesis;
    const decoded = decodeReading(data);
    if (decoded.ok) {
      const { deviceId, timestamp, temperatureF, unit } = decoded.reading;
      const kind = classify(temperatureF, config.thresholds);
      readings.push({ deviceId, timestamp, temperatureF, unit, kind, sequenceNumber, index });
    } else {
      deadLetters.push({
        index,
        sequenceNumber,
        partitionKey,
        eventSourceArn: record.eventSourceARN,
        reason: decoded.reason,
        data,
      });
    }
  }
  return { readings, deadLetters };
}

/**
 * Counts the records before the checkpoint, in batch order (each record is a reading or a dead
 * letter, both lists in batch order): Lambda redelivers the rest, and they count when they
 * complete. A dead letter counts under its partition key (the producer's deviceId), as it has no
 * readable one.
 */
function countCompleted(counters: ExcursionCounters, sorted: Sorted, checkpoint: number): void {
  let reading = 0;
  let deadLetter = 0;
  for (let index = 0; index < checkpoint; index += 1) {
    const observed = sorted.readings[reading];
    if (observed?.index === index) {
      reading += 1;
      counters.count('ReadingsProcessed', observed.deviceId);
      if (observed.kind) counters.count('Anomalies', observed.deviceId);
      continue;
    }
    const letter = sorted.deadLetters[deadLetter];
    deadLetter += 1;
    counters.count('ReadingsProcessed', letter?.partitionKey ?? '');
    counters.count('DeadLetters', letter?.partitionKey ?? '');
  }
}

function countReasons(letters: readonly DeadLetter[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const letter of letters) counts[letter.reason] = (counts[letter.reason] ?? 0) + 1;
  return counts;
}
