import type { _Record } from '@aws-sdk/client-kinesis';

/**
 * Where a Kinesis event source mapping with ReportBatchItemFailures resumes after the handler's
 * answer, as Lambda documents it: no answer, no list or an empty list is a complete success;
 * several failures checkpoint at the lowest sequence number among them (not the first listed,
 * which would skip the records before it); an identifier that is empty, not a string or not in
 * the batch fails the whole batch.
 *
 * Returns the sequence number to redeliver from, or undefined when the batch is complete.
 */
export function redeliverFrom(records: readonly _Record[], response: unknown): string | undefined {
  const whole = records[0]?.SequenceNumber;
  if (response === null || response === undefined) return undefined;
  if (typeof response !== 'object') return whole;
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === null || failures === undefined) return undefined;
  if (!Array.isArray(failures)) return whole;
  if (failures.length === 0) return undefined;
  const ids = new Set<unknown>(
    failures.map((failure) => (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier),
  );
  const inBatch = new Set(records.map((record) => record.SequenceNumber));
  if ([...ids].some((id) => typeof id !== 'string' || id === '' || !inBatch.has(id))) return whole;
  // The batch is in stream order: the first record reported failed has the lowest number.
  return records.find((record) => ids.has(record.SequenceNumber))?.SequenceNumber;
}
